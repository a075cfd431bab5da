"""The link in a reminder mail, in a real Chromium: the page, its button, and the page after.

No axe-core WCAG 2.1 A/AA violation on any of them, at desktop and phone width, and no
Content-Security-Policy complaint (the `page` fixture checks that).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise
from placements.models import PlaceReminder
from tests.browser.helpers import VIEWPORTS
from tests.browser.test_accessibility import check_page
from tests.factories import AdaptationFactory, TrainingPlaceFactory, UnitFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_the_confirmation_link_in_a_browser(page, site, viewport_name):
    page.set_viewport_size(VIEWPORTS[viewport_name])
    enterprise = Enterprise.objects.order_by("name").first()
    place = TrainingPlaceFactory(
        enterprise=enterprise,
        unit=UnitFactory(enterprise=enterprise, name="Kaféet", street_address="Storgatan 1"),
        title="Kafébiträde",
        tasks="Ta emot gäster, duka och diska.",
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=45),
    )
    place.adaptations.add(AdaptationFactory(name="Lugn arbetsmiljö"))
    reminder = PlaceReminder.objects.create(place=place, confirmed_on=place.last_confirmed_on)
    link = site.url(reverse("placements:place_confirm", args=[reminder.token]))

    page.goto(link)
    page.get_by_role("heading", name=f"Stämmer uppgifterna om {place.title}?").wait_for()
    check_page(page, "place-confirm", viewport_name)

    page.get_by_role("button", name="Ja, uppgifterna stämmer").click()
    page.get_by_role("heading", name="Tack! Platsen är bekräftad").wait_for()
    check_page(page, "place-confirmed", viewport_name)
    place.refresh_from_db()
    assert place.last_confirmed_on == timezone.localdate()

    assert page.goto(link).status == 410
    page.get_by_text("Länken är redan använd").wait_for()
    check_page(page, "place-confirm-used", viewport_name)
