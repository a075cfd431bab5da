import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from placements.models import Agreement, Placement, TrainingPlace, validate_participant_code
from tests.factories import (
    AgreementFactory,
    EnterpriseFactory,
    OrganisationFactory,
    PlacementFactory,
    TrainingPlaceFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2022, 6, 1)


def test_free_seats_are_capacity_minus_active_placements():
    place = TrainingPlaceFactory(capacity=3)
    PlacementFactory(place=place)
    PlacementFactory(place=place)
    PlacementFactory(place=place, ended_on=datetime.date(2022, 5, 1), outcome="work")
    annotated = TrainingPlace.objects.with_free_seats().get(pk=place.pk)
    assert annotated.occupied_seats == 2
    assert annotated.free_seats == 1
    assert annotated.free_seat_count == 1
    assert place.free_seat_count == 1


def test_a_place_without_placements_has_all_seats_free():
    place = TrainingPlaceFactory(capacity=4)
    assert TrainingPlace.objects.with_free_seats().get(pk=place.pk).free_seats == 4


def test_having_free_seats_leaves_out_full_and_lists_open_places():
    full = TrainingPlaceFactory(capacity=1)
    PlacementFactory(place=full)
    free = TrainingPlaceFactory(capacity=2)
    paused = TrainingPlaceFactory(capacity=2, status=TrainingPlace.Status.PAUSED)
    assert set(TrainingPlace.objects.having_free_seats()) == {free, paused}
    assert list(TrainingPlace.objects.open().having_free_seats()) == [free]


def test_capacity_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingPlaceFactory(capacity=-1)


@pytest.mark.parametrize(("low", "high"), [(30, 10), (0, 10), (10, 41)])
def test_hours_range_must_make_sense(low, high):
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingPlaceFactory(hours_min=low, hours_max=high)


def test_a_place_unit_must_belong_to_its_enterprise():
    place = TrainingPlaceFactory.build(enterprise=EnterpriseFactory(), unit=UnitFactory())
    with pytest.raises(ValidationError) as error:
        place.clean()
    assert "unit" in error.value.message_dict


def test_a_placement_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(started_on=DAY, ended_on=DAY - datetime.timedelta(days=1))


def test_planned_end_cannot_be_before_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(started_on=DAY, planned_end_on=DAY - datetime.timedelta(days=1))


@pytest.mark.parametrize("extent", [0, 101])
def test_extent_is_between_1_and_100_percent(extent):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(extent_percent=extent)


def test_an_outcome_needs_an_end_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(outcome=Placement.Outcome.WORK)


def test_active_placements_are_those_not_ended():
    active = PlacementFactory()
    PlacementFactory(ended_on=DAY, outcome=Placement.Outcome.STUDIES)
    assert list(Placement.objects.active()) == [active]


@pytest.mark.parametrize("code", ["AF-0042", "hoppet-7", "MIA2022X", "DEMO-001"])
def test_pseudonymous_codes_are_accepted(code):
    validate_participant_code(code)


@pytest.mark.parametrize(
    "code", ["19850101-1234", "850101-1234", "8501011234", "198501011234", "850101 1234"]
)
def test_codes_that_look_like_personal_identity_numbers_are_rejected(code):
    with pytest.raises(ValidationError) as error:
        validate_participant_code(code)
    assert "personnummer" in str(error.value)


@pytest.mark.parametrize("code", ["Anna Svensson", "AB", "x" * 21, "<b>x</b>", ""])
def test_names_and_odd_codes_are_rejected(code):
    with pytest.raises(ValidationError) as error:
        validate_participant_code(code)
    assert "Skriv aldrig deltagarens namn" in str(error.value)


def test_agreements_valid_on_a_date():
    always = AgreementFactory()
    current = AgreementFactory(
        valid_from=datetime.date(2022, 1, 1), valid_until=datetime.date(2022, 12, 31)
    )
    AgreementFactory(valid_until=datetime.date(2021, 12, 31))
    AgreementFactory(valid_from=datetime.date(2023, 1, 1))
    assert set(Agreement.objects.valid_on(DAY)) == {always, current}


def test_a_subcontract_lapses_with_its_prime_agreement():
    prime = AgreementFactory(kind=Agreement.Kind.IOP, valid_until=datetime.date(2021, 12, 31))
    sub = Agreement.objects.create(
        enterprise=EnterpriseFactory(), kind=Agreement.Kind.SUBCONTRACT, prime_agreement=prime
    )
    assert sub not in Agreement.objects.valid_on(DAY)
    assert sub in Agreement.objects.valid_on(datetime.date(2021, 6, 1))


def test_an_agreement_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(valid_from=DAY, valid_until=DAY - datetime.timedelta(days=1))


def test_a_subcontract_needs_a_prime_agreement_and_no_counterparty():
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(enterprise=EnterpriseFactory(), kind=Agreement.Kind.SUBCONTRACT)
    prime = AgreementFactory(kind=Agreement.Kind.IOP)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            enterprise=EnterpriseFactory(),
            kind=Agreement.Kind.SUBCONTRACT,
            prime_agreement=prime,
            counterparty=OrganisationFactory(),
        )


def test_a_subcontract_is_labelled_after_its_prime_agreement_and_contractor():
    m29 = EnterpriseFactory(name="M29 Socialt företagscenter", short_name="M29")
    referrer = OrganisationFactory(name="Sigtuna kommun - Försörjningsstödenheten")
    prime = AgreementFactory(
        enterprise=m29,
        kind=Agreement.Kind.IOP,
        counterparty=referrer,
        title="Sigtuna kommun – Försörjningsstödenheten IoP",
    )
    sub = Agreement.objects.create(
        enterprise=EnterpriseFactory(), kind=Agreement.Kind.SUBCONTRACT, prime_agreement=prime
    )
    assert sub.label == (
        "Underleverantör till M29 för avtalet Sigtuna kommun – Försörjningsstödenheten IoP"
    )
    assert sub.referrer == referrer


def test_places_available_to_an_organisation_follow_valid_placing_agreements():
    af = OrganisationFactory(name="Arbetsförmedlingen")
    kommun = OrganisationFactory(name="Kommunen")
    m29 = EnterpriseFactory()
    covered = TrainingPlaceFactory(enterprise=m29)
    prime = AgreementFactory(enterprise=m29, kind=Agreement.Kind.IOP, counterparty=kommun)
    sub_enterprise = EnterpriseFactory()
    via_subcontract = TrainingPlaceFactory(enterprise=sub_enterprise)
    Agreement.objects.create(
        enterprise=sub_enterprise, kind=Agreement.Kind.SUBCONTRACT, prime_agreement=prime
    )
    af_enterprise = EnterpriseFactory()
    af_place = TrainingPlaceFactory(enterprise=af_enterprise)
    AgreementFactory(enterprise=af_enterprise, counterparty=af)
    collaboration_only = EnterpriseFactory()
    TrainingPlaceFactory(enterprise=collaboration_only)
    AgreementFactory(
        enterprise=collaboration_only,
        kind=Agreement.Kind.COLLABORATION,
        counterparty=kommun,
        title="Samarbete",
    )
    expired = EnterpriseFactory()
    TrainingPlaceFactory(enterprise=expired)
    AgreementFactory(enterprise=expired, counterparty=kommun, valid_until=DAY)

    later = DAY + datetime.timedelta(days=1)
    assert set(TrainingPlace.objects.available_to(kommun, on=later)) == {covered, via_subcontract}
    assert set(TrainingPlace.objects.available_to(af, on=later)) == {af_place}
