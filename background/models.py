"""The outbox of mail, and the record of which scheduled job ran for which day or week."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMail(models.Model):
    """One mail the portal sends, stored in the transaction of the change that causes it.

    The worker delivers it (background/outbox.py), retrying with back-off while the mail
    server fails; after the last try it stays here as failed until the coordinator sends it
    again from the admin. Sent mail is deleted after OUTBOX_KEEP_SENT_DAYS.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på att skickas")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Kunde inte skickas")

    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("skapat"), default=timezone.now, db_index=True)
    subject = models.CharField(_("ämne"), max_length=998)
    to = models.JSONField(_("till"), default=list)
    # Everything else of the message (sender, copies, reply-to, body, alternatives,
    # attachments): OutboxMail.from_message / as_message in background/outbox.py.
    message = models.JSONField(_("meddelandet"))
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    claimed_at = models.DateTimeField(_("hämtat av arbetaren"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return self.subject


class JobRun(models.Model):
    """A scheduled job has run for a period ("2026-12-04" for a daily job, "2026-W49" weekly).

    The unique pair makes the schedule run each job once per period, whatever number of
    workers or ticks there are.
    """

    job = models.CharField(_("jobb"), max_length=200)
    period = models.CharField(_("period"), max_length=20)
    started_at = models.DateTimeField(_("startade"), default=timezone.now)
    finished_at = models.DateTimeField(_("klart"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        verbose_name = _("schemalagt jobb")
        verbose_name_plural = _("schemalagda jobb")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="jobrun_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive every few seconds (background/worker.py).

    A task still marked as running by a worker that has stopped beating was cut off (the
    process was killed); the schedule puts it back in the queue.
    """

    worker_id = models.CharField(_("arbetare"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("startade"), default=timezone.now)
    seen_at = models.DateTimeField(_("senast sedd"), default=timezone.now)

    class Meta:
        verbose_name = _("arbetare")
        verbose_name_plural = _("arbetare")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.worker_id
