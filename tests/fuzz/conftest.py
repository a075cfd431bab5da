"""Fuzzing: settings profiles, a small network to fuzz, a client per kind of visitor.

Profiles (HYPOTHESIS_PROFILE): "ci", the default, runs a fixed set of examples (derandomize),
the same on every run and machine, in about a minute; "explore" draws many new random examples
each run, for hunting bugs locally:

    HYPOTHESIS_PROFILE=explore .venv/bin/pytest tests/fuzz -x
"""

from __future__ import annotations

import copy
import datetime
import os

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF, ensure_roles
from enterprises.models import EnterpriseAlias
from placements.models import Placement, PlacementRequest
from reports import versions
from tests import factories
from tests.accounts.helpers import give_totp, log_in_with_second_factor

_common = {
    "deadline": None,  # one request takes what it takes; a slow one is no bug here
    "database": None,  # no .hypothesis/ folder; a failure prints the example to reproduce
    # The network is built once per module (net, in the module's transaction) and each example
    # rolls back its own changes (invariants.isolated_example), each test all of its own; the
    # clients are function-scoped fixtures.
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=25, derandomize=True, **_common)
settings.register_profile("explore", max_examples=300, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(share: float) -> int:
    """A share of the profile's examples, for tests that repeat over many pages."""
    return max(3, int(settings.default.max_examples * share))


@pytest.fixture
def net(built_net):
    """Enterprise A, with everything a form can point at; enterprise B, with its own staff.

    The objects as built, copied for each test: a test changes them in memory too (a login
    sets the user's last_login, which a password-reset link is made from), and the database
    it changed is rolled back after it.
    """
    return copy.deepcopy(built_net)


@pytest.fixture(scope="module")
def built_net(module_db):
    """The network of `net`, built once for the tests of a module (tests/conftest.py,
    module_db: every test module here that uses it is marked django_db, so each test's
    changes roll back)."""
    roles = ensure_roles()
    today = timezone.localdate()
    municipality = factories.MunicipalityFactory(name="Sigtuna", slug="sigtuna")
    category = factories.ServiceCategoryFactory(name="Café", slug="cafe")
    adaptation = factories.AdaptationFactory(name="Lugn miljö", slug="lugn-miljo")
    enterprise = factories.EnterpriseFactory(
        name="Alfa arbetsträning",
        slug="alfa",
        municipalities=[municipality],
        email="alfa@example.org",
    )
    enterprise.service_categories.add(category)
    enterprise_b = factories.EnterpriseFactory(name="Beta arbetsträning", slug="beta")
    referrer = factories.OrganisationFactory(name="Arbetsförmedlingen Syd")
    agreement = factories.AgreementFactory(enterprise=enterprise, counterparty=referrer)
    at = factories.PlacementTypeFactory(code="AT", name="Arbetsträning")
    unit = factories.UnitFactory(enterprise=enterprise, municipality=municipality)
    place = factories.TrainingPlaceFactory(
        enterprise=enterprise,
        unit=unit,
        capacity=5,
        placement_types=[at],
        service_category=category,
    )
    place.adaptations.add(adaptation)

    officer = factories.UserFactory(email="handlaggare@example.org")
    officer.groups.add(roles[CASE_OFFICER])
    factories.CaseOfficerFactory(user=officer, organisation=referrer)
    staff = factories.UserFactory(email="personal-a@example.org", is_staff=True)
    staff.groups.add(roles[ENTERPRISE_STAFF])
    enterprise.staff.add(staff)
    staff_b = factories.UserFactory(email="personal-b@example.org", is_staff=True)
    staff_b.groups.add(roles[ENTERPRISE_STAFF])
    enterprise_b.staff.add(staff_b)
    coordinator = factories.UserFactory(email="samordnare@example.org", is_staff=True)
    coordinator.groups.add(roles[COORDINATOR])
    give_totp(coordinator)
    give_totp(staff)

    factories.NetworkProfileFactory()
    report = factories.AnnualReportFactory(year=2022, published=True)
    # Published as version 1 now, as publishing does, not when the first example asks for it
    # (each example's writes are rolled back: every example would publish it again).
    versions.report_publish(report=report)
    factories.StrategyPointFactory()
    placement = Placement.objects.create(
        place=place,
        participant_code="AF-0001",
        placement_type=at,
        referrer=referrer,
        agreement=agreement,
        case_officer=officer,
        started_on=today - datetime.timedelta(days=30),
        extent_percent=50,
    )
    pending = PlacementRequest.objects.create(
        place=place,
        case_officer=officer,
        referrer=referrer,
        participant_code="AF-0042",
        placement_type=at,
        wished_start_on=today + datetime.timedelta(days=14),
        extent_percent=50,
    )
    factories.InquiryFactory(enterprise=enterprise)
    return {
        "enterprise": enterprise,
        "enterprise_b": enterprise_b,
        "municipality": municipality,
        "category": category,
        "adaptation": adaptation,
        "referrer": referrer,
        "agreement": agreement,
        "type": at,
        "unit": unit,
        "place": place,
        "placement": placement,
        "request": pending,
        "report": report,
        "officer": officer,
        "staff": staff,
        "staff_b": staff_b,
        "coordinator": coordinator,
    }


@pytest.fixture
def rows(net, built_rows):
    """A row of every admin model, of enterprise A where the model hangs on an enterprise."""
    return net


@pytest.fixture(scope="module")
def built_rows(built_net):
    net = built_net
    enterprise = net["enterprise"]
    factories.EnterpriseGroupFactory()
    EnterpriseAlias.objects.create(
        enterprise=enterprise, name="Alfas gamla namn", slug="alfa-gamla"
    )
    factories.LegalEntityFactory(enterprise=enterprise)
    factories.ProgrammeFactory(organisation=net["referrer"])
    factories.ActivityFactory()
    factories.ReportSectionFactory(report=net["report"])
    factories.SignatoryFactory(report=net["report"])
    return net


@pytest.fixture
def anonymous(net):
    return Client()


@pytest.fixture
def officer(net):
    client = Client()
    client.force_login(net["officer"])
    return client


@pytest.fixture
def staff(net):
    client = Client()
    log_in_with_second_factor(client, net["staff"])
    return client


@pytest.fixture
def staff_halfway(net):
    """Staff who gave their password and are asked for their authenticator code."""
    client = Client()
    response = client.post(
        "/konto/login/", {"login": net["staff"].email, "password": "test-lösenord-123"}
    )
    assert response["Location"] == "/konto/2fa/authenticate/"
    return client


@pytest.fixture
def coordinator(net):
    client = Client()
    log_in_with_second_factor(client, net["coordinator"])
    return client


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """A request whose mail, sent after the commit in production, goes out before it returns."""

    def send(client, method: str, url: str, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(url, data, **extra)

    return send
