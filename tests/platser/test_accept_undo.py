"""An accept can be undone for ACCEPT_UNDO_WINDOW, from the request's page: the request back as
it was, the placement gone, the seat free, and the case officer told the truth by mail."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html

from background import outbox
from background.models import OutboxMail
from placements import services
from placements.models import ACCEPT_UNDO_WINDOW, Placement, PlacementRequest, TrainingPlace
from tests.accounts.helpers import log_in_with_second_factor
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

ACCEPTED_SUBJECT = "Antagen: AF-0042 får en plats på Snickeri och måleri"
UNDONE_SUBJECT = "Antagningen ångrad: förfrågan för AF-0042 om Snickeri och måleri"
TOO_LATE = "Antagningen kan inte ångras längre: det går bara inom 10 minuter efter"


def url(name: str, request: PlacementRequest) -> str:
    return reverse(f"placements:{name}", args=[request.pk])


def free_seats(place) -> int:
    return TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats


def undo_buttons(response) -> list:
    return html.fromstring(response.text).xpath(
        '//form[@action=$action]//button[normalize-space()="Ångra antagningen"]',
        action=url("accept_undo", PlacementRequest.objects.get()),
    )


def accept(client, request: PlacementRequest):
    return client.post(url("accept", request), {"bekrafta": "ja"})


@pytest.fixture
def clock():
    """Time stands still from now on, until the test moves it."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def as_user(client, user):
    client.logout()
    log_in_with_second_factor(client, user)
    return client


def assert_still_accepted(request: PlacementRequest, by) -> None:
    request.refresh_from_db()
    assert request.status == PlacementRequest.Status.ACCEPTED
    assert request.decided_by == by
    assert Placement.objects.filter(pk=request.placement_id, ended_on=None).exists()
    assert free_seats(request.place) == 1
    assert not OutboxMail.objects.filter(subject=UNDONE_SUBJECT).exists()


# --- The confirmation after accepting ---------------------------------------------------------


def test_after_accepting_the_page_offers_the_undo_until_ten_minutes_later(
    staff_a_client, pending_request, clock
):
    response = staff_a_client.get(accept(staff_a_client, pending_request).url)

    assert "Förfrågan för AF-0042 är antagen och platsen är bokad." in response.text
    page = html.fromstring(response.text)
    (section,) = page.xpath('//section[@aria-labelledby="undo-title"]')
    assert section.find(".//h2").text_content() == "Blev det fel?"
    until = timezone.localtime(timezone.now() + ACCEPT_UNDO_WINDOW).strftime("%H:%M")
    assert (
        f"Du kan ångra antagningen till klockan {until}, 10 minuter efter att förfrågan antogs."
        in " ".join(section.text_content().split())
    )
    (form,) = section.findall(".//form")
    assert form.get("method") == "post"
    assert form.find('.//input[@name="csrfmiddlewaretoken"]') is not None
    assert len(undo_buttons(response)) == 1


def test_the_undo_is_not_offered_for_a_request_that_is_not_accepted(
    staff_a_client, pending_request
):
    assert undo_buttons(staff_a_client.get(url("decision", pending_request))) == []


def test_the_undo_is_gone_from_the_page_after_ten_minutes(staff_a_client, pending_request, clock):
    accept(staff_a_client, pending_request)
    clock.shift(ACCEPT_UNDO_WINDOW - datetime.timedelta(seconds=1))
    assert len(undo_buttons(staff_a_client.get(url("decision", pending_request)))) == 1

    clock.shift(datetime.timedelta(seconds=2))

    response = staff_a_client.get(url("decision", pending_request))
    assert response.status_code == 200
    assert undo_buttons(response) == []
    assert "Blev det fel?" not in response.text


# --- Undoing ------------------------------------------------------------------------------------


