"""The contact form takes no personal identity numbers: refused, not stored, not shown again."""

from __future__ import annotations

import re

import pytest

from accounts.personal_data import personal_number_in
from enterprises.models import Inquiry

from .test_validation import field_errors

REFUSAL = (
    "Texten innehåller något som ser ut som ett personnummer eller samordningsnummer. "
    "Ta bort det: skriv aldrig personnummer här."
)


def test_a_message_with_a_personal_identity_number_is_refused_and_not_shown_again(
    post_contact, network, mailoutbox
):
    response = post_contact(message="Deltagaren 19850101-1234 vill ha lunch")

    assert response.status_code == 400
    assert field_errors(response, "message") == [REFUSAL]
    assert not Inquiry.objects.exists()
    assert mailoutbox == []
    assert "19850101-1234" not in response.text
    assert "1234" not in response.text.split('name="message"')[1].split("</textarea>")[0]
    # The rest of the message is kept, so nothing else has to be typed again.
    assert "vill ha lunch" in response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Anna 850101-1236"), ("phone", "19850101-1234"), ("phone", "850101 1236")],
)
def test_a_personal_identity_number_in_the_name_or_phone_field_is_refused_too(
    post_contact, network, mailoutbox, field, value
):
    response = post_contact(**{field: value})

    assert response.status_code == 400
    assert REFUSAL in field_errors(response, field)
    assert not Inquiry.objects.exists()
    assert mailoutbox == []
    assert value not in response.text
    shown = re.search(rf'<input [^>]*name="{field}"[^>]*>', response.text).group(0)
    assert value.split()[-1] not in shown


def test_a_phone_number_that_could_be_read_as_a_personal_number_is_a_phone_number(
    post_contact, network
):
    # In a text, 0701820003 reads as the coordination number of someone born 2007-01-22,
    # with a valid check digit; in the phone field it is a mobile number.
    phone = "0701820003"
    assert personal_number_in(phone) == phone

    response = post_contact(phone=phone)

    assert response.status_code == 302
    assert Inquiry.objects.get().phone == phone


def test_people_may_write_about_their_own_health(post_contact, network):
    message = "Jag har ADHD och är sjukskriven på halvtid. Har ni arbetsträning i köket?"

    response = post_contact(message=message)

    assert response.status_code == 302
    assert Inquiry.objects.get().message == message
