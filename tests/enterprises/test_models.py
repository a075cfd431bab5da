import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enterprises.models import Enterprise, Inquiry, LegalEntity, validate_organisation_number
from tests.factories import (
    EnterpriseFactory,
    EnterpriseGroupFactory,
    LegalEntityFactory,
    MunicipalityFactory,
    NetworkProfileFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["556036-0793", "5560360793", "802479-2353"])
def test_valid_organisation_numbers_pass(number):
    validate_organisation_number(number)


@pytest.mark.parametrize("number", ["556036-0794", "12345", "abcdef-ghij", "5560360793000"])
def test_invalid_organisation_numbers_are_rejected_in_swedish(number):
    with pytest.raises(ValidationError) as error:
        validate_organisation_number(number)
    assert "inte ett giltigt svenskt organisationsnummer" in str(error.value)


def test_legal_entity_organisation_number_is_normalised_on_clean():
    entity = LegalEntityFactory.build(
        enterprise=EnterpriseFactory(), organisation_number="5560360793"
    )
    entity.full_clean()
    assert entity.organisation_number == "556036-0793"


def test_a_bad_organisation_number_fails_full_clean():
    entity = LegalEntityFactory.build(
        enterprise=EnterpriseFactory(), organisation_number="556036-0794"
    )
    with pytest.raises(ValidationError) as error:
        entity.full_clean()
    assert "organisation_number" in error.value.message_dict


def test_an_organisation_number_belongs_to_one_legal_entity_only():
    LegalEntityFactory(organisation_number="556036-0793")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalEntityFactory(organisation_number="556036-0793")


def test_several_legal_entities_may_lack_an_organisation_number():
    enterprise = EnterpriseFactory()
    LegalEntityFactory(enterprise=enterprise, legal_form=LegalEntity.LegalForm.ECONOMIC_ASSOCIATION)
    LegalEntityFactory(
        enterprise=enterprise, legal_form=LegalEntity.LegalForm.NON_PROFIT_ASSOCIATION
    )
    assert enterprise.legal_entities.count() == 2


def test_slugs_are_unique():
    EnterpriseFactory(name="Ett", slug="samma")
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(name="Två", slug="samma")


def test_start_year_must_be_plausible():
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(start_year=1066)


def test_published_lists_only_published_enterprises():
    shown = EnterpriseFactory(published=True)
    EnterpriseFactory(published=False)
    assert list(Enterprise.objects.published()) == [shown]


def test_an_enterprise_can_work_in_several_municipalities_and_belong_to_a_group():
    sigtuna = MunicipalityFactory(name="Sigtuna")
    vasby = MunicipalityFactory(name="Upplands Väsby")
    group = EnterpriseGroupFactory(name="M29 Gruppen")
    enterprise = EnterpriseFactory(municipalities=[sigtuna, vasby], group=group)
    assert [m.name for m in enterprise.municipalities.all()] == ["Sigtuna", "Upplands Väsby"]
    assert list(Enterprise.objects.in_municipality(vasby)) == [enterprise]
    assert list(group.enterprises.all()) == [enterprise]


def test_unit_address_reads_as_one_line():
    unit = UnitFactory(street_address="Stora gatan 1", postal_code="193 30", city="Sigtuna")
    assert unit.address == "Stora gatan 1, 193 30 Sigtuna"


def test_unit_names_are_unique_within_an_enterprise():
    unit = UnitFactory(name="Café Nyfiket")
    UnitFactory(name="Café Nyfiket")  # another enterprise may use the same name
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(name="Café Nyfiket", enterprise=unit.enterprise)


def test_network_phone_number_becomes_an_international_tel_link():
    profile = NetworkProfileFactory(phone="08-465 004 00")
    assert profile.phone_uri == "tel:+46846500400"


def test_an_inquiry_needs_an_email_or_a_phone_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.create(topic="buy", name="Anna", message="Hej", email="", phone="")
    assert Inquiry.objects.count() == 0