def test_undo_puts_a_new_request_back_waiting_frees_the_seat_and_tells_the_case_officer(
    staff_a_client, staff_a, pending_request, mailoutbox, clock, django_assert_max_num_queries
):
    accept(staff_a_client, pending_request)
    pending_request.refresh_from_db()
    placement_pk = pending_request.placement_id
    assert [message.subject for message in mailoutbox] == [ACCEPTED_SUBJECT]
    clock.shift(datetime.timedelta(minutes=9))

    # 25 here, of which 7 are the test's own delivery of the mail at once (ImmediateBackend);
    # in production the worker delivers it.
    with django_assert_max_num_queries(25):
        response = staff_a_client.post(url("accept_undo", pending_request))

    assert response.status_code == 302
    assert response.url == url("decision", pending_request)
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert pending_request.decided_by is None
    assert pending_request.decided_at is None
    assert pending_request.placement is None
    assert not Placement.objects.filter(pk=placement_pk).exists()
    assert free_seats(pending_request.place) == 2
    # The case officer had been told it was accepted, so is told it is not.
    assert [message.subject for message in mailoutbox] == [ACCEPTED_SUBJECT, UNDONE_SUBJECT]
    assert mailoutbox[1].to == ["handlaggare@example.org"]

    page = staff_a_client.get(response.url)
    assert (
        "Antagningen av AF-0042 är ångrad och förfrågan väntar på svar igen. Placeringen är "
        "borttagen och platsen är ledig. Handläggaren hade fått e-post om antagningen och får "
        "nu e-post om att den är ångrad."
    ) in page.text
    assert '<strong class="tag status status--pending">Inskickad</strong>' in page.text
    assert "Anta förfrågan" in page.text  # it can be answered again
    assert undo_buttons(page) == []


def test_the_case_officers_list_shows_the_seat_free_again(
    staff_a_client, case_officer, pending_request
):
    officer = Client()
    officer.force_login(case_officer)
    accept(staff_a_client, pending_request)
    place_row = '<td class="place-table__free_seats" data-label="Lediga platser">{}</td>'
    assert place_row.format("1 av 2") in officer.get(reverse("placements:list")).text  # cached

    staff_a_client.post(url("accept_undo", pending_request))

    assert place_row.format("2 av 2") in officer.get(reverse("placements:list")).text


def test_the_change_history_records_the_undo_and_who_made_it(
    staff_a_client, staff_a, pending_request
):
    accept(staff_a_client, pending_request)
    placement_pk = PlacementRequest.objects.get().placement_id

    staff_a_client.post(url("accept_undo", pending_request))

    latest = pending_request.history.order_by("-history_id").first()
    assert latest.status == PlacementRequest.Status.PENDING
    assert latest.history_change_reason == "Antagningen ångrad"
    assert latest.history_user == staff_a
    deleted = Placement.history.filter(id=placement_pk).order_by("-history_id").first()
    assert deleted.history_type == "-"
    assert deleted.history_user == staff_a


def test_undo_puts_a_waitlisted_request_back_on_the_waiting_list_as_it_was(
    staff_a_client, staff_a, colleague_a, pending_request, mailoutbox
):
    services.placement_request_waitlist(request=pending_request, by=colleague_a)
    pending_request.refresh_from_db()
    waitlisted_at = pending_request.decided_at
    accept(staff_a_client, pending_request)

    response = staff_a_client.post(url("accept_undo", pending_request), follow=True)

    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.WAITLISTED
    assert pending_request.decided_by == colleague_a
    assert pending_request.decided_at == waitlisted_at
    assert "förfrågan står på väntelistan igen" in response.text
    assert free_seats(pending_request.place) == 2
    assert "Förfrågan står på väntelistan igen." in mailoutbox[-1].body


def test_the_withdrawal_mail_says_what_happened(staff_a_client, pending_request, mailoutbox):
    accept(staff_a_client, pending_request)
    staff_a_client.post(url("accept_undo", pending_request))

    withdrawal = mailoutbox[-1]
    assert withdrawal.subject == UNDONE_SUBJECT
    assert (
        "Värmestugan i Märsta har ångrat att de antog din förfrågan för AF-0042 om en plats på "
        "Snickeri och måleri. Bortse från e-posten om att förfrågan är antagen: deltagaren har "
        "ingen plats där än."
    ) in withdrawal.body
    assert "Förfrågan väntar på svar igen. Du får e-post när företaget har svarat." in (
        withdrawal.body
    )
    assert "/platser/mina-forfragningar/" in withdrawal.body


def test_an_accepted_mail_still_in_the_outbox_is_stopped_and_nothing_is_sent(
    staff_a_client, pending_request, settings, mailoutbox, django_assert_max_num_queries
):
    # The worker has not delivered yet: the delivery task waits in the database.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    accept(staff_a_client, pending_request)
    (accepted,) = OutboxMail.objects.all()
    assert accepted.subject == ACCEPTED_SUBJECT
    assert accepted.status == OutboxMail.Status.PENDING

    with django_assert_max_num_queries(16):
        response = staff_a_client.post(url("accept_undo", pending_request))

    assert not OutboxMail.objects.exists()
    outbox.deliver_all_due()  # the worker comes
    assert mailoutbox == []  # the case officer hears of neither
    page = staff_a_client.get(response.url)
    assert "E-posten till handläggaren om antagningen hann inte skickas och stoppades." in page.text


