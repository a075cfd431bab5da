"""The annual reports: the list, each report as a page and as a PDF, its statistics as CSV.

A published report is public. A draft exists only for those who may edit reports (the
coordinator, a superuser): for everybody else it is a 404, as if it did not exist.
"""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import pdf
from .models import AnnualReport
from .statistics import year_statistics

CSV_DELIMITER = ";"  # what Excel with Swedish regional settings splits columns on
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    """Every figure of the report's statistics, one per line, for Excel: UTF-8 with a byte
    order mark (else Swedish Excel reads å ä ö as Windows-1252) and `;` between columns.
    """
    report = _visible_report(request, year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistik-{report.year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([_("År"), _("Tabell"), _("Rad"), _("Mått"), _("Antal")])
    for table, row, measure, value in year_statistics(report.year).csv_rows():
        writer.writerow([report.year, table, _as_text(row), measure, value])
    return _private_if_draft(response, report)


def _as_text(name: str) -> str:
    """A name that a spreadsheet would take for a formula ("=..."), kept as text."""
    return f"'{name}" if name.startswith(FORMULA_STARTS) else name
