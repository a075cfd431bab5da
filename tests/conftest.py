from __future__ import annotations

import copy
import fcntl
import hashlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.test import override_settings
from django.utils import translation

from accounts.pages import forget_local_pages
from accounts.roles import COORDINATOR, ensure_roles
from tests.accounts.helpers import give_totp, log_in_with_second_factor
from tests.factories import UserFactory

TESTS = Path(__file__).resolve().parent
# The slow suites, marked by their folder, so that the edit-test loop (make test-fast) can leave
# them out; the scale tests carry @pytest.mark.scale themselves.
SLOW_FOLDERS = ("browser", "fuzz", "faults")


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if TESTS not in item.path.parents:
            continue
        top = item.path.relative_to(TESTS).parts[0]
        if top in SLOW_FOLDERS:
            item.add_marker(top)


# --- A test database kept between runs (--reuse-db, as make test runs) --------------------------

_sqlite_lock = pytest.StashKey[object]()


def _migrations_fingerprint() -> str:
    """A hash of the project's migrations: a kept test database is used only while it matches."""
    digest = hashlib.sha256()
    for path in sorted(Path(django_settings.BASE_DIR).glob("*/migrations/*.py")):
        digest.update(path.relative_to(django_settings.BASE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint_file() -> Path | None:
    """Where the migrations of the kept test database are noted; None for SQLite in memory."""
    db = django_settings.DATABASES["default"]
    name = db.get("TEST", {}).get("NAME")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return Path(f"{name}.migrations") if name else None
    folder = Path(django_settings.VAR_DIR) / "test-databases"
    return folder / f"{name or 'test_' + db['NAME']}.migrations"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """With --reuse-db, SQLite's test database is a file in var/test-databases/ instead of
    memory, so that the next run finds it migrated. One run at a time has the file: a run that
    finds it taken (another run in this folder) keeps to memory, as without --reuse-db."""
    db = django_settings.DATABASES["default"]
    if (
        not request.config.getvalue("reuse_db")
        or db["ENGINE"] != "django.db.backends.sqlite3"
        or db.get("TEST", {}).get("NAME")
    ):
        return
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    path = Path(django_settings.VAR_DIR) / "test-databases" / f"sqlite_{worker}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_suffix(".lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return
    request.config.stash[_sqlite_lock] = lock  # held until this process ends
    db.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_modify_db_settings):
    """--create-db, or --reuse-db with other migrations than the kept database was made with."""
    create = request.config.getvalue("create_db")
    if create or not request.config.getvalue("reuse_db"):
        return create
    stamp = _fingerprint_file()
    return stamp is not None and (
        not stamp.exists() or stamp.read_text() != _migrations_fingerprint()
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb):
    # pytest-django's set-up, then: the kept database is migrated, note with which migrations.
    stamp = _fingerprint_file()
    if django_db_keepdb and stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(_migrations_fingerprint())
    # The set-up's connection (the migrations') goes back, and its pool with it: the tests start
    # from a pool of their own. Twice in CI the one connection left open after the last test
    # had been opened with the session (its last query the migrations' once, a test's rollback
    # once); why it stayed open is not known (see _no_connection_left_open's message).
    _close_this_process_connections()
    yield


def _close_this_process_connections() -> None:
    from django.db import connection, connections

    connections.close_all()
    if connection.vendor == "postgresql":
        connection.close_pool()


@pytest.fixture(autouse=True)
def _clear_cache():
    # The shared cache and this process's copies of pages (accounts/pages.py) with it.
    cache.clear()
    forget_local_pages()
    yield
    cache.clear()
    forget_local_pages()


# --- Each PDF rendered once per test process -------------------------------------------------
#
# WeasyPrint makes the same bytes of the same HTML (tests/reports/test_report_pdf.py,
# test_the_same_html_gives_the_same_pdf, renders twice to show it), and many tests render the
# seeded report's same HTML: a test process renders each HTML once and answers again with what
# it made. Everything up to the HTML (the report's data, templates, logos) and after it (storing,
# serving, the worker's tasks) still runs in every test.

_PDFS: dict[str, object] = {}


@pytest.fixture(scope="session", autouse=True)
def _each_pdf_rendered_once():
    from reports import pdf

    render = pdf.pdf_from_html

    def rendered_once(html: str):
        key = hashlib.sha256(html.encode()).hexdigest()
        if key not in _PDFS:
            _PDFS[key] = render(html)
        return _PDFS[key]

    rendered_once.uncached = render
    pdf.pdf_from_html = rendered_once
    yield
    pdf.pdf_from_html = render


@pytest.fixture(autouse=True)
def _swedish_after_each_test():
    # A request to an /en/ page leaves English active in the test thread; reset it so the
    # next test sees the site's default language.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# What every test runs with, and the data a module builds once (module_db):
# - the production hasher takes a noticeable time per password; tests set many;
# - as in production, mail goes to the outbox and a task delivers it; here the task runs at
#   once (ImmediateBackend) and delivers to Django's test outbox (mail.outbox). Django's test
#   set-up makes every mailer locmem; this puts the outbox back in front of it. Tests of the
#   worker itself (tests/background/) use the database backend.
TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "MAILERS": {
        "default": {"BACKEND": "background.outbox.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    },
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
}


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A copy for each test: a test may change the dictionaries in place.
    for name, value in copy.deepcopy(TEST_SETTINGS).items():
        setattr(settings, name, value)


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


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around the tests of a module, for data built once for all of them: a
    module-scoped fixture that takes `module_db` builds it inside, and it is rolled back after
    the module's last test.

    Each test runs in a savepoint inside it (pytest-django's `db` nests), so each sees the data
    as built, whatever an earlier test changed. So every test of such a module must take `db`
    (mark the module `pytest.mark.django_db`; a test without it would change the data for the
    next ones) and none `transactional_db` or `live_server`: once built, the data is there for
    every test of the module, asked for or not.

        pytestmark = pytest.mark.django_db

        @pytest.fixture(scope="module")
        def network(module_db):
            return seed_network()
    """
    test_settings = override_settings(**copy.deepcopy(TEST_SETTINGS))
    with django_db_blocker.unblock(), test_settings, transaction.atomic():
        yield
        transaction.set_rollback(True)


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


# --- Which test opened a database connection ------------------------------------------------

_running_test = "pytest: before the first test"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _running_test
    _running_test = item.nodeid
    try:
        return (yield)
    finally:
        _running_test = "pytest: after " + item.nodeid


@receiver(connection_created)
def _name_connection_after_the_test(sender, connection, **kwargs):
    """PostgreSQL lists each connection of a test process with the test that opened it
    (application_name, at most 63 characters: the end of the test's id), so that a connection
    left open names its test."""
    if connection.vendor == "postgresql":
        # On psycopg's connection, not Django's cursor: no test counts this query as its own.
        connection.connection.execute(
            "SELECT set_config('application_name', %s, false)", [_running_test[-63:]]
        )


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_open(django_db_setup, django_db_blocker):
    """After the last test, nothing is connected to the PostgreSQL test database any more.

    A connection left open (a thread or a context that never gave its connection back, a
    process a test started and did not stop) makes the test database impossible to drop, and
    in production would be a leak. It lists the sessions in pg_stat_activity from the server's
    "postgres" database (no pool), so the check opens no session on the database it inspects.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        _close_this_process_connections()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT application_name, pid, backend_start, state, left(query, 200)"
                " FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [connection.settings_dict["NAME"]],
            )
            others = cursor.fetchall()
    assert not others, (
        f"connections left open on the test database: {others}; this process still holds the "
        f"sessions {_open_psycopg_sessions()} (application_name: the test that opened each)"
    )


def _open_psycopg_sessions() -> list[int]:
    """The server process ids of the psycopg connections this process still has open: a
    connection left open by this process is among them, one of a process it started is not."""
    import gc

    import psycopg

    return [
        thing.info.backend_pid
        for thing in gc.get_objects()
        # type(), not isinstance(): isinstance() would evaluate every lazy object (a request's
        # user, a lazy URL) that the garbage collector knows.
        if issubclass(type(thing), psycopg.Connection) and not thing.closed
    ]
