from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF
from asfnet.demo import DEMO_PASSWORD, DemoPrerequisiteMissing, demo_content_load
from enterprises.models import Enterprise
from placements.models import (
    Agreement,
    CaseOfficer,
    Organisation,
    Placement,
    PlacementRequest,
    TrainingPlace,
)
from tests.factories import (
    AgreementFactory,
    EnterpriseFactory,
    OrganisationFactory,
    PlacementTypeFactory,
)

# The demo's requests go through placements.services, which refuses a start in the past:
# the demo is built around the real today.
TODAY = timezone.localdate()
DEMO_EMAILS = ["samordnare@example.org", "personal@example.org", "handlaggare@example.org"]


@pytest.fixture
def network(db):
    """The few rows of the real network that the demo builds on (seed_network makes them)."""
    employment_service = OrganisationFactory(name="Arbetsförmedlingen", slug="arbetsformedlingen")
    varmekallan = EnterpriseFactory(name="Värmekällan i Väsby", slug="varmekallan-i-vasby")
    EnterpriseFactory(name="M29 Socialt företagscenter", slug="m29-socialt-foretagscenter")
    EnterpriseFactory(name="Livskraft", slug="livskraft")
    PlacementTypeFactory(code="AT")
    PlacementTypeFactory(code="FAT")
    agreement = AgreementFactory(
        enterprise=varmekallan,
        counterparty=employment_service,
        kind=Agreement.Kind.AF_TRAINING,
        title="AF om arbetsträningsplatser",
    )
    return {
        "employment_service": employment_service,
        "varmekallan": varmekallan,
        "agreement": agreement,
    }


def row_counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "case officers": CaseOfficer.objects.count(),
        "staff links": Enterprise.staff.through.objects.count(),
        "places": TrainingPlace.objects.count(),
        "placements": Placement.objects.count(),
        "requests": PlacementRequest.objects.count(),
    }


def test_demo_accounts_get_their_roles_and_links(network):
    demo_content_load(today=TODAY)

    users = get_user_model().objects.in_bulk(DEMO_EMAILS, field_name="email")
    coordinator = users["samordnare@example.org"]
    staff = users["personal@example.org"]
    case_officer = users["handlaggare@example.org"]
    assert [g.name for g in coordinator.groups.all()] == [COORDINATOR]
    assert coordinator.is_staff and not coordinator.is_superuser
    assert [g.name for g in staff.groups.all()] == [ENTERPRISE_STAFF]
    assert staff.is_staff and not staff.is_superuser
    assert list(staff.enterprises.all()) == [network["varmekallan"]]
    assert [g.name for g in case_officer.groups.all()] == [CASE_OFFICER]
    assert not case_officer.is_staff
    assert case_officer.case_officer.organisation == network["employment_service"]
    assert coordinator.get_full_name() == "Demo Samordnare"


@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_demo_accounts_log_in_with_the_demo_password(network, client, email):
    demo_content_load(today=TODAY)

    assert client.login(email=email, password=DEMO_PASSWORD)
    assert not client.login(email=email, password="fel-lösenord")


def test_it_refuses_with_debug_off_and_creates_nothing(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="bara med DEBUG påslaget"):
        call_command("seed_demo", stdout=StringIO())

    assert set(row_counts().values()) == {0}
    assert not Organisation.objects.exists()  # not even the network was loaded


def test_running_it_twice_creates_nothing_new(network):
    first = demo_content_load(today=TODAY)
    counts = row_counts()

    second = demo_content_load(today=TODAY + datetime.timedelta(days=1))

    assert (first.accounts, first.places, first.placements, first.requests) == (3, 5, 6, 2)
    assert (second.accounts, second.places, second.placements, second.requests) == (0, 0, 0, 0)
    assert row_counts() == counts


