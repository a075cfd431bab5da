"""Anonymous visitors get cached pages; saving what a page shows makes its copy stale."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client

from enterprises.models import NetworkProfile
from tests import factories
from tests.admin.helpers import admin_url, management_form
from tests.storefront.helpers import main, text

CACHED_PAGES = [
    "/sitemap.xml",
    "/",
    "/foretag/",
    "/foretag/?kommun=sigtuna",
    "/foretag/cafe/",
    "/tjanster/",
    "/om/",
]


@pytest.fixture
def enterprise(network):
    sigtuna = factories.MunicipalityFactory(name="Sigtuna", slug="sigtuna")
    return factories.EnterpriseFactory(
        name="Café Nyfiket", slug="cafe", summary="Fika.", municipalities=[sigtuna]
    )


@pytest.mark.parametrize("path", CACHED_PAGES)
def test_a_second_anonymous_visit_reads_nothing_from_the_database(
    client, enterprise, django_assert_num_queries, path
):
    first = client.get(path)

    with django_assert_num_queries(0):
        second = client.get(path)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content


def test_each_language_and_query_string_has_its_own_copy(client, enterprise):
    client.get("/foretag/")

    english = client.get("/en/foretag/")
    filtered = client.get("/foretag/", {"kommun": "nope"})

    assert '<html lang="en">' in english.text
    assert "Vi hittade ingen kommun som heter ”nope”" in text(filtered.text)


def test_the_contact_form_is_never_cached(client, enterprise):
    first = Client().get("/kontakt/")
    second = Client().get("/kontakt/")

    assert 'name="csrfmiddlewaretoken"' in second.text
    # Each visitor gets a form with a token of their own (tokens are masked per response).
    assert first.content != second.content


def message_cookie(text: str) -> str:
    """The cookie that carries a one-off message ("Tack ...") to the next page."""
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies["messages"].value


def test_a_page_with_a_message_for_the_visitor_is_not_kept_for_others(client, enterprise):
    visitor, other = Client(), Client()
    visitor.cookies.load({"messages": message_cookie("Tack för ditt meddelande!")})

    with_message = visitor.get("/")
    without = other.get("/")

    assert "Tack för ditt meddelande!" in with_message.text
    assert "Tack för ditt meddelande!" not in without.text


def test_an_admin_save_of_the_network_shows_the_new_number_at_once(
    client, enterprise, coordinator_client
):
    visitor = Client()
    assert "08-465 004 00" in visitor.get("/foretag/cafe/").text
    network = NetworkProfile.objects.get()

    response = coordinator_client.post(
        admin_url(network, "change"),
        {
            "name": network.name,
            "short_name": network.short_name,
            "phone": "08-465 004 99",
            "email": network.email,
            "website": network.website,
        },
    )

    assert response.status_code == 302
    page = visitor.get("/foretag/cafe/").text
    assert '<a href="tel:+46846500499">08-465 004 99</a>' in page
    assert "08-465 004 00" not in page


def test_an_admin_save_of_an_enterprise_shows_on_every_page_at_once(
    client, enterprise, coordinator_client
):
    visitor = Client()
    for path in ("/", "/foretag/", "/foretag/cafe/"):
        assert "Fika." in visitor.get(path).text

    response = coordinator_client.post(
        admin_url(enterprise, "change"),
        {
            "name": enterprise.name,
            "slug": enterprise.slug,
            "start_year": "2015",
            "summary_sv": "Nybakat bröd varje morgon.",
            "municipalities": [str(m.pk) for m in enterprise.municipalities.all()],
            "published": "on",
            **management_form("aliases"),
            **management_form("legal_entities"),
            **management_form("units"),
            **management_form("training_places"),
        },
    )

    assert response.status_code == 302, response.text
    for path in ("/", "/foretag/", "/foretag/cafe/"):
        assert "Nybakat bröd varje morgon." in visitor.get(path).text


def test_a_new_placement_updates_the_free_seats_at_once(client, enterprise):
    place = factories.TrainingPlaceFactory(enterprise=enterprise, capacity=1)
    assert "Lediga platser just nu" in text(main(client.get("/foretag/cafe/").text))

    factories.PlacementFactory(place=place)

    assert "Inga lediga platser just nu" in text(main(client.get("/foretag/cafe/").text))


def test_a_new_category_for_an_enterprise_shows_in_the_filtered_list_at_once(client, enterprise):
    second_hand = factories.ServiceCategoryFactory(name="Second hand", slug="second-hand")
    assert "0 företag" in text(client.get("/foretag/?tjanst=second-hand").text)

    enterprise.service_categories.add(second_hand)

    assert "1 företag" in text(client.get("/foretag/?tjanst=second-hand").text)


def test_unpublishing_removes_the_page_at_once(client, enterprise):
    assert client.get("/foretag/cafe/").status_code == 200

    enterprise.published = False
    enterprise.save()

    assert client.get("/foretag/cafe/").status_code == 404
    assert "Café Nyfiket" not in client.get("/").text
