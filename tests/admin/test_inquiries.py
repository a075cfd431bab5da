"""What the public writes in the contact form is shown as text, and its status is moved."""

from __future__ import annotations

from enterprises.models import Inquiry
from tests import factories
from tests.admin.helpers import admin_url

MESSAGE = 'Hej! <script>alert("x")</script><b>Fet</b> & <a href="https://example.org">länk</a>'


def test_html_in_a_message_is_shown_as_text_in_the_list(coordinator_client):
    factories.InquiryFactory(message=MESSAGE)

    response = coordinator_client.get(admin_url(Inquiry))

    assert response.status_code == 200
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text
    assert "<script>alert" not in response.text
    assert "<b>Fet</b>" not in response.text


def test_html_in_a_message_is_shown_as_text_on_its_page(coordinator_client):
    inquiry = factories.InquiryFactory(message=MESSAGE)

    response = coordinator_client.get(admin_url(inquiry, "change"))

    assert response.status_code == 200
    assert "&lt;b&gt;Fet&lt;/b&gt; &amp; &lt;a href=&quot;https://example.org&quot;&gt;" in (
        response.text
    )
    assert "<script>alert" not in response.text
    assert "<b>Fet</b>" not in response.text


def test_what_the_sender_wrote_cannot_be_changed_but_the_status_and_notes_can(
    coordinator_client,
):
    inquiry = factories.InquiryFactory(message="Vi vill beställa fika.")
    data = {
        "message": "Ändrad text",
        "name": "Någon annan",
        "status": Inquiry.Status.IN_PROGRESS,
        "notes": "Ringde upp.",
    }

    response = coordinator_client.post(admin_url(inquiry, "change"), data)

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.message, inquiry.name) == ("Vi vill beställa fika.", "Testkund")
    assert (inquiry.status, inquiry.notes) == (Inquiry.Status.IN_PROGRESS, "Ringde upp.")


def test_marking_inquiries_as_answered_leaves_closed_ones_closed(coordinator_client):
    new = factories.InquiryFactory()
    in_progress = factories.InquiryFactory(status=Inquiry.Status.IN_PROGRESS)
    closed = factories.InquiryFactory(status=Inquiry.Status.CLOSED)

    response = coordinator_client.post(
        admin_url(Inquiry),
        {"action": "mark_answered", "_selected_action": [new.pk, in_progress.pk, closed.pk]},
        follow=True,
    )

    assert "2 förfrågningar markerades som besvarade." in response.text
    statuses = dict(Inquiry.objects.values_list("pk", "status"))
    assert statuses == {
        new.pk: Inquiry.Status.ANSWERED,
        in_progress.pk: Inquiry.Status.ANSWERED,
        closed.pk: Inquiry.Status.CLOSED,
    }


def test_an_inquiry_typed_in_without_email_or_phone_is_refused_at_the_email_field(
    coordinator_client,
):
    data = {"topic": Inquiry.Topic.BUY, "name": "Anna", "message": "Hej", "status": "new"}

    response = coordinator_client.post(admin_url(Inquiry, "add"), data)

    assert response.status_code == 200
    assert "Ange e-post eller telefonnummer så att vi kan svara." in response.text
    assert 'id="id_email_error"' in response.text
    assert not Inquiry.objects.exists()
