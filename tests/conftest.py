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


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    # As in production, mail goes to the outbox and a task delivers it; here the task runs at
    # once (ImmediateBackend) and delivers to Django's test outbox (mail.outbox). Django's
    # test set-up makes every mailer locmem; this puts the outbox back in front of it.
    # Tests of the worker itself (tests/background/) use the database backend.
    settings.MAILERS = {
        "default": {"BACKEND": "background.outbox.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _report_pdfs_in_a_temporary_folder(settings, tmp_path_factory):
    # A PDF rendered in a test goes to the run's temporary folder, not to var/reports/.
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.getbasetemp() / "reports"},
        },
    }


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


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_open(django_db_setup, django_db_blocker):
    """After the last test, nothing is connected to the PostgreSQL test database any more.

    A connection left open (a thread or a context that never gave its connection back, a
    process a test started and did not stop) makes the test database impossible to drop, and
    in production would be a leak. It lists the sessions in pg_stat_activity from the server's
    "postgres" database (no pool), so the check opens no session on the database it inspects.
    """
    yield
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        connections.close_all()
        connection.close_pool()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pid, backend_start, state, left(query, 200) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [connection.settings_dict["NAME"]],
            )
            others = cursor.fetchall()
    assert not others, f"connections left open on the test database: {others}"
