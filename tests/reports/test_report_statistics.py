"""The report's statistics: figures counted by the database, checked against counts made here
from the same known data; the charts and their tables; the CSV download."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placements.models import Placement, PlacementRequest, TrainingPlace
from reports.models import AnnualReport
from reports.pdf import render_pdf, render_report_html
from reports.statistics import year_statistics
from tests.factories import (
    AnnualReportFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlacementFactory,
    PlacementRequestFactory,
    PlacementTypeFactory,
    TrainingPlaceFactory,
    UnitFactory,
)
from tests.reports.test_report_pdf import body_text, normalise

pytestmark = pytest.mark.django_db

YEAR = 2022


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def network():
    """Three enterprises (one unpublished), five places (one paused, one with a unit in
    another municipality), placements and requests in and around 2022.
    """
    sigtuna, sollentuna, vasby = (
        MunicipalityFactory(name=name) for name in ("Sigtuna", "Sollentuna", "Upplands Väsby")
    )
    alfa = EnterpriseFactory(name="Alfa", municipalities=[sigtuna])
    beta = EnterpriseFactory(name="Beta", municipalities=[sollentuna, vasby])
    gamma = EnterpriseFactory(name="Gamma", municipalities=[sigtuna], published=False)
    shop = UnitFactory(enterprise=beta, name="Butiken", municipality=vasby)
    at = PlacementTypeFactory(code="AT", name="Arbetsträning", order=1)
    fat = PlacementTypeFactory(code="FAT", name="Förstärkt arbetsträning", order=2)
    af = OrganisationFactory(name="Arbetsförmedlingen")
    kommunen = OrganisationFactory(name="Kommunen")

    places = {
        "a1": TrainingPlaceFactory(enterprise=alfa, capacity=3),
        "a2": TrainingPlaceFactory(enterprise=alfa, capacity=2, status=TrainingPlace.Status.PAUSED),
        "b1": TrainingPlaceFactory(enterprise=beta, capacity=4),
        "b2": TrainingPlaceFactory(enterprise=beta, capacity=1, unit=shop),
        "g1": TrainingPlaceFactory(enterprise=gamma, capacity=5),
    }
    for place, kind, referrer, started, ended, outcome in [
        ("a1", at, af, "2022-01-10", None, ""),
        ("a1", fat, af, "2021-09-01", "2022-03-01", "work"),
        ("a1", at, kommunen, "2022-04-01", "2022-11-30", "studies"),
        ("a2", at, kommunen, "2020-01-01", "2021-12-31", "ill_health"),
        ("b1", fat, af, "2022-12-31", None, ""),
        ("b2", at, af, "2023-01-02", None, ""),
        ("b2", at, kommunen, "2022-06-01", "2022-08-01", ""),
        ("g1", at, af, "2022-05-01", "2022-06-01", "work"),
    ]:
        PlacementFactory(
            place=places[place],
            placement_type=kind,
            referrer=referrer,
            started_on=day(started),
            ended_on=day(ended) if ended else None,
            outcome=outcome,
        )
    for place, wished in [
        ("a1", "2022-03-01"),
        ("b1", "2022-09-01"),
        ("b2", "2022-10-01"),
        ("b2", "2021-12-01"),
        ("g1", "2022-05-01"),
    ]:
        PlacementRequestFactory(place=places[place], wished_start_on=day(wished), referrer=af)


# --- Counted here, in Python, from the rows ---------------------------------------------------


def in_year(date: datetime.date | None) -> bool:
    return date is not None and date.year == YEAR


def counted_placements() -> tuple[list[Placement], list[Placement]]:
    placements = [
        p
        for p in Placement.objects.select_related("place__enterprise", "placement_type")
        if p.place.enterprise.published
    ]
    return (
        [p for p in placements if in_year(p.started_on)],
        [p for p in placements if in_year(p.ended_on)],
    )


def place_municipalities(place: TrainingPlace) -> list[str]:
    if place.unit and place.unit.municipality:
        return [place.unit.municipality.name]
    return [m.name for m in place.enterprise.municipalities.all()]


# --- The figures ------------------------------------------------------------------------------


def test_placements_by_type_and_referrer_equal_the_rows(network):
    started, ended = counted_placements()
    statistics = year_statistics(YEAR)

    assert (statistics.started, statistics.ended) == (len(started), len(ended)) == (4, 3)
    assert {f.label: (f.started, f.ended) for f in statistics.by_placement_type} == {
        name: (
            sum(p.placement_type.name == name for p in started),
            sum(p.placement_type.name == name for p in ended),
        )
        for name in {p.placement_type.name for p in started + ended}
    }
    assert [f.label for f in statistics.by_placement_type] == [
        "Arbetsträning",
        "Förstärkt arbetsträning",
    ]
    assert {f.label: (f.started, f.ended) for f in statistics.by_referrer} == {
        name: (
            sum(p.referrer.name == name for p in started),
            sum(p.referrer.name == name for p in ended),
        )
        for name in {p.referrer.name for p in started + ended}
    }


def test_outcomes_count_the_placements_that_ended_in_the_year(network):
    _started, ended = counted_placements()
    labels = dict(Placement.Outcome.choices) | {"": "Inte angivet"}
    expected = Counter(str(labels[p.outcome]) for p in ended)

    outcomes = {row.label: row.count for row in year_statistics(YEAR).outcomes}

    assert outcomes == expected == {"Arbete": 1, "Studier": 1, "Inte angivet": 1}


def test_places_and_seats_per_enterprise_count_open_places_of_published_enterprises(network):
    started, _ended = counted_placements()
    places = [
        p
        for p in TrainingPlace.objects.select_related("enterprise")
        if p.enterprise.published and p.status == TrainingPlace.Status.OPEN
    ]
    expected = {
        name: (
            sum(p.enterprise.name == name for p in places),
            sum(p.capacity for p in places if p.enterprise.name == name),
            sum(p.place.enterprise.name == name for p in started),
        )
        for name in ("Alfa", "Beta")
    }

    rows = year_statistics(YEAR).enterprises

    assert {r.name: (r.places, r.seats, r.started) for r in rows} == expected
    assert expected == {"Alfa": (1, 3, 2), "Beta": (2, 5, 2)}


def test_supply_and_demand_per_municipality_follow_units_then_enterprises(network):
    supply: Counter = Counter()
    seats: Counter = Counter()
    for place in TrainingPlace.objects.select_related("enterprise", "unit__municipality"):
        if place.enterprise.published and place.status == TrainingPlace.Status.OPEN:
            for name in place_municipalities(place):
                supply[name] += 1
                seats[name] += place.capacity
    demand: Counter = Counter()
    for request in network_requests():
        if request.place.enterprise.published and in_year(request.wished_start_on):
            for name in place_municipalities(request.place):
                demand[name] += 1

    rows = year_statistics(YEAR).municipalities

    assert {r.name: (r.places, r.seats, r.requests) for r in rows} == {
        name: (supply[name], seats[name], demand[name]) for name in supply | demand
    }
    assert [r.name for r in rows] == ["Sigtuna", "Sollentuna", "Upplands Väsby"]
    assert demand == {"Sigtuna": 1, "Sollentuna": 1, "Upplands Väsby": 2}


def network_requests():
    return PlacementRequest.objects.select_related("place__enterprise", "place__unit__municipality")


def test_the_statistics_take_nine_queries_whatever_the_data(network):
    with CaptureQueriesContext(connection) as queries:
        year_statistics(YEAR)
    assert len(queries) == 9
    with CaptureQueriesContext(connection) as queries:
        year_statistics(1999)
    assert len(queries) == 9


def test_a_year_without_data_has_empty_statistics(db):
    statistics = year_statistics(YEAR)
    assert not statistics.has_placements
    assert statistics.enterprises == statistics.municipalities == statistics.outcomes == []


# --- Charts and tables ------------------------------------------------------------------------


def test_each_chart_is_an_accessible_svg_with_caption_and_table(network):
    AnnualReportFactory(year=YEAR, published=True)

    html = render_report_html(AnnualReport.objects.get(year=YEAR))

    figures = re.findall(r"<figure class=\"report-figure\">(.*?)</figure>", html, re.DOTALL)
    assert len(figures) == 4
    for figure in figures:
        svg = re.search(r'<svg role="img" aria-labelledby="([^"]+)"', figure)
        assert svg, figure[:200]
        assert f'<title id="{svg[1]}">' in figure
        assert "<figcaption>Figur " in figure
        assert "<table" in figure and '<th scope="row">' in figure
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id repeats on the page"
    assert "<style" not in "".join(figures)


def test_the_same_svg_is_in_the_page_and_in_the_pdf(network):
    AnnualReportFactory(year=YEAR, published=True)
    report = AnnualReport.objects.get(year=YEAR)

    def charts(html: str) -> list[str]:
        return re.findall(r"<svg .*?</svg>", html, re.DOTALL)

    assert charts(render_report_html(report)) == charts(render_report_html(report, pdf=True))
    text = normalise(body_text(render_pdf(report).content))
    assert "Figur 2. Påbörjade och avslutade placeringar per placeringstyp, 2022." in text
    assert "Under 2022 påbörjades 4 placeringar och 3 avslutades." in text


# --- CSV --------------------------------------------------------------------------------------


def test_the_statistics_download_as_csv_for_excel(client, network):
    AnnualReportFactory(year=YEAR, published=True)

    response = client.get("/rapporter/2022/statistik.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statistik-2022.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["År", "Tabell", "Rad", "Mått", "Antal"]
    assert ["2022", "Per placeringstyp", "Arbetsträning", "Påbörjade placeringar", "3"] in rows
    assert [
        "2022",
        "Per placeringstyp",
        "Förstärkt arbetsträning",
        "Avslutade placeringar",
        "1",
    ] in rows
    assert ["2022", "Per kommun", "Upplands Väsby", "Platser", "5"] in rows
    assert ["2022", "Per kommun", "Upplands Väsby", "Förfrågningar om plats", "2"] in rows
    assert ["2022", "Per företag", "Beta", "Arbetsträningsplatser", "2"] in rows
    assert ["2022", "Utfall vid avslut", "Inte angivet", "Avslutade placeringar", "1"] in rows
    assert not any("Gamma" in row for row in rows)


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(client):
    enterprise = EnterpriseFactory(name='=HYPERLINK("https://example.org")')
    TrainingPlaceFactory(enterprise=enterprise)
    AnnualReportFactory(year=YEAR, published=True)

    content = client.get("/rapporter/2022/statistik.csv").content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert ["2022", "Per företag", '\'=HYPERLINK("https://example.org")', "Platser", "3"] in rows
