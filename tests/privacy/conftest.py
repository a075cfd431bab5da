"""A small network with old and recent placements, requests and history, for the privacy tests."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from placements.models import Placement, PlacementRequest
from tests import factories

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def now(monkeypatch):
    """A fixed day, so that "more than two years ago" is the same every day the tests run."""
    moment = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(3, 0)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def placement(place, referrer, code: str, started: datetime.date, ended=None, outcome=""):
    made = factories.PlacementFactory(
        place=place, referrer=referrer, participant_code=code, started_on=started
    )
    if ended:  # ended through a save, as in the portal: the history gets a second version
        made.ended_on, made.outcome = ended, outcome
        made.save()
    return made


def accepted_request(made: Placement, officer) -> PlacementRequest:
    return factories.PlacementRequestFactory(
        place=made.place,
        referrer=made.referrer,
        case_officer=officer,
        participant_code=made.participant_code,
        placement_type=made.placement_type,
        wished_start_on=made.started_on,
        note="Vill träna på kassan.",
        status=PlacementRequest.Status.ACCEPTED,
        placement=made,
    )


@pytest.fixture
def network(db):
    enterprise = factories.EnterpriseFactory(name="Alfa arbetsträning", published=True)
    place = factories.TrainingPlaceFactory(enterprise=enterprise, capacity=10)
    referrer = factories.OrganisationFactory(name="Arbetsförmedlingen Syd")
    officer = factories.UserFactory(email="handlaggare@example.org")
    old = placement(
        place,
        referrer,
        "AF-0001",
        datetime.date(2022, 3, 1),
        datetime.date(2023, 5, 31),
        Placement.Outcome.WORK,
    )
    also_old = placement(
        place,
        referrer,
        "AF-0002",
        datetime.date(2022, 9, 1),
        datetime.date(2024, 6, 14),
        Placement.Outcome.STUDIES,
    )
    # Ended two years ago to the day: not yet "more than" two years.
    recent = placement(
        place,
        referrer,
        "AF-0003",
        datetime.date(2023, 1, 10),
        datetime.date(2024, 6, 15),
        Placement.Outcome.OTHER,
    )
    ongoing = placement(place, referrer, "AF-0004", datetime.date(2022, 2, 1))
    return {
        "enterprise": enterprise,
        "place": place,
        "referrer": referrer,
        "officer": officer,
        "old": old,
        "also_old": also_old,
        "recent": recent,
        "ongoing": ongoing,
        "old_request": accepted_request(old, officer),
        "recent_request": accepted_request(recent, officer),
    }
