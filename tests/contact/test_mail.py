"""Who is mailed about a new inquiry, in what words, and what happens when mail fails."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from background.models import OutboxMail
from background.outbox import MAX_ATTEMPTS, RETRY_MINUTES, deliver_due
from enterprises.models import Inquiry
from enterprises.services import inquiry_submit
from tests import factories


class UnreachableMailServer(BaseEmailBackend):
    """A mail server that is down: it cannot even be connected to."""

    def open(self):
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    def send_messages(self, email_messages):
        self.open()


class RefusingMailServer(BaseEmailBackend):
    """A mail server that answers but refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, b"Transaction failed")


class EnterpriseRefusingMailServer(LocmemBackend):
    """Delivers to the outbox, except to the enterprise's address."""

    def send_messages(self, messages):
        for message in messages:
            if "info@varmekallan.example" in message.recipients():
                raise smtplib.SMTPRecipientsRefused({"info@varmekallan.example": (550, b"No")})
        return super().send_messages(messages)


def use_mail_server(settings, backend: type) -> None:
    """The worker delivers the outbox through this mail server (MAILERS["delivery"])."""
    settings.MAILERS["delivery"] = {"BACKEND": f"{__name__}.{backend.__name__}"}


def mail_to(mailoutbox, address: str):
    (mail,) = [mail for mail in mailoutbox if address in mail.to]
    return mail


# --- Who gets what ---------------------------------------------------------------------------


def test_the_coordinator_gets_the_message_in_swedish_with_a_link_to_it_in_the_admin(
    post_contact, network, enterprise, category, mailoutbox, coordinator_client
):
    post_contact(
        topic="buy", enterprise=enterprise.slug, service_category=category.slug, phone="08-12 34 56"
    )

    inquiry = Inquiry.objects.get()
    mail = mail_to(mailoutbox, "samordnare@example.org")
    assert mail.subject == "Nytt meddelande via kontaktformuläret: Köpa en vara eller tjänst"
    assert mail.reply_to == ["anna@example.org"]
    assert "Ärende: Köpa en vara eller tjänst" in mail.body
    assert "Företag: Värmekällan i Väsby" in mail.body
    assert "Tjänst: Café och catering" in mail.body
    assert "Namn: Anna Andersson" in mail.body
    assert "E-post: anna@example.org" in mail.body
    assert "Telefon: 08-12 34 56" in mail.body
    assert "Vi vill beställa fika till ett möte för 20 personer." in mail.body
    link = f"http://testserver/admin/enterprises/inquiry/{inquiry.pk}/change/"
    assert link in mail.body
    assert coordinator_client.get(link.removeprefix("http://testserver")).status_code == 200


def test_mail_is_plain_text_with_what_was_typed_left_as_it_is(post_contact, network, mailoutbox):
    post_contact(name="Ek & Ask <AB>", message='<b>Hej</b> "alla" & ingen')

    mail = mail_to(mailoutbox, "samordnare@example.org")
    assert mail.content_subtype == "plain"
    assert "Namn: Ek & Ask <AB>" in mail.body
    assert '<b>Hej</b> "alla" & ingen' in mail.body
    assert "&amp;" not in mail.body


def test_the_chosen_enterprise_gets_the_message_so_it_can_answer_directly(
    post_contact, network, enterprise, mailoutbox
):
    post_contact(topic="training", enterprise=enterprise.slug)

    mail = mail_to(mailoutbox, "info@varmekallan.example")
    assert mail.subject == "Nytt meddelande via ASF-nätverket: Arbetsträning eller praktikplats"
    assert mail.reply_to == ["anna@example.org"]
    assert "Ärende: Arbetsträning eller praktikplats" in mail.body
    assert "Vi vill beställa fika till ett möte för 20 personer." in mail.body
    assert "Nätverkets samordnare har fått samma meddelande" in mail.body
    # Enterprise staff have no access to inquiries in the admin: no link that leads nowhere.
    assert "/admin/" not in mail.body


def test_the_sender_gets_a_short_receipt_that_repeats_nothing_they_wrote(
    post_contact, network, mailoutbox
):
    post_contact(name="Köp billigt på spam.example", message="Besök http://spam.example nu")

    receipt = mail_to(mailoutbox, "anna@example.org")
    assert receipt.subject == "Vi har tagit emot ditt meddelande"
    assert "svarar inom två arbetsdagar" in receipt.body
    assert "Ärende: Köpa en vara eller tjänst" in receipt.body
    assert "08-465 004 17" in receipt.body
    assert receipt.reply_to == ["info@example.org"]
    assert "spam.example" not in receipt.body
    assert "Köp billigt" not in receipt.body


def test_three_mails_when_an_enterprise_is_chosen_and_one_when_only_a_phone_is_given(
    post_contact, network, enterprise, mailoutbox
):
    post_contact(enterprise=enterprise.slug)
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "anna@example.org",
        "info@varmekallan.example",
        "samordnare@example.org",
    ]

    mailoutbox.clear()
    post_contact(email="", phone="08-12 34 56")
    assert [mail.to for mail in mailoutbox] == [["samordnare@example.org"]]
    assert mailoutbox[0].reply_to == []


def test_an_enterprise_without_an_address_is_not_mailed(post_contact, network, mailoutbox):
    without_address = factories.EnterpriseFactory(email="")

    post_contact(enterprise=without_address.slug)

    assert Inquiry.objects.get().enterprise == without_address
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "anna@example.org",
        "samordnare@example.org",
    ]


