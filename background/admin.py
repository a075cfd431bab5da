from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from . import outbox
from .models import JobRun, OutboxMail, WorkerHeartbeat


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    """What the portal has mailed or tries to: the coordinator sees failed mail here."""

    list_display = ["subject", "recipients", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "body",
    ]
    readonly_fields = fields

    @admin.display(description=_("till"))
    def recipients(self, mail: OutboxMail) -> str:
        return ", ".join(mail.to)

    @admin.display(description=_("text"))
    def body(self, mail: OutboxMail) -> str:
        return mail.message.get("body", "")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Skicka igen"), permissions=["change"])
    def send_again(self, request, queryset) -> None:
        count = outbox.send_again(queryset)
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-postmeddelande skickas igen.",
                    "%(count)d e-postmeddelanden skickas igen.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Bara e-post som inte kunde skickas kan skickas igen."),
                messages.WARNING,
            )


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """When each scheduled job last ran, and how it ended."""

    list_display = ["job", "period", "started_at", "finished_at", "failed"]
    list_filter = ["job"]
    readonly_fields = ["job", "period", "started_at", "finished_at", "error"]

    @admin.display(description=_("misslyckades"), boolean=True)
    def failed(self, run: JobRun) -> bool:
        return bool(run.error)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """The workers that run now: each says it is alive every few seconds."""

    list_display = ["worker_id", "started_at", "seen_at"]
    readonly_fields = ["worker_id", "started_at", "seen_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# The queue's own rows are the worker's business, not the coordinator's: the outbox, the jobs
# and the workers above say what matters. Operators read the worker's log.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
