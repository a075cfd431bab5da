"""The coordinator's worklist in a real Chromium: after logging in with a code from the
authenticator app, the start page shows the request that waits and the new message, each with
its list, and this year's draft report with the way to publish it; the header is the site's
signed-in frame, with "Logga ut". The pages pass every axe-core rule at 1280 px and on a
320 px phone, fit the window, and are saved in var/screenshots/worklist-*.png."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import ENTERPRISE_STAFF, ensure_roles
from enterprises.models import Enterprise, Inquiry
from tests.accounts.helpers import give_totp, totp_code
from tests.browser.helpers import (
    DESKTOP,
    SMALL_PHONE,
    assert_page_checked,
    horizontal_overflow,
)
from tests.browser.test_report_journey import PASSWORD, log_in_as_coordinator
from tests.factories import (
    AnnualReportFactory,
    InquiryFactory,
    PlacementRequestFactory,
    TrainingPlaceFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


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


def test_the_coordinator_sees_what_waits_and_opens_the_new_messages(page, site, waiting):
    year = timezone.localdate().year
    AnnualReportFactory(year=year, title=f"Årsrapport {year}", published=False)
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
    assert_page_checked(page, "worklist", "desktop")

    # On a 320 px phone: the worklist, and the header says who is logged in, with the way out.
    page.set_viewport_size(SMALL_PHONE)
    page.reload()
    assert page.locator("#worklist-requests").is_visible()
    account = page.get_by_role("navigation", name="Ditt konto")
    expect(account).to_contain_text("samordnare")
    expect(account.get_by_role("link", name="Administrationen")).to_have_attribute(
        "aria-current", "page"
    )
    expect(account.get_by_role("button", name="Logga ut")).to_be_visible()
    assert_page_checked(page, "worklist", "320")

    # This year's draft lacks publishing: the worklist leads to the page that publishes it.
    page.locator("#worklist-report").get_by_role("link", name="Publicera rapporten").click()
    page.get_by_role("heading", name=f"Publicera rapporten för {year}").wait_for()
    assert "Den blir version 1" in page.get_by_role("main").inner_text()
    assert_page_checked(page, "worklist-publish", "320")

    page.set_viewport_size(DESKTOP)
    page.goto(site.url("/admin/"))
    page.get_by_role("link", name="Visa alla nya meddelanden").click()
    page.wait_for_url(lambda url: "status__exact=new" in url)
    # The list scrolls sideways inside its box when it is too wide: nothing may be hidden there.
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth - box.clientWidth") == 0
    company = page.locator("#result_list thead th", has_text="Företag").bounding_box()
    visible = results.bounding_box()
    assert company["x"] + company["width"] <= visible["x"] + visible["width"], "Företag is clipped"
    assert page.locator("#result_list tbody td", has_text=waiting["enterprise"].name).is_visible()
    assert horizontal_overflow(page) == 0
    assert_page_checked(page, "worklist-inquiries", "desktop")

    # "Logga ut" in the admin's header logs out through allauth, onto the public site.
    account.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(site.url("/"))
    expect(account).to_have_count(0)


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
    assert main.get_by_role("link", name=enterprise.name).is_visible()
    requests = page.locator("#worklist-requests").inner_text()
    assert "EGN-0815" in requests and "VAN-4711" not in requests
    assert "Kerstin Kund" not in main.inner_text()  # the coordinator's messages
    assert page.locator("#worklist-report").count() == 0
    account = page.get_by_role("navigation", name="Ditt konto")
    expect(account).to_contain_text(f"personal på {enterprise.name}")
    expect(account.get_by_role("link", name="Förfrågningar")).to_be_visible()
    assert_page_checked(page, "worklist-staff", "desktop")

    # The longest enterprise name of the network in the header of a 320 px phone.
    page.set_viewport_size(SMALL_PHONE)
    page.reload()
    assert_page_checked(page, "worklist-staff", "320")
