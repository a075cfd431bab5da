"""A case officer asks for a seat: /platser/<id>/forfragan/ and "Mina förfrågningar"."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CASE_OFFICER
from placements import services
from placements.models import PlacementRequest, TrainingPlace
from tests.factories import (
    CaseOfficerFactory,
    PlacementRequestFactory,
    PlacementTypeFactory,
    ProgrammeFactory,
    TrainingPlaceFactory,
)
from tests.platser.conftest import COORDINATOR_ADDRESS

pytestmark = pytest.mark.django_db


def url(place) -> str:
    return reverse("placements:request_create", args=[place.pk])


@pytest.fixture
def valid(at) -> dict:
    return {
        "participant_code": "af-0042",
        "placement_type": at.pk,
        "wished_start_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "extent_percent": "50",
        "note": "Vill träna på att arbeta i grupp.",
    }


def test_the_form_tells_never_to_type_a_name_or_personal_identity_number(officer_client, place):
    response = officer_client.get(url(place))
    assert response.status_code == 200
    assert "Skriv aldrig deltagarens namn eller personnummer" in response.text
    assert "Skriv inget om hälsa" in response.text


def test_the_form_offers_only_the_places_placement_types(officer_client, place, fat, enterprise_a):
    only_fat = TrainingPlaceFactory(enterprise=enterprise_a, placement_types=[fat])
    response = officer_client.get(url(only_fat))
    assert "Förstärkt arbetsträning (FAT)" in response.text
    assert "Arbetsträning (AT)" not in response.text


def test_a_valid_request_is_stored_and_the_officer_sees_it(
    officer_client, place, valid, case_officer, referrer, at, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url(place), valid)
    assert response.status_code == 302
    assert response["Location"] == reverse("placements:my_requests")
    stored = PlacementRequest.objects.get()
    assert stored.participant_code == "AF-0042"
    assert stored.case_officer == case_officer
    assert stored.referrer == referrer
    assert stored.placement_type == at
    assert stored.extent_percent == 50
    assert stored.status == PlacementRequest.Status.PENDING

    mine = officer_client.get(response["Location"])
    assert "AF-0042" in mine.text
    assert "Inskickad" in mine.text
    assert "Förfrågan om en plats på Snickeri och måleri är skickad" in mine.text


def test_the_enterprise_staff_and_the_coordinator_are_told_by_mail(
    officer_client, place, valid, network, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url(place), valid)
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "personal-a@example.org",
        COORDINATOR_ADDRESS,
    ]
    mail = mailoutbox[0]
    assert mail.subject == "Ny förfrågan om plats: Snickeri och måleri, Värmestugan i Märsta"
    assert "AF-0042" in mail.body
    request = PlacementRequest.objects.get()
    assert f"https://asf.example.org/platser/forfragningar/{request.pk}/" in mail.body
    # The free text may hold more than is needed; it stays behind the login.
    assert "arbeta i grupp" not in mail.body


def test_without_a_network_address_the_coordinator_group_is_told(
    officer_client, place, valid, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url(place), valid)
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "personal-a@example.org",
        coordinator.email,
    ]


def test_the_programme_of_the_case_officer_goes_with_the_request(
    officer_client, place, valid, case_officer, referrer
):
    programme = ProgrammeFactory(organisation=referrer)
    case_officer.case_officer.programme = programme
    case_officer.case_officer.save()
    officer_client.post(url(place), valid)
    assert PlacementRequest.objects.get().programme == programme


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("participant_code", "", "Skriv deltagarkoden."),
        ("participant_code", "19850101-1234", "Koden ser ut som ett personnummer"),
        ("participant_code", "850101-1234", "Koden ser ut som ett personnummer"),
        ("participant_code", "8501011234", "Koden ser ut som ett personnummer"),
        ("participant_code", "Anna Svensson", "Skriv aldrig deltagarens namn"),
        ("participant_code", "Anna", "Koden ska innehålla minst en siffra"),
        ("participant_code", "A" * 21, "högst 20 tecken"),
        ("wished_start_on", "", "Skriv önskat startdatum."),
        ("wished_start_on", "nästa vecka", "Skriv startdatumet som år-månad-dag"),
        ("wished_start_on", "2020-01-01", "Startdatumet kan inte ligga bakåt i tiden."),
        ("extent_percent", "", "Skriv omfattningen i procent."),
        ("extent_percent", "0", "Omfattningen ska vara minst 1 procent."),
        ("extent_percent", "101", "Omfattningen kan vara högst 100 procent."),
        ("extent_percent", "halvtid", "Skriv omfattningen som ett heltal"),
        ("placement_type", "", "Välj placeringstyp."),
        ("note", "Personnummer 19850101-1234, vill jobba", "ser ut som ett personnummer"),
        ("note", "x" * 1001, "högst 1000 tecken"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_stored(
    officer_client, place, valid, field, value, message
):
    response = officer_client.post(url(place), {**valid, field: value})
    assert response.status_code == 400
    assert "Det finns ett problem" in response.text
    assert 'role="alert"' in response.text
    assert message in response.text
    # The summary links to the field that needs fixing.
    anchor = f"#id_{field}_0" if field == "placement_type" else f"#id_{field}"
    assert f'href="{anchor}"' in response.text
    assert not PlacementRequest.objects.exists()


@pytest.mark.parametrize("field", ["participant_code", "note"])
def test_a_personal_identity_number_is_not_shown_back_in_the_form(
    officer_client, place, valid, field
):
    response = officer_client.post(url(place), {**valid, field: "19850101-1234"})
    assert response.status_code == 400
    assert "ser ut som ett personnummer" in response.text
    assert "19850101-1234" not in response.text


def test_a_placement_type_the_place_does_not_offer_is_refused(
    officer_client, place, valid, enterprise_a, fat
):
    other = PlacementTypeFactory(code="AP", name="Arbetsprövning")
    response = officer_client.post(url(place), {**valid, "placement_type": other.pk})
    assert response.status_code == 400
    assert "Välj en av de placeringstyper som platsen erbjuder." in response.text
    assert not PlacementRequest.objects.exists()


def test_a_second_open_request_for_the_same_participant_is_refused(officer_client, place, valid):
    officer_client.post(url(place), valid)
    response = officer_client.post(url(place), valid)
    assert response.status_code == 400
    assert "redan en obesvarad förfrågan" in response.text
    assert PlacementRequest.objects.count() == 1


def test_a_place_the_organisation_has_no_agreement_for_is_refused(officer_client, place_b, valid):
    response = officer_client.post(url(place_b), valid)
    assert response.status_code == 403
    assert "har inget avtal som gäller i dag med Bortre företaget" in response.text
    assert not PlacementRequest.objects.exists()


def test_a_paused_place_is_refused(officer_client, place, valid):
    place.status = TrainingPlace.Status.PAUSED
    place.save()
    response = officer_client.post(url(place), valid)
    assert response.status_code == 403
    assert "Platsen är pausad" in response.text
    assert not PlacementRequest.objects.exists()


def test_the_coordinator_cannot_ask_for_a_seat(coordinator_client, place, valid):
    response = coordinator_client.post(url(place), valid)
    assert response.status_code == 403
    assert not PlacementRequest.objects.exists()


def test_the_service_refuses_a_place_outside_the_agreements_whoever_calls_it(
    case_officer, place_b, at
):
    with pytest.raises(services.PlaceNotAvailable):
        services.placement_request_create(
            place=place_b,
            case_officer=case_officer,
            participant_code="AF-0001",
            placement_type=at,
            wished_start_on=timezone.localdate(),
            extent_percent=50,
        )
    assert not PlacementRequest.objects.exists()


def test_my_requests_show_only_my_own_with_status_and_decline_reason(
    officer_client, case_officer, place, roles
):
    PlacementRequestFactory(
        place=place,
        case_officer=case_officer,
        participant_code="MIN-001",
        status=PlacementRequest.Status.DECLINED,
        decline_reason="Alla platser är tagna till i höst.",
    )
    someone_else = CaseOfficerFactory().user
    someone_else.groups.add(roles[CASE_OFFICER])
    PlacementRequestFactory(place=place, case_officer=someone_else, participant_code="ANNAN-1")

    response = officer_client.get(reverse("placements:my_requests"))
    assert response.status_code == 200
    assert "MIN-001" in response.text
    assert "Avböjd" in response.text
    assert "Alla platser är tagna till i höst." in response.text
    assert "ANNAN-1" not in response.text


def test_my_requests_are_only_for_case_officers(staff_a_client):
    assert staff_a_client.get(reverse("placements:my_requests")).status_code == 403


def test_an_empty_form_lists_every_missing_answer(officer_client, place):
    response = officer_client.post(url(place), {})
    assert response.status_code == 400
    for message in [
        "Skriv deltagarkoden.",
        "Välj placeringstyp.",
        "Skriv önskat startdatum.",
        "Skriv omfattningen i procent.",
    ]:
        assert message in response.text
    assert not PlacementRequest.objects.exists()
