"""The coordinator gives people their roles and enterprises, but cannot make a superuser."""

from __future__ import annotations

from django.urls import reverse

from accounts.roles import ENTERPRISE_STAFF
from asfnet.models import User
from tests import factories
from tests.admin.helpers import admin_url, management_form


def test_a_coordinator_adds_enterprise_staff_with_role_and_enterprise_in_one_form(
    coordinator_client, roles
):
    enterprise = factories.EnterpriseFactory(name="Värmekällan i Väsby")
    data = {
        "email": "Anna.Andersson@Example.org",
        "first_name": "Anna",
        "last_name": "Andersson",
        "usable_password": "true",
        "password1": "ett-långt-lösenord-2026",
        "password2": "ett-långt-lösenord-2026",
        "groups": [str(roles[ENTERPRISE_STAFF].pk)],
        "staff_of": [str(enterprise.pk)],
        "is_staff": "on",
        **management_form("case_officer"),
    }

    response = coordinator_client.post(admin_url(User, "add"), data)

    assert response.status_code == 302
    user = User.objects.get(email="anna.andersson@example.org")
    assert user.is_staff and not user.is_superuser
    assert [group.name for group in user.groups.all()] == [ENTERPRISE_STAFF]
    assert list(user.enterprises.all()) == [enterprise]
    assert user.check_password("ett-långt-lösenord-2026")


def test_the_user_list_shows_each_persons_roles(coordinator_client, coordinator):
    response = coordinator_client.get(admin_url(User))
    assert '<td class="field-roles">Samordnare</td>' in response.text


def test_a_persons_enterprises_are_shown_and_changed_on_their_page(coordinator_client):
    person = factories.UserFactory(is_staff=True)
    old, new = factories.EnterpriseFactory.create_batch(2)
    old.staff.add(person)
    page = coordinator_client.get(admin_url(person, "change"))
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "staff_of": [str(new.pk)],
        "is_staff": "on",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "12:00:00",
        **management_form("case_officer"),
    }

    response = coordinator_client.post(admin_url(person, "change"), data)

    assert list(page.context["adminform"].form["staff_of"].initial) == [old]
    assert response.status_code == 302
    assert list(person.enterprises.all()) == [new]


def test_a_coordinator_cannot_make_anyone_a_superuser(coordinator_client):
    person = factories.UserFactory()
    data = {
        "email": person.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "12:00:00",
        **management_form("case_officer"),
    }

    response = coordinator_client.post(admin_url(person, "change"), data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_staff
    assert not person.is_superuser


def test_a_coordinator_cannot_change_a_superusers_email_or_password(coordinator_client):
    admin = factories.UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    data = {
        "email": "samordnare-tar-over@example.org",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "12:00:00",
        **management_form("case_officer"),
    }

    page = coordinator_client.get(admin_url(admin, "change"))
    change = coordinator_client.post(admin_url(admin, "change"), data)
    # Django names this URL after auth.User whichever the user model is.
    password = coordinator_client.get(reverse("admin:auth_user_password_change", args=[admin.pk]))

    assert page.status_code == 200  # to look at
    assert page.context["has_change_permission"] is False
    assert change.status_code == 403
    assert password.status_code == 403
    admin.refresh_from_db()
    assert admin.email == "root@example.org"


def test_a_coordinator_cannot_delete_a_superuser(coordinator_client):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)

    single = coordinator_client.post(admin_url(admin, "delete"), {"post": "yes"})
    bulk = coordinator_client.post(
        admin_url(User),
        {"action": "delete_selected", "_selected_action": [admin.pk], "post": "yes"},
    )

    assert single.status_code == 403
    assert 'value="delete_selected"' not in bulk.text  # no such action for the coordinator
    assert User.objects.filter(pk=admin.pk).exists()


def test_a_coordinator_can_delete_a_person_who_is_not_a_superuser(coordinator_client):
    person = factories.UserFactory()

    response = coordinator_client.post(admin_url(person, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
