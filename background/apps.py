from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import ALL, COORDINATOR


class BackgroundConfig(AppConfig):
    """Work done off the web: the task queue's worker, the mail outbox and the schedule.

    Below every app of the network (it imports only `accounts`): apps hand it their mail
    through Django's mail API and their periodic jobs through `scheduled_jobs`.
    """

    name = "background"
    verbose_name = _("Bakgrundsarbete")
    role_permissions = {COORDINATOR: ALL}
    # Nothing of the worker's bookkeeping shows on the public pages or in the report.
    not_on_public_pages = ["OutboxMail", "JobRun", "WorkerHeartbeat"]
    # The schedule's own housekeeping (background/schedule.py runs these like any app's).
    scheduled_jobs = {
        "daily": [
            "background.schedule.prune_finished_tasks",
            "background.outbox.prune_sent_mail",
        ],
    }

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check
