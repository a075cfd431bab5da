"""What the fuzzing found, kept as plain examples: each was a server error."""

from __future__ import annotations

import pytest

from .htmlforms import main_form

pytestmark = pytest.mark.django_db

TOO_LARGE = "9" * 25  # more than any integer column holds


@pytest.mark.parametrize(
    "query",
    [
        "started_on__year=9999",  # the year after it does not exist
        f"started_on__year=2024&started_on__month={TOO_LARGE}",
        f"started_on__year={TOO_LARGE}",
    ],
)
def test_a_date_out_of_the_calendar_in_a_list_is_a_wrong_filter(coordinator, rows, query):
    response = coordinator.get(f"/admin/placements/placement/?{query}")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")  # the admin's "the filter is wrong" page


@pytest.mark.parametrize("value", [" ", "0007-04-29", TOO_LARGE])
def test_a_search_field_with_no_key_in_it_is_an_invalid_choice(coordinator, rows, value):
    url = f"/admin/enterprises/enterprise/{rows['enterprise'].pk}/change/"
    data = {**main_form(coordinator.get(url).content.decode()).values, "municipalities": [value]}
    response = coordinator.post(url, data)
    assert response.status_code == 200
    assert "municipalities" in response.context["adminform"].form.errors


def test_a_ticked_box_with_a_number_too_large_is_an_invalid_choice(coordinator, rows):
    url = f"/admin/placements/trainingplace/{rows['place'].pk}/change/"
    data = {**main_form(coordinator.get(url).content.decode()).values}
    data["placement_types"] = [TOO_LARGE]
    response = coordinator.post(url, data)
    assert response.status_code == 200, response.get("Location")
    assert "placement_types" in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "url",
    [
        "/admin/enterprises/inquiry/?status=%00",
        "/admin/enterprises/inquiry/?q=a%00b",
        "/admin/autocomplete/?app_label=placements&model_name=placement&field_name=place&term=%00",
    ],
)
def test_nul_in_an_admin_address_is_a_bad_request(coordinator, rows, url):
    # PostgreSQL cannot compare text with NUL: a server error there, before.
    response = coordinator.get(url)
    assert response.status_code == 400
    assert "otillåtet tecken" in response.content.decode()
