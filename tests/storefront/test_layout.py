"""Every public page: the one number and email in header and footer, navigation, languages."""

from __future__ import annotations

import pytest

from tests import factories
from tests.storefront.conftest import EMAIL, PHONE, PHONE_URI
from tests.storefront.helpers import footer, h1_count, header

PUBLIC_PAGES = [
    "/",
    "/foretag/",
    "/foretag/?kommun=nope",
    "/foretag/cafe-nyfiket/",
    "/tjanster/",
    "/kontakt/",
    "/om/",
    "/tillganglighet/",
    "/integritet/",
    "/finns-inte/",
    "/en/",
    "/en/foretag/",
    "/en/foretag/cafe-nyfiket/",
    "/en/tjanster/",
]


@pytest.fixture
def site(network):
    factories.EnterpriseFactory(name="Café Nyfiket", slug="cafe-nyfiket")
    return network


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_the_phone_number_and_email_in_header_and_footer(client, site, path):
    response = client.get(path)

    assert response.status_code in (200, 404)
    for part in (header(response.text), footer(response.text)):
        assert f'href="{PHONE_URI}"' in part
        assert PHONE in part
        assert f'href="mailto:{EMAIL}"' in part


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_one_main_heading_and_its_landmarks(client, site, path):
    page = client.get(path).text

    assert h1_count(page) == 1
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert '<nav class="site-nav" aria-label="' in page
    assert "<footer" in page


def test_the_header_names_the_network_and_links_home(client, site):
    top = header(client.get("/tjanster/").text)

    assert '<a class="site-header__name" href="/">' in top
    assert "ASF-nätverket" in top


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/foretag/", '<a href="/foretag/" aria-current="page">'),
        ("/tjanster/", '<a href="/tjanster/" aria-current="page">'),
        ("/om/", '<a href="/om/" aria-current="page">'),
        ("/foretag/cafe-nyfiket/", '<a href="/foretag/" aria-current="true">'),
    ],
)
def test_the_navigation_marks_where_the_visitor_is(client, site, path, current):
    top = header(client.get(path).text)

    assert current in top
    assert top.count("aria-current") == 1


def test_the_navigation_leads_to_every_part_of_the_storefront(client, site):
    top = header(client.get("/").text)

    for href in ("/foretag/", "/tjanster/", "/om/", "/kontakt/", "/#for-handlaggare"):
        assert f'href="{href}"' in top


@pytest.mark.parametrize(
    ("path", "switch"),
    [
        ("/", '<a class="site-header__language" href="/en/" lang="en" hreflang="en">English</a>'),
        (
            "/foretag/cafe-nyfiket/",
            '<a class="site-header__language" href="/en/foretag/cafe-nyfiket/" lang="en" '
            'hreflang="en">English</a>',
        ),
        (
            "/en/tjanster/",
            '<a class="site-header__language" href="/tjanster/" lang="sv" '
            'hreflang="sv">Svenska</a>',
        ),
        (
            "/foretag/?kommun=nope&q=fika&utm_source=x",
            '<a class="site-header__language" href="/en/foretag/?q=fika" lang="en" '
            'hreflang="en">English</a>',
        ),
        (
            "/finns-inte/",
            '<a class="site-header__language" href="/en/" lang="en" hreflang="en">English</a>',
        ),
    ],
)
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(
    client, site, path, switch
):
    assert switch in header(client.get(path).text)


def test_english_pages_live_under_en_and_say_so(client, site):
    swedish = client.get("/foretag/")
    english = client.get("/en/foretag/")

    assert '<html lang="sv">' in swedish.text
    assert '<html lang="en">' in english.text
    assert client.get("/sv/foretag/").status_code == 404


def test_the_footer_links_to_the_plain_pages_and_to_logging_in(client, site):
    bottom = footer(client.get("/").text)

    for href in ("/om/", "/tillganglighet/", "/integritet/", "/konto/login/", "/kontakt/"):
        assert f'href="{href}"' in bottom
