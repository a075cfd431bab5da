"""The reports' scheduled job (ReportsConfig.scheduled_jobs; the worker runs it every tick)."""

from __future__ import annotations

from . import versions


def render_changed_reports() -> int:
    """Freeze the reports published before versions existed and ask for every published
    version's PDF that is not written yet (reports/versions.py); returns how many renders were
    asked for. A draft's PDF is rendered when someone asks for it (reports/services.py).

    Cheap while nothing is missing: two queries.
    """
    return versions.versions_complete()
