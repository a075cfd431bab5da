"""The mail outbox: every mail the portal sends is a row first, and the worker delivers it.

`MAILERS["default"]` is `OutboxBackend`: Django's mail API (send_mail, EmailMessage.send,
allauth's mails, mail_admins) stores each message in the current database transaction, so the
mail exists exactly when the change that causes it does, and a transaction that rolls back
takes its mail with it. `MAILERS["delivery"]` is the real mail server (SMTP in production,
the console under `make run`); only the worker talks to it (`deliver_due`).
"""

from __future__ import annotations

import base64
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from .models import OutboxMail

logger = logging.getLogger(__name__)

DELIVERY_MAILER = "delivery"
# Minutes to wait after the 1st, 2nd, ... failed try (settings.OUTBOX_RETRY_MINUTES). After
# the last one the mail is FAILED: shown to the coordinator in the admin, who can send it
# again. About 4.5 hours in all by default.
RETRY_MINUTES = [1, 5, 15, 60, 180]
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1


def retry_minutes() -> list[float]:
    return list(getattr(settings, "OUTBOX_RETRY_MINUTES", RETRY_MINUTES))


# A mail claimed by a worker that then died is offered again after this long.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
DELIVERY_BATCH = 100


class OutboxBackend(BaseEmailBackend):
    """Stores the messages in the outbox and asks the worker to deliver them."""

    def send_messages(self, email_messages) -> int:
        rows = [from_message(message) for message in email_messages if message.recipients()]
        if not rows:
            return 0
        # A failure here (the database is away) is the caller's: the change that caused the
        # mail cannot have been saved either.
        with transaction.atomic():
            OutboxMail.objects.bulk_create(rows)
            _ask_for_delivery()
        return len(rows)


def _ask_for_delivery() -> None:
    """Enqueue a delivery, unless one is already waiting (it will take this mail too).

    With the database backend the task is a row in the same transaction as the mail: the
    worker sees both once they are committed, and neither if the transaction rolls back.
    Should a delivery ever miss a mail (the waiting task started just before this commit),
    the schedule's tick delivers it within TICK_SECONDS.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import deliver_outbox

    if isinstance(deliver_outbox.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.ready().filter(task_path=deliver_outbox.module_path)
        if waiting.exists():
            return
    deliver_outbox.enqueue()


# --- A message as a row and back ------------------------------------------------------------


def from_message(message) -> OutboxMail:
    """An OutboxMail for an EmailMessage (or EmailMultiAlternatives), not yet saved."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment  # MIME parts are not used by the portal
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode(), mimetype])
    return OutboxMail(
        subject=str(message.subject)[:998],
        to=list(message.to),
        message={
            "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "reply_to": list(message.reply_to),
            "headers": dict(message.extra_headers),
            "body": str(message.body),
            "alternatives": [
                [str(content), mimetype]
                for content, mimetype in getattr(message, "alternatives", [])
            ],
            "attachments": attachments,
        },
    )


def as_message(mail: OutboxMail) -> EmailMultiAlternatives:
    data = mail.message
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=data["body"],
        from_email=data["from_email"],
        to=mail.to,
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


# --- Delivery (the worker) ------------------------------------------------------------------


def deliver_all_due() -> dict[str, int]:
    """Deliver batch after batch until nothing is due (the delivery task); then make sure a
    delivery waits for the next retry, so a retry comes when it is due, not at a later tick."""
    total = {"sent": 0, "failed": 0}
    while True:
        done = deliver_due()
        total = {key: total[key] + done[key] for key in total}
        if done["sent"] + done["failed"] < DELIVERY_BATCH or done["failed"]:
            break
    _schedule_next_retry()
    return total


def _schedule_next_retry() -> None:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import deliver_outbox

    if not isinstance(deliver_outbox.get_backend(), DatabaseBackend):
        return
    next_retry = (
        OutboxMail.objects.filter(status=OutboxMail.Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if next_retry is None:
        return
    waiting = DBTaskResult.objects.filter(
        task_path=deliver_outbox.module_path, status="READY", run_after__lte=next_retry
    )
    if not waiting.exists():
        deliver_outbox.using(run_after=next_retry).enqueue()


def deliver_due(*, limit: int = DELIVERY_BATCH) -> dict[str, int]:
    """Send the mails that are due, over one connection; return how many went and failed.

    Each mail is claimed first (SENDING, in its own short transaction, skipping rows another
    worker holds), so two workers never send the same mail.
    """
    now = timezone.now()
    with transaction.atomic():
        due = (
            OutboxMail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMail.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        ids = list(due)
        OutboxMail.objects.filter(pk__in=ids).update(
            status=OutboxMail.Status.SENDING, claimed_at=now
        )
    if not ids:
        return {"sent": 0, "failed": 0}
    mails = list(OutboxMail.objects.filter(pk__in=ids).order_by("next_attempt_at", "pk"))
    try:
        connection = mailers[DELIVERY_MAILER]
        connection.open()
    except Exception as error:
        logger.warning("The mail server did not answer; %d mails wait: %r", len(mails), error)
        for mail in mails:
            _failed(mail, error)
        return {"sent": 0, "failed": len(mails)}
    sent = failed = 0
    try:
        for mail in mails:
            try:
                connection.send_messages([as_message(mail)])
            except Exception as error:
                logger.warning("Mail %s could not be sent: %r", mail.pk, error)
                _failed(mail, error)
                failed += 1
            else:
                OutboxMail.objects.filter(pk=mail.pk).update(
                    status=OutboxMail.Status.SENT, sent_at=timezone.now(), last_error=""
                )
                sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("The mail connection could not be closed cleanly")
    return {"sent": sent, "failed": failed}


def _failed(mail: OutboxMail, error: Exception) -> None:
    attempts = mail.attempts + 1
    delays = retry_minutes()
    if attempts > len(delays):
        status, next_attempt_at = OutboxMail.Status.FAILED, timezone.now()
        logger.error("Mail %s given up after %d tries: %r", mail.pk, attempts, error)
    else:
        status = OutboxMail.Status.PENDING
        next_attempt_at = timezone.now() + datetime.timedelta(minutes=delays[attempts - 1])
    OutboxMail.objects.filter(pk=mail.pk).update(
        status=status,
        attempts=attempts,
        next_attempt_at=next_attempt_at,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        claimed_at=None,
    )


def due_count() -> int:
    return OutboxMail.objects.filter(
        status=OutboxMail.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).count()


def release_abandoned() -> int:
    """Offer again the mails a worker claimed and never finished (it was killed)."""
    return OutboxMail.objects.filter(
        status=OutboxMail.Status.SENDING, claimed_at__lt=timezone.now() - CLAIM_TIMEOUT
    ).update(status=OutboxMail.Status.PENDING, claimed_at=None)


def send_again(queryset) -> int:
    """The coordinator's "send again": failed mails get a fresh round of tries."""
    with transaction.atomic():
        count = queryset.filter(status=OutboxMail.Status.FAILED).update(
            status=OutboxMail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        if count:
            _ask_for_delivery()
    return count


def prune_sent_mail() -> int:
    """Delete sent mail older than OUTBOX_KEEP_SENT_DAYS: the outbox is no archive."""
    days = getattr(settings, "OUTBOX_KEEP_SENT_DAYS", 30)
    deleted, _by_model = OutboxMail.objects.filter(
        status=OutboxMail.Status.SENT, sent_at__lt=timezone.now() - datetime.timedelta(days=days)
    ).delete()
    return deleted
