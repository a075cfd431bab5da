"""factory_boy factories: plainly synthetic data for tests."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from enterprises.models import (
    Adaptation,
    Enterprise,
    EnterpriseGroup,
    Inquiry,
    LegalEntity,
    Municipality,
    NetworkProfile,
    ServiceCategory,
    Unit,
)
from placements.models import (
    Agreement,
    CaseOfficer,
    Organisation,
    Placement,
    PlacementRequest,
    PlacementType,
    Programme,
    TrainingPlace,
)
from reports.models import (
    Activity,
    AnnualReport,
    ReportSection,
    Signatory,
    Strategy,
    StrategyArea,
    StrategyPoint,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    # Hashed before the one save (the hasher the tests set), not set and saved again after it.
    password = factory.django.Password("test-lösenord-123")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class EnterpriseGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseGroup

    name = factory.Sequence(lambda n: f"Testgruppen {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    name = factory.Sequence(lambda n: f"Tjänstekategori {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AdaptationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adaptation

    name = factory.Sequence(lambda n: f"Anpassning {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testföretaget {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    start_year = 2015
    summary = "Ett påhittat företag för tester."
    published = True

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)


class LegalEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalEntity

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.LazyAttribute(lambda o: f"{o.enterprise.name} ek. för.")
    legal_form = LegalEntity.LegalForm.ECONOMIC_ASSOCIATION


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    street_address = "Testgatan 1"
    postal_code = "195 00"
    city = "Märsta"


class NetworkProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkProfile

    name = "ASF Nätverket Sollentuna – Upplands Väsby – Sigtuna"
    short_name = "ASF-nätverket"
    phone = "08-465 004 00"
    email = "info@example.org"
    website = "https://asf.example.org/"
    coordinator_name = "Samordnaren"
    coordinator_email = "samordnare@example.org"


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    topic = Inquiry.Topic.BUY
    name = "Testkund"
    email = "kund@example.org"
    message = "Vi vill beställa fika till ett möte."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testorganisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.STATE_AGENCY


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Testinsats {n}")
    short_name = factory.Sequence(lambda n: f"Insats {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    organisation = factory.SubFactory(OrganisationFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = Agreement.Kind.AF_TRAINING
    title = "AF om arbetsträningsplatser"
    counterparty = factory.SubFactory(OrganisationFactory)


class PlacementTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementType
        django_get_or_create = ["code"]

    code = "AT"
    name = factory.LazyAttribute(lambda o: f"Placeringstyp {o.code}")
    slug = factory.LazyAttribute(lambda o: slugify(o.code))


class TrainingPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPlace
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"Testplats {n}")
    tasks = "Påhittade arbetsuppgifter."
    capacity = 3
    hours_min = 10
    hours_max = 30
    last_confirmed_on = factory.LazyFunction(datetime.date.today)

    @factory.post_generation
    def placement_types(obj, create, extracted, **kwargs):
        if create:
            obj.placement_types.set(extracted or [PlacementTypeFactory()])


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    place = factory.SubFactory(TrainingPlaceFactory)
    participant_code = factory.Sequence(lambda n: f"TEST-{n:04d}")
    placement_type = factory.SubFactory(PlacementTypeFactory)
    referrer = factory.SubFactory(OrganisationFactory)
    started_on = datetime.date(2022, 3, 1)
    extent_percent = 50


class CaseOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseOfficer

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PlacementRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementRequest

    place = factory.SubFactory(TrainingPlaceFactory)
    case_officer = factory.SubFactory(UserFactory)
    referrer = factory.SubFactory(OrganisationFactory)
    participant_code = factory.Sequence(lambda n: f"REQ-{n:04d}")
    placement_type = factory.SubFactory(PlacementTypeFactory)
    wished_start_on = datetime.date(2022, 9, 1)
    extent_percent = 50


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    name = factory.Sequence(lambda n: f"Teststrategi {n}")


class StrategyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyArea

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Ett påhittat område"


class StrategyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyPoint

    area = factory.SubFactory(StrategyAreaFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "En påhittad punkt."


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    year = 2022
    text = factory.Sequence(lambda n: f"Påhittad aktivitet {n}.")

    @factory.post_generation
    def points(obj, create, extracted, **kwargs):
        if create:
            obj.points.set(extracted or [StrategyPointFactory()])


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    year = 2022
    title = "Testrapport"
    date = datetime.date(2022, 10, 19)
    table_year = 2021


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    report = factory.SubFactory(AnnualReportFactory)
    heading = "Bakgrund"
    body = "Påhittad text."


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    report = factory.SubFactory(AnnualReportFactory)
    name = "Testa Testsson"
    role = "Ordförande"
    organisation = "Testorganisationen"
