"""Passwords are stored with Argon2id; older PBKDF2 hashes still work and are upgraded."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PRODUCTION_HASHERS = settings.PASSWORD_HASHERS  # before conftest swaps in MD5 for speed


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS


def test_a_new_password_is_stored_with_argon2id(production_hashers):
    assert make_password("ett långt lösenord 2026").startswith("argon2$argon2id$")


def test_an_old_pbkdf2_password_still_logs_in_and_is_upgraded(production_hashers, client):
    user = UserFactory(email="gammal@example.org")
    user.password = make_password("ett långt lösenord 2026", hasher="pbkdf2_sha256")
    user.save()

    response = client.post(
        "/konto/login/", {"login": "gammal@example.org", "password": "ett långt lösenord 2026"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
