"""Logging in with two factors in tests: authenticator keys, codes, allauth's session records."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.test import RequestFactory

# An authenticator-app key for tests (base32), like the one an app scans from the QR code.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TEST_TOTP_SECRET, at: float | None = None) -> str:
    """The six digits an authenticator app shows (RFC 6238: HMAC-SHA1, 30 s steps).

    Written out here rather than borrowed from allauth, so the tests also show that allauth
    accepts what a real app computes.
    """
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def give_totp(user, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    """An activated authenticator app, stored as allauth stores one."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )


def log_in_with_second_factor(client, user) -> None:
    """As after a real login with password and TOTP code: the session records both steps.

    allauth keeps the steps of a login in the session (record_authentication); the admin lets
    in a session whose login included the "mfa" step.
    """
    authenticator = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).first() or give_totp(user)
    client.force_login(user)
    session = client.session
    request = RequestFactory().get("/")
    request.session, request.user = session, user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()
    assert [r["method"] for r in get_authentication_records(request, user)] == ["password", "mfa"]
