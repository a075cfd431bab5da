from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import ALL, CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Avtal och arbetsträning")

    # What each role may do here (accounts.roles.ensure_roles).
    role_permissions = {
        COORDINATOR: ALL,
        ENTERPRISE_STAFF: {
            "trainingplace": ["view", "add", "change", "delete"],
            "placement": ["view", "add", "change"],
            "placementrequest": ["view", "change"],
            "placementtype": ["view"],
            "agreement": ["view"],
        },
        CASE_OFFICER: {
            "trainingplace": ["view"],
            "placementrequest": ["view", "add"],
        },
    }
    # Every model here is shown on the cached public pages, the place browser's cached table or
    # in the report, except these (accounts.pages invalidates on every other one).
    not_on_public_pages = ["CaseOfficer", "PlaceReminder", "StalePlacesDigest"]
    # Run by the worker's schedule (background/schedule.py); each job is idempotent itself.
    scheduled_jobs = {
        "daily": [
            "placements.jobs.send_place_reminders",
            "placements.jobs.send_request_reminders",
            # The retention periods (also `manage.py purge_expired`).
            "placements.privacy.purge_expired",
        ],
        "weekly": ["placements.jobs.send_stale_places_digest"],
    }
