"""The enterprise answers a request: accept (a placement, a seat taken), decline, wait-list."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from background.models import OutboxMail
from placements import services
from placements.models import Placement, PlacementRequest, TrainingPlace
from tests.factories import AgreementFactory, PlacementFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

# What the "Ja, anta" button of the confirmation step posts.
CONFIRMED = {"bekrafta": "ja"}


def url(name: str, request: PlacementRequest) -> str:
    return reverse(f"placements:{name}", args=[request.pk])


def free_seats(place) -> int:
    return TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats


def test_staff_see_the_requests_of_their_own_enterprise(staff_a_client, pending_request):
    response = staff_a_client.get(reverse("placements:decision_list"))
    assert response.status_code == 200
    assert "AF-0042" in response.text
    page = staff_a_client.get(url("decision", pending_request))
    assert "Vill träna på att passa tider." in page.text
    assert "Anta förfrågan" in page.text


def test_staff_of_another_enterprise_neither_see_nor_reach_the_request(
    staff_b_client, pending_request
):
    assert "AF-0042" not in staff_b_client.get(reverse("placements:decision_list")).text
    assert staff_b_client.get(url("decision", pending_request)).status_code == 404
    for decision in ["accept", "waitlist"]:
        assert staff_b_client.post(url(decision, pending_request)).status_code == 404
    response = staff_b_client.post(url("decline", pending_request), {"reason": "Nej."})
    assert response.status_code == 404
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING


def test_the_coordinator_sees_every_request(coordinator_client, pending_request):
    assert "AF-0042" in coordinator_client.get(reverse("placements:decision_list")).text
    assert coordinator_client.get(url("decision", pending_request)).status_code == 200


def test_case_officers_cannot_answer_even_their_own_request(officer_client, pending_request):
    assert officer_client.post(url("accept", pending_request)).status_code == 403
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING


def test_accepting_makes_a_placement_and_takes_a_seat(
    staff_a_client,
    staff_a,
    pending_request,
    agreement,
    case_officer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    assert free_seats(pending_request.place) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_a_client.post(url("accept", pending_request), CONFIRMED)
    assert response.status_code == 302
    assert response["Location"] == url("decision", pending_request)

    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.ACCEPTED
    assert pending_request.decided_by == staff_a
    placement = pending_request.placement
    assert placement.participant_code == "AF-0042"
    assert placement.place == pending_request.place
    assert placement.placement_type == pending_request.placement_type
    assert placement.referrer == pending_request.referrer
    assert placement.agreement == agreement
    assert placement.case_officer == case_officer
    assert placement.started_on == pending_request.wished_start_on
    assert placement.extent_percent == 50
    assert placement.ended_on is None
    assert free_seats(pending_request.place) == 1

    (mail,) = mailoutbox
    assert mail.to == ["handlaggare@example.org"]
    assert mail.subject == "Antagen: AF-0042 får en plats på Snickeri och måleri"
    assert "Värmestugan i Märsta har antagit din förfrågan för AF-0042" in mail.body

    page = staff_a_client.get(response["Location"])
    assert "är antagen och platsen är bokad" in page.text
    assert "Antagen" in page.text


def test_an_agreement_for_the_requests_programme_is_preferred(
    staff_a, pending_request, agreement, enterprise_a, referrer
):
    programme = ProgrammeFactory(organisation=referrer)
    for_programme = AgreementFactory(enterprise=enterprise_a, counterparty=referrer, order=5)
    for_programme.programmes.add(programme)
    pending_request.programme = programme
    pending_request.save()
    placement = services.placement_request_accept(request=pending_request, by=staff_a)
    assert placement.agreement == for_programme
    assert placement.programme == programme


def test_a_full_place_refuses_to_accept_with_a_swedish_message(
    staff_a_client, pending_request, mailoutbox, django_capture_on_commit_callbacks
):
    PlacementFactory.create_batch(2, place=pending_request.place)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_a_client.post(url("accept", pending_request), CONFIRMED)
    assert response.status_code == 409
    assert "Det finns ett problem" in response.text
    assert "Platsen är full: alla 2 platser är tagna." in response.text
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert Placement.objects.filter(place=pending_request.place).count() == 2
    assert mailoutbox == []


def test_an_ended_placement_frees_its_seat_for_a_new_acceptance(staff_a, pending_request):
    first, second = PlacementFactory.create_batch(2, place=pending_request.place)
    with pytest.raises(services.PlaceFull):
        services.placement_request_accept(request=pending_request, by=staff_a)
    services.placement_end(
        placement=first, ended_on=timezone.localdate(), outcome=Placement.Outcome.WORK, by=staff_a
    )
    services.placement_request_accept(request=pending_request, by=staff_a)
    assert free_seats(pending_request.place) == 0


def test_an_expired_agreement_stops_the_acceptance(staff_a_client, pending_request, agreement):
    agreement.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    agreement.save()
    response = staff_a_client.post(url("accept", pending_request), CONFIRMED)
    assert response.status_code == 409
    assert "har inget avtal som gäller i dag" in response.text
    assert not Placement.objects.exists()


def test_declining_needs_a_reason(staff_a_client, pending_request):
    response = staff_a_client.post(url("decline", pending_request), {"reason": "   "})
    assert response.status_code == 400
    assert "Skriv varför förfrågan avböjs." in response.text
    assert 'href="#id_reason"' in response.text
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING


def test_declining_stores_the_reason_and_tells_the_case_officer(
    staff_a_client, pending_request, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_a_client.post(
            url("decline", pending_request), {"reason": "Vi har ingen handledare i höst."}
        )
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.DECLINED
    assert pending_request.decline_reason == "Vi har ingen handledare i höst."
    assert pending_request.placement is None
    (mail,) = mailoutbox
    assert mail.to == ["handlaggare@example.org"]
    assert "Vi har ingen handledare i höst." in mail.body


def test_waitlisting_keeps_the_request_open_and_tells_the_case_officer(
    staff_a_client, staff_a, pending_request, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_a_client.post(url("waitlist", pending_request))
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.WAITLISTED
    (mail,) = mailoutbox
    assert mail.subject.startswith("Väntelista: förfrågan för AF-0042")
    # Still open: it can be accepted when a seat frees up.
    page = staff_a_client.get(url("decision", pending_request))
    assert "Anta förfrågan" in page.text
    assert "Sätt på väntelista" not in page.text
    services.placement_request_accept(request=pending_request, by=staff_a)


def test_an_answered_request_cannot_be_answered_again(staff_a_client, staff_a, pending_request):
    services.placement_request_decline(request=pending_request, by=staff_a, reason="Full.")
    response = staff_a_client.post(url("accept", pending_request), CONFIRMED)
    assert response.status_code == 409
    assert "Förfrågan är redan besvarad: avböjd." in response.text
    assert not Placement.objects.exists()
    assert "Anta förfrågan" not in staff_a_client.get(url("decision", pending_request)).text


def test_the_decisions_are_posts_only(staff_a_client, pending_request):
    assert staff_a_client.get(url("accept", pending_request)).status_code == 405
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING


def test_a_failing_mail_server_never_loses_the_decision_nor_the_mail(
    staff_a_client, pending_request, settings, mailoutbox
):
    settings.MAILERS["delivery"] = {"BACKEND": "tests.platser.broken_mail.BrokenBackend"}
    response = staff_a_client.post(url("accept", pending_request), CONFIRMED)
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.ACCEPTED
    assert mailoutbox == []
    (waiting,) = OutboxMail.objects.all()
    assert waiting.to == [pending_request.case_officer.email]
    assert waiting.status == OutboxMail.Status.PENDING
    assert waiting.attempts == 1
    assert "The mail server does not answer" in waiting.last_error


def test_the_case_officer_sees_the_decision_under_my_requests(
    officer_client, staff_a, pending_request
):
    services.placement_request_waitlist(request=pending_request, by=staff_a)
    response = officer_client.get(reverse("placements:my_requests"))
    assert "AF-0042" in response.text
    assert "Väntelista" in response.text
