"""Authenticator secrets are encrypted in the database, so a backup cannot make login codes."""

from __future__ import annotations

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.db import connection

from asfnet import secrets_at_rest
from tests.accounts.helpers import TEST_TOTP_SECRET, give_totp, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("asfnet.migrations.0003_encrypt_authenticator_secrets")


def stored_data(authenticator: Authenticator) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        (data,) = cursor.fetchone()
    return data if isinstance(data, str) else str(data)


def test_an_activated_authenticator_app_is_stored_encrypted_and_still_works():
    user = UserFactory()
    authenticator = TOTP.activate(user, TEST_TOTP_SECRET).instance

    raw = stored_data(authenticator)
    assert TEST_TOTP_SECRET not in raw
    assert secrets_at_rest.PREFIX in raw
    assert TOTP(Authenticator.objects.get(pk=authenticator.pk)).validate_code(totp_code())


def test_recovery_codes_have_an_encrypted_seed():
    user = UserFactory()
    codes = RecoveryCodes.activate(user)

    seed = secrets_at_rest.decrypt(codes.instance.data["seed"])
    assert seed not in stored_data(codes.instance)
    assert RecoveryCodes(codes.instance).validate_code(codes.get_unused_codes()[0])


def test_secrets_stored_before_encryption_are_encrypted_by_the_migration():
    user = UserFactory()
    plain = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET}
    )
    already = give_totp(UserFactory())
    before = already.data["secret"]

    migration.encrypt(apps, None)
    migration.encrypt(apps, None)  # twice changes nothing

    plain.refresh_from_db()
    already.refresh_from_db()
    assert secrets_at_rest.is_encrypted(plain.data["secret"])
    assert secrets_at_rest.decrypt(plain.data["secret"]) == TEST_TOTP_SECRET
    assert already.data["secret"] == before
    assert TEST_TOTP_SECRET not in stored_data(plain)


def test_another_key_cannot_open_them(settings):
    stored = secrets_at_rest.encrypt(TEST_TOTP_SECRET)
    settings.TOTP_ENCRYPTION_KEYS = ["QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5MDA="]
    with pytest.raises(ValueError, match="TOTP_ENCRYPTION_KEYS"):
        secrets_at_rest.decrypt(stored)


def test_a_new_key_first_and_the_old_one_kept_opens_both(settings):
    old_key, new_key = (
        "QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5MDA=",
        "TmV3S2V5TmV3S2V5TmV3S2V5TmV3S2V5TmV3S2V5MDA=",
    )
    settings.TOTP_ENCRYPTION_KEYS = [old_key]
    stored = secrets_at_rest.encrypt("gammal")
    settings.TOTP_ENCRYPTION_KEYS = [new_key, old_key]
    assert secrets_at_rest.decrypt(stored) == "gammal"
