"""Agreements in the admin: subcontracts read like the annual report, and in force today."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from placements.models import Agreement
from tests import factories
from tests.admin.helpers import admin_url


def make_prime_and_subcontract() -> tuple[Agreement, Agreement]:
    m29 = factories.EnterpriseFactory(name="M29 Socialt företagscenter", short_name="M29")
    prime = factories.AgreementFactory(
        enterprise=m29,
        kind=Agreement.Kind.IOP,
        title="Sigtuna kommun – Försörjningsstödenheten IoP",
        counterparty=factories.OrganisationFactory(name="Försörjningsstödenheten"),
    )
    sub = Agreement.objects.create(
        enterprise=factories.EnterpriseFactory(name="Livskraft"),
        kind=Agreement.Kind.SUBCONTRACT,
        prime_agreement=prime,
    )
    return prime, sub


def test_a_subcontract_is_listed_as_the_report_writes_it_with_the_primes_counterparty(
    coordinator_client,
):
    make_prime_and_subcontract()

    response = coordinator_client.get(admin_url(Agreement))

    assert (
        "Underleverantör till M29 för avtalet Sigtuna kommun – Försörjningsstödenheten IoP"
        in response.text
    )
    assert (
        response.text.count('<td class="field-effective_counterparty">Försörjningsstödenheten') == 2
    )


def test_the_prime_agreement_page_lists_its_subcontractors(coordinator_client):
    prime, sub = make_prime_and_subcontract()

    response = coordinator_client.get(admin_url(prime, "change"))

    assert "Underleverantörer under avtalet" in response.text
    assert admin_url(sub, "change") in response.text


def test_the_list_can_show_only_agreements_in_force_today(coordinator_client):
    today = timezone.localdate()
    factories.AgreementFactory(title="Gäller tills vidare")
    factories.AgreementFactory(title="Upphörde", valid_until=today - datetime.timedelta(days=1))

    response = coordinator_client.get(admin_url(Agreement), {"galler_i_dag": "ja"})

    assert "Gäller tills vidare" in response.text
    assert "Upphörde" not in response.text


def test_choosing_a_prime_agreement_offers_no_subcontracts(coordinator_client):
    prime, sub = make_prime_and_subcontract()

    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "placements", "model_name": "agreement", "field_name": "prime_agreement"},
    )

    assert response.status_code == 200
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert offered == {prime.pk}
    assert sub.pk not in offered
