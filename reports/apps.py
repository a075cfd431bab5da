from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import ALL, COORDINATOR


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Strategi och årsrapporter")

    # What each role may do here (accounts.roles.ensure_roles).
    role_permissions = {COORDINATOR: ALL}
    # Every model here is shown in the report or on the cached pages (accounts.pages
    # invalidates on a save of any of them).
    not_on_public_pages: list[str] = []

    def ready(self) -> None:
        # pydyf's page references, built once per page count (see reports/patches.py).
        from . import patches

        patches.apply()
