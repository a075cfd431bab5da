"""The plain pages, the 404 page that helps on, and the 500 page that needs nothing."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from tests.storefront.conftest import PHONE, PHONE_URI
from tests.storefront.helpers import h1_count, main, text


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/om/", "nätverket"),
        ("/tillganglighet/", "Tillgänglighet"),
        ("/integritet/", "personuppgifter"),
    ],
)
def test_the_about_accessibility_and_privacy_pages_answer(client, network, path, heading):
    response = client.get(path)

    assert response.status_code == 200
    assert h1_count(response.text) == 1
    assert heading.lower() in response.text.split("<h1>")[1].split("</h1>")[0].lower()


def test_the_not_found_page_helps_the_visitor_on(client, network):
    response = client.get("/finns-inte/")

    page = main(response.text)
    assert response.status_code == 404
    assert h1_count(response.text) == 1
    assert "Sidan finns inte" in text(page)
    assert '<form class="search-box" method="get" action="/foretag/"' in page
    assert '<label for="notfound-q">' in page
    for link in ('href="/"', 'href="/foretag/"', 'href="/kontakt/"'):
        assert link in page
    assert f'<a href="{PHONE_URI}">{PHONE}</a>' in page


def test_the_not_found_page_is_not_indexed(client, network):
    response = client.get("/foretag/finns-inte/")

    assert response.status_code == 404
    assert '<meta name="robots" content="noindex">' in response.text


def test_the_server_error_page_renders_without_a_request_or_the_database():
    # No `db` fixture: a query would raise here.
    page = render_to_string("500.html")

    assert "Något gick fel hos oss" in page
    assert 'href="/"' in page
    assert 'href="/kontakt/"' in page
