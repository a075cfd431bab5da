"""The annual reports: the list, each report as a page and as a PDF, its statistics as CSV.

A published report is public. A draft exists only for those who may edit reports (the
coordinator, a superuser): for everybody else it is a 404, as if it did not exist.
"""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.csv_export import csv_response
from accounts.pages import cache_public_page, visitor_or_person

from . import pdf, services, versions
from .models import AnnualReport, RenderedReport, ReportVersion
from .statistics import year_statistics

logger = logging.getLogger(__name__)

# Seconds a browser (or a script) should wait before asking again for a PDF being prepared.
PDF_RETRY_AFTER = 10


DRAFTS_PERMISSION = "reports.change_annualreport"


def may_see_drafts(who) -> bool:
    """The coordinator's right: `who` is a user or the facts kept of one (accounts.people.Person);
    an inactive user has no permission (Django's ModelBackend)."""
    return who.has_perm(DRAFTS_PERMISSION)


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
    """The published reports, from the page cache; the coordinator's list with the drafts is
    rendered for them. Who asks is known from the cache too (accounts/people.py)."""
    person = visitor_or_person(request)
    if person is not None and may_see_drafts(person):
        response = _report_list(request, drafts=AnnualReport.objects.filter(published=False))
        response["Cache-Control"] = "private, no-store"
        return response
    return _published_report_list(request)


@cache_public_page
def _published_report_list(request: HttpRequest) -> HttpResponse:
    return _report_list(request, drafts=[])


def _report_list(request: HttpRequest, drafts) -> HttpResponse:
    return render(
        request,
        "reports/report_list.html",
        {"reports": AnnualReport.objects.published(), "drafts": drafts},
    )


@require_safe
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    """A published report as its latest version stored it; a draft (and, for the coordinator,
    `?forhandsgranska`: what publishing now would give) with today's data."""
    report = _visible_report(request, year)
    preview = not report.published or (
        "forhandsgranska" in request.GET and may_see_drafts(request.user)
    )
    if preview:
        report.published = False  # shown as a draft: "Utkast" on the page
        article = pdf.render_article(report)
        context = pdf.report_page_context(report, article=article, title=report.title)
        response = render(request, pdf.TEMPLATE, context)
        response["Cache-Control"] = "private, no-store"
        return response
    version = versions.published_version(report)
    return _version_page(request, report, version, latest=True)


@require_safe
def version_detail(request: HttpRequest, year: int, number: int) -> HttpResponse:
    report = _visible_report(request, year)
    version = get_object_or_404(ReportVersion, report=report, number=number)
    latest = versions.latest_version(report)
    return _version_page(request, report, version, latest=version == latest)


def _version_page(request, report, version, *, latest: bool) -> HttpResponse:
    document = versions.version_document(version, get_language())
    context = pdf.report_page_context(report, article=document.html, title=version.data_title)
    context.update(
        version=version,
        latest=latest,
        versions=list(report.versions.order_by("-number").defer("data")),  # the list: no snapshots
        may_see_drafts=may_see_drafts(request.user),
        show_statistics_csv=version.statistics_rows(document.language) is not None,
        pdf_url=(
            reverse("reports:pdf", kwargs={"year": report.year})
            if latest
            else reverse(
                "reports:version_pdf", kwargs={"year": report.year, "number": version.number}
            )
        ),
    )
    response = render(request, pdf.TEMPLATE, context)
    return _private_if_draft(response, report)


@require_safe
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """A published report's PDF is its latest version's; a draft's is rendered from today's data."""
    report = _visible_report(request, year)
    if report.published:
        return _version_pdf(request, report, versions.published_version(report))
    return _draft_pdf(request, report)


@require_safe
def version_pdf(request: HttpRequest, year: int, number: int) -> HttpResponse:
    report = _visible_report(request, year)
    version = get_object_or_404(ReportVersion, report=report, number=number)
    return _private_if_draft(_version_pdf(request, report, version), report)


def _version_pdf(request, report: AnnualReport, version: ReportVersion) -> HttpResponse:
    """The version's PDF as the worker wrote it once; 202 until it is written."""
    document = versions.version_document(version, get_language())
    response = None
    if document.is_rendered:
        response = _file_response(document.file_name, report, document.rendered_at)
        if response is None:
            logger.error("The PDF %s of a published version is missing", document.file_name)
    else:
        versions.version_pdf_request(document=document)
        document.refresh_from_db()
        if document.is_rendered:  # a task backend that runs tasks at once (tests)
            response = _file_response(document.file_name, report, document.rendered_at)
    return response or _pdf_pending(request, report)


def _pdf_pending(request, report: AnnualReport) -> HttpResponse:
    response = render(request, "reports/pdf_pending.html", {"report": report}, status=202)
    response["Retry-After"] = str(PDF_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _draft_pdf(request: HttpRequest, report: AnnualReport) -> HttpResponse:
    """The PDF the worker rendered last (reports/pdf.py): never rendered here, never waited for.

    The file for what the report shows now, else the newest older one while the worker
    renders the new one (`X-Report-Pdf: stale`), else a 202 page that says it is being prepared.
    """
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
    response = (
        _file_response(rendered.file_name, report, rendered.rendered_at) if rendered else None
    )
    if response is None and rendered and rendered.fingerprint == fingerprint:
        # The storage lost the file (the PDF for an older fingerprint may just have been
        # deleted as superseded, and the current one is on its way anyway).
        logger.warning("The PDF %s is missing; it is rendered again", rendered.file_name)
        services.rendered_report_request(
            report=report, language=language, fingerprint=fingerprint, force=True
        )
    if response is None:
        response = _pdf_pending(request, report)
    elif rendered.fingerprint != fingerprint:
        response["X-Report-Pdf"] = "stale"
        response["Cache-Control"] = "no-cache"
    return _private_if_draft(response, report)


def _file_response(name: str, report: AnnualReport, written_at) -> FileResponse | None:
    try:
        file = pdf.pdf_storage().open(name)
    except OSError:
        return None
    response = FileResponse(file, content_type="application/pdf", filename=pdf.pdf_filename(report))
    response["Last-Modified"] = http_date(written_at.timestamp())
    return response


@require_safe
def statistics_csv(request: HttpRequest, year: int) -> HttpResponse:
    """Every figure of the report's statistics, one per line (see accounts.csv_export): of the
    published version for a published report, of today's data for a draft."""
    report = _visible_report(request, year)
    if report.published:
        version = versions.published_version(report)
        rows = version.statistics_rows(get_language())
        if rows is None:
            raise Http404
    elif report.show_statistics:
        rows = list(year_statistics(report.year).csv_rows())
    else:
        raise Http404
    response = csv_response(
        filename=f"statistik-{report.year}.csv",
        header=[_("År"), _("Tabell"), _("Rad"), _("Mått"), _("Antal")],
        rows=([report.year, table, row, measure, value] for table, row, measure, value in rows),
    )
    return _private_if_draft(response, report)
