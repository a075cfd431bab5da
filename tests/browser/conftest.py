"""Playwright in a real Chromium against pytest-django's live server.

One browser for the whole session, a fresh context (cookies, viewport) for every test. The
live server shares the test database, so each test starts from the network as `seed_network`
leaves it, and leaves the database as it found it (see `site`).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites import models as sites
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import override_settings

from tests.browser.helpers import DESKTOP

# Playwright's sync API keeps an event loop running in the test thread; Django refuses
# database calls from such a thread unless told that it is safe, which it is here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}. Install it with "
            "`apt-get install chromium` (CI does it in .ci/run).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        # The test thread's connections are given back before the browser goes, as after every
        # test (the session's last check asks that nothing is left connected). An earlier note
        # here blamed Playwright's event loop for keeping connections in a context of their own;
        # a direct test (5 December) showed the thread's context unchanged by it.
        from django.db import connections

        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser):
    """A page in a new browser context: no cookies from earlier tests, desktop size."""
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    # Everything is on localhost: a step that takes seconds is a failure, not a slow network.
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Whatever the Content-Security-Policy blocks, Chromium reports on the console: a page that
    # needs an inline script or style, or a resource from elsewhere, fails its test.
    csp_violations: list[str] = []

    def note_csp_violation(message) -> None:
        if "Content Security Policy" in message.text:
            csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", note_csp_violation)
    yield page
    context.close()
    assert not csp_violations, "Blocked by the Content-Security-Policy:\n" + "\n".join(
        csp_violations
    )


@pytest.fixture(scope="session")
def table_copies(django_db_setup, django_db_blocker):
    """The test database's tables as a flush leaves them, copied once in each process."""
    with django_db_blocker.unblock():
        copies = TableCopies()
        call_command("flush", interactive=False)  # whatever a stopped run left
        copies.empty = copies.take("empty")
    yield copies
    with django_db_blocker.unblock():
        copies.drop()
        connections.close_all()


@pytest.fixture
def transactional_db(table_copies, django_db_blocker):
    """The database without a transaction around the test, so that the live server sees what
    the test writes and the test what the server writes; pytest-django's `live_server` asks
    for it. pytest-django's own flushes the database after the test (every table truncated,
    then post_migrate: 0.35-0.8 s on PostgreSQL); this one puts back the copy of the tables
    flushed once (`table_copies`), in milliseconds: the same content types, permissions and
    site as a flush makes, nothing else."""
    with django_db_blocker.unblock():
        yield
        table_copies.restore(table_copies.empty)
        # As after pytest-django's: the next test connects anew.
        connections.close_all()


@pytest.fixture
def site(live_server, transactional_db, table_copies):
    """The live server with the network of the source document loaded; `site.url("/om/")`.

    As `make run` leaves it before its worker has run: the seeded 2022 report's PDFs are queued
    for the worker, not rendered (rendering them here took about 1.6 s of every test's set-up,
    for PDFs no journey opens; test_report_journey.py publishes and downloads its own).

    `seed_network` runs once in each process (it takes about 0.6 s) and its rows are copied;
    the tests after the first start from that copy.
    """
    if table_copies.seeded is None:
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            call_command("seed_network", stdout=io.StringIO())
        table_copies.seeded = table_copies.take("seeded")
    else:
        table_copies.restore(table_copies.seeded)
    return Site(live_server.url)


class TableCopies:
    """Copies of the test database's tables, in tables of its own (browser_copy_...), made and
    put back by the database itself: every value as it was, whatever its type."""

    PREFIX = "browser_copy_"

    def __init__(self) -> None:
        self.empty: list[tuple[str, str]] | None = None
        self.seeded: list[tuple[str, str]] | None = None
        self.drop()  # left by a run that was stopped

    def take(self, name: str) -> list[tuple[str, str]]:
        """(table, copy) for every table with rows."""
        copies = []
        with connection.cursor() as cursor:
            for table in self._tables_with_rows():
                copy = f"{self.PREFIX}{name}_{len(copies)}"
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {self._quote(table)}")
                copies.append((table, copy))
        return copies

    def restore(self, copies: list[tuple[str, str]]) -> None:
        """Every table as in `copies`: the foreign keys are checked at the commit."""
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self._tables_with_rows():
                cursor.execute(f"DELETE FROM {self._quote(table)}")
            for table, copy in copies:
                cursor.execute(f"INSERT INTO {self._quote(table)} SELECT * FROM {copy}")
        # Rows that Django keeps in memory, as a flush's post_migrate makes them anew.
        ContentType.objects.clear_cache()
        sites.Site.objects.clear_cache()

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                if table.startswith(self.PREFIX):
                    cursor.execute(f"DROP TABLE {table}")

    def _tables_with_rows(self) -> list[str]:
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM {self._quote(table)})"
                    for table in tables
                )
            )
            return [table for (table,) in cursor.fetchall()]

    @staticmethod
    def _quote(table: str) -> str:
        return connection.ops.quote_name(table)


class Site:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def url(self, path: str) -> str:
        return self.base_url + path
