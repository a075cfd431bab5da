"""The admin's start page is a worklist: what waits for the coordinator, each with its list."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ENTERPRISE_STAFF
from enterprises.models import Enterprise, Inquiry
from placements.models import PlacementRequest
from reports.models import Activity, AnnualReport
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url

# A Thursday; the Monday and the Friday before it are working days.
THURSDAY = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=datetime.UTC)
MONDAY = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
FRIDAY = datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC)


def part(response, key: str) -> str:
    """The text of one part of the worklist (<section id="worklist-<key>">), tags removed."""
    match = re.search(rf'<section[^>]*id="worklist-{key}".*?</section>', response.text, re.S)
    assert match, f"no part {key!r} on the start page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def links(response, key: str) -> list[str]:
    match = re.search(rf'<section[^>]*id="worklist-{key}".*?</section>', response.text, re.S)
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', match.group(0))]


def sent_at(placement_request: PlacementRequest, when: datetime.datetime) -> None:
    PlacementRequest.objects.filter(pk=placement_request.pk).update(created_at=when)


@pytest.fixture
def on_thursday(time_machine):
    time_machine.move_to(THURSDAY, tick=False)


# --- New contact messages -------------------------------------------------------------------


def test_the_coordinator_sees_the_new_messages_and_opens_the_list_of_them(coordinator_client):
    factories.InquiryFactory(name="Kerstin Kund", topic=Inquiry.Topic.TRAINING)
    factories.InquiryFactory(name="Bertil Beställare")
    factories.InquiryFactory(name="Redan Besvarad", status=Inquiry.Status.ANSWERED)
    factories.InquiryFactory(name="Under Arbete", status=Inquiry.Status.IN_PROGRESS)

    response = coordinator_client.get("/admin/")

    text = part(response, "inquiries")
    assert "2 meddelanden har ingen öppnat ännu." in text
    assert "Kerstin Kund : Arbetsträning eller praktikplats" in text
    assert "Bertil Beställare" in text
    assert "Redan Besvarad" not in text and "Under Arbete" not in text
    listed = coordinator_client.get(links(response, "inquiries")[-1])
    assert {inquiry.name for inquiry in listed.context["cl"].result_list} == {
        "Kerstin Kund",
        "Bertil Beställare",
    }


def test_no_new_messages_is_said_plainly(coordinator_client):
    factories.InquiryFactory(status=Inquiry.Status.CLOSED)

    response = coordinator_client.get("/admin/")

    assert part(response, "inquiries") == (
        "Nya meddelanden från kontaktformuläret Inga nya meddelanden."
    )


# --- Requests for a place ---------------------------------------------------------------------


def test_waiting_requests_are_listed_oldest_first_with_their_working_days(
    coordinator_client, on_thursday
):
    monday = factories.PlacementRequestFactory(participant_code="MAN-101")
    friday = factories.PlacementRequestFactory(
        participant_code="FRE-202", status=PlacementRequest.Status.WAITLISTED
    )
    answered = factories.PlacementRequestFactory(
        participant_code="NEJ-303", status=PlacementRequest.Status.DECLINED
    )
    sent_at(monday, MONDAY)
    sent_at(friday, FRIDAY)
    sent_at(answered, FRIDAY)

    response = coordinator_client.get("/admin/")

    text = part(response, "requests")
    assert "2 förfrågningar väntar på svar." in text
    assert text.index("FRE-202") < text.index("MAN-101")
    assert "Väntelista. Skickad 4 december. Har väntat 4 arbetsdagar." in text
    assert "Inskickad. Skickad 7 december. Har väntat 3 arbetsdagar." in text
    assert "NEJ-303" not in text
    listed = coordinator_client.get(links(response, "requests")[-1])
    assert listed.status_code == 200
    assert {r.participant_code for r in listed.context["cl"].result_list} == {"MAN-101", "FRE-202"}


def test_more_waiting_requests_than_shown_are_counted_and_linked(coordinator_client):
    factories.PlacementRequestFactory.create_batch(7)

    response = coordinator_client.get("/admin/")

    text = part(response, "requests")
    assert "Har väntat" not in text  # sent today: no working day yet
    assert text.count("REQ-") == 5
    assert "Visa alla förfrågningar som väntar (och 2 till)" in text


# --- Places nobody has confirmed --------------------------------------------------------------


def test_places_to_confirm_link_to_the_list_of_exactly_those(coordinator_client):
    today = timezone.localdate()
    factories.TrainingPlaceFactory(title="Gammal", last_confirmed_on=today - datetime.timedelta(90))
    factories.TrainingPlaceFactory(title="Färsk", last_confirmed_on=today)

    response = coordinator_client.get("/admin/")

    assert "1 arbetsträningsplats har inte bekräftats på 60 dagar." in part(response, "places")
    listed = coordinator_client.get(links(response, "places")[-1])
    assert [place.title for place in listed.context["cl"].result_list] == ["Gammal"]


# --- The annual report ------------------------------------------------------------------------


def test_without_any_report_the_coordinator_is_offered_to_create_this_years(
    coordinator_client, on_thursday
):
    response = coordinator_client.get("/admin/")

    text = part(response, "report")
    assert "Det finns ingen rapport för 2026 ännu." in text
    assert "Skapa rapport för 2026" in text
    assert links(response, "report") == [admin_url(AnnualReport, "add") + "?year=2026"]


def test_after_a_gap_of_years_this_years_report_is_offered_not_the_year_after_the_last(
    coordinator_client, on_thursday
):
    factories.AnnualReportFactory(year=2022, published=True)

    response = coordinator_client.get("/admin/")

    text = part(response, "report")
    assert "Det finns ingen rapport för 2026 ännu." in text
    assert "Skapa rapport för 2026" in text
    assert "2023" not in text
    assert links(response, "report") == [admin_url(AnnualReport, "add") + "?year=2026"]
    # The add form starts with the year filled in.
    form = coordinator_client.get(links(response, "report")[0]).content.decode()
    assert 'name="year" value="2026"' in form


def test_after_last_years_report_the_next_one_is_created_from_it(coordinator_client, on_thursday):
    last_year = factories.AnnualReportFactory(year=2025, published=True)

    response = coordinator_client.get("/admin/")

    assert "Skapa rapport för 2026" in part(response, "report")
    assert links(response, "report") == [
        reverse("admin:reports_annualreport_next_year", args=[last_year.pk])
    ]


def test_this_years_draft_says_what_it_still_lacks(coordinator_client, on_thursday):
    strategy = factories.StrategyFactory()
    busy = factories.StrategyAreaFactory(strategy=strategy, number=1, title="Samverkan")
    idle = factories.StrategyAreaFactory(strategy=strategy, number=2, title="Kompetens")
    factories.ActivityFactory(year=2026, points=[factories.StrategyPointFactory(area=busy)])
    factories.ActivityFactory(year=2025, points=[factories.StrategyPointFactory(area=idle)])
    report = factories.AnnualReportFactory(year=2026, title="Rapport 2026", strategy=strategy)
    factories.AnnualReportFactory(year=2025, published=True)

    response = coordinator_client.get("/admin/")

    text = part(response, "report")
    assert "Årsrapporten för 2026 Rapport 2026 : ett utkast, inte publicerat." in text
    assert "Inga aktiviteter för 2026 under Område 2 – Kompetens." in text
    assert "Område 1" not in text
    assert "Ingen undertecknare." in text
    assert "Inte publicerad." in text
    hrefs = links(response, "report")
    assert admin_url(report, "change") in hrefs
    assert reverse("admin:reports_annualreport_publish", args=[report.pk]) in hrefs
    assert f"{admin_url(Activity)}?year=2026" in hrefs


def test_a_finished_report_lacks_nothing(coordinator_client, on_thursday):
    strategy = factories.StrategyFactory()
    area = factories.StrategyAreaFactory(strategy=strategy, number=1)
    factories.ActivityFactory(year=2026, points=[factories.StrategyPointFactory(area=area)])
    report = factories.AnnualReportFactory(year=2026, strategy=strategy, published=True)
    factories.SignatoryFactory(report=report)

    text = part(coordinator_client.get("/admin/"), "report")

    assert "Det här saknas" not in text
    assert "Rapporten har aktiviteter under varje område, undertecknare och är publicerad." in text


def test_last_years_draft_comes_before_creating_a_new_one(coordinator_client, on_thursday):
    factories.AnnualReportFactory(year=2024, published=True)
    factories.AnnualReportFactory(year=2025, title="Utkastet 2025")

    text = part(coordinator_client.get("/admin/"), "report")

    assert text.startswith("Årsrapporten för 2025 Utkastet 2025 : ett utkast")
    assert "Skapa rapport" not in text


# --- Recent changes ---------------------------------------------------------------------------


def log_change(user, obj) -> None:
    LogEntry.objects.log_actions(user.pk, [obj], CHANGE, change_message="[]", single_object=True)


def test_the_coordinator_sees_everyones_latest_changes_newest_first(
    coordinator_client, coordinator
):
    colleague = factories.UserFactory(first_name="Stina", last_name="Personal")
    first = factories.EnterpriseFactory(name="Första företaget")
    second = factories.EnterpriseFactory(name="Andra företaget")
    log_change(colleague, first)
    log_change(coordinator, second)

    response = coordinator_client.get("/admin/")

    recent = response.text[response.text.index('id="recent-actions-module"') :]
    assert "Senaste ändringarna" in recent
    assert recent.index("Andra företaget") < recent.index("Första företaget")
    assert "Företag: Stina Personal ändrade" in recent
    assert admin_url(first, "change") in recent


def test_only_the_last_ten_changes_are_shown(coordinator_client, coordinator):
    for enterprise in factories.EnterpriseFactory.create_batch(12):
        log_change(coordinator, enterprise)

    response = coordinator_client.get("/admin/")

    recent = response.text[response.text.index('id="recent-actions-module"') :]
    assert recent.count('class="changelink"') == 10


# --- Enterprise staff -------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, roles):
    own = factories.TrainingPlaceFactory(enterprise__name="Eget företag", title="Egen plats")
    other = factories.TrainingPlaceFactory(enterprise__name="Annat företag", title="Annan plats")
    user = factories.UserFactory(email="personal@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    own.enterprise.staff.add(user)
    factories.PlacementRequestFactory(place=own, participant_code="EGN-111")
    factories.PlacementRequestFactory(place=other, participant_code="ANN-222")
    factories.InquiryFactory(name="Kerstin Kund")
    factories.AnnualReportFactory(year=timezone.localdate().year)
    log_change(factories.UserFactory(), other.enterprise)
    client.staff_member = user
    client.own = own
    log_in_with_second_factor(client, user)
    return client


def test_staff_see_their_enterprise_and_their_waiting_requests_only(staff_client):
    response = staff_client.get("/admin/")

    assert response.status_code == 200
    assert "Ditt företag Eget företag" in " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert admin_url(staff_client.own.enterprise, "change") in response.text
    text = part(response, "requests")
    assert "1 förfrågan väntar på svar." in text
    assert "EGN-111" in text and "ANN-222" not in text
    assert "Annat företag" not in response.text


def test_staff_see_no_messages_no_report_and_no_one_elses_changes(staff_client):
    response = staff_client.get("/admin/")

    assert 'id="worklist-inquiries"' not in response.text
    assert 'id="worklist-report"' not in response.text
    assert "Kerstin Kund" not in response.text
    assert "Dina senaste ändringar" in response.text
    assert "Inga ändringar ännu." in response.text


# --- The lists, grouped by task -------------------------------------------------------------


def captions(response) -> list[str]:
    return re.findall(
        r'<div class="app-\w+ module" id="\w+">\s*<table>\s*<caption>([^<]+)<', response.text
    )


def test_the_coordinators_lists_are_grouped_by_task(coordinator_client):
    response = coordinator_client.get("/admin/")

    assert captions(response) == [
        "Förfrågningar och kontakt",
        "Platser och placeringar",
        "Företagen",
        "Årsrapporten",
        "Inställningar",
    ]
    settings_group = response.text[response.text.index('id="installningar"') :]
    assert "Roller och behörigheter" in settings_group
    assert "Juridiska personer och organisationsnummer" in settings_group
    for technical in ("Grupper", "Punkter", "Avsnitt", "Autentisering och auktorisering"):
        assert f">{technical}<" not in response.text


def test_staff_see_only_the_groups_they_work_in(staff_client):
    response = staff_client.get("/admin/")

    assert "Förfrågningar och kontakt" in captions(response)
    assert "Årsrapporten" not in captions(response)
    assert admin_url(Enterprise) in response.text


def test_the_navigation_beside_a_list_shows_the_same_groups(coordinator_client):
    response = coordinator_client.get(admin_url(Inquiry))

    navigation = response.text[response.text.index('id="nav-sidebar"') :]
    assert '<a href="/admin/#installningar" class="section">Inställningar</a>' in navigation
    assert "Autentisering och auktorisering" not in navigation


def test_an_apps_own_page_still_lists_that_app(coordinator_client):
    response = coordinator_client.get(reverse("admin:app_list", args=["enterprises"]))

    assert response.status_code == 200
    assert admin_url(Inquiry) in response.text


# --- A fixed number of queries ---------------------------------------------------------------


def fill(n: int, strategy) -> None:
    for _ in range(n):
        place = factories.TrainingPlaceFactory(last_confirmed_on=None)
        factories.PlacementRequestFactory(place=place)
        factories.InquiryFactory(enterprise=place.enterprise)
        factories.StrategyAreaFactory(strategy=strategy)
        LogEntry.objects.create(
            user=factories.UserFactory(),
            content_type=ContentType.objects.get_for_model(Enterprise),
            object_id=str(place.enterprise.pk),
            object_repr=place.enterprise.name,
            action_flag=CHANGE,
        )


def queries_for_start_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_the_start_page_costs_the_same_queries_for_1_or_15_of_everything(
    coordinator_client, django_assert_max_num_queries
):
    strategy = factories.StrategyFactory()
    factories.AnnualReportFactory(year=timezone.localdate().year, strategy=strategy)
    fill(1, strategy)
    few = queries_for_start_page(coordinator_client)
    fill(14, strategy)

    with django_assert_max_num_queries(few):
        response = coordinator_client.get("/admin/")

    assert "15 förfrågningar väntar på svar." in part(response, "requests")
    assert "15 meddelanden har ingen öppnat ännu." in part(response, "inquiries")
    assert few <= 16, f"the start page needs {few} queries"


def test_the_staff_start_page_costs_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    few = queries_for_start_page(staff_client)
    for _ in range(10):
        factories.PlacementRequestFactory(place=staff_client.own)

    with django_assert_max_num_queries(few):
        response = staff_client.get("/admin/")

    assert "11 förfrågningar väntar på svar." in part(response, "requests")
