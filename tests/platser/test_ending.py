"""/platser/placeringar/<id>/avsluta/: the last day and the outcome; the seat is free again."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Placement, TrainingPlace
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(place):
    return PlacementFactory(
        place=place, participant_code="AF-0007", started_on=datetime.date(2025, 3, 1)
    )


def url(placement) -> str:
    return reverse("placements:placement_end", args=[placement.pk])


def free_seats(place) -> int:
    return TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats


def test_staff_see_the_active_placements_of_their_enterprise(staff_a_client, placement):
    response = staff_a_client.get(reverse("placements:placement_list"))
    assert response.status_code == 200
    assert "AF-0007" in response.text
    assert url(placement) in response.text


def test_ending_records_the_date_and_outcome_and_frees_the_seat(staff_a_client, placement):
    assert free_seats(placement.place) == 1
    last_day = timezone.localdate() - datetime.timedelta(days=1)
    response = staff_a_client.post(
        url(placement), {"ended_on": last_day.isoformat(), "outcome": "studies"}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == last_day
    assert placement.outcome == Placement.Outcome.STUDIES
    assert free_seats(placement.place) == 2
    listing = staff_a_client.get(response["Location"])
    assert "är avslutad och platsen är ledig igen" in listing.text
    assert "AF-0007</th>" not in listing.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "work"}, "Skriv sista dagen."),
        ({"ended_on": "2025-02-28", "outcome": "work"}, "kan inte ligga före startdatumet"),
        ({"ended_on": "2999-01-01", "outcome": "work"}, "kan inte ligga i framtiden"),
        ({"ended_on": "2025-06-01"}, "Välj vad deltagaren gör efter placeringen."),
        ({"ended_on": "2025-06-01", "outcome": "lottery"}, "Välj ett av alternativen."),
    ],
)
def test_bad_input_is_refused_in_swedish(staff_a_client, placement, data, message):
    response = staff_a_client.post(url(placement), data)
    assert response.status_code == 400
    assert "Det finns ett problem" in response.text
    assert message in response.text
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert placement.outcome == ""


def test_the_outcomes_are_the_sus_categories(staff_a_client, placement):
    response = staff_a_client.get(url(placement))
    for label in ["Arbete", "Studier", "Annan insats", "Åter till remittent", "Ohälsa", "Annat"]:
        assert label in response.text


def test_an_ended_placement_says_so_instead_of_ending_again(staff_a_client, placement):
    placement.ended_on = datetime.date(2025, 6, 1)
    placement.outcome = Placement.Outcome.WORK
    placement.save()
    response = staff_a_client.post(url(placement), {"ended_on": "2025-07-01", "outcome": "other"})
    assert response.status_code == 200
    assert "är avslutad" in response.text
    placement.refresh_from_db()
    assert placement.ended_on == datetime.date(2025, 6, 1)


def test_staff_of_another_enterprise_get_404(staff_b_client, placement):
    assert staff_b_client.get(url(placement)).status_code == 404
    response = staff_b_client.post(url(placement), {"ended_on": "2025-06-01", "outcome": "work"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert "AF-0007" not in staff_b_client.get(reverse("placements:placement_list")).text


def test_the_coordinator_may_end_any_placement(coordinator_client, placement):
    data = {"ended_on": "2025-06-01", "outcome": "work"}
    response = coordinator_client.post(url(placement), data)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == datetime.date(2025, 6, 1)


def test_case_officers_cannot_end_placements(officer_client, placement):
    assert officer_client.get(url(placement)).status_code == 403
