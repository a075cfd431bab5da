"""The annual reports: the list, each report as a page and as a PDF, its statistics as CSV.

A published report is public. A draft exists only for those who may edit reports (the
coordinator, a superuser): for everybody else it is a 404, as if it did not exist.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.csv_export import csv_response

from . import pdf
from .models import AnnualReport
from .statistics import year_statistics


def may_see_drafts(user) -> bool:
    return user.is_active and user.has_perm("reports.change_annualreport")


def _visible_report(request: HttpRequest, year: int) -> AnnualReport:
    report = get_object_or_404(AnnualReport, year=year)
    if not report.published and not may_see_drafts(request.user):
        raise Http404
    return report


def _private_if_draft(response: HttpResponse, report: AnnualReport) -> HttpResponse:
    if not report.published:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    drafts = []
    if may_see_drafts(request.user):
        drafts = AnnualReport.objects.filter(published=False)
    return render(
        request,
        "reports/report_list.html",
        {"reports": AnnualReport.objects.published(), "drafts": drafts},
    )


@require_safe
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    report = _visible_report(request, year)
    html = pdf.render_report_html(report, request=request)
    return _private_if_draft(HttpResponse(html), report)


@require_safe
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    report = _visible_report(request, year)
    response = HttpResponse(pdf.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.pdf_filename(report)}"'
    return _private_if_draft(response, report)


@require_safe
def statistics_csv(request: HttpRequest, year: int) -> HttpResponse:
    """Every figure of the report's statistics, one per line (see accounts.csv_export)."""
    report = _visible_report(request, year)
    response = csv_response(
        filename=f"statistik-{report.year}.csv",
        header=[_("År"), _("Tabell"), _("Rad"), _("Mått"), _("Antal")],
        rows=(
            [report.year, table, row, measure, value]
            for table, row, measure, value in year_statistics(report.year).csv_rows()
        ),
    )
    return _private_if_draft(response, report)
