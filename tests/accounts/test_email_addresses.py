"""/konto/email/: an address counts only once its owner has confirmed it.

Found by a probe: a case officer added someone else's address without confirming it, "make
primary" answered 500 and left the row half saved, and a password reset to the unconfirmed
address mailed a working reset link.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from asfnet.models import User
from tests import factories

PASSWORD = "test-lösenord-123"  # tests/factories.py


@pytest.fixture
def officer(db):
    return factories.UserFactory(email="mallory@example.org")


@pytest.fixture
def victim(db):
    return factories.UserFactory(email="anna@example.org")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def add_address(client, email: str):
    return client.post(reverse("account_email"), {"action_add": "", "email": email})


def test_an_address_of_someone_else_is_never_attached_unconfirmed(
    officer_client, officer, victim, mailoutbox
):
    response = add_address(officer_client, victim.email)

    assert response.status_code in (200, 302)
    officer.refresh_from_db()
    assert officer.email == "mallory@example.org"
    assert not EmailAddress.objects.filter(user=officer, email=victim.email, verified=True).exists()
    # Making it primary is refused, with no server error and nothing half saved.
    response = officer_client.post(
        reverse("account_email"), {"action_primary": "", "email": victim.email}
    )
    assert response.status_code in (200, 302)
    officer.refresh_from_db()
    victim.refresh_from_db()
    assert (officer.email, victim.email) == ("mallory@example.org", "anna@example.org")
    assert not EmailAddress.objects.filter(user=officer, email=victim.email, primary=True).exists()


def test_a_password_reset_goes_only_to_confirmed_or_own_addresses(
    client, officer_client, officer, victim, mailoutbox
):
    add_address(officer_client, "mallory-alt@example.org")
    mailoutbox.clear()
    officer_client.logout()

    client.post(reverse("account_reset_password"), {"email": "mallory-alt@example.org"})

    links = [m for m in mailoutbox if re.search(r"/konto/password/reset/key/", m.body)]
    assert links == [], "no reset link to an address nobody has confirmed"

    client.post(reverse("account_reset_password"), {"email": "mallory@example.org"})
    (mail,) = [m for m in mailoutbox if re.search(r"/konto/password/reset/key/", m.body)]
    assert mail.to == ["mallory@example.org"]


def test_an_unconfirmed_address_does_not_log_in(client, officer_client, officer):
    add_address(officer_client, "mallory-alt@example.org")
    officer_client.logout()

    client.post(
        reverse("account_login"), {"login": "mallory-alt@example.org", "password": PASSWORD}
    )

    assert client.session.get(SESSION_KEY) is None


def test_a_confirmed_new_address_replaces_the_old_one(client, officer_client, officer, mailoutbox):
    add_address(officer_client, "mallory-ny@example.org")
    (confirmation,) = [m for m in mailoutbox if "mallory-ny@example.org" in m.to]
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+/", confirmation.body).group(0)

    officer_client.post(link.split("testserver", 1)[-1])

    officer.refresh_from_db()
    assert officer.email == "mallory-ny@example.org"
    assert list(EmailAddress.objects.filter(user=officer).values_list("email", flat=True)) == [
        "mallory-ny@example.org"
    ]
    assert User.objects.filter(email="mallory@example.org").count() == 0


def test_a_save_that_leaves_the_address_alone_does_not_touch_the_addresses(
    officer, django_assert_num_queries
):
    # Every login saves last_login alone: the addresses are not read or written for it.
    with django_assert_num_queries(1):
        officer.save(update_fields=["last_login"])
    officer.email = "mallory.ny@example.org"
    officer.save(update_fields=["email"])

    assert list(EmailAddress.objects.filter(user=officer).values_list("email", "primary")) == [
        ("mallory.ny@example.org", True)
    ]
