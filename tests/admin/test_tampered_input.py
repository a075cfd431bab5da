"""Tampered input in an admin address or form gets the admin's own answer, never a server error.

Each case was a server error of Django found by tests/fuzz; accounts.admin.GuardedInputAdmin,
which the admin site mixes into every admin it registers, closes it.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from accounts.admin import GuardedInputAdmin, GuardedInputInline
from placements.models import Placement, TrainingPlace
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url, change_form_data

pytestmark = pytest.mark.django_db

TOO_LARGE = "9" * 25  # more than any integer column holds
NOT_A_CHOICE = "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ."


def not_a_value(value: str) -> str:
    return f"“{value}” är inte ett giltigt värde."


# --- A list's date parameters out of the calendar ---------------------------------------------


@pytest.mark.parametrize(
    ("model", "query"),
    [
        (Placement, "started_on__year=9999"),  # the year after it does not exist
        (Placement, f"started_on__year={TOO_LARGE}"),
        ("enterprises.Inquiry", f"created_at__year=2024&created_at__month={TOO_LARGE}"),
    ],
)
def test_a_date_out_of_the_calendar_in_a_list_is_a_wrong_filter(coordinator_client, model, query):
    model = apps.get_model(model) if isinstance(model, str) else model
    url = admin_url(model)

    response = coordinator_client.get(f"{url}?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"  # the admin's "the filter is wrong" answer
    assert coordinator_client.get(response["Location"]).status_code == 200


# --- An autocomplete field with a value that is no key ----------------------------------------


@pytest.mark.parametrize("value", [" ", TOO_LARGE])
def test_a_search_field_for_one_with_no_key_in_it_is_an_invalid_choice(coordinator_client, value):
    placement = factories.PlacementFactory()
    url = admin_url(placement, "change")
    data = {**change_form_data(coordinator_client.get(url)), "place": value}

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert NOT_A_CHOICE in response.text
    placement.refresh_from_db()
    assert placement.place_id is not None


@pytest.mark.parametrize("value", [" ", "0007-04-29", TOO_LARGE])
def test_a_search_field_for_many_with_no_key_in_it_is_an_invalid_value(coordinator_client, value):
    municipality = factories.MunicipalityFactory()
    enterprise = factories.EnterpriseFactory(municipalities=[municipality])
    url = admin_url(enterprise, "change")
    data = {**change_form_data(coordinator_client.get(url)), "municipalities": [value]}

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert not_a_value(value) in response.text
    assert list(enterprise.municipalities.all()) == [municipality]


def test_a_search_field_in_an_inline_row_with_no_key_in_it_is_an_invalid_choice(
    coordinator_client,
):
    municipality = factories.MunicipalityFactory()
    unit = factories.UnitFactory(municipality=municipality)
    url = admin_url(unit.enterprise, "change")
    data = change_form_data(coordinator_client.get(url))
    assert data["units-0-municipality"] == str(municipality.pk)
    data["units-0-municipality"] = " "

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert NOT_A_CHOICE in response.text
    unit.refresh_from_db()
    assert unit.municipality == municipality


# --- A ticked box with a number too large -----------------------------------------------------


def test_a_ticked_box_with_a_number_too_large_is_an_invalid_value(coordinator_client):
    place = factories.TrainingPlaceFactory()
    types = list(place.placement_types.all())
    url = admin_url(place, "change")
    data = {**change_form_data(coordinator_client.get(url)), "placement_types": [TOO_LARGE]}

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert not_a_value(TOO_LARGE) in response.text
    assert list(TrainingPlace.objects.get(pk=place.pk).placement_types.all()) == types


def test_djangos_own_group_admin_answers_a_number_too_large_with_an_invalid_value(client):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    log_in_with_second_factor(client, superuser)
    permission = Permission.objects.first()
    data = {"name": "Granskare", "permissions": [str(permission.pk), TOO_LARGE]}

    response = client.post(admin_url(Group, "add"), data)

    assert response.status_code == 200
    assert not_a_value(TOO_LARGE) in response.text
    assert not Group.objects.filter(name="Granskare").exists()


# --- Every admin on the site, also those of Django and allauth --------------------------------


def test_every_admin_and_inline_on_the_site_is_guarded(coordinator):
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    registered = [
        admin.site.get_model_admin(model)
        for model in apps.get_models()
        if admin.site.is_registered(model)
    ]

    assert {"auth.group", "account.emailaddress", "mfa.authenticator"} <= {
        model_admin.opts.label_lower for model_admin in registered
    }
    for model_admin in registered:
        assert isinstance(model_admin, GuardedInputAdmin), model_admin
        for inline in model_admin.get_inlines(request, None):
            assert issubclass(inline, GuardedInputInline), inline


# --- Fields declared outside the admin's hooks ------------------------------------------------


def test_a_persons_enterprises_with_a_number_too_large_is_an_invalid_value(coordinator_client):
    from django.contrib.auth import get_user_model

    person = factories.UserFactory(email="ny@example.org")
    page = coordinator_client.get(admin_url(person, "change"))

    response = coordinator_client.post(
        admin_url(person, "change"), {**change_form_data(page), "staff_of": [TOO_LARGE]}
    )

    assert response.status_code == 200
    assert not_a_value(TOO_LARGE) in response.text
    assert not get_user_model().objects.get(pk=person.pk).enterprises.exists()


def test_the_place_browsers_adaptation_filter_with_a_number_too_large_is_refused(client, roles):
    from accounts.roles import CASE_OFFICER

    officer = factories.UserFactory(email="handlaggare@example.org")
    officer.groups.add(roles[CASE_OFFICER])
    client.force_login(officer)

    response = client.get(f"/platser/?anpassning={TOO_LARGE}")

    assert response.status_code < 500
    assert "Anpassningen finns inte. Välj bland anpassningarna i listan." in response.text
