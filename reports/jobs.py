"""The reports' scheduled job (ReportsConfig.scheduled_jobs; the worker runs it every tick)."""

from __future__ import annotations

from . import services
from .models import AnnualReport


def render_changed_reports() -> int:
    """Ask for the PDF of every published report whose content has changed since its last
    render, in every language of the site; returns how many renders were enqueued.

    Cheap while nothing changed: the fingerprints come from the cache, and one query per
    report and language finds their PDFs.
    """
    return sum(
        services.report_pdfs_request(report=report) for report in AnnualReport.objects.published()
    )
