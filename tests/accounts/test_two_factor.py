"""Two-factor authentication: required before the admin opens, optional for case officers."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF
from asfnet.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_content_load
from asfnet.models import User
from tests import factories
from tests.accounts.helpers import (
    TEST_TOTP_SECRET,
    give_totp,
    log_in_with_second_factor,
    totp_code,
)
from tests.admin.helpers import admin_url

PASSWORD = "test-lösenord-123"  # tests/factories.py
ACTIVATE = "/konto/2fa/totp/activate/"


def person_with_role(roles, role: str, *, is_staff: bool, email: str) -> User:
    user = factories.UserFactory(email=email, is_staff=is_staff)
    user.groups.add(roles[role])
    return user


@pytest.fixture
def coordinator_without_app(roles):
    return person_with_role(roles, COORDINATOR, is_staff=True, email="samordnare@example.org")


@pytest.fixture
def staff_without_app(roles):
    user = person_with_role(roles, ENTERPRISE_STAFF, is_staff=True, email="personal@example.org")
    factories.EnterpriseFactory().staff.add(user)
    return user


@pytest.fixture
def case_officer(roles):
    user = person_with_role(roles, CASE_OFFICER, is_staff=False, email="handlaggare@example.org")
    factories.CaseOfficerFactory(user=user)
    return user


def log_in(client, email: str, password: str = PASSWORD, next_url: str = "/admin/"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password, "next": next_url}
    )


def logged_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


def open_activation(client, password: str = PASSWORD):
    """The app's set-up page. allauth first asks for the password again (reauthentication),
    as it does before anything that changes how the account is protected."""
    reauthenticate = client.get(ACTIVATE, follow=True)
    assert "<h1>Bekräfta att det är du</h1>" in reauthenticate.text
    confirmed = client.post(
        reauthenticate.redirect_chain[-1][0], {"password": password}, follow=True
    )
    assert confirmed.redirect_chain[-1][0] == ACTIVATE
    return confirmed


# --- Required in the admin ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator_without_app", "staff_without_app", "superuser"])
def test_admin_users_without_an_app_are_sent_to_set_one_up(client, request, roles, who):
    if who == "superuser":  # as `manage.py createsuperuser` makes one
        user = User.objects.create_superuser("root@example.org", PASSWORD)
    else:
        user = request.getfixturevalue(who)

    login = log_in(client, user.email)
    admin = client.get("/admin/")
    explained = client.get(admin.url, follow=True)
    activation = open_activation(client)

    assert login.status_code == 302 and login.url == "/admin/"  # no code asked: there is no app
    assert admin.status_code == 302
    assert admin.url == ACTIVATE
    assert "Administrationen kräver tvåstegsverifiering" in explained.text
    assert "<h1>Lägg in en app för engångskoder</h1>" in activation.text
    assert 'autocomplete="one-time-code"' in activation.text
    assert activation.context["form"].secret in activation.text  # for typing in by hand


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/placements/trainingplace/",
        "/admin/enterprises/enterprise/add/",
        "/admin/autocomplete/?app_label=placements&model_name=placement&field_name=place",
    ],
)
def test_no_admin_page_opens_without_a_second_factor(client, coordinator_without_app, path):
    client.force_login(coordinator_without_app)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == ACTIVATE


@pytest.mark.parametrize("who", ["coordinator_without_app", "staff_without_app"])
def test_after_setting_up_the_app_they_get_in(client, request, who):
    user = request.getfixturevalue(who)
    log_in(client, user.email)
    secret = open_activation(client).context["form"].secret

    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    right = client.post(ACTIVATE, {"code": totp_code(secret)})
    admin = client.get("/admin/")

    assert "Det finns ett problem" in wrong.text
    assert "Koden stämmer inte" in wrong.text
    assert right.status_code == 302
    assert right.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert admin.status_code == 200
    codes = client.get(right.url)
    assert "Fortsätt till administrationen" in codes.text


def test_with_an_app_the_login_asks_for_its_code_and_then_the_admin_opens(
    client, coordinator_without_app
):
    coordinator = coordinator_without_app
    give_totp(coordinator)

    login = log_in(client, coordinator.email)
    assert login.status_code == 302
    assert login.url == reverse("mfa_authenticate")
    assert logged_in_as(client) is None  # not until the code is in

    page = client.get(login.url)
    wrong = client.post(login.url, {"code": "12345"})
    right = client.post(login.url, {"code": totp_code(TEST_TOTP_SECRET)})
    admin = client.get("/admin/")

    assert "<h1>Skriv koden från appen</h1>" in page.text
    assert 'autocomplete="one-time-code"' in page.text
    assert "Koden stämmer inte" in wrong.text
    assert right.status_code == 302
    assert right.url == "/admin/"
    assert logged_in_as(client) == str(coordinator.pk)
    assert admin.status_code == 200


def test_a_recovery_code_also_lets_the_coordinator_in(client, coordinator_without_app):
    coordinator = coordinator_without_app
    log_in(client, coordinator.email)
    secret = open_activation(client).context["form"].secret
    client.post(ACTIVATE, {"code": totp_code(secret)})
    recovery_code = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"][0]
    client.logout()

    log_in(client, coordinator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": recovery_code})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_turn_the_app_off(client, staff_without_app):
    staff = staff_without_app
    log_in_with_second_factor(client, staff)
    # allauth asks for the password again before anything that changes the protection.
    reauthenticate = client.get(reverse("mfa_deactivate_totp"), follow=True)
    client.post(reauthenticate.redirect_chain[-1][0], {"password": PASSWORD})

    page = client.get(reverse("mfa_deactivate_totp"))
    post = client.post(reverse("mfa_deactivate_totp"))

    assert "Du kan inte stänga av tvåstegsverifieringen" in page.text
    assert 'type="submit">Ta bort appen' not in page.text
    assert "Du kan inte stänga av tvåstegsverifieringen" in post.text
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_logging_out_of_the_admin_works_without_a_second_factor(client, staff_without_app):
    client.force_login(staff_without_app)

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_the_coordinator_resets_a_lost_phone_and_the_person_sets_up_a_new_app(
    coordinator_client, staff_without_app
):
    staff = staff_without_app
    give_totp(staff)
    client = Client()  # the staff member's browser

    response = coordinator_client.post(
        admin_url(staff, "change"),
        {"CHANGE_FORM-action": "reset_two_factor", "_selected_action": [staff.pk]},
        follow=True,
    )

    assert "Tvåstegsverifieringen återställdes för 1 person." in response.text
    assert not Authenticator.objects.filter(user=staff).exists()
    login = log_in(client, staff.email)
    assert login.url == "/admin/"  # no code asked
    assert client.get("/admin/").url == ACTIVATE


# --- Optional for case officers -------------------------------------------------------------


def test_a_case_officer_logs_in_without_a_second_factor(client, case_officer):
    response = log_in(client, case_officer.email, next_url="/platser/")

    assert response.status_code == 302
    assert response.url == "/platser/"
    assert logged_in_as(client) == str(case_officer.pk)


def test_a_case_officer_may_turn_on_the_app_and_off_again(client, case_officer):
    log_in(client, case_officer.email, next_url="/")
    secret = open_activation(client).context["form"].secret

    activated = client.post(ACTIVATE, {"code": totp_code(secret)})
    index = client.get(reverse("mfa_index"))
    # The password confirmed for the activation a moment ago still counts.
    deactivated = client.post(reverse("mfa_deactivate_totp"))

    assert activated.status_code == 302
    assert "På. Du skriver en kod från appen när du loggar in." in index.text
    assert deactivated.status_code == 302
    assert not Authenticator.objects.filter(user=case_officer, type="totp").exists()


# --- The demo accounts ----------------------------------------------------------------------


@pytest.fixture
def demo_network(db):
    """The few rows of the network the demo builds on (as in tests/commands/test_seed_demo.py)."""
    factories.OrganisationFactory(name="Arbetsförmedlingen", slug="arbetsformedlingen")
    factories.EnterpriseFactory(name="Värmekällan i Väsby", slug="varmekallan-i-vasby")
    factories.PlacementTypeFactory(code="AT")
    factories.PlacementTypeFactory(code="FAT")


@pytest.mark.parametrize("email", ["samordnare@example.org", "personal@example.org"])
def test_the_demo_admin_accounts_log_in_with_the_documented_key(client, demo_network, email):
    demo_content_load()

    login = log_in(client, email, password=DEMO_PASSWORD)
    code = client.post(login.url, {"code": totp_code(DEMO_TOTP_SECRET)})

    assert login.url == reverse("mfa_authenticate")
    assert code.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_demo_case_officer_has_no_second_factor(client, demo_network):
    demo_content_load()

    login = log_in(client, "handlaggare@example.org", password=DEMO_PASSWORD, next_url="/")

    assert login.url == "/"


def test_running_the_demo_again_puts_the_documented_key_back(demo_network):
    demo_content_load()
    coordinator = User.objects.get(email="samordnare@example.org")
    Authenticator.objects.filter(user=coordinator).delete()
    staff_app = Authenticator.objects.get(user__email="personal@example.org")
    staff_app.data = {"secret": TEST_TOTP_SECRET}  # as if set up again with another key
    staff_app.save()

    demo_content_load()

    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 2
    for totp in Authenticator.objects.filter(type=Authenticator.Type.TOTP):
        assert totp.wrap().validate_code(totp_code(DEMO_TOTP_SECRET))
