"""Playwright in a real Chromium against pytest-django's live server.

One browser for the whole session, a fresh context (cookies, viewport) for every test. The
live server shares the test database, so each test seeds the network with `seed_network`
(about a third of a second) and the data is flushed afterwards.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
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
        # While Playwright's event loop runs in this thread, Django keeps the thread's database
        # connections per context (asgiref's Local), apart from those it keeps for the thread:
        # close them now, while they can still be reached, or the session ends with one
        # connection open on the test database.
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


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the network of the source document loaded; `site.url("/om/")`.

    As `make run` leaves it before its worker has run: the seeded 2022 report's PDFs are queued
    for the worker, not rendered (rendering them here took about 1.6 s of every test's set-up,
    for PDFs no journey opens; test_report_journey.py publishes and downloads its own).
    """
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        call_command("seed_network", stdout=io.StringIO())
    return Site(live_server.url)


class Site:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def url(self, path: str) -> str:
        return self.base_url + path
