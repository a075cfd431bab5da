"""Who is mailed about a new inquiry, in what words, and what happens when mail fails."""

from __future__ import annotations

import logging
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse

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
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}


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


def test_no_mail_leaves_before_the_inquiry_is_committed(
    network, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        inquiry_submit(
            topic="buy",
            name="Anna",
            email="anna@example.org",
            message="Hej",
            ip="192.0.2.1",
            base_url="https://asf.example.org/",
        )
        assert mailoutbox == []

    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 2
    inquiry = Inquiry.objects.get()
    assert (
        f"https://asf.example.org/admin/enterprises/inquiry/{inquiry.pk}/change/"
        in mail_to(mailoutbox, "samordnare@example.org").body
    )


# --- When mail fails ---------------------------------------------------------------------------


@pytest.mark.parametrize("mail_server", [UnreachableMailServer, RefusingMailServer])
def test_a_failing_mail_server_loses_nothing_and_the_sender_still_sees_the_receipt(
    post_contact, network, enterprise, settings, caplog, mail_server
):
    use_mail_server(settings, mail_server)

    with caplog.at_level(logging.ERROR, logger="enterprises.services"):
        response = post_contact(enterprise=enterprise.slug, follow=True)

    assert response.redirect_chain == [(reverse("enterprises:contact_done"), 302)]
    assert "Tack! Vi har tagit emot ditt meddelande." in response.text
    inquiry = Inquiry.objects.get()
    assert inquiry.message == "Vi vill beställa fika till ett möte för 20 personer."
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.notes.startswith("Automatisk anteckning: ")
    assert "E-post till samordnaren kunde inte skickas" in inquiry.notes
    assert "E-post till företaget kunde inte skickas" in inquiry.notes
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert errors
    assert all(record.exc_info for record in errors)


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
    notes = Inquiry.objects.get().notes
    assert "E-post till företaget kunde inte skickas" in notes
    assert "samordnaren" not in notes


def test_the_admin_shows_the_coordinator_that_mail_failed(
    post_contact, network, settings, coordinator_client
):
    use_mail_server(settings, RefusingMailServer)
    post_contact()

    page = coordinator_client.get(
        reverse("admin:enterprises_inquiry_change", args=[Inquiry.objects.get().pk])
    )

    assert "E-post till samordnaren kunde inte skickas" in page.text


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
