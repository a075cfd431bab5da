"""The coordinator's privacy pages in the admin, in a real Chromium: the register extract with
its erasure step, an object's change history and an old version. axe-core finds nothing."""

from __future__ import annotations

import datetime

import pytest

from enterprises.models import Enterprise
from tests.browser.helpers import DESKTOP, PHONE
from tests.browser.test_report_journey import assert_accessible, log_in_as_coordinator
from tests.factories import PlacementFactory, PlacementRequestFactory, TrainingPlaceFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def placement(site):
    place = TrainingPlaceFactory(enterprise=Enterprise.objects.get(slug="livskraft"))
    made = PlacementFactory(
        place=place, participant_code="AF-0042", started_on=datetime.date(2025, 3, 1)
    )
    made.extent_percent = 75
    made.save()  # a second version in the history
    PlacementRequestFactory(place=place, participant_code="AF-0042", placement=made)
    return made


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_register_extract_and_the_history_are_accessible(page, site, placement, viewport):
    page.set_viewport_size(viewport)
    log_in_as_coordinator(page, site)

    page.goto(site.url("/admin/placements/placement/registerutdrag/"))
    assert_accessible(page, "the register extract form")

    page.get_by_label("Deltagarkod").fill("af-0042")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("heading", name="Uppgifter om deltagarkoden AF-0042").wait_for()
    assert_accessible(page, "the register extract of a code")

    page.get_by_role("button", name="Radera deltagarkoden …").click()
    page.get_by_role("heading", name="Radera deltagarkoden AF-0042?").wait_for()
    assert_accessible(page, "the erasure confirmation")

    page.goto(site.url(f"/admin/placements/placement/{placement.pk}/history/"))
    assert_accessible(page, "a placement's history")

    page.locator("#change-history tbody a").first.click()
    page.get_by_text("Tillbaka till historiken").first.wait_for()
    assert_accessible(page, "an old version of a placement")