@pytest.mark.parametrize(
    ("status", "withdrawal"),
    [
        (OutboxMail.Status.PENDING, False),  # waiting for the worker, or for a retry
        (OutboxMail.Status.FAILED, False),  # given up: never arrived
        (OutboxMail.Status.SENDING, True),  # the worker has it: it may arrive
        (OutboxMail.Status.SENT, True),
    ],
)
def test_a_withdrawal_is_mailed_exactly_when_the_accepted_mail_may_have_arrived(
    staff_a_client, pending_request, status, withdrawal
):
    accept(staff_a_client, pending_request)
    OutboxMail.objects.update(status=status)

    staff_a_client.post(url("accept_undo", pending_request))

    subjects = set(OutboxMail.objects.values_list("subject", flat=True))
    if withdrawal:
        assert subjects == {ACCEPTED_SUBJECT, UNDONE_SUBJECT}
    else:
        assert subjects == set()


def test_a_mail_of_an_earlier_accept_is_not_taken_for_this_ones(
    staff_a_client, pending_request, settings
):
    accept(staff_a_client, pending_request)
    staff_a_client.post(url("accept_undo", pending_request))  # accepted, then withdrawn: sent
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    accept(staff_a_client, pending_request)  # this accept's mail waits

    staff_a_client.post(url("accept_undo", pending_request))

    # The second accept's mail is stopped; the case officer's last news stays "withdrawn".
    assert list(OutboxMail.objects.order_by("pk").values_list("subject", "status")) == [
        (ACCEPTED_SUBJECT, OutboxMail.Status.SENT),
        (UNDONE_SUBJECT, OutboxMail.Status.SENT),
    ]


def test_the_seat_can_be_given_again_after_an_undo(staff_a_client, pending_request):
    accept(staff_a_client, pending_request)
    staff_a_client.post(url("accept_undo", pending_request))

    assert accept(staff_a_client, pending_request).status_code == 302

    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.ACCEPTED
    assert free_seats(pending_request.place) == 1


# --- Who may undo -------------------------------------------------------------------------------


def test_a_colleague_at_the_same_enterprise_may_undo(client, staff_a, colleague_a, pending_request):
    accept(as_user(client, staff_a), pending_request)

    page = as_user(client, colleague_a).get(url("decision", pending_request))
    assert len(undo_buttons(page)) == 1
    response = client.post(url("accept_undo", pending_request))

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING


def test_the_coordinator_may_undo_their_own_accept_and_staff_may_undo_it_too(
    client, coordinator, staff_a, pending_request
):
    accept(as_user(client, coordinator), pending_request)
    assert len(undo_buttons(client.get(url("decision", pending_request)))) == 1

    response = as_user(client, staff_a).post(url("accept_undo", pending_request))

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING


def test_the_coordinator_may_not_undo_an_enterprises_accept(
    client, coordinator, staff_a, pending_request
):
    accept(as_user(client, staff_a), pending_request)

    as_user(client, coordinator)
    assert undo_buttons(client.get(url("decision", pending_request))) == []
    response = client.post(url("accept_undo", pending_request))

    assert response.status_code == 403
    assert "Du har inte tillgång till sidan" in response.text
    assert (
        "Bara den som antog förfrågan och personalen på Värmestugan i Märsta kan ångra antagningen."
    ) in response.text
    assert_still_accepted(pending_request, by=staff_a)


def test_another_enterprises_staff_cannot_even_find_the_request(
    client, staff_a, staff_b, pending_request
):
    accept(as_user(client, staff_a), pending_request)

    response = as_user(client, staff_b).post(url("accept_undo", pending_request))

    assert response.status_code == 404
    assert "Sidan finns inte" in response.text  # the site's own page
    assert_still_accepted(pending_request, by=staff_a)


def test_case_officers_and_visitors_cannot_undo(client, staff_a, case_officer, pending_request):
    accept(as_user(client, staff_a), pending_request)

    client.logout()
    response = client.post(url("accept_undo", pending_request))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    client.force_login(case_officer)
    response = client.post(url("accept_undo", pending_request))
    assert response.status_code == 403
    assert "Du har inte tillgång till sidan" in response.text
    assert_still_accepted(pending_request, by=staff_a)


# --- Refused: too late, twice, nothing to undo, bad addresses ----------------------------------


