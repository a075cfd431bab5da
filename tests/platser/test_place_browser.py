"""/platser/: the training places a case officer may use, filtered, sorted and paged."""

from __future__ import annotations

import datetime
import html
import re

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Adaptation
from placements.models import TrainingPlace
from tests.factories import (
    AdaptationFactory,
    AgreementFactory,
    MunicipalityFactory,
    PlacementFactory,
    ServiceCategoryFactory,
    TrainingPlaceFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("placements:list")


def titles(response) -> list[str]:
    """The places in the table as the page shows them: each row's header cell."""
    return [
        html.unescape(title)
        for title in re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', response.text)
    ]


def records(response) -> list[TrainingPlace]:
    return [row.record for row in response.context["table"].page.object_list]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_enterprise_staff_are_refused_with_a_swedish_explanation(staff_a_client):
    response = staff_a_client.get(URL)
    assert response.status_code == 403
    assert "till för handläggare och nätverkets samordnare" in response.text


def test_case_officer_sees_the_places_their_organisation_may_use(officer_client, place, place_b):
    response = officer_client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Snickeri och måleri"]
    assert "Bara platser som min organisation får använda" in response.text


def test_my_organisation_filter_is_on_by_default_and_can_be_turned_off(
    officer_client, place, place_b
):
    default = officer_client.get(URL)
    assert 'value="mina" id="id_avtal_0" checked' in default.text
    everything = officer_client.get(URL, {"avtal": "alla"})
    assert set(titles(everything)) == {"Snickeri och måleri", "Kafé vid ån"}


def test_a_subcontract_under_the_organisations_agreement_counts(
    officer_client, agreement, place, place_b
):
    AgreementFactory(
        enterprise=place_b.enterprise,
        kind="subcontract",
        title="",
        counterparty=None,
        prime_agreement=agreement,
    )
    assert set(titles(officer_client.get(URL))) == {"Snickeri och måleri", "Kafé vid ån"}


def test_an_expired_agreement_no_longer_opens_the_place(officer_client, agreement, place):
    agreement.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    agreement.save()
    assert titles(officer_client.get(URL)) == []


def test_the_coordinator_sees_every_place_without_an_organisation_filter(
    coordinator_client, place, place_b
):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert set(titles(response)) == {"Snickeri och måleri", "Kafé vid ån"}
    assert "min organisation" not in response.text


def test_paused_places_are_hidden_unless_asked_for(officer_client, place, enterprise_a):
    TrainingPlaceFactory(
        enterprise=enterprise_a, title="Pausad plats", status=TrainingPlace.Status.PAUSED
    )
    assert titles(officer_client.get(URL)) == ["Snickeri och måleri"]
    assert set(titles(officer_client.get(URL, {"pausade": "on"}))) == {
        "Snickeri och måleri",
        "Pausad plats",
    }


def test_only_places_with_free_seats(officer_client, place, enterprise_a):
    full = TrainingPlaceFactory(enterprise=enterprise_a, title="Full plats", capacity=1)
    PlacementFactory(place=full)
    assert set(titles(officer_client.get(URL))) == {"Snickeri och måleri", "Full plats"}
    assert titles(officer_client.get(URL, {"lediga": "on"})) == ["Snickeri och måleri"]


def test_filter_by_municipality_uses_the_unit_or_else_the_enterprise(
    officer_client, place, enterprise_a, sigtuna
):
    sollentuna = MunicipalityFactory(name="Sollentuna")
    elsewhere = UnitFactory(enterprise=enterprise_a, name="Filialen", municipality=sollentuna)
    TrainingPlaceFactory(enterprise=enterprise_a, unit=elsewhere, title="I Sollentuna")
    # No unit: the enterprise's municipality (Sigtuna) applies.
    TrainingPlaceFactory(enterprise=enterprise_a, unit=None, title="Utan enhet")

    in_sigtuna = officer_client.get(URL, {"kommun": sigtuna.pk})
    assert set(titles(in_sigtuna)) == {"Snickeri och måleri", "Utan enhet"}
    assert titles(officer_client.get(URL, {"kommun": sollentuna.pk})) == ["I Sollentuna"]


def test_filter_by_placement_type(officer_client, place, enterprise_a, at, fat):
    TrainingPlaceFactory(enterprise=enterprise_a, title="Bara AT", placement_types=[at])
    assert titles(officer_client.get(URL, {"typ": fat.pk})) == ["Snickeri och måleri"]
    assert len(titles(officer_client.get(URL, {"typ": at.pk}))) == 2


def test_filter_by_service_category(officer_client, place, enterprise_a):
    cafe = ServiceCategoryFactory(name="Café och catering")
    TrainingPlaceFactory(enterprise=enterprise_a, title="Caféet", service_category=cafe)
    assert titles(officer_client.get(URL, {"verksamhet": cafe.pk})) == ["Caféet"]


def test_filter_by_adaptations_needs_every_chosen_one(officer_client, place, enterprise_a):
    quiet, flexible = AdaptationFactory(name="Lugn miljö"), AdaptationFactory(name="Flex")
    both = TrainingPlaceFactory(enterprise=enterprise_a, title="Båda")
    both.adaptations.set([quiet, flexible])
    one = TrainingPlaceFactory(enterprise=enterprise_a, title="En")
    one.adaptations.set([quiet])

    assert set(titles(officer_client.get(URL, {"anpassning": [quiet.pk]}))) == {"Båda", "En"}
    assert titles(officer_client.get(URL, {"anpassning": [quiet.pk, flexible.pk]})) == ["Båda"]


def test_a_placement_type_filter_does_not_multiply_the_free_seat_count(
    officer_client, place, at, fat
):
    PlacementFactory(place=place, placement_type=at)
    response = officer_client.get(URL, {"typ": at.pk})
    (record,) = records(response)
    assert record.free_seats == 1
    assert "1 av 2" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kommun": "999999"}, "Kommunen finns inte"),
        ({"kommun": "Stockholm"}, "Kommunen finns inte"),
        ({"typ": "x"}, "Placeringstypen finns inte"),
        ({"verksamhet": "-1"}, "Verksamheten finns inte"),
        ({"anpassning": "abc"}, "Anpassningen finns inte"),
        ({"avtal": "allt"}, "Välj ett av alternativen"),
    ],
)
def test_unknown_filter_values_get_a_swedish_message_not_an_error(
    officer_client, place, place_b, params, message
):
    response = officer_client.get(URL, params)
    assert response.status_code == 400
    assert "Det finns ett problem" in response.text
    assert message in response.text
    # The organisation's limit still holds when its own value could not be read.
    assert titles(response) == ["Snickeri och måleri"]


