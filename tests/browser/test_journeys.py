"""A few real journeys through the public pages, in a real Chromium."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from enterprises.models import Inquiry
from tests.browser.helpers import PHONE, horizontal_overflow

pytestmark = pytest.mark.browser


def test_a_buyer_finds_a_service_and_writes_to_the_enterprise(page, site):
    page.goto(site.url("/"))

    main = page.get_by_role("main")
    main.get_by_role("link", name="Second hand", exact=True).first.click()
    expect(page).to_have_url(site.url("/foretag/?tjanst=second-hand"))
    main.get_by_role("link", name="Love & Hope Secondhand i Märsta").first.click()
    expect_heading(page, "Love & Hope Secondhand i Märsta")
    main.get_by_role("link", name="Skriv till oss").click()

    expect_heading(page, "Kontakta oss")
    page.get_by_label("Köpa en vara eller tjänst").check()
    page.get_by_label("Företag (valfritt)").select_option(label="Love & Hope Secondhand i Märsta")
    page.get_by_label("Ditt namn").fill("Testa Köpare")
    page.get_by_label("E-post").fill("kopare@example.org")
    page.get_by_label("Meddelande").fill("Har ni barnkläder i storlek 110? Vi hämtar gärna.")
    page.get_by_role("button", name="Skicka meddelandet").click()

    expect_heading(page, "Meddelandet är skickat")
    assert "Vi har tagit emot ditt meddelande" in page.get_by_role("main").inner_text()
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.email, inquiry.topic) == (
        "Testa Köpare",
        "kopare@example.org",
        Inquiry.Topic.BUY,
    )
    assert inquiry.enterprise.slug == "love-hope-secondhand-i-marsta"
    recipients = [address for message in mail.outbox for address in message.to]
    assert "samordnare@example.org" in recipients  # the coordinator, from seed_network
    assert "kopare@example.org" in recipients  # the receipt


def test_people_do_not_see_the_contact_forms_trap_for_bots(page, site):
    # A person who fills in the honeypot is taken for a bot: the message is silently dropped.
    page.goto(site.url("/kontakt/"))

    assert can_be_seen(page.get_by_label("Ditt namn"))
    assert not can_be_seen(page.get_by_label("Lämna det här fältet tomt"))


def test_a_visitor_switches_to_english(page, site):
    page.goto(site.url("/om/"))
    expect_heading(page, "Om ASF-nätverket")

    page.get_by_role("link", name="English").click()

    expect(page).to_have_url(site.url("/en/om/"))
    expect_heading(page, "About the ASF network")
    expect(page.get_by_role("heading", level=2, name="The network", exact=True)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Services").click()
    expect(page).to_have_url(site.url("/en/tjanster/"))


def test_the_menu_works_on_a_phone(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site.url("/"))

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Tjänster").click()

    expect(page).to_have_url(site.url("/tjanster/"))
    assert horizontal_overflow(page) <= 0
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kontakt").click()
    expect(page).to_have_url(site.url("/kontakt/"))


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, site):
    page.goto(site.url("/foretag/"))

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    box = page.locator(":focus").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "The focused skip link is off screen."
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    expect(page).to_have_url(site.url("/foretag/#main"))


def expect_heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def can_be_seen(locator) -> bool:
    """Whether a person sees the element: it is rendered and is what is drawn at its centre,
    so that clipping (as .visually-hidden does) or moving it off screen counts as hidden."""
    return locator.evaluate(
        """element => {
            element.scrollIntoView({block: "center"});
            const box = element.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) return false;
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return hit !== null && (hit === element || element.contains(hit));
        }"""
    )
