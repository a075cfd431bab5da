"""purge_expired: the retention periods of the settings, safe to run every day."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Inquiry
from placements.models import Placement, PlacementRequest
from placements.privacy import ERASED_CODE, purge_expired
from reports.statistics import year_statistics
from tests import factories
from tests.privacy.conftest import accepted_request, placement

HistoricalPlacement = Placement.history.model
HistoricalPlacementRequest = PlacementRequest.history.model


def codes(model, **filters) -> set[str]:
    return set(model.objects.filter(**filters).values_list("participant_code", flat=True))


def test_placements_ended_more_than_two_years_ago_lose_their_code(network, now):
    purged = purge_expired()

    for name in ["old", "also_old"]:
        network[name].refresh_from_db()
        assert network[name].participant_code == ERASED_CODE
    for name, code in [("recent", "AF-0003"), ("ongoing", "AF-0004")]:
        network[name].refresh_from_db()
        assert network[name].participant_code == code
    assert purged.placements == 2
    assert purged.code_cutoff == datetime.date(2024, 6, 15)


def test_their_requests_and_every_version_in_the_history_lose_it_too(network, now):
    purge_expired()

    old_request = PlacementRequest.objects.get(pk=network["old_request"].pk)
    assert old_request.participant_code == ERASED_CODE
    assert old_request.note == ""
    assert PlacementRequest.objects.get(pk=network["recent_request"].pk).participant_code == (
        "AF-0003"
    )
    # Both versions of each old placement (created, then ended), and the request's.
    assert codes(HistoricalPlacement, id=network["old"].pk) == {ERASED_CODE}
    assert codes(HistoricalPlacement, id=network["also_old"].pk) == {ERASED_CODE}
    assert codes(HistoricalPlacementRequest, id=network["old_request"].pk) == {ERASED_CODE}
    assert set(
        HistoricalPlacementRequest.objects.filter(id=network["old_request"].pk).values_list(
            "note", flat=True
        )
    ) == {""}
    assert codes(HistoricalPlacement, id=network["recent"].pk) == {"AF-0003"}
    assert codes(HistoricalPlacement, id=network["ongoing"].pk) == {"AF-0004"}
    # Nothing anywhere still holds the old codes.
    for model in [Placement, PlacementRequest, HistoricalPlacement, HistoricalPlacementRequest]:
        assert not model.objects.filter(participant_code__in=["AF-0001", "AF-0002"]).exists()


def test_the_history_of_a_code_changed_later_goes_too(network, now):
    # A typo corrected: the first version holds a code the placement no longer has.
    old = network["old"]
    old.participant_code = "AF-0001B"
    old.save()

    purge_expired()

    assert codes(HistoricalPlacement, id=old.pk) == {ERASED_CODE}


def test_requests_that_never_became_a_placement_lose_it_after_the_same_time(network, now):
    stale = factories.PlacementRequestFactory(
        place=network["place"], participant_code="AF-0100", note="Vill laga mat."
    )
    fresh = factories.PlacementRequestFactory(place=network["place"], participant_code="AF-0101")
    PlacementRequest.objects.filter(pk=stale.pk).update(
        created_at=now - datetime.timedelta(days=3 * 365)
    )

    purge_expired()

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.participant_code, stale.note) == (ERASED_CODE, "")
    assert fresh.participant_code == "AF-0101"


def test_the_history_of_long_deleted_placements_goes_too(network, now):
    deleted = placement(network["place"], network["referrer"], "AF-0200", datetime.date(2022, 1, 3))
    pk = deleted.pk
    deleted.delete()
    HistoricalPlacement.objects.filter(id=pk).update(
        history_date=now - datetime.timedelta(days=3 * 365)
    )

    purge_expired()

    assert codes(HistoricalPlacement, id=pk) == {ERASED_CODE}


def test_the_retention_period_comes_from_the_settings(network, now, settings):
    settings.PARTICIPANT_CODE_RETENTION_YEARS = 1

    purged = purge_expired()

    network["recent"].refresh_from_db()
    assert network["recent"].participant_code == ERASED_CODE
    assert purged.placements == 3
    assert purged.code_cutoff == datetime.date(2025, 6, 15)


def test_the_statistics_are_the_same_before_and_after(network, now):
    years = [2022, 2023, 2024]
    before = {year: year_statistics(year) for year in years}
    rows_before = {year: list(before[year].csv_rows()) for year in years}

    purge_expired()

    for year in years:
        after = year_statistics(year)
        assert after == before[year]
        assert list(after.csv_rows()) == rows_before[year]
    assert before[2022].started == 3  # the figures are about something
    assert before[2023].ended == 1


def test_the_report_page_shows_the_same_figures_after_the_purge(client, network, now):
    factories.AnnualReportFactory(year=2023, published=True)
    url = reverse("reports:statistics_csv", args=[2023])
    before = client.get(url).content

    purge_expired()

    assert client.get(url).content == before


def test_old_inquiries_are_deleted(db, now, settings):
    settings.INQUIRY_RETENTION_DAYS = 730
    old = factories.InquiryFactory(message="Gammalt meddelande")
    young = factories.InquiryFactory(message="Nytt meddelande")
    Inquiry.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=731))
    Inquiry.objects.filter(pk=young.pk).update(created_at=now - datetime.timedelta(days=729))

    purged = purge_expired()

    assert purged.inquiries == 1
    assert list(Inquiry.objects.values_list("message", flat=True)) == ["Nytt meddelande"]


def test_a_second_run_changes_nothing(network, now):
    first = purge_expired()
    state = {
        model: sorted(model.objects.values_list("pk", "participant_code"))
        for model in [Placement, PlacementRequest, HistoricalPlacement, HistoricalPlacementRequest]
    }

    second = purge_expired()

    assert (first.placements, first.requests) == (2, 1)
    assert first.history > 0
    assert (second.placements, second.requests, second.history, second.inquiries) == (0, 0, 0, 0)
    for model, rows in state.items():
        assert sorted(model.objects.values_list("pk", "participant_code")) == rows
    # Purging writes no new versions into the history either.
    assert HistoricalPlacement.objects.count() == len(state[HistoricalPlacement])


def queries_of_a_purge() -> int:
    with CaptureQueriesContext(connection) as queries:
        purge_expired()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(network, now):
    few = queries_of_a_purge()
    officer = network["officer"]
    for n in range(20):
        made = placement(
            network["place"],
            network["referrer"],
            f"AF-1{n:03d}",
            datetime.date(2021, 1, 4),
            datetime.date(2022, 1, 4),
            Placement.Outcome.WORK,
        )
        accepted_request(made, officer)
        factories.InquiryFactory()
    Inquiry.objects.update(created_at=timezone.now() - datetime.timedelta(days=1000))

    many = queries_of_a_purge()

    assert Placement.objects.filter(participant_code=ERASED_CODE).count() == 22
    assert many == few
    # Bulk updates, one delete and the admin log's two updates (plus the transaction's own
    # statements).
    assert many <= 9


def test_the_command_says_what_it_did(network, now):
    out = StringIO()

    call_command("purge_expired", stdout=out)
    again = StringIO()
    call_command("purge_expired", stdout=again)

    text = out.getvalue()
    assert "rensade ur placeringar: 2, förfrågningar: 1, versioner i historiken: 5" in text
    assert "före 2024-06-15, 2 år" in text
    assert "äldre än 730 dagar: raderade: 0." in text
    assert "placeringar: 0, förfrågningar: 0, versioner i historiken: 0." in again.getvalue()


@pytest.mark.parametrize("years, text", [(2, "2 år sedan"), (5, "5 år sedan")])
def test_the_privacy_notice_states_the_periods(client, db, settings, years, text):
    settings.PARTICIPANT_CODE_RETENTION_YEARS = years
    settings.INQUIRY_RETENTION_DAYS = 730

    response = client.get(reverse("enterprises:privacy"))

    assert response.status_code == 200
    page = " ".join(response.text.split())
    assert f"När det har gått {text} en placering avslutades tar vi bort deltagarkoden" in page
    assert "äldre än 24 månader" in page
