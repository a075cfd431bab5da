"""The coordinator's worklist in a real Chromium: after logging in with a code from the
authenticator app, the start page shows the request that waits and the new message, each with
its list; the page and the list of messages are accessible and fit the window."""

from __future__ import annotations

import pytest

from accounts.roles import ENTERPRISE_STAFF, ensure_roles
from enterprises.models import Enterprise, Inquiry
from tests.accounts.helpers import give_totp, totp_code
from tests.browser.helpers import (
    SCREENSHOTS,
    axe_violations,
    describe_violations,
    horizontal_overflow,
)
from tests.browser.test_report_journey import PASSWORD, log_in_as_coordinator
from tests.factories import (
    InquiryFactory,
    PlacementRequestFactory,
    TrainingPlaceFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def waiting(site):
    """A request for one of the seeded places and a message sent through the contact form."""
    # The longest name of the seeded network: the widest "Företag" cell of the list.
    enterprise = max(Enterprise.objects.all(), key=lambda enterprise: len(enterprise.name))
    request = PlacementRequestFactory(participant_code="VAN-4711")
    inquiry = InquiryFactory(
        name="Kerstin Kund",
        topic=Inquiry.Topic.BUY,
        enterprise=enterprise,
        message="Vi vill beställa lunch till tjugo personer på fredag. " * 3,
    )
    return {"request": request, "inquiry": inquiry, "enterprise": enterprise}


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {what}:\n"
        f"{describe_violations(violations)}"
    )


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"worklist-{name}.png"), full_page=True)


def test_the_coordinator_sees_what_waits_and_opens_the_new_messages(page, site, waiting):
    log_in_as_coordinator(page, site)
    page.goto(site.url("/admin/"))

    requests = page.locator("#worklist-requests")
    assert "1 förfrågan väntar på svar." in requests.inner_text()
    assert "VAN-4711" in requests.inner_text()
    inquiries = page.locator("#worklist-inquiries")
    assert "1 meddelande har ingen öppnat ännu." in inquiries.inner_text()
    assert "Kerstin Kund" in inquiries.inner_text()
    assert page.get_by_role("heading", name="Inställningar").count() == 0  # a caption, not h2
    assert page.locator("caption", has_text="Inställningar").is_visible()
    assert horizontal_overflow(page) == 0
    assert_accessible(page, "the worklist at 1280 px")
    shoot(page, "desktop")

    page.set_viewport_size(NARROW)
    page.reload()
    assert page.locator("#worklist-requests").is_visible()
    assert_accessible(page, "the worklist at 320 px")
    shoot(page, "narrow")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site.url("/admin/"))
    page.get_by_role("link", name="Visa alla nya meddelanden").click()
    page.wait_for_url(lambda url: "status__exact=new" in url)
    shoot(page, "inquiries-desktop")
    # The list scrolls sideways inside its box when it is too wide: nothing may be hidden there.
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth - box.clientWidth") == 0
    company = page.locator("#result_list thead th", has_text="Företag").bounding_box()
    visible = results.bounding_box()
    assert company["x"] + company["width"] <= visible["x"] + visible["width"], "Företag is clipped"
    assert page.locator("#result_list tbody td", has_text=waiting["enterprise"].name).is_visible()
    assert horizontal_overflow(page) == 0
    assert_accessible(page, "the new messages at 1280 px")


def test_staff_see_their_enterprise_and_its_waiting_request(page, site, waiting):
    enterprise = waiting["enterprise"]
    place = TrainingPlaceFactory(enterprise=enterprise, title="Kafét: disk och servering")
    PlacementRequestFactory(place=place, participant_code="EGN-0815")
    user = UserFactory(email="personal@example.org", is_staff=True)
    user.groups.add(ensure_roles()[ENTERPRISE_STAFF])
    enterprise.staff.add(user)
    give_totp(user)

    page.goto(site.url("/konto/login/?next=/admin/"))
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    page.get_by_label("Kod").fill(totp_code())
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: url.endswith("/admin/"))

    main = page.locator("#content-main")
    assert page.get_by_role("link", name=enterprise.name).is_visible()
    requests = page.locator("#worklist-requests").inner_text()
    assert "EGN-0815" in requests and "VAN-4711" not in requests
    assert "Kerstin Kund" not in main.inner_text()  # the coordinator's messages
    assert page.locator("#worklist-report").count() == 0
    assert_accessible(page, "the staff's start page at 1280 px")
    shoot(page, "staff-desktop")
