"""A signed-in case officer goes through every account page: e-mail address (a change, an error,
the confirmation link), password, reauthentication, two-factor authentication turned on and off
again, recovery codes and the logout question. Each page has the site's header, one h1, passes
all of axe-core's rules (best practices too) at 1280 and 320 px, does not scroll sideways on a
phone, and is saved in var/screenshots/account-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from asfnet.demo import CASE_OFFICER_EMAIL, DEMO_PASSWORD, demo_content_load
from tests.accounts.helpers import totp_code
from tests.browser.helpers import DESKTOP, SMALL_PHONE, assert_page_checked

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": DESKTOP, "320": SMALL_PHONE}


def check(page, name: str, viewport_name: str) -> None:
    """The site's frame, one h1, no axe-core violation of any rule, no sideways scrolling."""
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Ditt konto")).to_contain_text("Demo Handläggare")
    expect(page.locator("h1")).to_have_count(1)
    assert_page_checked(page, f"account-{name}", viewport_name)


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_a_case_officer_finds_every_account_page_in_the_sites_look(
    page, site, mailoutbox, viewport_name
):
    demo_content_load()
    page.set_viewport_size(VIEWPORTS[viewport_name])
    main = page.get_by_role("main")
    page.goto(site.url("/konto/login/"))
    page.get_by_label("E-postadress").fill(CASE_OFFICER_EMAIL)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    main.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(site.url("/platser/"))

    # E-mail address: the login address, then a change waiting for its link.
    page.goto(site.url("/konto/email/"))
    expect(main.get_by_role("heading", level=1)).to_have_text("Din e-postadress")
    expect(main.locator(".address-list__item")).to_have_count(1)
    expect(main).to_contain_text("Bekräftad Du loggar in med den här adressen.")
    check(page, "email", viewport_name)

    main.get_by_label("Ny e-postadress").fill("inte-en-adress")
    main.get_by_role("button", name="Skicka länken").click()
    summary = main.locator(".error-summary")
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(main.get_by_label("Ny e-postadress")).to_be_focused()
    check(page, "email-error", viewport_name)

    main.get_by_label("Ny e-postadress").fill("handlaggare.ny@example.org")
    main.get_by_role("button", name="Skicka länken").click()
    expect(main.locator(".address-list__item")).to_have_count(2)
    expect(main).to_contain_text("Inte bekräftad")
    expect(
        main.get_by_role("button", name="Avbryt bytet (handlaggare.ny@example.org)")
    ).to_be_visible()
    check(page, "email-pending", viewport_name)

    (mail,) = [m for m in mailoutbox if "handlaggare.ny@example.org" in m.to]
    page.goto(site.url(re.search(r"/konto/confirm-email/[^\s]+/", mail.body).group(0)))
    expect(main).to_contain_text("handlaggare.ny@example.org")
    check(page, "email-confirm", viewport_name)
    # Not confirmed here: the change is cancelled, the old address stays.
    page.goto(site.url("/konto/email/"))
    main.get_by_role("button", name="Avbryt bytet (handlaggare.ny@example.org)").click()
    expect(main.locator(".address-list__item")).to_have_count(1)

    # Password: the form, and its error.
    page.goto(site.url("/konto/password/change/"))
    check(page, "password-change", viewport_name)
    main.get_by_label("Nuvarande lösenord").fill("fel-lösenord")
    main.get_by_role("button", name="Byt lösenord").click()
    expect(main.locator(".error-summary")).to_be_visible()
    check(page, "password-change-error", viewport_name)

    page.goto(site.url("/konto/reauthenticate/"))
    check(page, "reauthenticate", viewport_name)

    # Two-factor authentication: off, turned on, its codes, then off again.
    page.goto(site.url("/konto/2fa/"))
    expect(main).to_contain_text("Av.")
    check(page, "2fa", viewport_name)
    main.get_by_role("link", name="Lägg in en app för engångskoder").click()
    if "/reauthenticate/" in page.url:  # when the login is more than a few minutes old
        main.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        main.get_by_role("button", name="Bekräfta").click()
    check(page, "2fa-activate", viewport_name)
    secret = main.locator("#totp-secret").inner_text().strip()
    main.get_by_label("Koden från appen").fill(totp_code(secret))
    main.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    expect(page).to_have_url(re.compile(r"/konto/2fa/"))
    expect(main.get_by_role("status")).to_contain_text("Dina återställningskoder är klara.")
    check(page, "2fa-recovery-codes", viewport_name)

    page.goto(site.url("/konto/2fa/"))
    expect(main).to_contain_text("På.")
    check(page, "2fa-on", viewport_name)
    page.goto(site.url("/konto/2fa/reauthenticate/"))
    check(page, "2fa-reauthenticate", viewport_name)
    page.goto(site.url("/konto/2fa/recovery-codes/generate/"))
    check(page, "2fa-recovery-codes-generate", viewport_name)
    page.goto(site.url("/konto/2fa/totp/deactivate/"))
    check(page, "2fa-deactivate", viewport_name)
    main.get_by_role("button", name="Ta bort appen").click()
    page.goto(site.url("/konto/2fa/"))
    expect(main).to_contain_text("Av.")

    # The password changed: the same page says so.
    page.goto(site.url("/konto/password/change/"))
    main.get_by_label("Nuvarande lösenord").fill(DEMO_PASSWORD)
    main.get_by_label("Nytt lösenord", exact=True).fill("ett-nytt-lösenord-2026")
    main.get_by_label("Nytt lösenord igen").fill("ett-nytt-lösenord-2026")
    main.get_by_role("button", name="Byt lösenord").click()
    expect(main.get_by_role("status")).to_contain_text("Lösenordet")
    check(page, "password-changed", viewport_name)

    page.goto(site.url("/konto/logout/"))
    check(page, "logout", viewport_name)
