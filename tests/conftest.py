from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from accounts.roles import COORDINATOR, ensure_roles
from tests.accounts.helpers import give_totp, log_in_with_second_factor
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _swedish_after_each_test():
    # A request to an /en/ page leaves English active in the test thread; reset it so the
    # next test sees the site's default language.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher takes a noticeable time per password; tests set many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def coordinator(roles):
    user = UserFactory(email="samordnare@example.org", is_staff=True)
    user.groups.add(roles[COORDINATOR])
    give_totp(user)  # the admin requires two-factor authentication (asfnet.admin_site)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    # Logged in as after password and authenticator code, as the admin requires.
    log_in_with_second_factor(client, coordinator)
    return client
