"""The report's statistics: figures counted by the database, checked against counts made here
from the same known data; the charts and their tables; the CSV download."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

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
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def moment(text: str) -> datetime.datetime:
    """A time in Sweden: "2022-12-31 23:30"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


@pytest.fixture
def network(time_machine):
    """Three enterprises (one unpublished), five places (one paused, one with a unit in
    another municipality), placements and requests in and around 2022. The places and
    enterprises are registered during 2022; the clock is then moved on to 2023.
    """
    time_machine.move_to(moment("2022-06-15 12:00"), tick=False)
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
    time_machine.move_to(moment("2023-03-01 12:00"), tick=False)
    return places


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


def test_the_statistics_take_ten_queries_whatever_the_data(network):
    with CaptureQueriesContext(connection) as queries:
        year_statistics(YEAR)
    assert len(queries) == 10
    with CaptureQueriesContext(connection) as queries:
        year_statistics(1999)
    assert len(queries) == 10


def test_a_longer_history_of_places_costs_no_more_queries(network, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as queries:
        year_statistics(YEAR)
    for place in TrainingPlace.objects.all():
        for capacity in range(1, 6):
            place.capacity = capacity
            place.save()
    for enterprise in {place.enterprise for place in network.values()}:
        TrainingPlaceFactory.create_batch(5, enterprise=enterprise)

    with django_assert_max_num_queries(len(queries)):
        year_statistics(YEAR)


# --- As the places were at the end of the year -------------------------------------------------


def places_and_seats(year: int) -> dict[str, tuple[int, int]]:
    return {row.name: (row.places, row.seats) for row in year_statistics(year).enterprises}


def test_a_place_registered_after_the_year_does_not_count(network, time_machine):
    before = places_and_seats(YEAR)
    time_machine.move_to(moment("2023-01-01 00:30"), tick=False)  # still 2022 in UTC
    TrainingPlaceFactory(enterprise=network["a1"].enterprise, capacity=7)

    assert places_and_seats(YEAR) == before == {"Alfa": (1, 3), "Beta": (2, 5)}
    assert places_and_seats(YEAR + 1)["Alfa"] == (2, 10)


def test_a_place_registered_on_new_years_eve_counts(network, time_machine):
    time_machine.move_to(moment("2022-12-31 23:30"), tick=False)
    TrainingPlaceFactory(enterprise=network["a1"].enterprise, capacity=7)

    assert places_and_seats(YEAR)["Alfa"] == (2, 10)


def test_a_place_paused_or_deleted_after_the_year_still_counts(network, time_machine):
    time_machine.move_to(moment("2022-09-01 12:00"), tick=False)
    deleted = TrainingPlaceFactory(enterprise=network["b1"].enterprise, capacity=7)
    time_machine.move_to(moment("2023-03-01 12:00"), tick=False)
    before = places_and_seats(YEAR)
    paused = network["a1"]
    paused.status = TrainingPlace.Status.PAUSED
    paused.save()
    deleted.delete()

    assert places_and_seats(YEAR) == before == {"Alfa": (1, 3), "Beta": (3, 12)}
    after = places_and_seats(YEAR + 1)
    assert (after.get("Alfa", (0, 0)), after["Beta"]) == ((0, 0), (2, 5))


def test_a_place_paused_during_the_year_does_not_count(network, time_machine):
    time_machine.move_to(moment("2022-11-01 12:00"), tick=False)
    paused = network["a1"]
    paused.status = TrainingPlace.Status.PAUSED
    paused.save()
    time_machine.move_to(moment("2023-02-01 12:00"), tick=False)
    paused.status = TrainingPlace.Status.OPEN  # opened again after the year
    paused.save()

    assert year_statistics(YEAR).places == 2
    assert places_and_seats(YEAR + 1)["Alfa"] == (1, 3)


def test_an_enterprise_unpublished_after_the_year_still_counts(network):
    beta = network["b1"].enterprise
    beta.published = False
    beta.save()

    assert places_and_seats(YEAR)["Beta"] == (2, 5)
    assert "Beta" not in places_and_seats(YEAR + 1)


def test_an_enterprise_published_after_the_year_does_not_count_for_it(network):
    gamma = network["g1"].enterprise
    gamma.published = True
    gamma.save()

    assert places_and_seats(YEAR).get("Gamma", (0, 0)) == (0, 0)
    assert places_and_seats(YEAR + 1)["Gamma"] == (1, 5)


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


def statistics_html(html: str) -> str:
    found = re.search(r'<section class="report-statistics".*?</section>', html, re.DOTALL)
    assert found, "the page has no statistics"
    return found[0]


def table_after(heading: str, html: str) -> str:
    """The first table after the heading."""
    start = html.index(heading)
    return html[start : html.index("</table>", start)]


def cells(row_html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, re.DOTALL)
    ]


