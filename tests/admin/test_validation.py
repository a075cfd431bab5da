"""A mistake in an admin form is shown at the field it concerns, in Swedish, and saves nothing."""

from __future__ import annotations

import datetime

import pytest

from enterprises.models import Enterprise, LegalEntity
from placements.models import Agreement, Placement, TrainingPlace
from reports.models import Activity
from tests import factories
from tests.admin.helpers import admin_url, management_form

START = datetime.date(2022, 3, 1)
DAY_BEFORE = START - datetime.timedelta(days=1)


def field_error_id(field_name: str) -> str:
    """The admin ties a field's error to the field by this id (aria-describedby)."""
    return f'id="id_{field_name}_error"'


# --- An enterprise with its legal entities inline ------------------------------------------


def enterprise_form(enterprise: Enterprise, **changes) -> dict[str, str]:
    return {
        "name": enterprise.name,
        "slug": enterprise.slug,
        "start_year": str(enterprise.start_year),
        **management_form("aliases"),
        **management_form("legal_entities"),
        **management_form("units"),
        **management_form("training_places"),
        **changes,
    }


def test_a_bad_organisation_number_is_shown_at_the_field_and_nothing_is_saved(
    coordinator_client,
):
    enterprise = factories.EnterpriseFactory(name="Värmekällan i Väsby", published=True)
    data = enterprise_form(
        enterprise,
        name="Värmekällan i Väsby ek. för.",
        **management_form("legal_entities", total=1),
        **{
            "legal_entities-0-name": "Värmekällan i Väsby ekonomisk förening",
            "legal_entities-0-legal_form": LegalEntity.LegalForm.ECONOMIC_ASSOCIATION,
            "legal_entities-0-organisation_number": "556036-0794",  # wrong check digit
        },
    )

    response = coordinator_client.post(admin_url(enterprise, "change"), data)

    assert response.status_code == 200
    assert "556036-0794 är inte ett giltigt svenskt organisationsnummer" in response.text
    assert field_error_id("legal_entities-0-organisation_number") in response.text
    assert not LegalEntity.objects.exists()
    enterprise.refresh_from_db()
    assert enterprise.name == "Värmekällan i Väsby"
    assert enterprise.published is True


def test_a_good_organisation_number_is_saved_with_the_enterprise(coordinator_client):
    enterprise = factories.EnterpriseFactory()
    data = enterprise_form(
        enterprise,
        **management_form("legal_entities", total=1),
        **{
            "legal_entities-0-name": "Testföreningen",
            "legal_entities-0-legal_form": LegalEntity.LegalForm.NON_PROFIT_ASSOCIATION,
            "legal_entities-0-organisation_number": "5560360793",
        },
    )

    response = coordinator_client.post(admin_url(enterprise, "change"), data)

    assert response.status_code == 302
    entity = LegalEntity.objects.get()
    assert (entity.enterprise, entity.organisation_number) == (enterprise, "556036-0793")


# --- A placement ----------------------------------------------------------------------------


def placement_form(**values) -> dict[str, str]:
    place = factories.TrainingPlaceFactory()
    # A placement needs an agreement between its referrer and the enterprise.
    agreement = factories.AgreementFactory(enterprise=place.enterprise)
    return {
        "participant_code": "AF-0042",
        "placement_type": str(place.placement_types.get().pk),
        "extent_percent": "50",
        "place": str(place.pk),
        "referrer": str(agreement.counterparty.pk),
        "started_on": START.isoformat(),
        **values,
    }


def test_an_end_date_before_the_start_is_shown_at_the_end_date_and_nothing_is_saved(
    coordinator_client,
):
    response = coordinator_client.post(
        admin_url(Placement, "add"),
        placement_form(ended_on=DAY_BEFORE.isoformat(), outcome=Placement.Outcome.WORK),
    )

    assert response.status_code == 200
    assert "Slutdatum kan inte ligga före startdatum." in response.text
    assert field_error_id("ended_on") in response.text
    assert response.context["adminform"].form.errors.keys() == {"ended_on"}
    assert not Placement.objects.exists()


def test_ending_a_placement_before_it_started_changes_nothing(coordinator_client):
    placement = factories.PlacementFactory(started_on=START)
    data = {
        "participant_code": placement.participant_code,
        "placement_type": str(placement.placement_type_id),
        "extent_percent": "80",
        "place": str(placement.place_id),
        "referrer": str(placement.referrer_id),
        "started_on": START.isoformat(),
        "ended_on": DAY_BEFORE.isoformat(),
    }

    response = coordinator_client.post(admin_url(placement, "change"), data)

    assert response.status_code == 200
    assert field_error_id("ended_on") in response.text
    placement.refresh_from_db()
    assert (placement.ended_on, placement.extent_percent) == (None, 50)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"planned_end_on": DAY_BEFORE.isoformat()},
            "planned_end_on",
            "Planerat slutdatum kan inte ligga före startdatum.",
        ),
        (
            {"outcome": Placement.Outcome.STUDIES},
            "outcome",
            "Utfall kan bara anges för en avslutad placering.",
        ),
    ],
)
def test_other_placement_mistakes_are_shown_at_their_field(
    coordinator_client, values, field, message
):
    response = coordinator_client.post(admin_url(Placement, "add"), placement_form(**values))

    assert response.status_code == 200
    assert message in response.text
    assert field_error_id(field) in response.text
    assert not Placement.objects.exists()


