"""The training-place pages at desktop and at phone width: no axe-core WCAG 2.1 A/AA violation,
no sideways scrolling on a phone, and a screenshot in var/screenshots/ for a person to look at.

One test per width and role walks its pages (a subtest each), on the network of the source
document with the demo content on top: the case officer has requests under "Mina
förfrågningar" (one of them declined, so its reason shows), the staff member has requests to
answer and placements to end.
"""

from __future__ import annotations

import pytest

from asfnet.demo import (
    CAFE,
    CASE_OFFICER_EMAIL,
    DEMO_TOTP_SECRET,
    SECOND_HAND,
    STAFF_EMAIL,
    demo_content_load,
)
from placements import services
from placements.models import PlacementRequest, TrainingPlace
from tests.browser.helpers import VIEWPORTS
from tests.browser.test_accessibility import check_page
from tests.browser.test_platser_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(site):
    demo_content_load()
    waitlisted = PlacementRequest.objects.get(status=PlacementRequest.Status.WAITLISTED)
    services.placement_request_decline(
        request=waitlisted,
        by=waitlisted.place.enterprise.staff.get(),
        reason="Ingen handledare på second hand förrän i vår.",
    )
    return site


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_the_case_officers_pages_are_accessible(page, demo, subtests, viewport_name):
    site = demo
    viewport = VIEWPORTS[viewport_name]
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    cafe = TrainingPlace.objects.get(title=CAFE)

    with subtests.test(msg=f"/konto/login/ at {size}"):
        page.goto(site.url("/konto/login/"))
        check_page(page, "login", viewport_name)

    with subtests.test(msg=f"/konto/login/ with an error at {size}"):
        page.get_by_label("E-postadress").fill(CASE_OFFICER_EMAIL)
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("main").get_by_role("button", name="Logga in").click()
        page.get_by_text("E-postadressen eller lösenordet är fel.").wait_for()
        check_page(page, "login-error", viewport_name)

    log_in(page, site, CASE_OFFICER_EMAIL, next_path="/platser/")
    pages = [
        ("places", "/platser/"),
        ("places-filtered", "/platser/?avtal=alla&lediga=on&sortera=-free_seats"),
        ("place", f"/platser/{cafe.pk}/"),
        ("place-full", f"/platser/{TrainingPlace.objects.get(title=SECOND_HAND).pk}/"),
        ("request-form", f"/platser/{cafe.pk}/forfragan/"),
        ("my-requests", "/platser/mina-forfragningar/"),
    ]
    for name, path in pages:
        with subtests.test(msg=f"{path} at {size}"):
            assert page.goto(site.url(path)).status == 200
            check_page(page, name, viewport_name)

    with subtests.test(msg=f"the request form with errors at {size}"):
        page.goto(site.url(f"/platser/{cafe.pk}/forfragan/"))
        # A name where the code goes, an extent over 100, the rest left empty.
        page.get_by_label("Deltagarkod").fill("Anna Andersson")
        page.get_by_label("Omfattning i procent av heltid").fill("150")
        page.get_by_role("button", name="Skicka förfrågan").click()
        page.locator(".error-summary").wait_for()
        assert page.title().startswith("Fel:")
        check_page(page, "request-form-errors", viewport_name)

    with subtests.test(msg=f"/platser/ with a bad filter at {size}"):
        assert page.goto(site.url("/platser/?kommun=9999")).status == 400
        check_page(page, "places-errors", viewport_name)


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_the_enterprises_pages_are_accessible(page, demo, subtests, viewport_name):
    site = demo
    viewport = VIEWPORTS[viewport_name]
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    pending = PlacementRequest.objects.get(status=PlacementRequest.Status.PENDING)
    declined = PlacementRequest.objects.get(status=PlacementRequest.Status.DECLINED)

    log_in(
        page,
        site,
        STAFF_EMAIL,
        next_path="/platser/forfragningar/",
        totp_secret=DEMO_TOTP_SECRET,
    )
    pages = [
        ("decisions", "/platser/forfragningar/"),
        ("decision", f"/platser/forfragningar/{pending.pk}/"),
        ("decision-declined", f"/platser/forfragningar/{declined.pk}/"),
        ("placements", "/platser/placeringar/"),
    ]
    for name, path in pages:
        with subtests.test(msg=f"{path} at {size}"):
            assert page.goto(site.url(path)).status == 200
            check_page(page, name, viewport_name)

    with subtests.test(msg=f"declining without a reason at {size}"):
        page.goto(site.url(f"/platser/forfragningar/{pending.pk}/"))
        page.get_by_role("button", name="Avböj förfrågan").click()
        page.locator(".error-summary").wait_for()
        check_page(page, "decision-errors", viewport_name)
