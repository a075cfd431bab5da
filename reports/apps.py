from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import ALL, COORDINATOR


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Strategi och årsrapporter")

    # What each role may do here (accounts.roles.ensure_roles).
    role_permissions = {COORDINATOR: ALL}
    # Every other model here is shown in the report or on the cached pages (accounts.pages
    # invalidates on a save of any of them); a rendered PDF is the report's output, not input.
    not_on_public_pages = ["RenderedReport"]
    # The worker renders the PDF of every published version (background/schedule.py runs the
    # job every minute; reports/versions.py).
    scheduled_jobs = {"every_tick": ["reports.jobs.render_changed_reports"]}

    def ready(self) -> None:
        # pydyf's page references, built once per page count (see reports/patches.py).
        from . import patches

        patches.apply()
