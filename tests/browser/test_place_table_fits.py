"""/platser/ and the decision page fit the screen: the table within its box at 1280 px, cards
with free seats on top on a phone, the three answers apart with their explanations under their
buttons; axe-core finds no WCAG 2.1 A/AA violation at 1280 and 320 px.

Screenshots in var/screenshots/platser-*.png and decision-*.png, for a person to look at.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from asfnet.demo import (
    CASE_OFFICER_EMAIL,
    DEMO_TOTP_SECRET,
    STAFF_EMAIL,
    demo_content_load,
)
from enterprises.models import Enterprise
from placements.models import PlacementRequest, PlacementType, TrainingPlace
from tests.browser.helpers import (
    axe_violations,
    describe_violations,
    horizontal_overflow,
    screenshot,
)
from tests.browser.test_platser_journey import log_in
from tests.factories import AdaptationFactory, TrainingPlaceFactory

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
SMALLEST = {"width": 320, "height": 640}
# Every open place, not only the officer's own: the most rows, the longest names.
ALL_PLACES = "/platser/?avtal=alla"
LONG_TITLE = "Trädgård, fastighetsskötsel och snöröjning i bostadsområdena runt Märsta"


@pytest.fixture
def demo(site):
    demo_content_load()
    # The widest cells the table can have: a long name, every placement type, a place whose
    # details were last confirmed long ago (a date, a warning and a count of days).
    place = TrainingPlaceFactory(
        enterprise=Enterprise.objects.order_by("-name").first(),
        title=LONG_TITLE,
        capacity=12,
        hours_min=10,
        hours_max=40,
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=400),
        placement_types=list(PlacementType.objects.all()),
    )
    # Adaptations to filter by: their group of boxes shows under its legend.
    place.adaptations.set(
        [
            AdaptationFactory(name="Lugn miljö med få störningsmoment"),
            AdaptationFactory(name="Arbetstider efter deltagarens ork"),
        ]
    )
    return site


def assert_no_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s):\n"
        f"{describe_violations(violations)}"
    )


def widths(page) -> dict[str, int]:
    return page.evaluate(
        """() => {
            const box = document.querySelector(".place-table-container");
            const table = box.querySelector("table");
            return {box: box.clientWidth, table: table.scrollWidth, boxScroll: box.scrollWidth};
        }"""
    )


def test_at_1280_px_the_table_fits_its_box(page, demo):
    page.set_viewport_size(WIDE)
    log_in(page, demo, CASE_OFFICER_EMAIL, next_path="/platser/")
    page.goto(demo.url(ALL_PLACES))
    rows = page.locator(".place-table tbody tr")
    assert rows.count() == TrainingPlace.objects.open().count()

    measured = widths(page)
    print(f"\n/platser/ at 1280 px: {measured}")
    screenshot(page, "platser", "1280")
    assert measured["table"] <= measured["box"], measured
    assert measured["boxScroll"] <= measured["box"], measured
    assert horizontal_overflow(page) <= 0

    # The columns a case officer chooses by are on screen, not behind a sideways scroll.
    box = page.locator(".place-table-container").bounding_box()
    for name in ["Lediga platser", "Företag", "Kommun", "Placeringstyper", "Senast bekräftad"]:
        header = page.get_by_role("columnheader", name=name)
        expect(header).to_be_visible()
        edge = header.bounding_box()
        assert edge["x"] + edge["width"] <= box["x"] + box["width"] + 0.5, name
    long_ago = rows.filter(has_text=LONG_TITLE)
    expect(long_ago.locator("td.place-table__free_seats")).to_have_text("12 av 12")
    expect(long_ago.locator("td.place-table__last_confirmed_on")).to_contain_text(
        "Inte bekräftad på länge"
    )

    # Sorting still works: by free seats, most first.
    page.get_by_role("columnheader", name="Lediga platser").get_by_role("link").click()
    page.get_by_role("columnheader", name="Lediga platser").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Lediga platser")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(rows.first).to_contain_text("12 av 12")
    assert_no_violations(page)


@pytest.mark.parametrize("viewport", [PHONE, SMALLEST], ids=["375", "320"])
def test_on_a_phone_each_place_is_a_card_with_free_seats_first(page, demo, viewport):
    page.set_viewport_size(viewport)
    log_in(page, demo, CASE_OFFICER_EMAIL, next_path="/platser/")
    page.goto(demo.url(ALL_PLACES))
    screenshot(page, "platser", str(viewport["width"]))

    assert horizontal_overflow(page) <= 0
    card = page.locator(".place-table tbody tr").filter(has_text=LONG_TITLE)
    free = card.locator(".place-table__free_seats")
    title = card.locator(".place-table__title")
    expect(free).to_be_visible()
    expect(free).to_have_text("12 av 12")
    # Free seats on top of the card, labelled; the place's name under it.
    assert free.bounding_box()["y"] < title.bounding_box()["y"]
    label = free.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Lediga platser: "'
    # The rest of the card is there too, each with its label.
    for column in ["enterprise", "municipality", "placement_types", "last_confirmed_on"]:
        expect(card.locator(f".place-table__{column}")).to_be_visible()
    # Sorting stays at hand: the sortable headers are links above the cards, said to sort.
    expect(page.get_by_role("link", name="Lediga platser")).to_be_visible()
    sort_label = page.locator(".place-table__sort").evaluate(
        "row => getComputedStyle(row, '::before').content"
    )
    assert sort_label == '"Sortera efter:"'
    page.get_by_role("link", name="Lediga platser").click()
    expect(page.get_by_role("columnheader", name="Lediga platser")).to_have_attribute(
        "aria-sort", "ascending"
    )
    if viewport is SMALLEST:
        assert_no_violations(page)


def decision_checks(page, viewport_name: str) -> None:
    screenshot(page, "decision", viewport_name)
    assert horizontal_overflow(page) <= 0
    sections = page.locator("section.decision-choice")
    assert sections.count() == 3
    boxes = []
    for index in range(3):
        section = sections.nth(index)
        button = section.get_by_role("button").bounding_box()
        hint = section.locator(".decision-choice__hint").bounding_box()
        # The explanation directly under its own button.
        assert 0 <= hint["y"] - (button["y"] + button["height"]) <= 24
        boxes.append((button, hint))
    # Each answer's explanation ends before the next answer's button begins, with room.
    for (_, hint), (next_button, _) in zip(boxes, boxes[1:], strict=False):
        assert next_button["y"] - (hint["y"] + hint["height"]) >= 24
    assert_no_violations(page)


@pytest.mark.parametrize("viewport", [WIDE, SMALLEST], ids=["1280", "320"])
def test_the_decision_page_gives_each_answer_room_and_asks_before_accepting(page, demo, viewport):
    page.set_viewport_size(viewport)
    pending = PlacementRequest.objects.filter(status=PlacementRequest.Status.PENDING).first()
    log_in(
        page,
        demo,
        STAFF_EMAIL,
        next_path=f"/platser/forfragningar/{pending.pk}/",
        totp_secret=DEMO_TOTP_SECRET,
    )
    name = str(viewport["width"])
    decision_checks(page, name)

    page.get_by_role("button", name="Anta förfrågan").click()
    question = f"Anta {pending.participant_code} till {pending.place.title}?"
    expect(page.get_by_role("heading", level=2, name=question)).to_be_visible()
    screenshot(page, "decision-confirm", name)
    assert horizontal_overflow(page) <= 0
    assert_no_violations(page)
    pending.refresh_from_db()
    assert pending.status == PlacementRequest.Status.PENDING

    page.get_by_role("link", name="Tillbaka").click()
    expect(page.get_by_role("button", name="Anta förfrågan")).to_be_visible()
    pending.refresh_from_db()
    assert pending.status == PlacementRequest.Status.PENDING

    page.get_by_role("button", name="Anta förfrågan").click()
    page.get_by_role("button", name="Ja, anta").click()
    expect(page.locator(".tag.status")).to_have_text("Antagen")
    pending.refresh_from_db()
    assert pending.status == PlacementRequest.Status.ACCEPTED
