"""The training-place journey in a real Chromium: a case officer finds a free place their
organisation may use and asks for it; the enterprise's staff log in with their authenticator
code and accept; the case officer sees the request accepted. And staff who accepted by
mistake undo it: the request waits again, the seat is free.

The data is the network of the source document (seed_network) and the demo content on top
(asfnet.demo): the case officer at Arbetsförmedlingen, the staff member of Värmekällan i Väsby
with the demo authenticator key, and the demo places.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from asfnet.demo import (
    CAFE,
    CASE_OFFICER_EMAIL,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    SECOND_HAND,
    STAFF_EMAIL,
    demo_content_load,
)
from placements.models import PlacementRequest, TrainingPlace
from tests.accounts.helpers import totp_code
from tests.browser.helpers import DESKTOP, SMALL_PHONE, assert_page_checked

pytestmark = pytest.mark.browser

CODE = "AF-7781"
NO_AGREEMENT = "Köket: förberedelser och lunch"  # at Livskraft, no agreement with AF


@pytest.fixture
def demo(site):
    demo_content_load()
    return site


def log_in(page, site, email: str, *, next_path: str, totp_secret: str = "") -> None:
    """The portal's one login at /konto/login/: password, then the app's code if asked."""
    page.goto(site.url(f"/konto/login/?next={next_path}"))
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    if totp_secret:
        page.get_by_label("Kod").fill(totp_code(totp_secret))
        page.get_by_role("main").get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(site.url(next_path))


def place_titles(page) -> list[str]:
    return [
        text.strip() for text in page.locator(".data-table tbody th[scope=row]").all_inner_texts()
    ]


def test_a_case_officer_asks_for_a_place_and_staff_accept_it(page, browser, demo):
    site = demo

    # The case officer logs in and filters to free places their organisation may use.
    log_in(page, site, CASE_OFFICER_EMAIL, next_path="/platser/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbetsträningsplatser")
    expect(page.get_by_label("Bara platser som min organisation får använda")).to_be_checked()
    page.get_by_label("Bara arbetsträningsplatser med lediga platser").check()
    page.get_by_role("button", name="Visa platser").click()
    # The filters are in the address, to bookmark or share.
    expect(page).to_have_url(re.compile(r"/platser/\?avtal=mina&.*lediga=on"))
    titles = place_titles(page)
    assert CAFE in titles
    assert SECOND_HAND not in titles  # full
    assert NO_AGREEMENT not in titles  # Arbetsförmedlingen has no agreement with Livskraft

    # Opens the café and asks for a seat.
    page.get_by_role("table").get_by_role("link", name=CAFE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CAFE)
    page.get_by_role("main").get_by_role("link", name="Fråga efter en plats").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fråga efter en plats")
    page.get_by_label("Deltagarkod").fill(CODE)
    page.get_by_label("Arbetsträning (AT)").check()
    page.get_by_label("Önskat startdatum").fill("2030-09-02")
    page.get_by_label("Omfattning i procent av heltid").fill("50")
    page.get_by_label("Vad vill deltagaren träna på? (frivilligt)").fill(
        "Vill träna på att arbeta med kunder."
    )
    page.get_by_role("button", name="Skicka förfrågan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mina förfrågningar")
    expect(page.get_by_role("main")).to_contain_text("Förfrågan om en plats på " + CAFE)
    mine = page.get_by_role("row").filter(has_text=CODE)
    expect(mine).to_contain_text("Inskickad")
    staff_mail = [message for message in mail.outbox if STAFF_EMAIL in message.to]
    assert len(staff_mail) == 1 and CODE in staff_mail[0].body

    # The enterprise's staff log in with password and authenticator code, and accept.
    staff = browser.new_context(locale="sv-SE").new_page()
    staff.set_default_timeout(10_000)
    log_in(
        staff,
        site,
        STAFF_EMAIL,
        next_path="/platser/forfragningar/",
        totp_secret=DEMO_TOTP_SECRET,
    )
    waiting = staff.get_by_role("region", name="Förfrågningar som väntar på svar")
    waiting.get_by_role("link", name=CODE).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(f"Förfrågan för {CODE}")
    staff.get_by_role("button", name="Anta förfrågan").click()
    # Accepting asks first; nothing is saved until "Ja, anta".
    expect(staff.get_by_role("heading", level=2, name=f"Anta {CODE} till {CAFE}?")).to_be_visible()
    asked = PlacementRequest.objects.get(participant_code=CODE)
    assert asked.status == PlacementRequest.Status.PENDING
    staff.get_by_role("button", name="Ja, anta").click()
    expect(staff.get_by_role("main")).to_contain_text("är antagen och platsen är bokad")
    expect(staff.locator(".tag.status")).to_have_text("Antagen")
    staff.context.close()

    request = PlacementRequest.objects.get(participant_code=CODE)
    assert request.status == PlacementRequest.Status.ACCEPTED
    assert request.decided_by.email == STAFF_EMAIL
    assert request.placement.place.title == CAFE

    # The case officer sees it accepted under "Mina förfrågningar", and got an email.
    page.reload()
    expect(page.get_by_role("row").filter(has_text=CODE)).to_contain_text("Antagen")
    officer_mail = [message for message in mail.outbox if CASE_OFFICER_EMAIL in message.to]
    assert [message.subject for message in officer_mail] == [
        f"Antagen: {CODE} får en plats på {CAFE}"
    ]


VIEWPORTS = {"desktop": DESKTOP, "320": SMALL_PHONE}


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_staff_log_in_with_their_code_accept_the_waiting_request_and_undo_it(
    page, demo, viewport_name
):
    site = demo
    page.set_viewport_size(VIEWPORTS[viewport_name])
    waiting = PlacementRequest.objects.get(status=PlacementRequest.Status.PENDING)
    code, place = waiting.participant_code, waiting.place
    free_before = TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats

    def check(name: str) -> None:
        assert_page_checked(page, f"undo-{name}", viewport_name)

    # Password, then the authenticator's code; staff land on the requests waiting for them.
    page.goto(site.url("/konto/login/"))
    page.get_by_label("E-postadress").fill(STAFF_EMAIL)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    expect(page.get_by_label("Kod")).to_be_visible()
    check("code")
    page.get_by_label("Kod").fill(totp_code(DEMO_TOTP_SECRET))
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(site.url("/platser/forfragningar/"))
    check("requests")

    page.get_by_role("region", name="Förfrågningar som väntar på svar").get_by_role(
        "link", name=code
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Förfrågan för {code}")
    expect(page.locator(".tag.status")).to_have_text("Inskickad")
    check("request")

    # Accepting asks first ...
    page.get_by_role("button", name="Anta förfrågan").click()
    expect(
        page.get_by_role("heading", level=2, name=f"Anta {code} till {place.title}?")
    ).to_be_visible()
    check("accept-question")
    # ... and after "Ja, anta" says it is done, and offers the undo for ten minutes.
    page.get_by_role("button", name="Ja, anta").click()
    expect(page.get_by_role("status")).to_contain_text(f"Förfrågan för {code} är antagen")
    expect(page.locator(".tag.status")).to_have_text("Antagen")
    undo = page.get_by_role("region", name="Blev det fel?")
    expect(undo).to_contain_text("Du kan ångra antagningen till klockan")
    expect(undo.get_by_role("button", name="Ångra antagningen")).to_be_visible()
    check("accepted")
    waiting.refresh_from_db()
    assert waiting.status == PlacementRequest.Status.ACCEPTED

    undo.get_by_role("button", name="Ångra antagningen").click()

    # The request waits again, to be answered anew; the seat is free again.
    expect(page.get_by_role("status")).to_contain_text(
        f"Antagningen av {code} är ångrad och förfrågan väntar på svar igen."
    )
    expect(page.locator(".tag.status")).to_have_text("Inskickad")
    expect(page.get_by_role("region", name="Blev det fel?")).to_have_count(0)
    expect(page.get_by_role("button", name="Anta förfrågan")).to_be_visible()
    check("undone")
    waiting.refresh_from_db()
    assert waiting.status == PlacementRequest.Status.PENDING
    assert waiting.placement is None
    assert TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats == free_before

    # Back in the list, it is among those waiting for an answer.
    page.get_by_role("link", name="Förfrågningar om plats").click()
    expect(
        page.get_by_role("region", name="Förfrågningar som väntar på svar").get_by_role(
            "link", name=code
        )
    ).to_be_visible()
    check("requests-again")
