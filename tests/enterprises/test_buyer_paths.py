"""Where a buyer goes when a search finds nothing, and from an enterprise to the contact form."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.contact.test_page import selected_option
from tests.storefront.conftest import EMAIL, PHONE
from tests.storefront.helpers import main, text


@pytest.fixture
def network(db):
    return factories.NetworkProfileFactory(phone=PHONE, email=EMAIL)


def test_a_search_that_finds_nothing_suggests_what_is_sold_and_the_phone(client, network):
    cafe = factories.ServiceCategoryFactory(name="Café och catering", slug="cafe", order=1)
    property_services = factories.ServiceCategoryFactory(
        name="Fastighetsservice", slug="fastighetsservice", order=2
    )
    factories.ServiceCategoryFactory(name="Rymdresor", slug="rymdresor")  # sold by no one
    hidden = factories.ServiceCategoryFactory(name="Hemligheter", slug="hemligheter")
    factories.EnterpriseFactory(name="Caféet").service_categories.set([cafe])
    factories.EnterpriseFactory(name="Fastighetsbolaget").service_categories.set(
        [property_services, cafe]
    )
    factories.EnterpriseFactory(name="Opublicerat", published=False).service_categories.set(
        [hidden]
    )

    response = client.get("/foretag/", {"q": "helikopter"})

    page = main(response.text)
    words = text(page)
    assert "0 företag" in words
    assert (
        "Inget företag passar din sökning. Prova ett annat ord eller visa alla företag. "
        "Det här säljer nätverkets företag Café och catering Fastighetsservice "
        "Vi kan hjälpa dig att hitta rätt. Ring 08-465 004 00."
    ) in words
    links = re.findall(r'<a href="(/foretag/\?tjanst=[^"]+)">([^<]+)</a>', page)
    assert links == [
        ("/foretag/?tjanst=cafe", "Café och catering"),
        ("/foretag/?tjanst=fastighetsservice", "Fastighetsservice"),
    ]
    # A list with a name of its own, so a screen reader says what the links are.
    assert '<h3 id="suggestions-heading">' in page
    assert '<ul class="tags" aria-labelledby="suggestions-heading">' in page
    assert 'href="tel:+46846500400"' in page


def test_a_suggested_service_leads_to_the_enterprises_that_sell_it(client, network):
    cafe = factories.ServiceCategoryFactory(name="Café och catering", slug="cafe")
    factories.EnterpriseFactory(name="Caféet").service_categories.set([cafe])

    response = client.get("/foretag/", {"tjanst": "cafe"})

    assert "1 företag" in text(main(response.text))
    assert "Caféet" in text(main(response.text))


def test_results_come_without_suggestions(client, network):
    cafe = factories.ServiceCategoryFactory(name="Café och catering", slug="cafe")
    factories.EnterpriseFactory(name="Caféet").service_categories.set([cafe])

    page = main(client.get("/foretag/", {"q": "fika"}).text)

    assert "1 företag" in text(page)
    assert "suggestions-heading" not in page


def test_enterprises_without_a_service_are_shown_under_a_plain_heading(client, network):
    factories.EnterpriseFactory(name="Livskraft", summary="Friskvård i Sollentuna.")

    page = main(client.get("/tjanster/").text)

    words = text(page)
    assert "Fler företag i nätverket Läs på företagens sidor vad de gör" in words
    assert "Livskraft Friskvård i Sollentuna." in words
    assert '<a href="#fler-foretag">Fler företag i nätverket</a>' in page
    assert "Övrigt" not in words
    assert "inte valt någon tjänst" not in words


def test_write_to_us_on_an_enterprise_page_opens_the_form_with_the_enterprise_chosen(
    client, network
):
    enterprise = factories.EnterpriseFactory(name="Livskraft", slug="livskraft")
    factories.EnterpriseFactory(name="Annat företag", slug="annat-foretag")

    page = main(client.get(enterprise.get_absolute_url()).text)

    link = re.search(r'<a href="([^"]+)">Skriv till oss</a>', page).group(1)
    assert link == "/kontakt/?amne=buy&amp;foretag=livskraft"
    form = client.get(link.replace("&amp;", "&")).text
    assert selected_option(form, "enterprise") == "livskraft"
    assert re.search(r'<input type="radio" name="topic" value="buy"[^>]*\bchecked>', form)
