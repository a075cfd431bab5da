"""Training places in the admin: free seats at a glance, confirming in bulk, the enterprise view."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.formats import date_format

from placements.models import Placement, TrainingPlace
from tests import factories
from tests.admin.helpers import admin_url


def test_the_list_shows_free_seats_as_capacity_minus_active_placements(coordinator_client):
    place = factories.TrainingPlaceFactory(capacity=3)
    factories.PlacementFactory(place=place)
    factories.PlacementFactory(
        place=place, ended_on=datetime.date(2022, 6, 1), outcome=Placement.Outcome.WORK
    )

    response = coordinator_client.get(admin_url(TrainingPlace))

    assert '<td class="field-capacity">3</td>' in response.text
    assert '<td class="field-free_seats">2</td>' in response.text


def test_the_list_can_show_only_places_with_free_seats(coordinator_client):
    full = factories.TrainingPlaceFactory(capacity=1, title="Full plats")
    factories.PlacementFactory(place=full)
    factories.TrainingPlaceFactory(capacity=1, title="Ledig plats")

    response = coordinator_client.get(admin_url(TrainingPlace), {"lediga": "ja"})

    assert "Ledig plats" in response.text
    assert "Full plats" not in response.text


def test_confirming_places_sets_today_as_last_confirmed(coordinator_client):
    old = factories.TrainingPlaceFactory(last_confirmed_on=datetime.date(2021, 1, 1))
    never = factories.TrainingPlaceFactory(last_confirmed_on=None)
    other = factories.TrainingPlaceFactory(last_confirmed_on=datetime.date(2021, 1, 1))

    response = coordinator_client.post(
        admin_url(TrainingPlace),
        {"action": "confirm", "_selected_action": [old.pk, never.pk]},
        follow=True,
    )

    assert "2 arbetsträningsplatser bekräftades i dag." in response.text
    today = timezone.localdate()
    for place, expected in [(old, today), (never, today), (other, datetime.date(2021, 1, 1))]:
        place.refresh_from_db()
        assert place.last_confirmed_on == expected


def test_a_place_can_be_confirmed_from_its_own_page(coordinator_client):
    place = factories.TrainingPlaceFactory(last_confirmed_on=datetime.date(2021, 1, 1))
    page = coordinator_client.get(admin_url(place, "change"))

    response = coordinator_client.post(
        admin_url(place, "change"),
        {"CHANGE_FORM-action": "confirm", "_selected_action": [place.pk]},
        follow=True,
    )

    assert "Bekräfta att uppgifterna stämmer" in page.text
    assert "1 arbetsträningsplats bekräftades i dag." in response.text
    place.refresh_from_db()
    assert place.last_confirmed_on == timezone.localdate()


def test_places_not_confirmed_for_60_days_can_be_listed(coordinator_client):
    today = timezone.localdate()
    factories.TrainingPlaceFactory(title="Nyss bekräftad", last_confirmed_on=today)
    factories.TrainingPlaceFactory(
        title="För 60 dagar sedan", last_confirmed_on=today - datetime.timedelta(days=60)
    )
    factories.TrainingPlaceFactory(
        title="För 61 dagar sedan", last_confirmed_on=today - datetime.timedelta(days=61)
    )
    factories.TrainingPlaceFactory(
        title="Länge sedan", last_confirmed_on=today - datetime.timedelta(days=400)
    )
    factories.TrainingPlaceFactory(title="Aldrig bekräftad", last_confirmed_on=None)

    response = coordinator_client.get(admin_url(TrainingPlace), {"bekraftad": "gammal"})

    assert "För mer än 60 dagar sedan, eller aldrig" in response.text
    assert "För 61 dagar sedan" in response.text
    assert "Länge sedan" in response.text
    assert "Aldrig bekräftad" in response.text
    assert "Nyss bekräftad" not in response.text
    assert "För 60 dagar sedan" not in response.text


def test_the_list_marks_places_that_need_confirming_in_words(coordinator_client):
    today = timezone.localdate()
    factories.TrainingPlaceFactory(title="Nyss bekräftad", last_confirmed_on=today)
    factories.TrainingPlaceFactory(title="Aldrig bekräftad", last_confirmed_on=None)

    response = coordinator_client.get(admin_url(TrainingPlace))

    cells = re.findall(r'<td class="field-confirmed">(.*?)</td>', response.text, flags=re.S)
    shown = {
        place.title: cell
        for place, cell in zip(response.context["cl"].result_list, cells, strict=True)
    }
    assert shown["Nyss bekräftad"] == date_format(today, "SHORT_DATE_FORMAT")
    assert shown["Aldrig bekräftad"] == (
        'aldrig <strong class="needs-confirming">behöver bekräftas</strong>'
    )


def test_the_start_page_counts_the_places_that_need_confirming(coordinator_client):
    today = timezone.localdate()
    factories.TrainingPlaceFactory(last_confirmed_on=today)
    factories.TrainingPlaceFactory(last_confirmed_on=today - datetime.timedelta(days=90))
    factories.TrainingPlaceFactory(last_confirmed_on=None)

    response = coordinator_client.get("/admin/")

    assert "2 arbetsträningsplatser har inte bekräftats på 60 dagar." in response.text
    assert f"{admin_url(TrainingPlace)}?bekraftad=gammal" in response.text


def test_the_start_page_says_nothing_when_every_place_is_confirmed(coordinator_client):
    factories.TrainingPlaceFactory(last_confirmed_on=timezone.localdate())

    response = coordinator_client.get("/admin/")

    assert "har inte bekräftats" not in response.text


def test_the_enterprise_page_lists_its_places_with_links_to_them_and_to_add_one(
    coordinator_client,
):
    place = factories.TrainingPlaceFactory(title="Caféet: servering och disk", capacity=2)
    factories.PlacementFactory(place=place)

    response = coordinator_client.get(admin_url(place.enterprise, "change"))

    assert "Caféet: servering och disk" in response.text
    assert re.search(r'<td class="field-free_seats">\s*<p>1</p>', response.text)
    assert admin_url(place, "change") in response.text
    assert f"{admin_url(TrainingPlace, 'add')}?enterprise={place.enterprise.pk}" in response.text
