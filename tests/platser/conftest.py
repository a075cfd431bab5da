"""A small network for the training-place browser: one referrer, two enterprises.

Enterprise A has an agreement in force with the case officer's organisation, enterprise B has
none. Each enterprise has its own staff member.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from accounts.roles import CASE_OFFICER, ENTERPRISE_STAFF
from placements.models import PlacementRequest
from tests.accounts.helpers import log_in_with_second_factor
from tests.factories import (
    AgreementFactory,
    CaseOfficerFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    NetworkProfileFactory,
    OrganisationFactory,
    PlacementTypeFactory,
    TrainingPlaceFactory,
    UnitFactory,
    UserFactory,
)

COORDINATOR_ADDRESS = "samordnare-natverket@example.org"


@pytest.fixture(autouse=True)
def _swedish():
    """Swedish addresses from reverse(), whatever language an earlier request left active."""
    with translation.override("sv"):
        yield


@pytest.fixture
def network(db):
    return NetworkProfileFactory(coordinator_email=COORDINATOR_ADDRESS)


@pytest.fixture
def referrer(db):
    return OrganisationFactory(name="Arbetsförmedlingen Märsta", short_name="AF Märsta")


@pytest.fixture
def at(db):
    return PlacementTypeFactory(code="AT", name="Arbetsträning")


@pytest.fixture
def fat(db):
    return PlacementTypeFactory(code="FAT", name="Förstärkt arbetsträning")


@pytest.fixture
def sigtuna(db):
    return MunicipalityFactory(name="Sigtuna")


@pytest.fixture
def staff_a(roles):
    user = UserFactory(email="personal-a@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    return user


@pytest.fixture
def staff_b(roles):
    user = UserFactory(email="personal-b@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    return user


@pytest.fixture
def colleague_a(roles, enterprise_a):
    """A second staff member of enterprise A."""
    user = UserFactory(email="kollega-a@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    enterprise_a.staff.add(user)
    return user


@pytest.fixture
def enterprise_a(staff_a, sigtuna):
    enterprise = EnterpriseFactory(
        name="Värmestugan i Märsta",
        municipalities=[sigtuna],
        training_text="Vi tar emot deltagare i vår lugna verkstad.",
    )
    enterprise.staff.add(staff_a)
    return enterprise


@pytest.fixture
def enterprise_b(staff_b):
    enterprise = EnterpriseFactory(name="Bortre företaget")
    enterprise.staff.add(staff_b)
    return enterprise


@pytest.fixture
def agreement(enterprise_a, referrer):
    return AgreementFactory(enterprise=enterprise_a, counterparty=referrer)


@pytest.fixture
def case_officer(roles, referrer, agreement):
    user = UserFactory(email="handlaggare@example.org", first_name="Hanna", last_name="Handläggare")
    user.groups.add(roles[CASE_OFFICER])
    CaseOfficerFactory(user=user, organisation=referrer)
    return user


@pytest.fixture
def place(enterprise_a, at, fat, sigtuna):
    unit = UnitFactory(
        enterprise=enterprise_a,
        name="Verkstaden",
        street_address="Stationsgatan 3",
        postal_code="195 30",
        city="Märsta",
        municipality=sigtuna,
    )
    return TrainingPlaceFactory(
        enterprise=enterprise_a,
        unit=unit,
        title="Snickeri och måleri",
        tasks="Slipa, måla och laga möbler.",
        capacity=2,
        placement_types=[at, fat],
    )


@pytest.fixture
def place_b(enterprise_b, at):
    return TrainingPlaceFactory(
        enterprise=enterprise_b, title="Kafé vid ån", capacity=2, placement_types=[at]
    )


@pytest.fixture
def pending_request(place, case_officer, referrer, at):
    return PlacementRequest.objects.create(
        place=place,
        case_officer=case_officer,
        referrer=referrer,
        participant_code="AF-0042",
        placement_type=at,
        wished_start_on=timezone.localdate() + datetime.timedelta(days=14),
        extent_percent=50,
        note="Vill träna på att passa tider.",
    )


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


@pytest.fixture
def staff_a_client(client, staff_a):
    # Logged in as after password and authenticator code: the enterprises' pages under
    # /platser/ require the second factor, as the admin does.
    log_in_with_second_factor(client, staff_a)
    return client


@pytest.fixture
def staff_b_client(client, staff_b):
    log_in_with_second_factor(client, staff_b)
    return client