@pytest.mark.parametrize("page", ["abc", "0", "99999", "-1"])
def test_odd_page_numbers_show_a_page_rather_than_an_error(officer_client, place, page):
    response = officer_client.get(URL, {"sida": page})
    assert response.status_code == 200
    assert titles(response) == ["Snickeri och måleri"]


@pytest.mark.parametrize("key", ["password", "-password", "enterprise.staff", "1.5", "--title"])
# django-tables2 warns when it follows a dotted accessor from the URL: it must never get one.
@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_an_unknown_sort_column_is_ignored(officer_client, place, key):
    for export in (False, True):
        response = officer_client.get(URL + ("export.csv" if export else ""), {"sortera": key})
        assert response.status_code == 200
    assert titles(officer_client.get(URL, {"sortera": key})) == ["Snickeri och måleri"]


def test_sorting_by_free_seats(officer_client, enterprise_a, agreement):
    for title, capacity, taken in [("Två lediga", 3, 1), ("Noll lediga", 1, 1), ("Fem", 5, 0)]:
        place = TrainingPlaceFactory(enterprise=enterprise_a, title=title, capacity=capacity)
        for _ in range(taken):
            PlacementFactory(place=place)

    ascending = officer_client.get(URL, {"sortera": "free_seats"})
    assert titles(ascending) == ["Noll lediga", "Två lediga", "Fem"]
    assert 'aria-sort="ascending"' in ascending.text
    descending = officer_client.get(URL, {"sortera": "-free_seats"})
    assert titles(descending) == ["Fem", "Två lediga", "Noll lediga"]
    assert 'aria-sort="descending"' in descending.text


def test_sort_links_keep_the_filters(officer_client, place, sigtuna):
    response = officer_client.get(URL, {"kommun": sigtuna.pk, "lediga": "on"})
    assert f'href="?kommun={sigtuna.pk}&amp;lediga=on&amp;sortera=free_seats"' in response.text


