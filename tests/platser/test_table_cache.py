"""/platser/ renders its table once per list and organisation, and never shows stale seats."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import CASE_OFFICER
from tests.factories import (
    AgreementFactory,
    CaseOfficerFactory,
    OrganisationFactory,
    PlacementFactory,
    TrainingPlaceFactory,
    UserFactory,
)
from tests.platser.test_place_browser import titles

pytestmark = pytest.mark.django_db
URL = reverse("placements:list")


@pytest.fixture
def other_officer_client(roles):
    """A case officer of an organisation without agreements."""
    user = UserFactory(email="annan@example.org")
    user.groups.add(roles[CASE_OFFICER])
    CaseOfficerFactory(user=user, organisation=OrganisationFactory(name="Annan kommun"))
    client = Client()
    client.force_login(user)
    return client


def test_the_same_list_again_is_served_from_the_cache_with_fewer_queries(
    officer_client, place, django_assert_max_num_queries
):
    first = officer_client.get(URL, {"lediga": "on"})
    # The session (from the database here; from Redis in production), the user, their link to
    # their organisation (which also checks the role): the page and the frame are kept.
    with django_assert_max_num_queries(3):
        second = officer_client.get(URL, {"lediga": "on"})
    assert second.status_code == 200
    assert titles(second) == titles(first) == ["Snickeri och måleri"]


def test_a_new_placement_empties_the_cached_seats_at_once(officer_client, place):
    assert titles(officer_client.get(URL, {"lediga": "on"})) == ["Snickeri och måleri"]
    PlacementFactory(place=place)
    PlacementFactory(place=place)  # capacity 2: now full

    assert titles(officer_client.get(URL, {"lediga": "on"})) == []


def test_another_organisation_gets_its_own_list(officer_client, other_officer_client, place):
    assert titles(officer_client.get(URL)) == ["Snickeri och måleri"]
    assert titles(other_officer_client.get(URL)) == []


def test_a_new_agreement_shows_its_places_at_once(officer_client, place, enterprise_b, referrer):
    other = TrainingPlaceFactory(enterprise=enterprise_b, title="Kaféet")
    assert titles(officer_client.get(URL)) == ["Snickeri och måleri"]

    AgreementFactory(enterprise=enterprise_b, counterparty=referrer)

    assert set(titles(officer_client.get(URL))) == {"Snickeri och måleri", other.title}


def test_a_colleague_of_the_same_organisation_gets_the_kept_page_with_their_own_frame(
    officer_client, case_officer, referrer, place, roles, django_assert_max_num_queries
):
    colleague = UserFactory(email="kollega@example.org", first_name="Kim", last_name="Kollega")
    colleague.groups.add(roles[CASE_OFFICER])
    CaseOfficerFactory(user=colleague, organisation=referrer)
    colleague_client = Client()
    colleague_client.force_login(colleague)
    officer_client.get(URL, {"lediga": "on"})  # kept for the organisation

    # Session, user, their link; groups, organisation and permissions for the frame (then
    # kept: accounts/people.py): not the list.
    with django_assert_max_num_queries(6):
        page = colleague_client.get(URL, {"lediga": "on"})

    assert titles(page) == ["Snickeri och måleri"]
    assert "Kim Kollega" in page.text
    assert "Hanna Handläggare" not in page.text
    assert {"private", "no-store"} <= {part.strip() for part in page["Cache-Control"].split(",")}
