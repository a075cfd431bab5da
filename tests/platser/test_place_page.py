"""/platser/<id>/: everything a case officer needs to judge whether a place fits."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CASE_OFFICER
from placements.models import TrainingPlace
from tests.factories import CaseOfficerFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(place) -> str:
    return reverse("placements:place", args=[place.pk])


def test_the_page_shows_the_place_in_full(officer_client, place):
    place.last_confirmed_on = datetime.date(2026, 1, 5)
    place.save()
    PlacementFactory(place=place)
    response = officer_client.get(url(place))
    assert response.status_code == 200
    for text in [
        "Snickeri och måleri",
        "Slipa, måla och laga möbler.",
        "Verkstaden",
        "Stationsgatan 3, 195 30 Märsta",
        "10 till 30 timmar",
        "Arbetsträning (AT)",
        "Förstärkt arbetsträning (FAT)",
        "1 ledig plats av 2",
        "Arbetsförmedlingen Märsta",
        "5 januari 2026",
        "Vi tar emot deltagare i vår lugna verkstad.",
    ]:
        assert text in response.text, text
    assert reverse("placements:request_create", args=[place.pk]) in response.text


def test_an_old_confirmation_is_pointed_out(officer_client, place):
    place.last_confirmed_on = timezone.localdate() - datetime.timedelta(days=90)
    place.save()
    assert "Inte bekräftad på länge" in officer_client.get(url(place)).text


def test_a_place_without_an_agreement_explains_why_there_is_no_button(officer_client, place_b):
    response = officer_client.get(url(place_b))
    assert response.status_code == 200
    assert "har inget avtal som gäller i dag med Bortre företaget" in response.text
    assert reverse("placements:request_create", args=[place_b.pk]) not in response.text


def test_a_paused_place_takes_no_requests(officer_client, place):
    place.status = TrainingPlace.Status.PAUSED
    place.save()
    response = officer_client.get(url(place))
    assert "Platsen är pausad" in response.text
    assert reverse("placements:request_create", args=[place.pk]) not in response.text


def test_a_full_place_can_still_be_asked_for_a_waiting_list(officer_client, place):
    PlacementFactory.create_batch(2, place=place)
    response = officer_client.get(url(place))
    assert "0 lediga platser av 2" in response.text
    assert "väntelistan" in response.text
    assert reverse("placements:request_create", args=[place.pk]) in response.text


def test_the_coordinator_sees_the_page_but_has_no_organisation_to_ask_for(
    coordinator_client, place
):
    response = coordinator_client.get(url(place))
    assert response.status_code == 200
    assert "Bara handläggare kan fråga efter en plats." in response.text


def test_a_case_officer_without_an_organisation_is_told_to_ask_the_coordinator(
    client, roles, place
):
    user = UserFactory()
    user.groups.add(roles[CASE_OFFICER])
    client.force_login(user)
    response = client.get(url(place))
    assert "inte kopplat till någon organisation" in response.text


def test_an_unknown_place_is_404(officer_client):
    assert officer_client.get(reverse("placements:place", args=[999999])).status_code == 404


def test_a_case_officer_of_another_organisation_sees_their_own_agreements(client, roles, place):
    other = CaseOfficerFactory().user
    other.groups.add(roles[CASE_OFFICER])
    client.force_login(other)
    response = client.get(url(place))
    assert "har inget avtal som gäller i dag med Värmestugan i Märsta" in response.text
