"""Logged in, a person knows where they are: a case officer logs in, lands on the training
places, sees their name and "Logga ut" on the storefront too, logs out with the button and is
a visitor again. Every page on the way passes all of axe-core's rules (best practices too) at
desktop width and on a 320 px phone, and is saved in var/screenshots/signed-in-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from asfnet.demo import CASE_OFFICER_EMAIL, DEMO_PASSWORD, demo_content_load
from tests.browser.helpers import DESKTOP, SMALL_PHONE, assert_page_checked

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": DESKTOP, "320": SMALL_PHONE}


def check(page, name: str, viewport_name: str) -> None:
    assert_page_checked(page, f"signed-in-{name}", viewport_name)


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_a_case_officer_logs_in_sees_who_they_are_everywhere_and_logs_out(
    page, site, viewport_name
):
    demo_content_load()
    page.set_viewport_size(VIEWPORTS[viewport_name])
    account = page.get_by_role("navigation", name="Ditt konto")

    page.goto(site.url("/"))
    check(page, "home-visitor", viewport_name)
    expect(account).to_have_count(0)
    page.get_by_role("contentinfo").get_by_role(
        "link", name="Logga in (handläggare och företag)"
    ).click()

    page.get_by_label("E-postadress").fill(CASE_OFFICER_EMAIL)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()

    # Lands on the training places, with the frame.
    expect(page).to_have_url(site.url("/platser/"))
    expect(account).to_contain_text("Inloggad som Demo Handläggare")
    expect(account).to_contain_text("handläggare på Arbetsförmedlingen")
    start = account.get_by_role("link", name="Arbetsträningsplatser")
    expect(start).to_have_attribute("aria-current", "page")
    check(page, "places", viewport_name)

    # The storefront shows who is logged in too, and the footer no longer offers a login.
    page.goto(site.url("/"))
    expect(account).to_contain_text("Inloggad som Demo Handläggare")
    expect(account.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(page.get_by_role("contentinfo")).not_to_contain_text("Logga in")
    check(page, "home", viewport_name)

    # The logout button is reachable from the keyboard and shows where the focus is.
    logout = account.get_by_role("button", name="Logga ut")
    logout.focus()
    outline = logout.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"
    check(page, "home-logout-focused", viewport_name)

    # The link to the start page leads back to work.
    account.get_by_role("link", name="Arbetsträningsplatser").click()
    expect(page).to_have_url(site.url("/platser/"))

    # Logging out with the button: a visitor again.
    page.goto(site.url("/foretag/"))
    check(page, "directory", viewport_name)
    account.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(site.url("/"))
    expect(account).to_have_count(0)
    expect(page.get_by_role("banner")).not_to_contain_text("Demo Handläggare")
    expect(
        page.get_by_role("contentinfo").get_by_role(
            "link", name="Logga in (handläggare och företag)"
        )
    ).to_be_visible()
    check(page, "logged-out", viewport_name)

    # The places are closed again.
    page.goto(site.url("/platser/"))
    expect(page).to_have_url(site.url("/konto/login/?next=/platser/"))
