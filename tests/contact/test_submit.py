"""A message sent through the contact form is stored, then mailed to those who should see it."""

from __future__ import annotations

from django.urls import reverse

from enterprises.models import Inquiry
from tests.admin.helpers import admin_url

from .conftest import form_data


def test_a_message_is_stored_with_what_was_typed_and_the_sender_sees_a_receipt(
    post_contact, network, enterprise, category
):
    response = post_contact(
        topic="training",
        enterprise=enterprise.slug,
        service_category=category.slug,
        name="Bengt Berg",
        email="bengt@example.org",
        phone="070-123 45 67",
        message="Har ni en plats för arbetsträning i köket?",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:contact_done")
    inquiry = Inquiry.objects.get()
    assert (inquiry.topic, inquiry.enterprise, inquiry.service_category) == (
        Inquiry.Topic.TRAINING,
        enterprise,
        category,
    )
    assert (inquiry.name, inquiry.email, inquiry.phone) == (
        "Bengt Berg",
        "bengt@example.org",
        "070-123 45 67",
    )
    assert inquiry.message == "Har ni en plats för arbetsträning i köket?"
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.notes == ""


def test_the_receipt_says_when_we_answer_and_shows_the_network_phone_number(post_contact, network):
    response = post_contact(follow=True)

    assert response.redirect_chain == [(reverse("enterprises:contact_done"), 302)]
    assert response.status_code == 200
    assert "Tack! Vi har tagit emot ditt meddelande. Vi svarar inom två arbetsdagar." in (
        response.text
    )
    assert '<a href="tel:+46846500417">08-465 004 17</a>' in response.text


def test_a_phone_number_alone_is_enough(post_contact, network):
    response = post_contact(email="", phone="+46 (0)8-465 004 17")

    assert response.status_code == 302
    assert Inquiry.objects.get().phone == "+46 (0)8-465 004 17"


def test_control_characters_are_dropped_and_line_breaks_kept(post_contact, network):
    post_contact(name="Anna\x00 Andersson\x1b", message="Rad ett\r\nRad två\x07\n\tindrag")

    inquiry = Inquiry.objects.get()
    assert inquiry.name == "Anna Andersson"
    assert inquiry.message == "Rad ett\nRad två\n\tindrag"


def test_html_in_a_message_is_stored_as_typed_and_shown_as_text_in_the_admin(
    post_contact, network, coordinator_client
):
    message = 'Hej <script>alert("x")</script><b>Fet</b> & mer'
    post_contact(message=message)
    inquiry = Inquiry.objects.get()
    assert inquiry.message == message

    change_page = coordinator_client.get(admin_url(inquiry, "change"))
    changelist = coordinator_client.get(admin_url(Inquiry))

    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Fet&lt;/b&gt; &amp; mer"
    for page in (change_page, changelist):
        assert page.status_code == 200
        assert "Anna Andersson" in page.text
        assert escaped in page.text
        assert "<script>alert" not in page.text
        assert "<b>Fet</b>" not in page.text


def test_the_form_works_in_english_and_leads_to_the_english_receipt(post_contact, network):
    response = post_contact(url="/en/kontakt/")

    assert response.status_code == 302
    assert response["Location"] == "/en/kontakt/tack/"
    assert Inquiry.objects.count() == 1


def test_a_post_that_is_not_valid_stores_nothing(client, network):
    response = client.post(reverse("enterprises:contact"), form_data(name=""))

    assert response.status_code == 400
    assert not Inquiry.objects.exists()