def test_without_a_coordinator_address_the_network_address_is_used(
    post_contact, network, mailoutbox
):
    network.coordinator_email = ""
    network.save()

    post_contact()

    assert mail_to(mailoutbox, "info@example.org").subject.startswith("Nytt meddelande")


def test_the_network_writes_in_swedish_even_when_the_sender_used_the_english_page(
    post_contact, network, mailoutbox
):
    post_contact(url="/en/kontakt/")

    coordinator_mail = mail_to(mailoutbox, "samordnare@example.org")
    assert coordinator_mail.subject == (
        "Nytt meddelande via kontaktformuläret: Köpa en vara eller tjänst"
    )
    assert "Ett nytt meddelande har kommit in via kontaktformuläret." in coordinator_mail.body


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions
def test_the_mails_exist_exactly_when_the_inquiry_does(network, settings, mailoutbox):
    # The real queue (database backend): the mails and the task that sends them are rows
    # in the inquiry's transaction, and only the worker sends them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    submit = {
        "topic": "buy",
        "name": "Anna",
        "email": "anna@example.org",
        "message": "Hej",
        "ip": "192.0.2.1",
        "base_url": "https://asf.example.org/",
    }
    with pytest.raises(RuntimeError), transaction.atomic():
        inquiry_submit(**submit)
        raise RuntimeError("a later step of the same transaction fails")
    assert not Inquiry.objects.exists()
    assert not OutboxMail.objects.exists()

    inquiry = inquiry_submit(**submit)
    assert OutboxMail.objects.filter(status=OutboxMail.Status.PENDING).count() == 2
    assert mailoutbox == [], "the web request sends nothing itself"

    call_command("worker", batch=True, verbosity=0)

    assert len(mailoutbox) == 2
    assert (
        f"https://asf.example.org/admin/enterprises/inquiry/{inquiry.pk}/change/"
        in mail_to(mailoutbox, "samordnare@example.org").body
    )
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {OutboxMail.Status.SENT}


# --- When mail fails ---------------------------------------------------------------------------


@pytest.mark.parametrize("mail_server", [UnreachableMailServer, RefusingMailServer])
def test_a_failing_mail_server_loses_nothing_and_the_sender_still_sees_the_receipt(
    post_contact, network, enterprise, settings, mail_server
):
    use_mail_server(settings, mail_server)

    response = post_contact(enterprise=enterprise.slug, follow=True)

    assert response.redirect_chain == [(reverse("enterprises:contact_done"), 302)]
    assert "Tack! Vi har tagit emot ditt meddelande." in response.text
    inquiry = Inquiry.objects.get()
    assert inquiry.message == "Vi vill beställa fika till ett möte för 20 personer."
    assert inquiry.status == Inquiry.Status.NEW
    waiting = OutboxMail.objects.all()
    assert sorted(mail.to[0] for mail in waiting) == [
        "anna@example.org",
        "info@varmekallan.example",
        "samordnare@example.org",
    ]
    for mail in waiting:
        assert mail.status == OutboxMail.Status.PENDING
        assert mail.attempts == 1
        assert mail.last_error
        assert mail.next_attempt_at > timezone.now()


def test_a_refused_enterprise_address_does_not_stop_the_other_mails(
    post_contact, network, enterprise, settings, mailoutbox
):
    use_mail_server(settings, EnterpriseRefusingMailServer)

    response = post_contact(enterprise=enterprise.slug)

    assert response.status_code == 302
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "anna@example.org",
        "samordnare@example.org",
    ]
    (refused,) = OutboxMail.objects.exclude(status=OutboxMail.Status.SENT)
    assert refused.to == ["info@varmekallan.example"]
    assert "SMTPRecipientsRefused" in refused.last_error


def test_the_coordinator_sees_mail_that_could_not_be_sent_and_sends_it_again(
    post_contact, network, settings, coordinator_client, mailoutbox, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    use_mail_server(settings, RefusingMailServer)
    post_contact()
    for minutes in RETRY_MINUTES:  # every retry fails too
        time_machine.shift(datetime.timedelta(minutes=minutes))
        deliver_due()
    assert OutboxMail.objects.filter(status=OutboxMail.Status.FAILED).count() == 2
    assert OutboxMail.objects.get(to=["samordnare@example.org"]).attempts == MAX_ATTEMPTS

    page = coordinator_client.get(reverse("admin:background_outboxmail_changelist"))
    assert "Nytt meddelande via kontaktformuläret" in page.text
    assert "Kunde inte skickas" in page.text

    settings.MAILERS["delivery"] = {  # the mail server is back
        "BACKEND": "django.core.mail.backends.locmem.EmailBackend"
    }
    page = coordinator_client.post(
        reverse("admin:background_outboxmail_changelist"),
        {
            "action": "send_again",
            "_selected_action": list(OutboxMail.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "2 e-postmeddelanden skickas igen." in page.text
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "anna@example.org",
        "samordnare@example.org",
    ]
    assert not OutboxMail.objects.exclude(status=OutboxMail.Status.SENT).exists()


def test_without_any_coordinator_address_the_inquiry_is_kept_with_a_note(
    post_contact, network, mailoutbox
):
    network.coordinator_email = ""
    network.email = ""
    network.save()

    response = post_contact()

    assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["anna@example.org"]]
    assert "ingen adress till samordnaren" in Inquiry.objects.get().notes
