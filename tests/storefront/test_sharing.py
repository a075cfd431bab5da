"""What search engines and link previews read: sitemap, robots.txt, Open Graph, JSON-LD."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests import factories
from tests.storefront.conftest import EMAIL, PHONE_URI
from tests.storefront.helpers import json_ld, meta

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def enterprise(network):
    sigtuna = factories.MunicipalityFactory(name="Sigtuna")
    enterprise = factories.EnterpriseFactory(
        name="Café Nyfiket", slug="cafe-nyfiket", summary="Fika mitt i Sigtuna."
    )
    enterprise.municipalities.set([sigtuna])
    factories.UnitFactory(
        enterprise=enterprise,
        name="Kulturcafé",
        street_address="Stora gatan 1",
        postal_code="193 30",
        city="Sigtuna",
    )
    return enterprise


def sitemap_locations(response) -> dict[str, list[tuple[str, str]]]:
    """Each <loc> with its hreflang alternates."""
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): [
            (link.get("hreflang"), link.get("href")) for link in url.findall(f"{XHTML}link")
        ]
        for url in root.findall(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_published_enterprises_in_both_languages(client, enterprise):
    factories.EnterpriseFactory(name="Hemliga", slug="hemliga", published=False)

    response = client.get("/sitemap.xml")

    locations = sitemap_locations(response)
    assert response.status_code == 200
    assert "http://testserver/foretag/cafe-nyfiket/" in locations
    assert "http://testserver/en/foretag/cafe-nyfiket/" in locations
    assert ("en", "http://testserver/en/foretag/cafe-nyfiket/") in locations[
        "http://testserver/foretag/cafe-nyfiket/"
    ]
    assert not any("hemliga" in location for location in locations)


def test_the_sitemap_lists_the_fixed_pages(client, network):
    locations = sitemap_locations(client.get("/sitemap.xml"))

    for path in ("/", "/foretag/", "/tjanster/", "/kontakt/", "/om/", "/en/tillganglighet/"):
        assert f"http://testserver{path}" in locations
    assert not any("/konto/" in location or "/admin/" in location for location in locations)


def test_robots_txt_allows_the_storefront_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert lines[:3] == ["User-agent: *", "Allow: /", "Disallow: /admin/"]
    for path in ("/konto/", "/platser/", "/en/konto/", "/en/platser/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_home_page_describes_the_network_as_an_organization(client, enterprise, network):
    data = json_ld(client.get("/").text)

    assert len(data) == 1
    organisation = data[0]
    assert organisation["@context"] == "https://schema.org"
    assert organisation["@type"] == "Organization"
    assert organisation["name"] == network.name
    assert organisation["telephone"] == PHONE_URI.removeprefix("tel:")
    assert organisation["email"] == EMAIL
    assert organisation["url"] == "http://testserver/"
    assert organisation["member"] == [
        {"@type": "Organization", "name": "Café Nyfiket", "url": enterprise_url(enterprise)}
    ]


def enterprise_url(enterprise) -> str:
    return f"http://testserver{enterprise.get_absolute_url()}"


def test_an_enterprise_page_describes_a_local_business_with_its_addresses(client, enterprise):
    data = json_ld(client.get(enterprise.get_absolute_url()).text)

    business = data[0]
    assert business["@type"] == "LocalBusiness"
    assert business["name"] == "Café Nyfiket"
    assert business["url"] == enterprise_url(enterprise)
    assert business["telephone"] == PHONE_URI.removeprefix("tel:")  # the network's number
    assert business["address"] == {
        "@type": "PostalAddress",
        "name": "Kulturcafé",
        "streetAddress": "Stora gatan 1",
        "postalCode": "193 30",
        "addressLocality": "Sigtuna",
        "addressCountry": "SE",
    }
    assert business["memberOf"]["telephone"] == PHONE_URI.removeprefix("tel:")


def test_an_enterprise_with_its_own_number_gives_that_number(client, enterprise):
    enterprise.phone = "08-465 004 42"
    enterprise.save()

    business = json_ld(client.get(enterprise.get_absolute_url()).text)[0]

    assert business["telephone"] == "+46846500442"


def test_structured_data_cannot_close_its_script_element(client, enterprise):
    enterprise.summary = "</script><script>alert(1)</script> & mer"
    enterprise.save()

    page = client.get(enterprise.get_absolute_url()).text

    assert "</script><script>alert(1)" not in page
    assert json_ld(page)[0]["description"] == "</script><script>alert(1)</script> & mer"


@pytest.mark.parametrize(
    ("path", "title", "locale", "url"),
    [
        ("/", "ASF Nätverket", "sv_SE", "http://testserver/"),
        (
            "/foretag/cafe-nyfiket/",
            "Café Nyfiket",
            "sv_SE",
            "http://testserver/foretag/cafe-nyfiket/",
        ),
        ("/en/tjanster/", "", "en_GB", "http://testserver/en/tjanster/"),
        (
            "/foretag/?q=fika&tjanst=nope",
            "",
            "sv_SE",
            "http://testserver/foretag/?q=fika",
        ),
    ],
)
def test_pages_carry_open_graph_tags_for_link_previews(
    client, enterprise, path, title, locale, url
):
    page = client.get(path).text

    assert meta(page, "og:title").startswith(title)
    assert meta(page, "og:description")
    assert meta(page, "og:type") in ("website", "business.business")
    assert meta(page, "og:url") == url
    assert meta(page, "og:locale") == locale
    assert meta(page, "description") == meta(page, "og:description")


def test_an_enterprise_page_has_its_own_title_description_and_canonical_link(client, enterprise):
    page = client.get(enterprise.get_absolute_url() + "?utm_source=nyhetsbrev").text

    assert "<title>Café Nyfiket – ASF Nätverket" in page
    assert meta(page, "description") == "Fika mitt i Sigtuna."
    assert '<link rel="canonical" href="http://testserver/foretag/cafe-nyfiket/">' in page
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/foretag/cafe-nyfiket/">'
        in page
    )
