"""Failed logins are limited (allauth's ACCOUNT_RATE_LIMITS on the Django cache), and the
admin has no login of its own to get around the limit."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from tests import factories

PASSWORD = "test-lösenord-123"  # tests/factories.py
REFUSED = "För många misslyckade inloggningsförsök."


@pytest.fixture
def person(db):
    return factories.UserFactory(email="anna@example.org", is_staff=True)


def log_in(client, email: str, password: str, next_url: str = "/"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password, "next": next_url}
    )


def test_after_five_failed_logins_the_right_password_is_refused_too(client, person):
    failures = [log_in(client, person.email, f"fel-{n}") for n in range(5)]

    sixth = log_in(client, person.email, PASSWORD)

    assert all("E-postadressen eller lösenordet är fel." in r.text for r in failures)
    assert sixth.status_code == 200
    assert REFUSED in sixth.text
    assert 'class="error-summary" role="alert"' in sixth.text
    assert SESSION_KEY not in client.session


def test_the_limit_is_per_email_address(client, person):
    other = factories.UserFactory(email="bo@example.org")
    for n in range(5):
        log_in(client, person.email, f"fel-{n}")

    response = log_in(client, other.email, PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_the_limit_lifts_when_the_counters_expire(client, person):
    for n in range(5):
        log_in(client, person.email, f"fel-{n}")
    cache.clear()  # as after five minutes: the counters live in the cache

    response = log_in(client, person.email, PASSWORD)

    assert response.status_code == 302


def test_ten_failed_logins_from_one_address_stop_further_attempts_for_a_minute(client, db):
    for n in range(10):
        log_in(client, f"gissning-{n}@example.org", "fel")

    response = log_in(client, "gissning-11@example.org", "fel")

    assert REFUSED in response.text


def test_the_admin_login_is_the_same_login_with_the_same_limit(client, person):
    start = client.get("/admin/login/?next=/admin/", follow=True)
    login_url = start.redirect_chain[-1][0]
    for n in range(5):
        client.post(login_url, {"login": person.email, "password": f"fel-{n}", "next": "/admin/"})

    sixth = client.post(login_url, {"login": person.email, "password": PASSWORD, "next": "/admin/"})
    admin = client.post("/admin/login/", {"username": person.email, "password": PASSWORD})

    assert login_url == "/konto/login/?next=/admin/"
    assert REFUSED in sixth.text
    assert admin.status_code == 302 and admin.url.startswith("/konto/login/")
    assert SESSION_KEY not in client.session
