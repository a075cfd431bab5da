"""/platser/export.csv: the filtered list for Excel."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import AdaptationFactory, PlacementFactory, TrainingPlaceFactory

pytestmark = pytest.mark.django_db
URL = reverse("placements:export")


def rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8(officer_client, place):
    response = officer_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="arbetstraningsplatser')
    assert response.content.startswith("\ufeff".encode())


def test_the_csv_has_a_header_and_one_row_per_place_with_swedish_letters(
    officer_client, place, enterprise_a
):
    place.adaptations.set([AdaptationFactory(name="Lugn miljö med få störningsmoment")])
    PlacementFactory(place=place)
    header, *body = rows(officer_client.get(URL))
    assert header[:3] == ["Plats", "Företag", "Enhet"]
    assert "Lediga platser" in header
    assert len(body) == 1
    record = dict(zip(header, body[0], strict=True))
    assert record["Plats"] == "Snickeri och måleri"
    assert record["Företag"] == "Värmestugan i Märsta"
    assert record["Adress"] == "Stationsgatan 3, 195 30 Märsta"
    assert record["Kommun"] == "Sigtuna"
    assert record["Anpassningar"] == "Lugn miljö med få störningsmoment"
    assert record["Antal platser"] == "2"
    assert record["Lediga platser"] == "1"
    assert record["Avtal med"] == "Arbetsförmedlingen Märsta"
    assert record["Status"] == "Öppen"
    assert record["Länk"] == f"http://testserver/platser/{place.pk}/"


def test_the_csv_uses_the_same_filters_as_the_list(officer_client, place, place_b, enterprise_a):
    full = TrainingPlaceFactory(enterprise=enterprise_a, title="Full plats", capacity=1)
    PlacementFactory(place=full)
    exported = [row[0] for row in rows(officer_client.get(URL, {"lediga": "on"}))[1:]]
    assert exported == ["Snickeri och måleri"]
    everything = [row[0] for row in rows(officer_client.get(URL, {"avtal": "alla"}))[1:]]
    assert sorted(everything) == ["Full plats", "Kafé vid ån", "Snickeri och måleri"]


def test_the_csv_follows_the_chosen_order(officer_client, enterprise_a, agreement):
    for title in ["B-plats", "A-plats", "C-plats"]:
        TrainingPlaceFactory(enterprise=enterprise_a, title=title)
    exported = [row[0] for row in rows(officer_client.get(URL, {"sortera": "-title"}))[1:]]
    assert exported == ["C-plats", "B-plats", "A-plats"]


def test_the_csv_is_not_for_enterprise_staff(staff_a_client, place):
    assert staff_a_client.get(URL).status_code == 403


def test_the_csv_is_not_paged(officer_client, enterprise_a, agreement):
    TrainingPlaceFactory.create_batch(30, enterprise=enterprise_a)
    assert len(rows(officer_client.get(URL))) == 31
