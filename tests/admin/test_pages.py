"""Every page of every model the coordinator manages opens, for the coordinator.

The models come from the admin site's registry, so a model registered tomorrow is covered
(and needs a line in MAKE_ONE below, which the last test insists on).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from enterprises.models import EnterpriseAlias
from tests import factories
from tests.admin.helpers import admin_url

# The coordinator role (accounts.roles) covers these apps; Site and allauth's EmailAddress are
# registered by their own apps and left to superusers.
COORDINATOR_APPS = {"asfnet", "auth", "enterprises", "placements", "reports"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in COORDINATOR_APPS),
    key=lambda model: model._meta.label,
)

MAKE_ONE = {
    "asfnet.User": factories.UserFactory,
    "auth.Group": lambda: Group.objects.create(name="Testgruppen"),
    "enterprises.Municipality": factories.MunicipalityFactory,
    "enterprises.EnterpriseGroup": factories.EnterpriseGroupFactory,
    "enterprises.ServiceCategory": factories.ServiceCategoryFactory,
    "enterprises.Adaptation": factories.AdaptationFactory,
    "enterprises.Enterprise": factories.EnterpriseFactory,
    # tests/factories.py has no factory for aliases.
    "enterprises.EnterpriseAlias": lambda: EnterpriseAlias.objects.create(
        enterprise=factories.EnterpriseFactory(), name="Tidigare namnet", slug="tidigare-namnet"
    ),
    "enterprises.LegalEntity": factories.LegalEntityFactory,
    "enterprises.Unit": factories.UnitFactory,
    "enterprises.NetworkProfile": factories.NetworkProfileFactory,
    "enterprises.Inquiry": factories.InquiryFactory,
    "placements.Organisation": factories.OrganisationFactory,
    "placements.Programme": factories.ProgrammeFactory,
    "placements.Agreement": factories.AgreementFactory,
    "placements.PlacementType": factories.PlacementTypeFactory,
    "placements.TrainingPlace": factories.TrainingPlaceFactory,
    "placements.Placement": factories.PlacementFactory,
    "placements.PlacementRequest": factories.PlacementRequestFactory,
    "placements.CaseOfficer": factories.CaseOfficerFactory,
    "reports.Strategy": factories.StrategyFactory,
    "reports.StrategyArea": factories.StrategyAreaFactory,
    "reports.StrategyPoint": factories.StrategyPointFactory,
    "reports.Activity": factories.ActivityFactory,
    "reports.AnnualReport": factories.AnnualReportFactory,
    "reports.ReportSection": factories.ReportSectionFactory,
    "reports.Signatory": factories.SignatoryFactory,
}

by_label = pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)


def test_every_registered_model_of_the_coordinator_can_be_made_for_these_tests():
    assert sorted(MAKE_ONE) == [model._meta.label for model in MODELS]


def test_the_coordinator_is_not_a_superuser(coordinator):
    # Otherwise the tests below would prove nothing about the coordinator role.
    assert coordinator.is_staff and not coordinator.is_superuser


@by_label
def test_the_coordinator_sees_the_list_with_its_rows(coordinator_client, model):
    obj = MAKE_ONE[model._meta.label]()
    response = coordinator_client.get(admin_url(model))
    assert response.status_code == 200
    assert admin_url(obj, "change") in response.text


@by_label
def test_the_coordinator_can_open_the_add_form(coordinator_client, model):
    response = coordinator_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert response.context["add"] is True


@by_label
def test_the_coordinator_can_open_the_change_form(coordinator_client, model):
    obj = MAKE_ONE[model._meta.label]()
    response = coordinator_client.get(admin_url(obj, "change"))
    assert response.status_code == 200
    assert response.context["original"] == obj
    assert response.context["has_change_permission"] is True


def test_the_coordinator_sees_every_model_on_the_admin_start_page(coordinator_client):
    response = coordinator_client.get("/admin/")
    assert response.status_code == 200
    for model in MODELS:
        assert admin_url(model) in response.text
