"""The annual reports: the list, each report as a page and as a PDF, its statistics as CSV.

A published report is public. A draft exists only for those who may edit reports (the
coordinator, a superuser): for everybody else it is a 404, as if it did not exist.
"""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.csv_export import csv_response

from . import pdf, services
from .models import AnnualReport, RenderedReport
from .statistics import year_statistics

logger = logging.getLogger(__name__)

# Seconds a browser (or a script) should wait before asking again for a PDF being prepared.
PDF_RETRY_AFTER = 10


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
    """The PDF the worker rendered last (reports/pdf.py): never rendered here, never waited for.

    The file for what the report shows now, else the newest older one while the worker
    renders the new one (`X-Report-Pdf: stale`), else a 202 page that says it is being prepared.
    """
    report = _visible_report(request, year)
    language = get_language()
    fingerprint = pdf.current_fingerprint(report)
    rendered = (
        RenderedReport.objects.of(report, language).finished().current_first(fingerprint).first()
    )
    if rendered is None or rendered.fingerprint != fingerprint:
        requested, _enqueued = services.rendered_report_request(
            report=report, language=language, fingerprint=fingerprint
        )
        if requested.is_finished:  # a task backend that runs tasks at once (tests)
            rendered = requested
    response = _pdf_file_response(report, rendered) if rendered else None
    if response is None and rendered and rendered.fingerprint == fingerprint:
        # The storage lost the file (the PDF for an older fingerprint may just have been
        # deleted as superseded, and the current one is on its way anyway).
        logger.warning("The PDF %s is missing; it is rendered again", rendered.file_name)
        services.rendered_report_request(
            report=report, language=language, fingerprint=fingerprint, force=True
        )
    if response is None:
        response = render(
            request,
            "reports/pdf_pending.html",
            {"report": report},
            status=202,
        )
        response["Retry-After"] = str(PDF_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
    elif rendered.fingerprint != fingerprint:
        response["X-Report-Pdf"] = "stale"
        response["Cache-Control"] = "no-cache"
    return _private_if_draft(response, report)


def _pdf_file_response(report: AnnualReport, rendered: RenderedReport) -> FileResponse | None:
    try:
        file = pdf.pdf_storage().open(rendered.file_name)
    except OSError:
        return None
    response = FileResponse(file, content_type="application/pdf", filename=pdf.pdf_filename(report))
    response["Last-Modified"] = http_date(rendered.rendered_at.timestamp())
    return response


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
