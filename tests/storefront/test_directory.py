"""/foretag/: every published enterprise, filtered by plain GET parameters that can be shared."""

from __future__ import annotations

import pytest

from enterprises.models import EnterpriseAlias
from tests import factories
from tests.storefront.helpers import main, text


@pytest.fixture
def directory(network):
    """Three enterprises in two municipalities selling different things."""
    sigtuna = factories.MunicipalityFactory(name="Sigtuna", slug="sigtuna")
    vasby = factories.MunicipalityFactory(name="Upplands Väsby", slug="upplands-vasby")
    second_hand = factories.ServiceCategoryFactory(name="Second hand", slug="second-hand")
    cafe = factories.ServiceCategoryFactory(name="Café och catering", slug="cafe")
    love_and_hope = factories.EnterpriseFactory(
        name="Love & Hope Secondhand", municipalities=[sigtuna], summary="Kläder och möbler."
    )
    love_and_hope.service_categories.set([second_hand])
    nyfiket = factories.EnterpriseFactory(
        name="Café Nyfiket",
        municipalities=[sigtuna],
        summary="Ett kafé mitt i stan.",
        services_text="Fika, lunch och catering till möten.",
    )
    nyfiket.service_categories.set([cafe])
    varmekallan = factories.EnterpriseFactory(
        name="Värmekällan i Väsby",
        municipalities=[vasby],
        summary="Second hand och café.",
        description="Vi driver en loppis med fika.",
    )
    varmekallan.service_categories.set([second_hand, cafe])
    factories.EnterpriseFactory(
        name="Opublicerade Loppisen", municipalities=[sigtuna], published=False
    ).service_categories.set([second_hand])
    return {"love_and_hope": love_and_hope, "nyfiket": nyfiket, "varmekallan": varmekallan}


def names_listed(response) -> list[str]:
    page = main(response.text)
    cards = page.split('<article class="card">')[1:]
    return sorted(text(card.split("</h3>")[0]) for card in cards)


def test_it_lists_every_published_enterprise_with_the_number_of_hits(client, directory):
    response = client.get("/foretag/")

    assert response.status_code == 200
    assert names_listed(response) == [
        "Café Nyfiket",
        "Love & Hope Secondhand",
        "Värmekällan i Väsby",
    ]
    assert "3 företag" in text(main(response.text))


def test_it_filters_by_municipality(client, directory):
    response = client.get("/foretag/", {"kommun": "upplands-vasby"})

    assert names_listed(response) == ["Värmekällan i Väsby"]
    assert "1 företag" in text(main(response.text))
    assert '<option value="upplands-vasby" selected>' in response.text


def test_it_filters_by_service_category(client, directory):
    response = client.get("/foretag/", {"tjanst": "second-hand"})

    assert names_listed(response) == ["Love & Hope Secondhand", "Värmekällan i Väsby"]
    assert '<option value="second-hand" selected>' in response.text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nyfiket", "Café Nyfiket"),  # the name, in any case
        ("NYFIKET", "Café Nyfiket"),
        ("kläder", "Love & Hope Secondhand"),  # the summary
        ("catering till möten", "Café Nyfiket"),  # what it sells
        ("driver", "Värmekällan i Väsby"),  # the description
    ],
)
def test_it_searches_names_and_descriptions(client, directory, query, found):
    response = client.get("/foretag/", {"q": query})

    assert names_listed(response) == [found]
    assert f'value="{query}"' in response.text


def test_it_finds_an_enterprise_by_a_former_name(client, directory):
    EnterpriseAlias.objects.create(
        enterprise=directory["love_and_hope"],
        name="Service i Sigtuna",
        slug="service-i-sigtuna",
        kind=EnterpriseAlias.Kind.FORMER,
    )

    response = client.get("/foretag/", {"q": "service i sig"})

    assert names_listed(response) == ["Love & Hope Secondhand"]


def test_filters_combine(client, directory):
    response = client.get("/foretag/", {"kommun": "sigtuna", "tjanst": "cafe", "q": "fika"})

    assert names_listed(response) == ["Café Nyfiket"]
    words = text(main(response.text))
    assert "Kommun: Sigtuna" in words
    assert "Tjänst: Café och catering" in words
    assert "Sökord: ”fika”" in words


def test_a_filter_that_finds_nothing_says_so_and_offers_help(client, directory):
    response = client.get("/foretag/", {"q": "helikopter"})

    words = text(main(response.text))
    assert names_listed(response) == []
    assert "0 företag" in words
    assert "Inget företag passar din sökning" in words
    assert 'href="tel:+46846500400"' in main(response.text)


def test_an_unknown_municipality_is_ignored_and_explained(client, directory):
    response = client.get("/foretag/", {"kommun": "nope"})

    assert response.status_code == 200
    assert len(names_listed(response)) == 3
    assert "Vi hittade ingen kommun som heter ”nope”, så den filtreringen används inte." in text(
        response.text
    )


def test_an_unknown_category_is_ignored_and_explained_while_other_filters_work(client, directory):
    response = client.get("/foretag/", {"tjanst": "rymdresor", "kommun": "upplands-vasby"})

    assert names_listed(response) == ["Värmekällan i Väsby"]
    assert (
        "Vi hittade ingen tjänst som heter ”rymdresor”, så den filtreringen används inte."
        in text(response.text)
    )


def test_html_in_the_search_is_shown_escaped(client, directory):
    response = client.get("/foretag/", {"q": '<script>alert("x")</script>', "kommun": "<b>x</b>"})

    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text
    assert "<b>x</b>" not in response.text
    assert "”&lt;b&gt;x&lt;/b&gt;”" in response.text


def test_a_huge_search_is_cut_to_100_characters_and_explained(client, directory):
    response = client.get("/foretag/", {"q": "a" * 10_000})

    assert response.status_code == 200
    assert f'value="{"a" * 100}"' in response.text
    assert "a" * 101 not in response.text
    assert "sökte bara på de första 100 tecknen" in text(response.text)


@pytest.mark.parametrize(
    "query", ["nyfi\x00ket", "nyfi\x1bket", "\u200bnyfiket\u202e", " nyfiket \n"]
)
def test_control_characters_in_the_search_are_dropped(client, directory, query):
    response = client.get("/foretag/", {"q": query})

    assert response.status_code == 200
    assert names_listed(response) == ["Café Nyfiket"]


def test_the_filters_are_a_labelled_form_that_works_without_javascript(client, directory):
    page = client.get("/foretag/").text

    assert '<form class="filters" method="get" action="/foretag/"' in page
    for field in ("filter-q", "filter-kommun", "filter-tjanst"):
        assert f'<label for="{field}">' in page
    assert 'name="q"' in page and 'name="kommun"' in page and 'name="tjanst"' in page
    assert '<button type="submit" class="button">Visa företag</button>' in page
    assert '<option value="sigtuna">Sigtuna</option>' in page
    assert "<script" not in page.replace('<script type="application/ld+json">', "")
