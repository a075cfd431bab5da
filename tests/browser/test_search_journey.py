"""A buyer searches the directory for cleaning, finds the enterprise and writes to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    DESKTOP,
    axe_violations,
    describe_violations,
    horizontal_overflow,
    screenshot,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 700}
SIZES = {"desktop": DESKTOP, "320": NARROW}
PROPERTY = "M29 Fastighetservice"


@pytest.mark.parametrize("size", SIZES)
def test_a_buyer_searches_for_cleaning_and_writes_to_the_enterprise(page, site, size):
    page.set_viewport_size(SIZES[size])
    page.goto(site.url("/foretag/"))

    page.get_by_label("Sök", exact=True).fill("städ")
    page.get_by_role("button", name="Visa företag").click()

    main = page.get_by_role("main")
    expect(page).to_have_url(site.url("/foretag/?q=st%C3%A4d&kommun=&tjanst="))
    expect(main.get_by_role("heading", level=2, name="1 företag")).to_be_visible()
    check_page(page, f"search-results-{size}")

    main.get_by_role("link", name=PROPERTY).click()
    expect(page.get_by_role("heading", level=1, name=PROPERTY)).to_be_visible()
    main.get_by_role("link", name="Skriv till oss").click()

    expect(page.get_by_role("heading", level=1, name="Kontakta oss")).to_be_visible()
    expect(page.get_by_label("Företag (valfritt)")).to_have_value("m29-fastighetservice")
    expect(page.get_by_label("Köpa en vara eller tjänst")).to_be_checked()
    check_page(page, f"search-contact-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_a_search_that_finds_nothing_offers_the_services_and_the_phone(page, site, size):
    page.set_viewport_size(SIZES[size])
    page.goto(site.url("/foretag/?q=helikopter"))

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=2, name="0 företag")).to_be_visible()
    services = main.get_by_role("list", name="Det här säljer nätverkets företag")
    expect(services.get_by_role("link")).to_have_count(6)  # every seeded service is sold
    expect(main.get_by_role("link", name="08-465 004 00")).to_be_visible()
    check_page(page, f"search-nothing-{size}")

    services.get_by_role("link", name="Fastighetsservice").click()
    expect(page).to_have_url(site.url("/foretag/?tjanst=fastighetsservice"))
    expect(main.get_by_role("link", name=PROPERTY)).to_be_visible()


def check_page(page, name: str) -> None:
    screenshot(page, name, "view")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    assert horizontal_overflow(page) == 0
