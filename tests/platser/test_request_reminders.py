"""Requests answered within days: the enterprise is reminded after 3 working days, the
coordinator is told after 5, and the case officer sees how long a request has waited."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from background import schedule
from placements import jobs, services
from placements.apps import PlacementsConfig
from placements.models import PlacementRequest
from tests.factories import PlacementRequestFactory
from tests.platser.conftest import COORDINATOR_ADDRESS

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Sent on Tuesday 22 December 2026. Working days after it: Wednesday 23rd (1); julafton,
# juldagen and the weekend are not; Monday 28th (2), Tuesday 29th (3), Wednesday 30th (4);
# nyårsafton, nyårsdagen and the weekend are not; Monday 4 January (5).
SENT = datetime.date(2026, 12, 22)


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=STOCKHOLM)


@pytest.fixture
def sent_before_christmas(time_machine, pending_request):
    """The conftest's pending request, sent at 15:00 on the Tuesday before Christmas."""
    PlacementRequest.objects.filter(pk=pending_request.pk).update(created_at=at(SENT, 15))
    pending_request.refresh_from_db()
    return pending_request


def run_on(time_machine, day: datetime.date, hour: int = 6) -> dict:
    time_machine.move_to(at(day, hour), tick=False)
    return jobs.send_request_reminders()


def test_staff_are_reminded_after_3_working_days_and_the_coordinator_after_5(
    time_machine, network, sent_before_christmas, mailoutbox
):
    nothing = {"staff_reminded": 0, "coordinator_told": 0}
    for day in (23, 24, 25, 26, 27, 28):  # up to 2 working days
        assert run_on(time_machine, datetime.date(2026, 12, day)) == nothing
    assert mailoutbox == []

    assert run_on(time_machine, datetime.date(2026, 12, 29)) == {
        "staff_reminded": 1,
        "coordinator_told": 0,
    }
    (reminder,) = mailoutbox
    assert reminder.to == ["personal-a@example.org"]
    assert reminder.subject == (
        "Påminnelse: förfrågan för AF-0042 om Snickeri och måleri väntar på svar"
    )
    assert "Förfrågan har väntat på svar i 3 arbetsdagar." in reminder.body
    assert "frågade 2026-12-22 efter en plats" in reminder.body
    decision = reverse("placements:decision", args=[sent_before_christmas.pk])
    assert decision in reminder.body

    # The same day again, and the days up to the fifth working day: nothing more.
    assert run_on(time_machine, datetime.date(2026, 12, 29), hour=9) == nothing
    for day in (30, 31):
        assert run_on(time_machine, datetime.date(2026, 12, day)) == nothing
    assert run_on(time_machine, datetime.date(2027, 1, 3)) == nothing
    assert len(mailoutbox) == 1

    assert run_on(time_machine, datetime.date(2027, 1, 4)) == {
        "staff_reminded": 0,
        "coordinator_told": 1,
    }
    told = mailoutbox[1]
    assert told.to == [COORDINATOR_ADDRESS]
    assert told.subject == "Obesvarad förfrågan: AF-0042 hos Värmestugan i Märsta"
    assert "har väntat i 5 arbetsdagar" in told.body
    assert "Företagets personal fick en påminnelse efter tre arbetsdagar." in told.body

    for day in (datetime.date(2027, 1, 4), datetime.date(2027, 1, 5), datetime.date(2027, 2, 1)):
        assert run_on(time_machine, day) == nothing
    assert len(mailoutbox) == 2
    sent_before_christmas.refresh_from_db()
    assert sent_before_christmas.staff_reminded_at == at(datetime.date(2026, 12, 29), 6)
    assert sent_before_christmas.coordinator_told_at == at(datetime.date(2027, 1, 4), 6)


def test_the_mails_carry_the_participant_code_and_no_names(
    time_machine, network, sent_before_christmas, mailoutbox
):
    run_on(time_machine, datetime.date(2027, 1, 4))

    assert len(mailoutbox) == 2  # both at once when the job first runs that late
    for message in mailoutbox:
        text = message.subject + message.body
        assert "AF-0042" in text
        for name in ("Hanna", "Handläggare", "handlaggare@example.org"):
            assert name not in text, name


