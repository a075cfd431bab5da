"""The reports' background task: rendering a PDF (enqueued by reports.services)."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def render_report_pdf(rendered_id: int) -> str:
    """Render the PDF a RenderedReport row asks for, and store it (seconds, in the worker)."""
    return services.rendered_report_render(rendered_id=rendered_id)


@task()
def render_version_pdf(document_id: int) -> str:
    """Render the PDF of a published version's document, once (reports/versions.py)."""
    from . import versions

    return versions.version_pdf_render(document_id=document_id)