def test_a_second_run_restores_a_changed_demo_password(network, client):
    demo_content_load(today=TODAY)
    user = get_user_model().objects.get(email="personal@example.org")
    user.set_password("något-annat-2026")
    user.save()

    demo_content_load(today=TODAY)

    assert client.login(email="personal@example.org", password=DEMO_PASSWORD)


def test_demo_places_show_capacity_minus_active_placements(network):
    demo_content_load(today=TODAY)

    free_seats = dict(
        TrainingPlace.objects.filter(enterprise=network["varmekallan"])
        .with_free_seats()
        .values_list("title", "free_seats")
    )

    assert free_seats == {
        "Caféet: servering och disk": 1,  # 3 seats, 2 active, 1 ended
        "Second hand: sortering och prissättning": 0,  # 1 seat, 1 active, 1 ended
        "Vaktmästeri och trädgård": 2,  # 2 seats, 1 ended
    }


def test_places_are_made_only_for_enterprises_that_exist(network):
    result = demo_content_load(today=TODAY)

    slugs = set(TrainingPlace.objects.values_list("enterprise__slug", flat=True))
    assert slugs == {"varmekallan-i-vasby", "m29-socialt-foretagscenter", "livskraft"}
    assert "Fastighetsskötsel och städning" in result.skipped_places


def test_demo_places_include_a_paused_one_and_one_not_confirmed_for_two_months(network):
    demo_content_load(today=TODAY)

    paused = TrainingPlace.objects.filter(status=TrainingPlace.Status.PAUSED)
    stale = TrainingPlace.objects.filter(last_confirmed_on__lt=TODAY - datetime.timedelta(days=60))
    assert [place.title for place in paused] == ["Vaktmästeri och trädgård"]
    assert [place.title for place in stale] == ["Reception och kontorsstöd"]
    assert not TrainingPlace.objects.filter(last_confirmed_on__isnull=True).exists()


def test_demo_placements_come_from_arbetsformedlingen_under_its_agreement(network):
    demo_content_load(today=TODAY)

    placements = Placement.objects.order_by("participant_code")
    assert [p.participant_code for p in placements] == [f"DEMO-00{n}" for n in range(1, 7)]
    assert {p.referrer for p in placements} == {network["employment_service"]}
    assert {p.agreement for p in placements} == {network["agreement"]}
    active = [p.participant_code for p in placements if p.is_active]
    assert active == ["DEMO-001", "DEMO-002", "DEMO-004"]
    assert all(p.outcome and p.ended_on >= p.started_on for p in placements if not p.is_active)


def test_the_demo_case_officer_has_two_requests(network):
    demo_content_load(today=TODAY)

    requests = PlacementRequest.objects.filter(
        case_officer__email="handlaggare@example.org"
    ).order_by("participant_code")
    assert [(r.participant_code, r.status) for r in requests] == [
        ("DEMO-101", PlacementRequest.Status.PENDING),
        ("DEMO-102", PlacementRequest.Status.WAITLISTED),
    ]
    assert all(r.wished_start_on > TODAY for r in requests)


def test_it_says_to_run_seed_network_when_the_network_is_missing(db):
    with pytest.raises(DemoPrerequisiteMissing, match="seed_network"):
        demo_content_load(today=TODAY)

    assert not get_user_model().objects.exists()


def test_command_loads_the_network_then_prints_the_demo_accounts(db, settings, client):
    """End to end, with the real seed_network."""
    settings.DEBUG = True
    out = StringIO()

    call_command("seed_demo", stdout=out)

    output = out.getvalue()
    assert f"lösenord för alla: {DEMO_PASSWORD}" in output
    for email in DEMO_EMAILS:
        assert email in output
        assert client.login(email=email, password=DEMO_PASSWORD)
    varmekallan = Enterprise.objects.get(slug="varmekallan-i-vasby")
    assert varmekallan.training_places.filter(title="Caféet: servering och disk").exists()
    assert Placement.objects.filter(participant_code="DEMO-001").exists()
