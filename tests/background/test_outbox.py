"""The outbox: what the portal mails is stored, then delivered, retried, given up, sent again."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background import outbox
from background.models import OutboxMail

pytestmark = pytest.mark.django_db


class RefusingServer:
    """MAILERS["delivery"] for a mail server that answers and refuses everything."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(554, b"Transaction failed")


def refusing(settings):
    settings.MAILERS["delivery"] = {"BACKEND": f"{__name__}.RefusingServer"}


def test_a_mail_is_delivered_with_everything_it_had(mailoutbox):
    message = EmailMultiAlternatives(
        subject="Förfrågan om plats",
        body="Hej!\nEn ny förfrågan väntar.",
        from_email="ASF <noreply@example.org>",
        to=["staff@example.org"],
        cc=["kopia@example.org"],
        bcc=["dold@example.org"],
        reply_to=["svar@example.org"],
        headers={"X-Asfnet": "1"},
    )
    message.attach_alternative("<p>Hej!</p>", "text/html")
    message.attach("lista.csv", "Plats;Lediga\r\nKafé;2\r\n", "text/csv")

    assert message.send() == 1

    (delivered,) = mailoutbox
    assert delivered.subject == "Förfrågan om plats"
    assert delivered.body == "Hej!\nEn ny förfrågan väntar."
    assert delivered.from_email == "ASF <noreply@example.org>"
    assert (delivered.to, delivered.cc, delivered.bcc) == (
        ["staff@example.org"],
        ["kopia@example.org"],
        ["dold@example.org"],
    )
    assert delivered.reply_to == ["svar@example.org"]
    assert delivered.extra_headers["X-Asfnet"] == "1"
    assert delivered.alternatives[0][:2] == ("<p>Hej!</p>", "text/html")
    filename, content, mimetype = delivered.attachments[0]
    assert (filename, mimetype) == ("lista.csv", "text/csv")
    assert content == "Plats;Lediga\r\nKafé;2\r\n"
    assert OutboxMail.objects.get().status == OutboxMail.Status.SENT


def test_a_mail_without_recipients_is_not_stored(mailoutbox):
    assert EmailMessage(subject="Ingen", body="x", to=[]).send() == 0
    assert not OutboxMail.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions
def test_mail_whose_transaction_rolls_back_never_exists(database_queue, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        EmailMessage(subject="Ångras", body="x", to=["a@example.org"]).send()
        raise RuntimeError

    assert not OutboxMail.objects.exists()
    assert not DBTaskResult.objects.exists()
    call_command("worker", batch=True, verbosity=0)
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions
def test_the_web_only_stores_and_the_worker_delivers_exactly_once(database_queue, mailoutbox):
    EmailMessage(subject="Välkommen", body="x", to=["a@example.org"]).send()
    assert mailoutbox == []
    assert DBTaskResult.objects.filter(task_path="background.tasks.deliver_outbox").count() == 1

    call_command("worker", batch=True, verbosity=0)
    call_command("worker", batch=True, verbosity=0)
    outbox.deliver_due()

    assert [message.subject for message in mailoutbox] == ["Välkommen"]


def test_a_failing_server_is_retried_with_growing_pauses_then_given_up(
    settings, mailoutbox, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    refusing(settings)
    EmailMessage(subject="Svar", body="x", to=["a@example.org"]).send()
    row = OutboxMail.objects.get()
    pauses = []
    while row.status == OutboxMail.Status.PENDING:
        pauses.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
        # Not yet due: nothing is tried.
        assert outbox.deliver_due() == {"sent": 0, "failed": 0}
        time_machine.move_to(row.next_attempt_at, tick=False)
        outbox.deliver_due()
        row.refresh_from_db()

    assert pauses == outbox.RETRY_MINUTES
    assert row.status == OutboxMail.Status.FAILED
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert "SMTPDataError" in row.last_error
    assert mailoutbox == []


def test_sending_again_gives_a_failed_mail_a_new_round(settings, mailoutbox):
    refusing(settings)
    EmailMessage(subject="Igen", body="x", to=["a@example.org"]).send()
    OutboxMail.objects.update(status=OutboxMail.Status.FAILED, attempts=outbox.MAX_ATTEMPTS)
    settings.MAILERS["delivery"] = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}

    assert outbox.send_again(OutboxMail.objects.all()) == 1

    assert [message.subject for message in mailoutbox] == ["Igen"]
    row = OutboxMail.objects.get()
    assert (row.status, row.attempts) == (OutboxMail.Status.SENT, 0)
    # Only failed mail is sent again: a sent one is not sent twice.
    assert outbox.send_again(OutboxMail.objects.all()) == 0
    assert len(mailoutbox) == 1


def test_a_mail_claimed_by_a_worker_that_died_is_offered_again(mailoutbox, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    OutboxMail.objects.create(
        subject="Halvvägs",
        to=["a@example.org"],
        message=outbox.from_message(EmailMessage(subject="Halvvägs", to=["a@example.org"])).message,
        status=OutboxMail.Status.SENDING,
        claimed_at=timezone.now(),
    )
    assert outbox.release_abandoned() == 0, "a worker may still be sending it"
    time_machine.shift(outbox.CLAIM_TIMEOUT + datetime.timedelta(seconds=1))
    assert outbox.release_abandoned() == 1
    outbox.deliver_due()
    assert [message.subject for message in mailoutbox] == ["Halvvägs"]


def test_sent_mail_is_deleted_after_the_kept_days(settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.OUTBOX_KEEP_SENT_DAYS = 30
    EmailMessage(subject="Gammal", body="x", to=["a@example.org"]).send()
    EmailMessage(subject="Misslyckad", body="x", to=["b@example.org"]).send()
    OutboxMail.objects.filter(subject="Misslyckad").update(status=OutboxMail.Status.FAILED)

    time_machine.shift(datetime.timedelta(days=30, minutes=-1))
    assert outbox.prune_sent_mail() == 0
    time_machine.shift(datetime.timedelta(minutes=2))
    assert outbox.prune_sent_mail() == 1
    assert list(OutboxMail.objects.values_list("subject", flat=True)) == ["Misslyckad"]


def test_the_default_mailer_is_the_outbox_and_the_delivery_mailer_is_separate():
    assert isinstance(mailers.default, outbox.OutboxBackend)
    assert not isinstance(mailers[outbox.DELIVERY_MAILER], outbox.OutboxBackend)
