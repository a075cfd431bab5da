"""Logged in, a person knows where they are: a case officer logs in, lands on the training
places, sees their name and "Logga ut" on the storefront too, logs out with the button and is
a visitor again; and a case officer's day: log in, see the free seats, ask for a place, log
out. Every page on the way passes all of axe-core's rules (best practices too) at desktop
width and on a 320 px phone, and is saved in var/screenshots/signed-in-*.png.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from asfnet.demo import CAFE, CASE_OFFICER_EMAIL, DEMO_PASSWORD, demo_content_load
from placements.models import PlacementRequest, TrainingPlace
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


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_a_case_officer_logs_in_sees_free_seats_asks_for_a_place_and_logs_out(
    page, site, viewport_name
):
    demo_content_load()
    page.set_viewport_size(VIEWPORTS[viewport_name])
    account = page.get_by_role("navigation", name="Ditt konto")
    cafe = TrainingPlace.objects.with_free_seats().get(title=CAFE)
    assert cafe.free_seats > 0
    free = f"{cafe.free_seats} av {cafe.capacity}"

    page.goto(site.url("/konto/login/"))
    check(page, "officer-login", viewport_name)
    page.get_by_label("E-postadress").fill(CASE_OFFICER_EMAIL)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()

    # Lands on the places; the café's free seats are on screen, not behind a sideways scroll.
    expect(page).to_have_url(site.url("/platser/"))
    row = page.locator(".place-table tbody tr").filter(has_text=CAFE)
    seats = row.locator(".place-table__free_seats")
    expect(seats).to_have_text(free)
    # Scrolled down to the café's row (its title, the first cell), the seats are in the window.
    row.locator(".place-table__title").scroll_into_view_if_needed()
    expect(seats).to_be_in_viewport()
    edge = seats.bounding_box()
    assert edge["x"] + edge["width"] <= VIEWPORTS[viewport_name]["width"]
    check(page, "officer-places", viewport_name)

    # The place's page says the same, and offers the request.
    row.get_by_role("link", name=CAFE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CAFE)
    seats_said = "ledig plats" if cafe.free_seats == 1 else "lediga platser"
    expect(page.locator(".seats")).to_have_text(
        f"{cafe.free_seats} {seats_said} av {cafe.capacity}"
    )
    check(page, "officer-place", viewport_name)

    page.get_by_role("main").get_by_role("link", name="Fråga efter en plats").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fråga efter en plats")
    check(page, "officer-request-form", viewport_name)
    start = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Deltagarkod").fill("AF-5120")
    page.get_by_label("Arbetsträning (AT)").check()
    page.get_by_label("Önskat startdatum").fill(start.isoformat())
    page.get_by_label("Omfattning i procent av heltid").fill("50")
    page.get_by_label("Vad vill deltagaren träna på? (frivilligt)").fill(
        "Vill träna på att arbeta med kunder."
    )
    page.get_by_role("button", name="Skicka förfrågan").click()

    # The confirmation: said at the top, and the request in the list, sent.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina förfrågningar")
    expect(page.get_by_role("status")).to_contain_text(
        f"Förfrågan om en plats på {CAFE} är skickad till Värmekällan i Väsby. "
        "Du får e-post när de har svarat."
    )
    expect(page.get_by_role("row").filter(has_text="AF-5120")).to_contain_text("Inskickad")
    check(page, "officer-request-sent", viewport_name)
    sent = PlacementRequest.objects.get(participant_code="AF-5120")
    assert (sent.place.title, sent.status, sent.wished_start_on) == (CAFE, "pending", start)

    # Logs out with the button in the header: a visitor again.
    account.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(site.url("/"))
    expect(account).to_have_count(0)
    check(page, "officer-logged-out", viewport_name)