def test_the_totals_per_municipality_count_each_place_once(network):
    AnnualReportFactory(year=YEAR, published=True)
    html = statistics_html(render_report_html(AnnualReport.objects.get(year=YEAR)))

    table = table_after("Tillgång och efterfrågan per kommun", html)
    rows = [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)][1:]
    assert rows == [
        ["Sigtuna", "1", "3", "1"],
        # Beta's place without a unit is in both of Beta's municipalities.
        ["Sollentuna", "1", "4", "1"],
        ["Upplands Väsby", "2", "5", "2"],
        ["Totalt", "3", "8", "3"],
    ]
    assert table.count("Totalt") == 1
    by_enterprise = table_after("Arbetsträningsplatser per företag", html)
    assert cells(by_enterprise.split("<tfoot>")[1])[:3] == ["Totalt", "3", "8"]
    statistics = year_statistics(YEAR)
    assert (statistics.places, statistics.seats) == (
        sum(row.places for row in statistics.enterprises),
        sum(row.seats for row in statistics.enterprises),
    )
    assert "räknas en gång i varje kommun men bara en gång i raden Totalt" in html


def test_the_figures_are_written_the_swedish_way(network, time_machine):
    time_machine.move_to(moment("2022-08-01 12:00"), tick=False)
    TrainingPlaceFactory.create_batch(3, enterprise=network["a1"].enterprise, capacity=500)
    AnnualReportFactory(year=YEAR, published=True)

    html = statistics_html(render_report_html(AnnualReport.objects.get(year=YEAR)))

    total = table_after("Arbetsträningsplatser per företag", html).split("<tfoot>")[1]
    assert cells(total) == ["Totalt", "6", "1\xa0508", "4"]


def pdf_text(report: AnnualReport) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(report).content))
    return "".join(page.extract_text() for page in reader.pages)


def test_a_report_without_statistics_shows_none_in_the_page_and_the_pdf(network):
    report = AnnualReportFactory(year=YEAR, published=True, show_statistics=False)

    html = render_report_html(report)

    assert "report-statistics" not in html
    assert "Statistik 2022" not in html
    assert "Tillgång och efterfrågan" not in pdf_text(report)
    report.show_statistics = True
    report.save()
    assert "Tillgång och efterfrågan" in pdf_text(report)


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
    # The totals, once per table and measure, as the page shows them.
    totals = [row[1:] for row in rows if row[2] == "Totalt"]
    assert totals == [
        ["Per företag", "Totalt", "Arbetsträningsplatser", "3"],
        ["Per företag", "Totalt", "Platser", "8"],
        ["Per företag", "Totalt", "Påbörjade placeringar", "4"],
        ["Per kommun", "Totalt", "Arbetsträningsplatser", "3"],
        ["Per kommun", "Totalt", "Platser", "8"],
        ["Per kommun", "Totalt", "Förfrågningar om plats", "3"],
    ]


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(client, time_machine):
    time_machine.move_to(moment("2022-06-15 12:00"), tick=False)
    enterprise = EnterpriseFactory(name='=HYPERLINK("https://example.org")')
    TrainingPlaceFactory(enterprise=enterprise)
    AnnualReportFactory(year=YEAR, published=True)

    content = client.get("/rapporter/2022/statistik.csv").content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert ["2022", "Per företag", '\'=HYPERLINK("https://example.org")', "Platser", "3"] in rows


def test_a_year_without_placements_says_so_instead_of_drawing_charts(db):
    report = AnnualReportFactory(year=YEAR, published=True)

    text = normalise(body_text(render_pdf(report).content))

    assert "Statistik 2022" in text
    assert "Inga placeringar registrerades under 2022." in text
    assert "Figur" not in text


def test_a_table_over_several_pages_has_its_total_once(time_machine):
    time_machine.move_to(moment("2022-03-01 12:00"), tick=False)
    municipality = MunicipalityFactory(name="Sigtuna")
    for number in range(80):
        enterprise = EnterpriseFactory(name=f"Företag {number:02}", municipalities=[municipality])
        TrainingPlaceFactory(enterprise=enterprise, capacity=2)
    report = AnnualReportFactory(year=YEAR, published=True)

    text = pdf_text(report)

    by_enterprise = text[
        text.index("Arbetsträningsplatser per företag") : text.index("Tillgång och efterfrågan")
    ]
    assert "Företag 00" in by_enterprise and "Företag 79" in by_enterprise
    assert by_enterprise.count("Totalt") == 1
    # The rows: the table per enterprise's, the table per municipality's.
    assert len(re.findall(r"Totalt \d", text)) == 2
    assert "Totalt 80 160 0" in " ".join(text.split())