def test_after_ten_minutes_the_undo_is_refused_in_plain_swedish_and_changes_nothing(
    staff_a_client, staff_a, pending_request, clock
):
    accept(staff_a_client, pending_request)
    clock.shift(ACCEPT_UNDO_WINDOW + datetime.timedelta(seconds=1))

    response = staff_a_client.post(url("accept_undo", pending_request))

    assert response.status_code == 409
    assert TOO_LATE in response.text
    assert "Ingenting har ändrats." in response.text
    assert "<title>Fel:" in response.text
    assert undo_buttons(response) == []
    assert_still_accepted(pending_request, by=staff_a)


def test_at_exactly_ten_minutes_the_undo_still_works(staff_a_client, pending_request, clock):
    accept(staff_a_client, pending_request)
    clock.shift(ACCEPT_UNDO_WINDOW)

    assert staff_a_client.post(url("accept_undo", pending_request)).status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING


def test_a_second_undo_changes_nothing_and_sends_nothing(
    staff_a_client, pending_request, mailoutbox
):
    accept(staff_a_client, pending_request)
    staff_a_client.post(url("accept_undo", pending_request))
    sent = len(mailoutbox)

    response = staff_a_client.post(url("accept_undo", pending_request))

    assert response.status_code == 409
    assert "Förfrågan är inte antagen (den är inskickad), så det finns inget att ångra." in (
        response.text
    )
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert len(mailoutbox) == sent
    assert free_seats(pending_request.place) == 2


@pytest.mark.parametrize("status", ["pending", "waitlisted", "declined", "withdrawn"])
def test_a_request_never_accepted_has_nothing_to_undo(staff_a_client, pending_request, status):
    PlacementRequest.objects.filter(pk=pending_request.pk).update(status=status)

    response = staff_a_client.post(url("accept_undo", pending_request))

    assert response.status_code == 409
    assert "så det finns inget att ångra" in response.text
    pending_request.refresh_from_db()
    assert pending_request.status == status


def test_an_ended_placement_is_not_undone(staff_a_client, staff_a, pending_request):
    accept(staff_a_client, pending_request)
    placement = PlacementRequest.objects.get().placement
    services.placement_end(
        placement=placement, ended_on=placement.started_on, outcome="other", by=staff_a
    )

    response = staff_a_client.post(url("accept_undo", pending_request))

    assert response.status_code == 409
    assert "Placeringen är redan avslutad, så antagningen går inte att ångra." in response.text
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.ACCEPTED
    assert Placement.objects.filter(pk=placement.pk).exists()


def test_the_undo_deletes_only_the_placement_the_accept_made(
    staff_a_client, pending_request, place, referrer, at
):
    other = PlacementFactory(place=place, referrer=referrer, placement_type=at)
    accept(staff_a_client, pending_request)
    staff_a_client.post(url("accept_undo", pending_request))

    assert list(Placement.objects.all()) == [other]
    assert free_seats(place) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/platser/forfragningar/999999/angra-antagning/",
        "/platser/forfragningar/0/angra-antagning/",
        "/platser/forfragningar/abc/angra-antagning/",
        "/platser/forfragningar/-1/angra-antagning/",
        "/platser/forfragningar/99999999999999999999999/angra-antagning/",
    ],
)
def test_a_bad_address_is_the_sites_not_found_page(staff_a_client, pending_request, path):
    response = staff_a_client.post(path)

    assert response.status_code == 404
    assert "Sidan finns inte" in response.text


def test_the_undo_is_a_post_only(staff_a_client, pending_request):
    accept(staff_a_client, pending_request)

    assert staff_a_client.get(url("accept_undo", pending_request)).status_code == 405
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.ACCEPTED


def test_the_service_refuses_the_same_as_the_page(staff_a, staff_b, pending_request):
    """Every door: a caller of the service without the page gets the same refusals."""
    services.placement_request_accept(request=pending_request, by=staff_a)
    pending_request.refresh_from_db()

    with pytest.raises(services.AcceptUndoRefused) as refused:
        services.placement_request_accept_undo(request=pending_request, by=staff_b)
    assert refused.value.code == "not_allowed"

    later = pending_request.decided_at + ACCEPT_UNDO_WINDOW + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False), pytest.raises(services.AcceptUndoRefused) as late:
        services.placement_request_accept_undo(request=pending_request, by=staff_a)
    assert late.value.code == "too_late"
    assert_still_accepted(pending_request, by=staff_a)
