"""The example dates in the forms' hints follow the calendar, never a fixed day."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def next_weekday(weekday: int) -> datetime.date:
    """The next day of that weekday (Monday 0) after today, a week ahead at most."""
    today = datetime.date.today()
    return today + datetime.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


@pytest.mark.parametrize(
    ("weekday", "days_ahead"),
    [
        (4, 17),  # a Friday: the Monday after the Friday two weeks ahead
        (0, 14),  # a Monday: the Monday two weeks ahead
        (6, 15),  # a Sunday: the Monday after the Sunday two weeks ahead
    ],
)
def test_the_request_forms_example_start_is_a_monday_two_weeks_ahead(
    officer_client, place, time_machine, weekday, days_ahead
):
    # A few days ahead only, so the login and the agreement still hold.
    today = next_weekday(weekday)
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(10)), tick=False)
    example = (today + datetime.timedelta(days=days_ahead)).isoformat()
    url = reverse("placements:request_create", args=[place.pk])

    page = officer_client.get(url).text
    assert f"Skriv datumet som år-månad-dag, t.ex. {example}." in page
    assert "2026-09-01" not in page

    unreadable = officer_client.post(url, {"wished_start_on": "första måndagen"})
    assert unreadable.status_code == 400
    assert f"Skriv startdatumet som år-månad-dag, t.ex. {example}." in unreadable.text


def test_the_end_forms_example_is_today(staff_a_client, place, time_machine):
    today = next_weekday(2)
    placement = PlacementFactory(place=place, started_on=today - datetime.timedelta(days=30))
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(10)), tick=False)
    url = reverse("placements:placement_end", args=[placement.pk])

    page = staff_a_client.get(url).text
    assert f"Skriv datumet som år-månad-dag, t.ex. {today.isoformat()}." in page
    assert "2026-09-01" not in page

    unreadable = staff_a_client.post(url, {"ended_on": "i fredags", "outcome": "work"})
    assert unreadable.status_code == 400
    assert f"Skriv sista dagen som år-månad-dag, t.ex. {today.isoformat()}." in unreadable.text
