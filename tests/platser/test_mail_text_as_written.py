"""Mail is plain text: names with &, < and > arrive as written, never as HTML entities."""

from __future__ import annotations

from django.urls import reverse

from placements import services

TITLE = "Café & bageri <Väsby>"


def test_a_decision_mail_names_the_place_as_written(
    staff_a, pending_request, mailoutbox, django_capture_on_commit_callbacks
):
    pending_request.place.title = TITLE
    pending_request.place.save()

    services.placement_request_waitlist(request=pending_request, by=staff_a)

    (mail,) = mailoutbox
    assert TITLE in mail.subject
    assert "&amp;" not in mail.subject and "&lt;" not in mail.subject
    assert "&amp;" not in mail.body and "&lt;" not in mail.body


def test_the_contact_form_mail_keeps_the_senders_words(client, network, mailoutbox):
    client.post(
        reverse("enterprises:contact"),
        {
            "topic": "buy",
            "name": "Anna & Co <AB>",
            "email": "anna@example.org",
            "message": "Fika för 20 & lunch <vegetarisk>",
        },
        REMOTE_ADDR="192.0.2.50",
    )
    coordinator_mail = next(m for m in mailoutbox if "anna@example.org" not in m.to)
    assert "Anna & Co <AB>" in coordinator_mail.body
    assert "Fika för 20 & lunch <vegetarisk>" in coordinator_mail.body