def test_twenty_five_places_a_page(officer_client, enterprise_a, agreement):
    TrainingPlace.objects.bulk_create(
        TrainingPlace(
            enterprise=enterprise_a, title=f"Plats {n:02d}", capacity=1, hours_min=5, hours_max=10
        )
        for n in range(30)
    )
    first = officer_client.get(URL)
    assert len(titles(first)) == 25
    assert "Sida 1 av 2" in first.text
    assert 'href="?sida=2"' in first.text
    second = officer_client.get(URL, {"sida": 2})
    assert titles(second) == [f"Plats {n:02d}" for n in range(25, 30)]
    sorted_second = officer_client.get(URL, {"sortera": "-title", "sida": 2})
    assert titles(sorted_second) == [f"Plats {n:02d}" for n in range(4, -1, -1)]
    assert 'href="?sortera=-title&amp;sida=1"' in sorted_second.text
    # A page size in the address is not obeyed.
    assert len(titles(officer_client.get(URL, {"per_page": 1000}))) == 25


def test_the_table_shows_what_a_case_officer_needs(officer_client, place, referrer):
    response = officer_client.get(URL)
    page = lxml.html.fromstring(response.text)
    headers = [th.text_content().strip() for th in page.xpath("//table/thead//th")]
    (row,) = page.xpath("//table/tbody/tr")
    cells = [cell.text_content().strip() for cell in row.xpath("./th|./td")]

    # Free seats right after the place; seven columns, so the table fits a laptop's screen.
    assert dict(zip(headers, cells, strict=True)) == {
        "Plats": "Snickeri och måleriVerkstaden",
        "Lediga platser": "2 av 2",
        "Företag": "Värmestugan i Märsta",
        "Kommun": "Sigtuna",
        "Placeringstyper": "AT, FAT",
        "Timmar per vecka": "10–30",
        "Senast bekräftad": timezone.localdate().isoformat(),
    }
    # Each cell names its column, which is what a phone shows on the card.
    assert [td.get("data-label") for td in row.xpath("./td")] == headers[1:]
    assert "<caption" in response.text
    assert 'scope="col"' in response.text


def test_what_the_table_leaves_out_is_on_the_places_own_page(officer_client, place, referrer):
    place.adaptations.add(AdaptationFactory(name="Lugn miljö"))
    table = officer_client.get(URL).text.split("<table", 1)[1]
    assert "Arbetsförmedlingen Märsta" not in table
    assert "AF Märsta" not in table
    assert "Lugn miljö" not in table

    own_page = officer_client.get(reverse("placements:place", args=[place.pk])).text
    assert "Arbetsförmedlingen Märsta" in own_page
    assert "Lugn miljö" in own_page


def test_the_adaptations_filter_is_a_fieldset_whose_legend_is_above_its_boxes(
    officer_client, place
):
    AdaptationFactory(name="Lugn miljö")
    AdaptationFactory(name="Anpassade arbetstider")
    page = lxml.html.fromstring(officer_client.get(URL).text)

    (fieldset,) = page.xpath('//fieldset[.//input[@name="anpassning"]]')
    assert fieldset.find("legend").text_content() == "Anpassningar som platsen ska kunna göra"
    boxes = fieldset.xpath('.//input[@type="checkbox"][@name="anpassning"]')
    assert len(boxes) == 2
    labels = [fieldset.xpath(f'.//label[@for="{box.get("id")}"]')[0].text for box in boxes]
    assert sorted(labels) == ["Anpassade arbetstider", "Lugn miljö"]
    # The checkbox "Bara ... lediga platser" is outside the group, not read as one of its boxes.
    assert not fieldset.xpath('.//input[@name="lediga"]')


def test_without_adaptations_there_is_no_empty_adaptations_group(officer_client, place):
    Adaptation.objects.all().delete()
    response = officer_client.get(URL)
    assert "Anpassningar som platsen ska kunna göra" not in response.text
    assert 'name="lediga"' in response.text


def test_places_not_confirmed_for_sixty_days_are_marked(officer_client, place, enterprise_a):
    place.last_confirmed_on = timezone.localdate() - datetime.timedelta(days=59)
    place.save()
    old = TrainingPlaceFactory(
        enterprise=enterprise_a,
        title="Gammal uppgift",
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=61),
    )
    response = officer_client.get(URL)
    assert response.text.count("Inte bekräftad på länge") == 1
    marked = {record.title: record.is_recently_confirmed for record in records(response)}
    assert marked == {"Snickeri och måleri": True, old.title: False}


def test_the_english_version_lives_under_en(officer_client, place):
    response = officer_client.get("/en/platser/")
    assert response.status_code == 200
    assert titles(response) == ["Snickeri och måleri"]
