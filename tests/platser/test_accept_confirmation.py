"""Accepting asks first: "Anta förfrågan" shows what it does, only "Ja, anta" accepts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html

from background.models import OutboxMail
from placements.models import Placement, PlacementRequest, TrainingPlace

pytestmark = pytest.mark.django_db


def url(name: str, request: PlacementRequest) -> str:
    return reverse(f"placements:{name}", args=[request.pk])


def free_seats(place) -> int:
    return TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats


def assert_nothing_accepted(pending_request: PlacementRequest) -> None:
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert pending_request.decided_by is None
    assert not Placement.objects.exists()
    assert free_seats(pending_request.place) == 2
    assert not OutboxMail.objects.exists()


def test_each_answer_has_its_own_section_with_its_explanation_under_its_button(
    staff_a_client, pending_request
):
    page = html.fromstring(staff_a_client.get(url("decision", pending_request)).text)

    sections = page.xpath('//section[@class="decision-choice"]')
    assert [section.find(".//h3").text_content() for section in sections] == [
        "Anta",
        "Väntelista",
        "Avböj",
    ]
    for section in sections:
        (button,) = section.findall(".//button")
        hint = section.find('.//p[@class="decision-choice__hint"]')
        # The explanation follows the button's form, and the button names it as its description.
        assert button.getparent().getnext() is hint
        assert button.get("aria-describedby") == hint.get("id")
    assert "Du får bekräfta innan något sparas." in sections[0].text_content()


def test_anta_asks_first_and_changes_nothing(staff_a_client, pending_request):
    response = staff_a_client.post(url("accept", pending_request))

    assert response.status_code == 200
    page = html.fromstring(response.text)
    (question,) = page.xpath('//section[@class="decision-confirm"]')
    assert question.find(".//h2").text_content() == "Anta AF-0042 till Snickeri och måleri?"
    assert "Det skapar en placering och minskar de lediga platserna med en." in (
        question.text_content()
    )
    (form,) = question.findall(".//form")
    assert form.get("action") == url("accept", pending_request)
    assert [button.text_content() for button in form.findall(".//button")] == ["Ja, anta"]
    assert form.find('.//input[@type="hidden"][@name="bekrafta"]').get("value") == "ja"
    (back,) = question.findall(".//a")
    assert (back.text_content(), back.get("href")) == ("Tillbaka", url("decision", pending_request))
    # While asking, the three answers are not offered again.
    assert not page.xpath('//section[@class="decision-choice"]')
    assert_nothing_accepted(pending_request)


def test_ja_anta_accepts(staff_a_client, staff_a, pending_request):
    staff_a_client.post(url("accept", pending_request))
    question = html.fromstring(staff_a_client.post(url("accept", pending_request)).text)
    form = question.xpath('//section[@class="decision-confirm"]//form')[0]
    data = {field.get("name"): field.get("value") for field in form.findall(".//input")}

    response = staff_a_client.post(form.get("action"), data)

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.ACCEPTED
    assert pending_request.decided_by == staff_a
    assert free_seats(pending_request.place) == 1


@pytest.mark.parametrize("answer", ["nej", "", "JA ", "ja, anta"])
def test_an_unreadable_answer_accepts_nothing_and_says_so(staff_a_client, pending_request, answer):
    response = staff_a_client.post(url("accept", pending_request), {"bekrafta": answer})

    assert response.status_code == 400
    assert "Svaret gick inte att läsa och förfrågan är inte antagen." in response.text
    assert "<title>Fel:" in response.text
    # The question is asked again.
    assert "Anta AF-0042 till Snickeri och måleri?" in response.text
    assert_nothing_accepted(pending_request)


def test_an_answered_request_is_not_asked_about_again(staff_a_client, pending_request, staff_a):
    pending_request.status = PlacementRequest.Status.DECLINED
    pending_request.save()

    response = staff_a_client.post(url("accept", pending_request))

    assert response.status_code == 409
    assert "Förfrågan är redan besvarad: avböjd." in response.text
    assert "Ja, anta" not in response.text
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.DECLINED
    assert not Placement.objects.exists()


def test_other_enterprises_staff_are_not_even_asked(staff_b_client, pending_request):
    assert staff_b_client.post(url("accept", pending_request)).status_code == 404
    assert_nothing_accepted(pending_request)
