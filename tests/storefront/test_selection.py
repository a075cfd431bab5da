"""The home page and /tjanster/ show a selection and /foretag/ pages: their weight does not grow
with the network (issue 15)."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.storefront.helpers import main


@pytest.fixture
def cafe_category(db):
    return factories.ServiceCategoryFactory(name="Café", slug="cafe")


@pytest.fixture
def many(network, cafe_category):
    sigtuna = factories.MunicipalityFactory(name="Sigtuna", slug="sigtuna")
    enterprises = []
    for number in range(30):
        enterprise = factories.EnterpriseFactory(
            name=f"Företag {number:02d}", published=True, municipalities=[sigtuna]
        )
        if number < 15:
            enterprise.service_categories.add(cafe_category)
        enterprises.append(enterprise)
    return enterprises


def cards(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_the_directory_shows_a_page_at_a_time_with_the_filters_kept(client, many):
    first = main(client.get("/foretag/").text)
    second = main(client.get("/foretag/", {"sida": "2"}).text)

    assert cards(first) == [f"Företag {number:02d}" for number in range(24)]
    assert cards(second) == [f"Företag {number:02d}" for number in range(24, 30)]
    assert "30 företag" in first
    assert "Sida 1 av 2: företag 1–24." in first
    assert '<a href="/foretag/?sida=2" rel="next">Nästa</a>' in first
    assert '<a href="/foretag/" rel="prev">Föregående</a>' in second
    assert 'aria-current="page"><span class="visually-hidden">Sida </span>2</a>' in second
    filtered = main(client.get("/foretag/", {"kommun": "sigtuna"}).text)
    assert 'href="/foretag/?kommun=sigtuna&amp;sida=2"' in filtered


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("", 1), ("99", 2), ("0", 2), ("-1", 2)])
def test_a_page_number_that_does_not_exist_shows_a_page_that_does(client, many, asked, shown):
    # Not a number: the first page; out of range: the last (Paginator.get_page).
    response = client.get("/foretag/", {"sida": asked})

    assert response.status_code == 200
    assert f"Sida {shown} av 2" in response.text


def test_one_page_needs_no_page_links(client, network):
    factories.EnterpriseFactory(name="Ensam", published=True)

    page = main(client.get("/foretag/").text)

    assert cards(page) == ["Ensam"]
    assert "Nästa" not in page and "Sida 1 av" not in page


def test_the_home_page_shows_a_selection_and_links_to_all(client, many):
    page = main(client.get("/").text)

    assert len(cards(page)) == 12
    assert "Vi är 30 arbetsintegrerande sociala företag" in page
    assert '<a href="/foretag/">Alla 30 företag</a>' in page
    sellers = re.search(r"Säljs av:(.*?)</p>", page, re.DOTALL)[1]
    assert re.findall(r">(Företag \d+)</a>", sellers) == [f"Företag {n:02d}" for n in range(6)]
    assert '<a href="/foretag/?tjanst=cafe">och 9 företag till</a>' in sellers
    others = re.search(r"Fråga oss om:(.*?)</p>", page, re.DOTALL)[1]
    assert re.findall(r">(Företag \d+)</a>", others) == [f"Företag {n}" for n in range(15, 21)]
    assert "och 9 företag till" in others


def test_the_services_page_lists_the_first_sellers_of_each_category(client, many):
    page = main(client.get("/tjanster/").text)

    cafe = page.split('id="heading-cafe"')[1].split("</section>")[0]
    assert re.findall(r">(Företag \d+)</a></h3>", cafe) == [f"Företag {n:02d}" for n in range(12)]
    assert '<a href="/foretag/?tjanst=cafe">Alla 15 företag som säljer det här</a>' in cafe
    assert "och 3 företag till i listan över alla företag" in page
