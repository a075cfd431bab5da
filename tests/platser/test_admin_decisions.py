"""Answering a request in the admin: the same decision, with the same rules, as on /platser/.

A new status in the admin's form goes through placements.services: who answered and when are
recorded, an acceptance makes the placement and takes a seat (never more than there are), the
case officer is mailed. What the service refuses is an error on the form, and nothing is saved.
"""

from __future__ import annotations

import pytest

from placements import services
from placements.models import Placement, PlacementRequest, TrainingPlace
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url, change_form_data
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

Status = PlacementRequest.Status


def form_data(page) -> dict:
    """What the browser posts back from the page, with the status as the page showed it."""
    form = page.context["adminform"].form
    return {**change_form_data(page), "initial-status": form["status"].initial}


def post_status(client, request: PlacementRequest, status: str, **changes):
    """The request's change form, posted back with a new status (and any other changes)."""
    page = client.get(admin_url(request, "change"))
    assert page.status_code == 200
    data = {**form_data(page), "status": status, **changes}
    return client.post(admin_url(request, "change"), data)


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form is shown again"
    return dict(response.context["adminform"].form.errors)


def free_seats(place) -> int:
    return TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats


def test_the_coordinator_accepts_in_the_admin_as_staff_do_on_the_platser_pages(
    coordinator_client,
    coordinator,
    pending_request,
    agreement,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_status(coordinator_client, pending_request, Status.ACCEPTED)

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == Status.ACCEPTED
    assert pending_request.decided_by == coordinator
    assert pending_request.decided_at is not None
    placement = pending_request.placement
    assert (placement.participant_code, placement.agreement) == ("AF-0042", agreement)
    assert free_seats(pending_request.place) == 1
    (mail,) = mailoutbox
    assert mail.to == ["handlaggare@example.org"]
    assert mail.subject == "Antagen: AF-0042 får en plats på Snickeri och måleri"


def test_staff_waitlist_in_the_admin_and_the_case_officer_is_told(
    client, staff_a, pending_request, mailoutbox, django_capture_on_commit_callbacks
):
    log_in_with_second_factor(client, staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_status(client, pending_request, Status.WAITLISTED)

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == Status.WAITLISTED
    assert pending_request.decided_by == staff_a
    assert pending_request.decided_at is not None
    (mail,) = mailoutbox
    assert mail.subject.startswith("Väntelista: förfrågan för AF-0042")


def test_declining_in_the_admin_sends_the_reason(
    coordinator_client, pending_request, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_status(
            coordinator_client,
            pending_request,
            Status.DECLINED,
            decline_reason="Ingen handledare i höst.",
        )

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == Status.DECLINED
    assert pending_request.decline_reason == "Ingen handledare i höst."
    assert pending_request.placement is None
    (mail,) = mailoutbox
    assert "Ingen handledare i höst." in mail.body


def test_declining_without_a_reason_is_a_form_error(coordinator_client, pending_request):
    response = post_status(coordinator_client, pending_request, Status.DECLINED)

    assert form_errors(response) == {"decline_reason": ["Skriv varför förfrågan avböjs."]}
    pending_request.refresh_from_db()
    assert (pending_request.status, pending_request.decided_at) == (Status.PENDING, None)


def test_a_full_place_is_a_form_error_and_nothing_of_the_save_is_kept(
    coordinator_client, pending_request, mailoutbox, django_capture_on_commit_callbacks
):
    PlacementFactory.create_batch(2, place=pending_request.place)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_status(
            coordinator_client, pending_request, Status.ACCEPTED, note="Ny anteckning."
        )

    errors = form_errors(response)
    assert list(errors) == ["status"]
    assert errors["status"][0].startswith("Platsen är full: alla 2 platser är tagna.")
    assert "Platsen är full" in response.text
    pending_request.refresh_from_db()
    assert pending_request.status == Status.PENDING
    assert pending_request.decided_by is None
    assert pending_request.note == "Vill träna på att passa tider."  # the whole save undone
    assert Placement.objects.filter(place=pending_request.place).count() == 2
    assert mailoutbox == []


def test_an_answered_request_cannot_be_answered_again_in_the_admin(
    coordinator_client, staff_a, pending_request
):
    services.placement_request_accept(request=pending_request, by=staff_a)

    response = post_status(
        coordinator_client, pending_request, Status.DECLINED, decline_reason="Ändrade oss."
    )

    assert form_errors(response) == {"status": ["Förfrågan är redan besvarad: antagen."]}
    pending_request.refresh_from_db()
    assert pending_request.status == Status.ACCEPTED
    assert pending_request.decided_by == staff_a
    assert pending_request.decline_reason == ""


@pytest.mark.parametrize("status", [Status.PENDING, Status.WITHDRAWN])
def test_only_an_answer_is_a_status_change(coordinator_client, staff_a, pending_request, status):
    services.placement_request_waitlist(request=pending_request, by=staff_a)

    response = post_status(coordinator_client, pending_request, status)

    assert form_errors(response) == {
        "status": ["En förfrågan kan antas, avböjas eller sättas på väntelistan, inget annat."]
    }
    pending_request.refresh_from_db()
    assert pending_request.status == Status.WAITLISTED


def test_a_reason_without_declining_is_a_form_error(coordinator_client, pending_request):
    response = post_status(
        coordinator_client, pending_request, Status.WAITLISTED, decline_reason="Kanske senare."
    )

    assert form_errors(response) == {
        "decline_reason": [
            "Skälet skrivs när förfrågan avböjs: välj status Avböjd, eller töm fältet."
        ]
    }
    pending_request.refresh_from_db()
    assert (pending_request.status, pending_request.decline_reason) == (Status.PENDING, "")


def test_who_answered_and_the_placement_are_not_typed_in(
    coordinator_client, coordinator, case_officer, pending_request
):
    page = coordinator_client.get(admin_url(pending_request, "change"))
    form = page.context["adminform"].form
    assert {"decided_by", "decided_at", "placement"}.isdisjoint(form.fields)

    placement = PlacementFactory(place=pending_request.place)
    response = coordinator_client.post(
        admin_url(pending_request, "change"),
        {
            **form_data(page),
            "decided_by": case_officer.pk,
            "decided_at_0": "2020-01-01",
            "decided_at_1": "12:00",
            "placement": placement.pk,
        },
    )

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert (pending_request.decided_by, pending_request.decided_at) == (None, None)
    assert pending_request.placement is None


def test_an_old_form_saved_later_keeps_the_answer_given_meanwhile(
    coordinator_client, staff_a, pending_request
):
    # The coordinator opens the request; meanwhile staff accept it on /platser/.
    page = coordinator_client.get(admin_url(pending_request, "change"))
    placement = services.placement_request_accept(request=pending_request, by=staff_a)
    # The form carries the status it showed, so the status left alone is no decision.
    assert 'name="initial-status" value="pending"' in page.text

    response = coordinator_client.post(
        admin_url(pending_request, "change"),
        {**form_data(page), "note": "Vill träna på att passa tider och laga mat."},
    )

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.note == "Vill träna på att passa tider och laga mat."
    assert pending_request.status == Status.ACCEPTED
    assert (pending_request.placement, pending_request.decided_by) == (placement, staff_a)
