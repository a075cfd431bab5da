from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import ALL, COORDINATOR, ENTERPRISE_STAFF


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Nätverket och företagen")

    # What each role may do here (accounts.roles.ensure_roles).
    role_permissions = {
        COORDINATOR: ALL,
        ENTERPRISE_STAFF: {
            "enterprise": ["view", "change"],
            "unit": ["view", "add", "change", "delete"],
            "legalentity": ["view"],
            "servicecategory": ["view"],
            "adaptation": ["view"],
        },
    }
    # Every model here is shown on the cached public pages or in the report, except these
    # (accounts.pages invalidates on every other one).
    not_on_public_pages = ["Inquiry"]
    # Run by the worker (background/schedule.py).
    scheduled_jobs = {"daily": ["enterprises.uploads.delete_unused_images"]}