def test_an_answered_or_waitlisted_request_is_not_reminded(
    time_machine, network, sent_before_christmas, staff_a, mailoutbox
):
    time_machine.move_to(at(datetime.date(2026, 12, 23)), tick=False)
    services.placement_request_waitlist(request=sent_before_christmas, by=staff_a, notify=False)
    other = PlacementRequestFactory(
        place=sent_before_christmas.place,
        case_officer=sent_before_christmas.case_officer,
        referrer=sent_before_christmas.referrer,
        placement_type=sent_before_christmas.placement_type,
    )
    PlacementRequest.objects.filter(pk=other.pk).update(created_at=at(SENT, 9))
    services.placement_request_decline(request=other, by=staff_a, reason="Inga platser i vinter.")
    mailoutbox.clear()

    assert run_on(time_machine, datetime.date(2027, 1, 11)) == {
        "staff_reminded": 0,
        "coordinator_told": 0,
    }
    assert mailoutbox == []


def test_the_coordinator_hears_of_an_enterprise_without_staff(
    time_machine, network, sent_before_christmas, enterprise_a, staff_a, mailoutbox
):
    enterprise_a.staff.remove(staff_a)

    assert run_on(time_machine, datetime.date(2026, 12, 29))["staff_reminded"] == 0
    assert run_on(time_machine, datetime.date(2027, 1, 4))["coordinator_told"] == 1
    (told,) = mailoutbox
    assert "Företaget har ingen personal med konto i portalen" in told.body


def test_the_worker_runs_the_request_reminders_daily(
    time_machine, network, sent_before_christmas, mailoutbox
):
    assert "placements.jobs.send_request_reminders" in PlacementsConfig.scheduled_jobs["daily"]
    day = datetime.date(2026, 12, 29)
    schedule.run_tick(at(day, 5))
    assert mailoutbox == []
    time_machine.move_to(at(day, 6), tick=False)
    schedule.run_tick()
    schedule.run_tick()
    assert [message.to for message in mailoutbox] == [["personal-a@example.org"]]


# --- What the case officer sees -------------------------------------------------------------


def my_requests_on(client, officer, time_machine, when: datetime.datetime) -> str:
    time_machine.move_to(when, tick=False)
    client.force_login(officer)  # a session from another day may have expired
    response = client.get(reverse("placements:my_requests"))
    assert response.status_code == 200
    return response.text


def test_my_requests_say_how_many_working_days_a_request_has_waited(
    time_machine, client, case_officer, sent_before_christmas, staff_a
):
    def page_at(when):
        return my_requests_on(client, case_officer, time_machine, when)

    assert "väntar på svar sedan" not in page_at(at(SENT, 16))
    sunday = at(datetime.date(2026, 12, 27), 12)
    assert "väntar på svar sedan 1 arbetsdag<" in page_at(sunday)
    tuesday = at(datetime.date(2026, 12, 29), 12)
    assert "väntar på svar sedan 3 arbetsdagar" in page_at(tuesday)

    services.placement_request_waitlist(request=sent_before_christmas, by=staff_a)
    page = page_at(tuesday)
    assert "Väntelista" in page
    assert "väntar på svar sedan" not in page


def test_my_requests_make_a_fixed_number_of_queries(
    time_machine, client, case_officer, sent_before_christmas, django_assert_max_num_queries
):
    time_machine.move_to(at(datetime.date(2027, 1, 4), 12), tick=False)
    client.force_login(case_officer)
    officer_client = client
    url = reverse("placements:my_requests")
    with django_assert_max_num_queries(MY_REQUESTS_QUERIES):
        response = officer_client.get(url)
    assert response.text.count("väntar på svar sedan") == 1

    for n in range(20):
        PlacementRequestFactory(
            place=sent_before_christmas.place,
            case_officer=sent_before_christmas.case_officer,
            referrer=sent_before_christmas.referrer,
            placement_type=sent_before_christmas.placement_type,
            participant_code=f"AF-{n:04d}",
        )
    with django_assert_max_num_queries(MY_REQUESTS_QUERIES):
        response = officer_client.get(url)
    assert response.text.count("väntar på svar sedan") == 1  # the new ones are from today


# Session, user, the role check, the requests with their places and types, the network
# profile of the layout.
MY_REQUESTS_QUERIES = 6
