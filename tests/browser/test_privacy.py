"""The privacy notice tells the truth about cookies: it names every cookie the site sets."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_reading_the_public_pages_sets_no_cookie(page, site):
    for path in ["/", "/foretag/", "/foretag/livskraft/", "/tjanster/", "/om/", "/en/om/"]:
        page.goto(site.url(path))

    assert page.context.cookies() == []


def test_the_privacy_notice_names_every_cookie_the_site_sets(page, site):
    UserFactory(email="handlaggare@example.org")  # password "test-lösenord-123"
    # Every Set-Cookie the site sends, also of cookies that live for one redirect only.
    responses = []
    page.on("response", lambda response: responses.append(response))

    # Write to us.
    page.goto(site.url("/kontakt/"))
    page.get_by_label("Något annat").check()
    page.get_by_label("Ditt namn").fill("Testa Kakor")
    page.get_by_label("Telefonnummer").fill("08-465 004 01")
    page.get_by_label("Meddelande").fill("Vilka kakor sätter ni?")
    page.get_by_role("button", name="Skicka meddelandet").click()
    page.get_by_role("heading", name="Meddelandet är skickat").wait_for()

    # Log in and out again.
    page.goto(site.url("/konto/login/"))
    page.get_by_label("E-postadress").fill("handlaggare@example.org")
    page.get_by_label("Lösenord").fill("test-lösenord-123")
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)
    page.goto(site.url("/konto/logout/"))
    page.get_by_role("main").get_by_role("button", name="Logga ut").click()
    page.wait_for_url(lambda url: "/konto/logout/" not in url)

    page.goto(site.url("/integritet/"))
    notice = page.get_by_role("main").inner_text()
    seen = {
        header["value"].split("=", 1)[0].strip()
        for response in responses
        for header in response.headers_array()
        if header["name"].lower() == "set-cookie"
    }

    assert {"csrftoken", "sessionid"} <= seen
    unnamed = sorted(name for name in seen if name not in notice)
    assert not unnamed, f"The privacy notice does not name the cookie(s) {unnamed}."