def test_a_correct_placement_is_saved(coordinator_client):
    response = coordinator_client.post(
        admin_url(Placement, "add"), placement_form(participant_code="af-0042")
    )

    assert response.status_code == 302
    assert Placement.objects.get().participant_code == "AF-0042"


# --- An agreement and a training place ------------------------------------------------------


def test_an_agreement_that_ends_before_it_starts_is_shown_at_the_end_date(coordinator_client):
    data = {
        "enterprise": str(factories.EnterpriseFactory().pk),
        "kind": Agreement.Kind.AF_TRAINING,
        "title": "AF om arbetsträningsplatser",
        "counterparty": str(factories.OrganisationFactory().pk),
        "valid_from": "2023-01-01",
        "valid_until": "2022-12-31",
        "order": "0",
    }

    response = coordinator_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 200
    assert "Avtalet kan inte upphöra innan det börjar gälla." in response.text
    assert field_error_id("valid_until") in response.text
    assert not Agreement.objects.exists()


def test_training_place_hours_where_minimum_exceeds_maximum_are_shown_at_the_maximum(
    coordinator_client,
):
    data = {
        "enterprise": str(factories.EnterpriseFactory().pk),
        "title": "Kafébiträde",
        "placement_types": [str(factories.PlacementTypeFactory().pk)],
        "capacity": "2",
        "hours_min": "30",
        "hours_max": "10",
        "status": TrainingPlace.Status.OPEN,
    }

    response = coordinator_client.post(admin_url(TrainingPlace, "add"), data)

    assert response.status_code == 200
    assert "”Högst” kan inte vara färre timmar än ”minst”." in response.text
    assert field_error_id("hours_max") in response.text
    assert not TrainingPlace.objects.exists()


# --- Subcontractors under a prime agreement -------------------------------------------------


def subcontract_form(prime: Agreement, enterprise: Enterprise) -> dict[str, str]:
    return {
        "enterprise": str(prime.enterprise_id),
        "kind": prime.kind,
        "title": prime.title,
        "counterparty": str(prime.counterparty_id),
        "order": "0",
        **management_form("subcontracts", total=1),
        "subcontracts-0-enterprise": str(enterprise.pk),
        "subcontracts-0-valid_from": "2022-01-01",
    }


def test_a_subcontractor_added_under_a_prime_agreement_gets_a_subcontract(coordinator_client):
    prime = factories.AgreementFactory(kind=Agreement.Kind.IOP, title="Sigtuna kommun IoP")
    livskraft = factories.EnterpriseFactory(name="Livskraft")

    response = coordinator_client.post(
        admin_url(prime, "change"), subcontract_form(prime, livskraft)
    )

    assert response.status_code == 302
    sub = prime.subcontracts.get()
    assert (sub.enterprise, sub.kind, sub.counterparty) == (
        livskraft,
        Agreement.Kind.SUBCONTRACT,
        None,
    )
    assert sub.referrer == prime.counterparty


def test_the_prime_contractor_cannot_be_its_own_subcontractor(coordinator_client):
    prime = factories.AgreementFactory(kind=Agreement.Kind.IOP, title="Sigtuna kommun IoP")

    response = coordinator_client.post(
        admin_url(prime, "change"), subcontract_form(prime, prime.enterprise)
    )

    assert response.status_code == 200
    assert "Underleverantören måste vara ett annat företag än huvudavtalets." in response.text
    assert field_error_id("subcontracts-0-enterprise") in response.text
    assert not prime.subcontracts.exists()


# --- An activity ----------------------------------------------------------------------------


def test_an_activity_dated_outside_its_year_is_shown_at_the_date(coordinator_client):
    data = {
        "year": "2022",
        "date": "2023-02-01",
        "text": "Webbinarium om arbetsträning.",
        "order": "0",
        "points": [str(factories.StrategyPointFactory().pk)],
    }

    response = coordinator_client.post(admin_url(Activity, "add"), data)

    assert response.status_code == 200
    assert "Datumet ska ligga inom aktivitetens år." in response.text
    assert field_error_id("date") in response.text
    assert not Activity.objects.exists()
