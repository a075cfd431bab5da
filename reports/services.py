"""Asking for a report's PDF and rendering it: the writes behind /rapporter/<year>.pdf.

Every door asks through `rendered_report_request` (the PDF view, the schedule's job in
reports/jobs.py, the admin action) and the worker's task renders through
`rendered_report_render`. See reports/pdf.py for how the pieces fit.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone, translation

from . import pdf
from .models import AnnualReport, RenderedReport

logger = logging.getLogger(__name__)

# A render asked for that is neither queued nor running (it failed, or its task was lost) is
# asked for again after this long, not at every request: a render that fails keeps failing.
RENDER_RETRY_AFTER = datetime.timedelta(minutes=5)


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@transaction.atomic
def rendered_report_request(
    *, report: AnnualReport, language: str, fingerprint: str, force: bool = False
) -> tuple[RenderedReport, bool]:
    """Ask the worker for the report's PDF in `language` as `fingerprint` describes it.

    Nothing is enqueued when the PDF exists (unless `force`: render it again, the file is
    served meanwhile) or when a render of it is queued or running. Returns the row and
    whether a render was enqueued. The row and the task are written in one transaction (the
    task queue is in the database): both exist, or neither.
    """
    rendered, created = RenderedReport.objects.select_for_update().get_or_create(
        report=report, language=language, fingerprint=fingerprint
    )
    if not created:
        if rendered.is_finished and not force:
            return rendered, False
        if rendered.render_requested and _render_on_its_way(rendered):
            return rendered, False
        rendered.requested_at = timezone.now()
        RenderedReport.objects.filter(pk=rendered.pk).update(requested_at=rendered.requested_at)
    from .tasks import render_report_pdf

    result = render_report_pdf.enqueue(rendered.pk)
    rendered.task_id = result.id
    RenderedReport.objects.filter(pk=rendered.pk).update(task_id=result.id)
    if result.is_finished:  # a task backend that runs tasks at once (the tests' Immediate)
        rendered.refresh_from_db()
    return rendered, True


def _render_on_its_way(rendered: RenderedReport) -> bool:
    """Whether the render asked for last is queued or running, or failed only a moment ago."""
    from .tasks import render_report_pdf

    return render_on_its_way(
        render_report_pdf, task_id=rendered.task_id, requested_at=rendered.requested_at
    )


def render_on_its_way(task, *, task_id: str, requested_at: datetime.datetime) -> bool:
    """Whether the render `task` was enqueued as `task_id` is queued or running, or was asked
    for less than RENDER_RETRY_AFTER ago (a render that failed is not asked for at once again).
    Shared by the drafts' PDFs here and the published versions' (reports/versions.py)."""
    if task_id and task.get_backend().supports_get_result:
        try:
            status = task.get_result(task_id).status
        except TaskResultDoesNotExist:  # pruned, or enqueued elsewhere
            status = None
        if status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            return True
    return requested_at > timezone.now() - RENDER_RETRY_AFTER


def report_pdfs_request(*, report: AnnualReport, force: bool = False) -> int:
    """Ask for the report's PDF in every language of the site whose current content has none
    (`force`: render them all again). Returns how many renders were enqueued."""
    enqueued = 0
    for language in site_languages():
        with translation.override(language):
            # The coordinator who forces a render has just edited: no fingerprint from the cache.
            fingerprint = (pdf.report_fingerprint if force else pdf.current_fingerprint)(report)
        if not force and (
            RenderedReport.objects.of(report, language)
            .finished()
            .filter(fingerprint=fingerprint)
            .exists()
        ):
            continue
        _rendered, asked = rendered_report_request(
            report=report, language=language, fingerprint=fingerprint, force=force
        )
        enqueued += asked
    return enqueued


def rendered_report_render(*, rendered_id: int) -> str:
    """Render the PDF of a RenderedReport, store its file and delete what it supersedes.

    Runs in the worker, outside any transaction for the seconds WeasyPrint takes. The PDF
    shows the data of when the render began (`rendered_at`), which is at least as recent as the
    fingerprint the row was asked for.
    """
    rendered = RenderedReport.objects.select_related("report").filter(pk=rendered_id).first()
    if rendered is None:
        return "gone"  # its report was deleted
    if not rendered.render_requested:
        return "already rendered"
    started_at = timezone.now()
    with translation.override(rendered.language):
        result = pdf.render_pdf(rendered.report)
    storage = pdf.pdf_storage()
    # A new name for every render: whoever is reading the previous file keeps reading it.
    name = storage.save(_file_name(rendered), ContentFile(result.content))
    written = RenderedReport.objects.filter(pk=rendered.pk).update(
        file_name=name, pages=result.pages, size=len(result.content), rendered_at=started_at
    )
    if not written:  # the report was deleted meanwhile
        storage.delete(name)
        return "gone"
    if rendered.file_name and rendered.file_name != name:
        storage.delete(rendered.file_name)
    pruned = rendered_report_prune(report=rendered.report, language=rendered.language)
    logger.info(
        "Rendered the %s PDF of the %s report (%d pages, %d kB) in %.1f s",
        rendered.language,
        rendered.report.year,
        result.pages,
        len(result.content) // 1024,
        (timezone.now() - started_at).total_seconds(),
    )
    return f"rendered {name}, {pruned} superseded deleted"


def _file_name(rendered: RenderedReport) -> str:
    report = rendered.report
    return f"{report.year}/iop-rapport-{report.year}-{rendered.language}-{rendered.fingerprint}.pdf"


def rendered_report_prune(*, report: AnnualReport, language: str) -> int:
    """Delete the PDFs of the report in `language` but the newest finished one, files first."""
    finished = (
        RenderedReport.objects.of(report, language).finished().order_by("-rendered_at", "-pk")
    )
    superseded = list(finished[1:])
    storage = pdf.pdf_storage()
    for old in superseded:
        try:
            storage.delete(old.file_name)
        except OSError:
            logger.warning("Could not delete the superseded PDF %s", old.file_name, exc_info=True)
    RenderedReport.objects.filter(pk__in=[old.pk for old in superseded]).delete()
    return len(superseded)
