"""The contact page itself: what it offers, what a link can preselect, and what it costs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories


def checked_topic(html: str) -> str | None:
    match = re.search(r'<input type="radio" name="topic" value="(\w+)"[^>]*\bchecked>', html)
    return match.group(1) if match else None


def selected_option(html: str, name: str) -> str:
    """The option a browser shows as chosen: the one marked selected, else the first."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    selected = re.search(r'<option value="([^"]*)" selected>', select)
    return selected.group(1) if selected else re.search(r'<option value="([^"]*)"', select).group(1)


def test_the_form_offers_the_topics_the_published_enterprises_and_the_services(
    client, network, enterprise, category
):
    factories.EnterpriseFactory(name="Ännu inte publicerat", published=False)

    response = client.get("/kontakt/")

    assert response.status_code == 200
    assert "<h1>Kontakta oss</h1>" in response.text
    for label in [
        "Köpa en vara eller tjänst",
        "Arbetsträning eller praktikplats",
        "Bli medlem i nätverket",
        "Något annat",
    ]:
        assert label in response.text
    assert f'<option value="{enterprise.slug}">Värmekällan i Väsby</option>' in response.text
    assert f'<option value="{category.slug}">Café och catering</option>' in response.text
    assert "Ännu inte publicerat" not in response.text
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")


def test_the_form_is_built_for_assistive_technology_and_autofill(client, network):
    html = client.get("/kontakt/").text

    assert '<form method="post" action="/kontakt/" novalidate>' in html
    assert '<legend class="fieldset__legend">Vad gäller ditt meddelande?</legend>' in html
    assert '<label class="radios__label" for="id_topic_2">Bli medlem i nätverket</label>' in html
    assert '<label class="label" for="id_name">Ditt namn</label>' in html
    assert '<input type="text" name="name" autocomplete="name"' in html
    assert '<input type="email" name="email" autocomplete="email"' in html
    assert '<input type="tel" name="phone" autocomplete="tel"' in html
    assert 'aria-describedby="id_message_helptext"' in html
    assert "error-summary" not in html


def test_a_link_can_preselect_topic_enterprise_and_service(client, network, enterprise, category):
    response = client.get(
        f"/kontakt/?amne=membership&foretag={enterprise.slug}&tjanst={category.slug}"
    )

    assert response.status_code == 200
    assert checked_topic(response.text) == "membership"
    assert selected_option(response.text, "enterprise") == enterprise.slug
    assert selected_option(response.text, "service_category") == category.slug


@pytest.mark.parametrize(
    "query",
    [
        "?amne=lottery&foretag=finns-inte&tjanst=finns-inte",
        "?amne=&foretag=&tjanst=",
        '?amne="><script>&foretag=<b>',
    ],
)
def test_unknown_values_in_the_link_are_ignored(client, network, enterprise, category, query):
    response = client.get(f"/kontakt/{query}")

    assert response.status_code == 200
    assert checked_topic(response.text) is None
    assert selected_option(response.text, "enterprise") == ""
    assert selected_option(response.text, "service_category") == ""
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_an_unpublished_enterprise_cannot_be_preselected(client, network):
    hidden = factories.EnterpriseFactory(published=False)

    response = client.get(f"/kontakt/?foretag={hidden.slug}")

    assert f'<option value="{hidden.slug}"' not in response.text
    assert selected_option(response.text, "enterprise") == ""


def test_the_form_is_in_english_under_en(client, network):
    response = client.get("/en/kontakt/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert '<form method="post" action="/en/kontakt/" novalidate>' in response.text


def test_the_receipt_page_is_not_for_search_engines(client, network):
    response = client.get(reverse("enterprises:contact_done"))

    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.text


def test_other_methods_are_refused(client, network):
    assert client.put("/kontakt/").status_code == 405
    assert client.post("/kontakt/tack/").status_code == 405


@pytest.mark.parametrize("enterprises", [5, 100])
def test_the_page_costs_the_same_queries_with_5_or_100_enterprises(
    client, network, enterprises, django_assert_max_num_queries
):
    factories.EnterpriseFactory.create_batch(enterprises)
    factories.ServiceCategoryFactory.create_batch(10)

    with django_assert_max_num_queries(3):
        response = client.get("/kontakt/")

    assert response.text.count('<option value="testforetaget-') == enterprises
