"""The coordinator invites a person: a mail says who invited them and as what, with a link
where they choose their password; then they log in."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.roles import CASE_OFFICER, ENTERPRISE_STAFF
from asfnet.models import User
from tests import factories
from tests.admin.helpers import admin_url, management_form


@pytest.fixture
def coordinator_named(coordinator):
    coordinator.first_name, coordinator.last_name = "Sara", "Samordnare"
    coordinator.save()
    return coordinator


def new_staff_member(roles) -> User:
    """As the coordinator adds one in the admin: no password, a role and an enterprise."""
    person = User.objects.create_user("anna@example.org", first_name="Anna")
    person.is_staff = True
    person.save()
    person.groups.add(roles[ENTERPRISE_STAFF])
    factories.EnterpriseFactory(name="Värmekällan i Väsby").staff.add(person)
    return person


def password_link(mail) -> str:
    return re.search(r"http://testserver(/konto/password/reset/key/\S+)", mail.body).group(1)


def test_the_invitation_says_who_invited_whom_to_what(
    coordinator_client, coordinator_named, roles, mailoutbox
):
    person = new_staff_member(roles)

    response = coordinator_client.post(
        admin_url(person, "change"),
        {"CHANGE_FORM-action": "send_invitation", "_selected_action": [person.pk]},
        follow=True,
    )

    assert "En inbjudan skickades till anna@example.org." in response.text
    (mail,) = mailoutbox
    body = " ".join(mail.body.split())
    assert mail.to == ["anna@example.org"]
    assert mail.subject.endswith("Du är inbjuden till portalen")
    assert (
        "Sara Samordnare (samordnare@example.org) har bjudit in dig till ASF-nätverkets portal "
        "som företagspersonal för Värmekällan i Väsby." in body
    )
    assert "Länken fungerar en gång och i 3 dagar." in body
    assert "http://testserver/konto/login/" in body
    assert "app för engångskoder" in body  # they will need it in the admin


def test_the_link_lets_the_invited_person_choose_a_password_and_log_in(
    coordinator_client, roles, mailoutbox
):
    person = new_staff_member(roles)
    assert not person.has_usable_password()
    coordinator_client.post(
        admin_url(User),
        {"action": "send_invitation", "_selected_action": [person.pk]},
    )
    browser = Client()  # the invited person's own browser

    page = browser.get(password_link(mailoutbox[0]), follow=True)
    saved = browser.post(
        page.redirect_chain[-1][0],
        {"password1": "mitt-eget-långa-lösenord", "password2": "mitt-eget-långa-lösenord"},
    )
    login = browser.post(
        reverse("account_login"),
        {"login": "anna@example.org", "password": "mitt-eget-långa-lösenord"},
    )

    assert "<h1>Välj lösenord</h1>" in page.text
    assert saved.status_code == 302
    assert login.status_code == 302
    assert browser.session[SESSION_KEY] == str(person.pk)
    # The link works once.
    again = browser.get(password_link(mailoutbox[0]), follow=True)
    assert "Länken fungerar inte" in again.text


def test_a_case_officer_is_invited_as_case_officer_at_their_organisation(
    coordinator_client, roles, mailoutbox
):
    officer = factories.CaseOfficerFactory(
        user__email="handlaggare@example.org",
        organisation=factories.OrganisationFactory(name="Arbetsförmedlingen"),
    ).user
    officer.groups.add(roles[CASE_OFFICER])

    coordinator_client.post(
        admin_url(User), {"action": "send_invitation", "_selected_action": [officer.pk]}
    )

    body = " ".join(mailoutbox[0].body.split())
    assert "som handläggare på Arbetsförmedlingen." in body
    assert "app för engångskoder" not in body  # not required of case officers


def test_a_person_added_in_the_admin_without_a_password_can_then_be_invited(
    coordinator_client, roles, mailoutbox
):
    data = {
        "email": "ny@example.org",
        "first_name": "Ny",
        "last_name": "Person",
        "usable_password": "false",
        "groups": [str(roles[CASE_OFFICER].pk)],
        **management_form("case_officer"),
    }

    added = coordinator_client.post(admin_url(User, "add"), data)
    person = User.objects.get(email="ny@example.org")
    invited = coordinator_client.post(
        admin_url(person, "change"),
        {"CHANGE_FORM-action": "send_invitation", "_selected_action": [person.pk]},
    )

    assert added.status_code == 302
    assert not person.has_usable_password()
    assert invited.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["ny@example.org"]]


def test_the_coordinator_cannot_invite_a_superuser(coordinator_client, mailoutbox):
    root = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)

    response = coordinator_client.post(
        admin_url(User),
        {"action": "send_invitation", "_selected_action": [root.pk]},
        follow=True,
    )

    assert mailoutbox == []
    assert "1 person fick ingen inbjudan" in response.text
