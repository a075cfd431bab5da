"""Logging in by email, in Swedish; no sign-up; a forgotten password; the admin's login."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.roles import CASE_OFFICER
from asfnet.models import User
from tests import factories

PASSWORD = "test-lösenord-123"  # tests/factories.py


@pytest.fixture
def person(db):
    return factories.UserFactory(email="anna@example.org")


def logged_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_the_login_page_is_in_swedish_with_labelled_fields_for_a_password_manager(client, db):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert "<h1>Logga in</h1>" in response.text
    assert '<label class="label" for="id_login">E-postadress</label>' in response.text
    assert '<label class="label" for="id_password">Lösenord</label>' in response.text
    assert re.search(r'<input type="email" name="login"[^>]*autocomplete="email"', response.text)
    assert re.search(
        r'<input[^>]*name="password"[^>]*autocomplete="current-password"', response.text
    )
    assert "Glömt lösenordet?" in response.text


def test_a_person_logs_in_with_email_and_password(client, person):
    response = client.post(
        reverse("account_login"), {"login": "Anna@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert logged_in_as(client) == str(person.pk)


def test_a_wrong_password_gives_a_swedish_error_summary_that_links_to_the_field(client, person):
    response = client.post(reverse("account_login"), {"login": person.email, "password": "fel"})

    assert response.status_code == 200
    assert logged_in_as(client) is None
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', response.text, re.S)
    assert summary, "no error summary"
    assert "Det finns ett problem" in summary.group()
    assert '<a href="#id_login">E-postadressen eller lösenordet är fel.</a>' in summary.group()
    assert "<title>Fel: Logga in" in response.text


def test_a_missing_email_is_named_at_its_field(client, db):
    response = client.post(reverse("account_login"), {"login": "", "password": "x"})

    assert '<a href="#id_login">' in response.text
    assert 'id="id_login_error"' in response.text
    assert re.search(
        r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_login_error"', response.text
    )


def test_sign_up_is_closed(client, db):
    page = client.get("/konto/signup/")
    post = client.post(
        "/konto/signup/",
        {
            "email": "ny@example.org",
            "password1": "ett-långt-lösenord",
            "password2": "ett-långt-lösenord",
        },
    )

    assert page.status_code == 200
    assert "Konton skapas av samordnaren" in page.text
    assert "Konton skapas av samordnaren" in post.text
    assert not User.objects.filter(email="ny@example.org").exists()


def test_a_forgotten_password_is_replaced_through_the_link_in_the_mail(client, person, mailoutbox):
    sent = client.post(reverse("account_reset_password"), {"email": "anna@example.org"})

    assert sent.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["anna@example.org"]
    assert mail.subject.endswith("Välj ett nytt lösenord")
    assert "Följ länken för att välja ett nytt lösenord" in mail.body
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+)", mail.body).group(1)

    # allauth moves the key from the address into the session and redirects.
    page = client.get(link, follow=True)
    assert "Välj lösenord" in page.text
    saved = client.post(
        page.redirect_chain[-1][0],
        {"password1": "ett-nytt-långt-lösenord", "password2": "ett-nytt-långt-lösenord"},
    )
    assert saved.status_code == 302

    client.logout()
    login = client.post(
        reverse("account_login"), {"login": person.email, "password": "ett-nytt-långt-lösenord"}
    )
    assert login.status_code == 302
    assert logged_in_as(client) == str(person.pk)


def test_a_used_reset_link_says_so_in_swedish(client, person, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": person.email})
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+)", mailoutbox[0].body).group(
        1
    )
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"password1": "ett-nytt-långt-lösenord", "password2": "ett-nytt-långt-lösenord"},
    )
    client.logout()

    again = client.get(link, follow=True)

    assert "Länken fungerar inte" in again.text


def test_a_reset_for_an_unknown_address_says_accounts_come_from_the_coordinator(
    client, db, mailoutbox
):
    client.post(reverse("account_reset_password"), {"email": "okand@example.org"})

    (mail,) = mailoutbox
    assert "Vi har inget konto med den adressen" in " ".join(mail.body.split())
    assert "signup" not in mail.body


# --- The admin's login is allauth's ---------------------------------------------------------


def test_the_admin_login_leads_to_the_portals_login(client, db):
    response = client.get("/admin/login/?next=/admin/placements/")

    assert response.status_code == 302
    assert response.url == "/konto/login/?next=/admin/placements/"


def test_opening_the_admin_logged_out_leads_to_the_portals_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/konto/login/?next=/admin/"
    assert "<h1>Logga in</h1>" in response.text


def test_posting_a_password_to_the_admin_login_logs_nobody_in(client, db):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)

    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert logged_in_as(client) is None


def test_a_case_officer_in_the_admin_is_told_it_is_not_for_them(client, roles):
    officer = factories.UserFactory(email="handlaggare@example.org")
    officer.groups.add(roles[CASE_OFFICER])
    client.force_login(officer)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "Ingen tillgång till administrationen" in response.text
    assert "handlaggare@example.org" in response.text
