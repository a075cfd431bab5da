"""Enterprise staff see only the case officers they deal with, not every officer's address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.admin.test_staff_scope import a, b, make_enterprise, staff, staff_client  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(a, b):  # noqa: F811
    agreement_partner = factories.CaseOfficerFactory(
        organisation=a["agreement"].counterparty,
        user=factories.UserFactory(email="avtalspart@af.example"),
    ).user
    # Sent a request for one of A's places, from an organisation without an agreement.
    asked = factories.CaseOfficerFactory(user=factories.UserFactory(email="fragade@kommun.example"))
    factories.PlacementRequestFactory(
        place=a["place"], case_officer=asked.user, participant_code="ALF-201"
    )
    # Deals only with enterprise B.
    stranger = factories.CaseOfficerFactory(
        organisation=b["agreement"].counterparty,
        user=factories.UserFactory(email="okand@annan.example"),
    ).user
    return {"partner": agreement_partner, "asked": asked.user, "stranger": stranger}


def autocomplete(client, model: str, term: str = ""):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "placements",
            "model_name": model,
            "field_name": "case_officer",
            "term": term,
        },
    )


def found(response) -> list[str]:
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


def test_the_placement_form_lists_only_the_officers_staff_deal_with(staff_client, officers):  # noqa: F811
    page = staff_client.get(reverse("admin:placements_placement_add"))
    assert page.status_code == 200
    assert "avtalspart@af.example" in page.text
    assert "fragade@kommun.example" in page.text
    assert "okand@annan.example" not in page.text


@pytest.mark.parametrize("model", ["placement", "placementrequest"])
def test_staff_cannot_search_the_users(staff_client, officers, model):  # noqa: F811
    response = autocomplete(staff_client, model, "okand")
    assert response.status_code == 403
    assert "okand@annan.example" not in response.text


def test_a_stranger_chosen_by_a_tampered_form_is_refused(staff_client, officers, a):  # noqa: F811
    from tests.admin.helpers import change_form_data

    url = reverse("admin:placements_placement_change", args=[a["placement"].pk])
    data = change_form_data(staff_client.get(url))
    data["case_officer"] = str(officers["stranger"].pk)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    a["placement"].refresh_from_db()
    assert a["placement"].case_officer != officers["stranger"]


def test_the_coordinator_finds_every_officer(coordinator_client, officers):
    results = found(autocomplete(coordinator_client, "placement"))
    assert any("okand@annan.example" in text for text in results)


def test_the_request_form_does_not_list_strangers(staff_client, officers, a):  # noqa: F811
    page = staff_client.get(
        reverse("admin:placements_placementrequest_change", args=[a["request"].pk])
    )
    assert page.status_code == 200
    assert "okand@annan.example" not in page.text
