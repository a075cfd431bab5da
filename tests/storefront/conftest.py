"""Fixtures for the public pages: the network's profile and a network of any size."""

from __future__ import annotations

import datetime

import pytest

from enterprises.models import Enterprise, EnterpriseAlias
from placements.models import Agreement
from tests import factories

PHONE = "08-465 004 00"
PHONE_URI = "tel:+46846500400"
EMAIL = "info@example.org"


@pytest.fixture
def network(db):
    return factories.NetworkProfileFactory(phone=PHONE, email=EMAIL)


def build_network(size: int) -> list[Enterprise]:
    """`size` published enterprises, each with everything its pages show.

    Each has two municipalities, two categories, an alias, an adaptation, two units, an open
    place with a placement, a direct agreement and a subcontract under another enterprise's.
    """
    municipalities = [factories.MunicipalityFactory(name=name) for name in ("Ort A", "Ort B")]
    categories = [factories.ServiceCategoryFactory() for _ in range(3)]
    adaptation = factories.AdaptationFactory()
    referrer = factories.OrganisationFactory(name="Arbetsförmedlingen")
    municipality_department = factories.OrganisationFactory(name="Testkommunen")
    programme = factories.ProgrammeFactory(organisation=municipality_department)
    prime_holder = factories.EnterpriseFactory(name="Huvudleverantören", published=False)
    prime = factories.AgreementFactory(
        enterprise=prime_holder,
        kind=Agreement.Kind.IOP,
        title="Testkommunen IoP",
        counterparty=municipality_department,
    )
    prime.programmes.set([programme])
    placement_type = factories.PlacementTypeFactory(code="AT")
    enterprises = []
    for number in range(size):
        enterprise = factories.EnterpriseFactory(
            municipalities=municipalities,
            services_text="Fika, lunch och catering.",
        )
        enterprise.service_categories.set(categories[number % 3 : number % 3 + 2])
        enterprise.adaptations.set([adaptation])
        EnterpriseAlias.objects.create(
            enterprise=enterprise, name=f"Gamla namnet {number}", slug=f"gamla-namnet-{number}"
        )
        unit = factories.UnitFactory(enterprise=enterprise, municipality=municipalities[0])
        factories.UnitFactory(enterprise=enterprise, municipality=municipalities[1])
        place = factories.TrainingPlaceFactory(
            enterprise=enterprise, unit=unit, placement_types=[placement_type]
        )
        place.adaptations.set([adaptation])
        factories.PlacementFactory(place=place, referrer=referrer, placement_type=placement_type)
        factories.AgreementFactory(enterprise=enterprise, counterparty=referrer)
        Agreement.objects.create(
            enterprise=enterprise,
            kind=Agreement.Kind.SUBCONTRACT,
            prime_agreement=prime,
            valid_from=datetime.date(2020, 1, 1),
        )
        enterprises.append(enterprise)
    return enterprises
