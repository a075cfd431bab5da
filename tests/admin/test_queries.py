"""Lists cost the same number of queries whether they show 3 rows or 30: no query per row."""

from __future__ import annotations

import datetime

import pytest

from enterprises.models import Enterprise, Inquiry
from placements.models import Agreement, Placement, PlacementRequest, TrainingPlace
from reports.models import Activity
from tests import factories
from tests.admin.helpers import admin_url


def make_enterprises(n: int) -> None:
    sigtuna = factories.MunicipalityFactory(name="Sigtuna")
    vasby = factories.MunicipalityFactory(name="Upplands Väsby")
    group = factories.EnterpriseGroupFactory()
    for i in range(n):
        enterprise = factories.EnterpriseFactory(
            municipalities=[sigtuna, vasby], group=group if i % 2 else None
        )
        factories.TrainingPlaceFactory.create_batch(2, enterprise=enterprise)


def make_training_places(n: int) -> None:
    for _ in range(n):
        unit = factories.UnitFactory()
        place = factories.TrainingPlaceFactory(enterprise=unit.enterprise, unit=unit)
        factories.PlacementFactory(place=place)


def make_placements(n: int) -> None:
    referrers = factories.OrganisationFactory.create_batch(2)
    for i in range(n):
        factories.PlacementFactory(referrer=referrers[i % 2])


def make_agreements(n: int) -> None:
    # Every other one a subcontract: its name and counterparty come from its prime agreement.
    for _ in range(n // 2):
        prime = factories.AgreementFactory(kind=Agreement.Kind.IOP, title="")
        Agreement.objects.create(
            enterprise=factories.EnterpriseFactory(),
            kind=Agreement.Kind.SUBCONTRACT,
            prime_agreement=prime,
            valid_from=datetime.date(2022, 1, 1),
        )
    if n % 2:
        factories.AgreementFactory()


def make_inquiries(n: int) -> None:
    for _ in range(n):
        factories.InquiryFactory(enterprise=factories.EnterpriseFactory())


def make_placement_requests(n: int) -> None:
    factories.PlacementRequestFactory.create_batch(n)


def make_activities(n: int) -> None:
    points = factories.StrategyPointFactory.create_batch(2)
    for _ in range(n):
        factories.ActivityFactory(points=points)


# model: (how its rows are made, the queries its list makes at any size: as measured, on SQLite
# and PostgreSQL alike; among them the session, the user, the permissions, the filters' choices
# and the counts, and two lookups of NetworkProfile: the site header and the template context)
LISTS = {
    Enterprise: (make_enterprises, 13),
    TrainingPlace: (make_training_places, 12),
    Placement: (make_placements, 13),
    Agreement: (make_agreements, 10),
    Inquiry: (make_inquiries, 12),
    PlacementRequest: (make_placement_requests, 13),
    Activity: (make_activities, 13),
}


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("model", list(LISTS), ids=lambda model: model.__name__)
def test_a_list_makes_the_same_number_of_queries_for_3_and_30_rows(
    coordinator_client, django_assert_max_num_queries, model, rows
):
    make, bound = LISTS[model]
    make(rows)
    assert model.objects.count() >= rows
    with django_assert_max_num_queries(bound):
        response = coordinator_client.get(admin_url(model))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == model.objects.count()
