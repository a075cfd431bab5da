"""Every rule of placements has one home (placements.services) and every door calls it.

For each rule the same bad write goes through every door that can make it: the /platser/
pages, the admin's add and change forms, the enterprise's inline table, the service itself
and the demo data. Each door refuses with the same Swedish message, saves nothing, and no
place ever shows fewer than 0 free seats.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from asfnet.demo import demo_content_load
from placements import services
from placements.models import Placement, PlacementRequest, TrainingPlace
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url, change_form_data
from tests.factories import OrganisationFactory, PlacementFactory

pytestmark = pytest.mark.django_db

FULL = "Platsen är full: alla 2 platser är tagna."
NO_AGREEMENT = "har inget avtal som gäller i dag med Värmestugan i Märsta"
DUPLICATE = "Det finns redan en obesvarad förfrågan om den här platsen för deltagaren."
PAST_START = "Startdatumet kan inte ligga bakåt i tiden."
TODAY = timezone.localdate()


def free_seats(place) -> int:
    return TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats


def fill(place, referrer, agreement, at, count: int | None = None) -> list[Placement]:
    return [
        PlacementFactory(
            place=place,
            referrer=referrer,
            agreement=agreement,
            placement_type=at,
            participant_code=f"AF-{900 + n}",
        )
        for n in range(place.capacity if count is None else count)
    ]


def errors_of(response) -> str:
    """Every error of the admin form shown again, as one text."""
    assert response.status_code == 200, "the form is shown again, not saved"
    form = response.context["adminform"].form
    texts = [str(error) for errors in form.errors.values() for error in errors]
    for inline in response.context["inline_admin_formsets"]:
        for errors in inline.formset.errors:
            texts += [str(error) for field in errors.values() for error in field]
    return " ".join(texts)


def placement_post(place, referrer, at, **changes) -> dict:
    return {
        "participant_code": "AF-0777",
        "placement_type": str(at.pk),
        "extent_percent": "50",
        "place": str(place.pk),
        "referrer": str(referrer.pk),
        "started_on": TODAY.isoformat(),
        **changes,
    }


@pytest.fixture
def admin_as(request):
    """An admin client logged in (with two factors) as the coordinator or as staff of A."""

    def log_in(who: str):
        client = Client()
        user = request.getfixturevalue("coordinator" if who == "coordinator" else "staff_a")
        log_in_with_second_factor(client, user)
        return client

    return log_in


@pytest.fixture
def officer_browser(case_officer):
    """The case officer, in a browser of their own (the admin tests' client is another)."""
    client = Client()
    client.force_login(case_officer)
    return client


# --- A place is never overbooked -----------------------------------------------------------


def test_the_service_refuses_a_placement_on_a_full_place(place, referrer, agreement, at):
    fill(place, referrer, agreement, at)
    extra = Placement(
        place=place,
        participant_code="AF-0777",
        placement_type=at,
        referrer=referrer,
        started_on=TODAY,
        extent_percent=50,
    )

    with pytest.raises(services.PlaceFull) as refusal:
        services.placement_save(placement=extra)

    assert refusal.value.message.startswith(FULL)
    assert Placement.objects.filter(place=place).count() == 2
    assert free_seats(place) == 0


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_the_admin_add_form_refuses_a_placement_on_a_full_place(
    who, admin_as, place, referrer, agreement, at
):
    client = admin_as(who)
    fill(place, referrer, agreement, at)

    response = client.post(admin_url(Placement, "add"), placement_post(place, referrer, at))

    assert FULL in errors_of(response)
    assert Placement.objects.filter(place=place).count() == 2
    assert free_seats(place) == 0


def test_reopening_an_ended_placement_in_the_admin_needs_a_free_seat(
    coordinator_client, place, referrer, agreement, at
):
    fill(place, referrer, agreement, at)
    ended = PlacementFactory(
        place=place,
        referrer=referrer,
        agreement=agreement,
        placement_type=at,
        participant_code="AF-0555",
        started_on=TODAY - datetime.timedelta(days=30),
        ended_on=TODAY - datetime.timedelta(days=1),
        outcome=Placement.Outcome.WORK,
    )
    page = coordinator_client.get(admin_url(ended, "change"))
    data = change_form_data(page)
    data.pop("ended_on")
    data.pop("outcome")

    response = coordinator_client.post(admin_url(ended, "change"), data)

    assert FULL in errors_of(response)
    ended.refresh_from_db()
    assert ended.ended_on is not None
    assert free_seats(place) == 0


def test_moving_a_placement_to_a_full_place_in_the_admin_is_refused(
    coordinator_client, place, referrer, agreement, at, enterprise_a
):
    fill(place, referrer, agreement, at)
    other = TrainingPlace.objects.create(
        enterprise=enterprise_a, title="Kafé", capacity=1, hours_min=10, hours_max=20
    )
    other.placement_types.set([at])
    (moving,) = fill(other, referrer, agreement, at, count=1)
    page = coordinator_client.get(admin_url(moving, "change"))

    response = coordinator_client.post(
        admin_url(moving, "change"), {**change_form_data(page), "place": str(place.pk)}
    )

    assert FULL in errors_of(response)
    moving.refresh_from_db()
    assert moving.place == other


def test_a_free_seat_is_taken_through_the_admin_with_the_covering_agreement(
    coordinator_client, place, referrer, agreement, at
):
    response = coordinator_client.post(
        admin_url(Placement, "add"), placement_post(place, referrer, at, participant_code="af-1")
    )

    assert response.status_code == 302
    placement = Placement.objects.get(place=place)
    assert placement.participant_code == "AF-1"
    assert placement.agreement == agreement
    assert free_seats(place) == 1


def test_accepting_on_the_page_and_in_the_admin_refuse_the_same_way(
    staff_a_client, pending_request, place, referrer, agreement, at
):
    fill(place, referrer, agreement, at)

    response = staff_a_client.post(
        f"/platser/forfragningar/{pending_request.pk}/anta/", {"bekrafta": "ja"}
    )

    assert response.status_code == 409
    assert FULL in response.text
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert free_seats(place) == 0


def test_the_demo_data_never_overbooks(roles, db):
    from django.core.management import call_command

    call_command("seed_network", verbosity=0)
    demo_content_load()
    demo_content_load()  # a second run adds nothing

    places = TrainingPlace.objects.with_free_seats()
    assert places.exists()
    assert all(place.free_seats >= 0 for place in places)
    for placement in Placement.objects.active():
        assert placement.agreement is not None


# --- A placement needs an agreement ---------------------------------------------------------


def test_the_service_refuses_a_placement_without_an_agreement(place, agreement, at):
    stranger = OrganisationFactory(name="Främmande kommun")
    placement = Placement(
        place=place,
        participant_code="AF-0777",
        placement_type=at,
        referrer=stranger,
        started_on=TODAY,
        extent_percent=50,
    )

    with pytest.raises(services.PlaceNotAvailable) as refusal:
        services.placement_save(placement=placement)

    assert NO_AGREEMENT in refusal.value.message
    assert not Placement.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_the_admin_refuses_a_placement_without_an_agreement(who, admin_as, place, agreement, at):
    client = admin_as(who)
    stranger = OrganisationFactory(name="Främmande kommun")

    response = client.post(admin_url(Placement, "add"), placement_post(place, stranger, at))

    text = errors_of(response)
    assert "Främmande kommun " + NO_AGREEMENT in text
    assert not Placement.objects.exists()


def test_the_admin_refuses_an_agreement_of_another_enterprise(
    coordinator_client, place, referrer, agreement, at, enterprise_b
):
    from tests.factories import AgreementFactory

    elsewhere = AgreementFactory(enterprise=enterprise_b, counterparty=referrer)

    response = coordinator_client.post(
        admin_url(Placement, "add"),
        placement_post(place, referrer, at, agreement=str(elsewhere.pk)),
    )

    assert "Avtalet gäller inte mellan" in errors_of(response)
    assert not Placement.objects.exists()


def test_the_page_and_the_admin_refuse_a_request_without_an_agreement(
    officer_browser, coordinator_client, place_b, case_officer, at
):
    page = officer_browser.post(
        f"/platser/{place_b.pk}/forfragan/",
        {
            "participant_code": "AF-0042",
            "placement_type": at.pk,
            "wished_start_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
            "extent_percent": 50,
        },
    )
    admin = coordinator_client.post(
        admin_url(PlacementRequest, "add"),
        {
            "place": place_b.pk,
            "participant_code": "AF-0042",
            "placement_type": at.pk,
            "wished_start_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
            "extent_percent": 50,
            "case_officer": case_officer.pk,
            "referrer": case_officer.case_officer.organisation.pk,
        },
    )

    assert "har inget avtal som gäller i dag med Bortre företaget" in page.text
    assert "har inget avtal som gäller i dag med Bortre företaget" in errors_of(admin)
    assert not PlacementRequest.objects.exists()


# --- Seats are never fewer than the active placements ---------------------------------------


def test_the_service_refuses_fewer_seats_than_active_placements(place, referrer, agreement, at):
    fill(place, referrer, agreement, at)
    place.capacity = 1

    with pytest.raises(services.PlacementError) as refusal:
        services.training_place_save(place=place)

    assert "Platsen har 2 pågående placeringar" in refusal.value.message
    assert TrainingPlace.objects.get(pk=place.pk).capacity == 2


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_the_admin_refuses_fewer_seats_than_active_placements(
    who, admin_as, place, referrer, agreement, at
):
    client = admin_as(who)
    fill(place, referrer, agreement, at)
    page = client.get(admin_url(place, "change"))

    response = client.post(admin_url(place, "change"), {**change_form_data(page), "capacity": "1"})

    assert (
        "Platsen har 2 pågående placeringar, så antalet platser kan inte vara färre än 2."
        in errors_of(response)
    )
    place.refresh_from_db()
    assert place.capacity == 2
    assert free_seats(place) == 0


def test_the_enterprise_inline_refuses_fewer_seats_than_active_placements(
    coordinator_client, place, referrer, agreement, at, enterprise_a
):
    fill(place, referrer, agreement, at)
    page = coordinator_client.get(admin_url(enterprise_a, "change"))
    data = change_form_data(page)
    capacity_keys = [
        key for key, value in data.items() if key.endswith("-capacity") and value == "2"
    ]
    assert len(capacity_keys) == 1, "the place's row in the enterprise's inline table"

    response = coordinator_client.post(
        admin_url(enterprise_a, "change"), {**data, capacity_keys[0]: "0"}
    )

    assert "Platsen har 2 pågående placeringar" in errors_of(response)
    place.refresh_from_db()
    assert place.capacity == 2


def test_more_seats_are_saved_through_the_admin(coordinator_client, place, referrer, agreement, at):
    fill(place, referrer, agreement, at)
    page = coordinator_client.get(admin_url(place, "change"))

    response = coordinator_client.post(
        admin_url(place, "change"), {**change_form_data(page), "capacity": "3"}
    )

    assert response.status_code == 302
    assert free_seats(place) == 1


# --- One open request per participant and place; no start in the past ----------------------


def request_post(place, at, **changes) -> dict:
    return {
        "participant_code": "AF-0042",
        "placement_type": at.pk,
        "wished_start_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "extent_percent": 50,
        **changes,
    }


def admin_request_post(place, at, case_officer, **changes) -> dict:
    return {
        **request_post(place, at),
        "place": place.pk,
        "case_officer": case_officer.pk,
        "referrer": case_officer.case_officer.organisation.pk,
        **changes,
    }


def test_a_second_open_request_is_refused_on_the_page_in_the_admin_and_by_the_service(
    officer_browser, coordinator_client, pending_request, place, case_officer, at
):
    page = officer_browser.post(f"/platser/{place.pk}/forfragan/", request_post(place, at))
    admin = coordinator_client.post(
        admin_url(PlacementRequest, "add"),
        admin_request_post(place, at, case_officer, participant_code="af-0042"),
    )
    with pytest.raises(services.PlacementError) as refusal:
        services.placement_request_create(
            place=place,
            case_officer=case_officer,
            participant_code=" af-0042 ",
            placement_type=at,
            wished_start_on=TODAY + datetime.timedelta(days=7),
            extent_percent=50,
        )

    assert DUPLICATE in page.text
    assert DUPLICATE in errors_of(admin)
    assert refusal.value.message == DUPLICATE
    assert PlacementRequest.objects.count() == 1


def test_a_start_in_the_past_is_refused_on_the_page_in_the_admin_and_by_the_service(
    officer_browser, coordinator_client, place, case_officer, at
):
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    page = officer_browser.post(
        f"/platser/{place.pk}/forfragan/", request_post(place, at, wished_start_on=yesterday)
    )
    admin = coordinator_client.post(
        admin_url(PlacementRequest, "add"),
        admin_request_post(place, at, case_officer, wished_start_on=yesterday),
    )
    with pytest.raises(services.PlacementError) as refusal:
        services.placement_request_create(
            place=place,
            case_officer=case_officer,
            participant_code="AF-0042",
            placement_type=at,
            wished_start_on=TODAY - datetime.timedelta(days=1),
            extent_percent=50,
        )

    assert PAST_START in page.text
    assert PAST_START in errors_of(admin)
    assert refusal.value.message == PAST_START
    assert not PlacementRequest.objects.exists()


def test_the_coordinator_records_a_request_in_the_admin_through_the_service(
    coordinator_client, place, case_officer, at, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            admin_url(PlacementRequest, "add"),
            admin_request_post(place, at, case_officer, participant_code=" af-0099 "),
        )

    assert response.status_code == 302
    request = PlacementRequest.objects.get()
    assert request.participant_code == "AF-0099"
    assert request.status == PlacementRequest.Status.PENDING
    assert any("AF-0099" in message.body for message in mailoutbox), "the enterprise is told"
