"""Secrets the database keeps encrypted: the authenticator apps' keys and recovery-code seeds.

allauth hands every such secret to the MFA adapter's encrypt()/decrypt() (asfnet.adapters);
they are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under
TOTP_ENCRYPTION_KEYS, so a copy of the database or a backup does not let anyone compute
the portal's login codes. The first key encrypts and every key decrypts, so a new key can be
put first while the old one still opens what it encrypted. Without TOTP_ENCRYPTION_KEYS the
key is derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "TOTP_ENCRYPTION_KEYS", []))
    if not keys:
        digest = hashlib.sha256(b"asfnet totp secrets\0" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    """The secret; one stored before encryption (not yet migrated) is returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as error:
        raise ValueError(
            "An authenticator secret cannot be decrypted: TOTP_ENCRYPTION_KEYS (or SECRET_KEY) "
            "is not the key it was encrypted with."
        ) from error


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)
