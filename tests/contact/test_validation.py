"""Every mistake in the form gets a Swedish message at its field, and nothing is lost."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from enterprises.models import Inquiry

from .conftest import form_data

NEITHER = "Ange e-post eller telefonnummer så att vi kan svara."


def post(client, **fields):
    return client.post(reverse("enterprises:contact"), form_data(**fields))


def field_errors(response, field: str) -> list[str]:
    """The messages shown at a field (in its error paragraph, which the input points to)."""
    match = re.search(
        rf'<p class="error-message" id="id_{field}_error">(.*?)</p>', response.text, re.S
    )
    if not match:
        return []
    return [
        re.sub(r"[ \n]+", " ", part).strip()  # the no-break spaces in "5 000" stay
        for part in re.split(
            r"<br>", match.group(1).replace('<span class="visually-hidden">Fel:</span>', "")
        )
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"topic": ""}, "topic", "Välj vad ditt meddelande gäller."),
        ({"topic": "lottery"}, "topic", "Välj vad ditt meddelande gäller."),
        ({"name": "   "}, "name", "Skriv ditt namn."),
        ({"name": "Å" * 151}, "name", "Namnet får vara högst 150 tecken; nu är det 151."),
        ({"message": ""}, "message", "Skriv ditt meddelande."),
        (
            {"message": "x" * 6012},
            "message",
            "Meddelandet får vara högst 5\xa0000 tecken; nu är det 6\xa0012.",
        ),
        ({"email": "", "phone": ""}, "email", NEITHER),
        (
            {"email": "anna.example.org"},
            "email",
            "Skriv e-postadressen i rätt format, till exempel namn@exempel.se.",
        ),
        (
            {"email": "", "phone": "08-ABC 123"},
            "phone",
            "Telefonnumret får bara innehålla siffror, mellanslag, +, - och parenteser, "
            "till exempel 08-123 456 78.",
        ),
        (
            {"phone": "123 45"},
            "phone",
            "Telefonnumret ska ha mellan 6 och 20 siffror; nu har det 5.",
        ),
        (
            {"phone": "1" * 21},
            "phone",
            "Telefonnumret ska ha mellan 6 och 20 siffror; nu har det 21.",
        ),
        ({"enterprise": "finns-inte"}, "enterprise", "Välj ett av företagen i listan."),
        ({"service_category": "finns-inte"}, "service_category", "Välj en av tjänsterna i listan."),
    ],
)
def test_a_mistake_gets_its_swedish_message_and_nothing_is_stored(
    client, network, fields, field, message
):
    response = post(client, **fields)

    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    assert not Inquiry.objects.exists()


def test_the_error_summary_links_to_each_field_with_a_mistake(client, network):
    response = post(client, topic="", name="", email="fel")

    assert '<div class="error-summary" role="alert"' in response.text
    assert "Det finns ett problem" in response.text
    summary = response.text.split('<ul class="error-summary__list">')[1].split("</ul>")[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_topic_0", "Välj vad ditt meddelande gäller."),
        ("id_name", "Skriv ditt namn."),
        ("id_email", "Skriv e-postadressen i rätt format, till exempel namn@exempel.se."),
    ]
    assert "<title>Fel: Kontakta oss" in response.text


def test_a_field_with_a_mistake_points_to_its_message(client, network):
    response = post(client, name="", message="")

    assert (
        '<input type="text" name="name" autocomplete="name" spellcheck="false" required '
        'aria-invalid="true" aria-describedby="id_name_error" id="id_name">'
    ) in response.text
    # The message field has help text too: both are read out.
    assert 'aria-describedby="id_message_helptext id_message_error"' in response.text
    # The radio buttons' fieldset carries the description, each button says it is invalid.
    topic_response = post(client, topic="")
    assert '<fieldset class="fieldset" aria-describedby="id_topic_error">' in topic_response.text
    assert topic_response.text.count('name="topic"') == 4
    assert topic_response.text.count('aria-invalid="true"') == 4


def test_everything_typed_is_kept_when_the_form_comes_back(client, network, enterprise, category):
    response = post(
        client,
        topic="training",
        enterprise=enterprise.slug,
        service_category=category.slug,
        name="Bengt <Berg>",
        email="bengt@example.org",
        phone="08-ABC",
        message='Rad ett\n</textarea><script>alert("x")</script>',
    )

    assert response.status_code == 400
    assert 'value="training" id="id_topic_1" required aria-invalid' not in response.text
    assert re.search(
        r'<input type="radio" name="topic" value="training"[^>]*checked>', response.text
    )
    assert f'<option value="{enterprise.slug}" selected>' in response.text
    assert f'<option value="{category.slug}" selected>' in response.text
    assert 'value="Bengt &lt;Berg&gt;"' in response.text
    assert 'value="bengt@example.org"' in response.text
    assert 'value="08-ABC"' in response.text
    assert (
        "Rad ett\n&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</textarea>"
        in (response.text)
    )
    assert "<script>alert" not in response.text


def test_a_mistyped_email_gets_one_message_not_two(client, network):
    response = post(client, email="anna@", phone="")

    assert field_errors(response, "email") == [
        "Skriv e-postadressen i rätt format, till exempel namn@exempel.se."
    ]
    assert NEITHER not in response.text


def test_a_mistyped_phone_does_not_also_ask_for_an_email(client, network):
    response = post(client, email="", phone="ring mig")

    assert field_errors(response, "email") == []
    assert NEITHER not in response.text


def test_control_characters_do_not_count_towards_the_length(client, network):
    response = post(client, name="\x07" * 10 + "A" * 150)

    assert response.status_code == 302
    assert Inquiry.objects.get().name == "A" * 150
