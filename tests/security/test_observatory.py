"""The MDN HTTP Observatory's score of the portal's real responses, with production settings.

The security settings are read from asfnet/settings.py loaded with DEBUG=0 in a subprocess
(what production runs), applied here, and the pages are fetched the way the Observatory does:
first over plain HTTP (where it should be sent to HTTPS), then over HTTPS with an Origin header.
Logged-in pages are reached through the real login forms, so the cookies scored are the ones
the portal sets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import CASE_OFFICER
from tests import factories
from tests.accounts.helpers import TEST_TOTP_SECRET, totp_code
from tests.security.observatory import Headers, Scan, observatory_score

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "test-lösenord-123"  # tests/factories.py
ORIGIN = "https://http-observatory.security.mozilla.org"
REQUIRED = 120  # of 145

SECURITY_SETTINGS = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_")


@pytest.fixture(scope="module")
def production_security_settings() -> dict:
    """The security settings of asfnet/settings.py with DEBUG=0, as production loads them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "CSRF_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="p" + "Xq7-Lm2v_R8tW4nB6yC1dF5gH0jK9sZ3" * 2,
        ALLOWED_HOSTS="asf.example.org",
        DJANGO_SETTINGS_MODULE="asfnet.settings",
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"names = [n for n in dir(settings) if n.startswith({SECURITY_SETTINGS!r})]; "
        "names.append('X_FRAME_OPTIONS'); "
        "print(json.dumps({n: getattr(settings, n) for n in names}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if values.get("SECURE_PROXY_SSL_HEADER"):
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_security_settings):
    for name, value in production_security_settings.items():
        setattr(settings, name, value)
    return settings


class Scanner:
    """A browser-like client that keeps every Set-Cookie it is sent, as the Observatory's jar."""

    def __init__(self) -> None:
        self.client = Client()
        self.cookies: list[str] = []

    def remember(self, response):
        self.cookies += [morsel.OutputString() for morsel in response.cookies.values()]
        return response

    def get(self, path: str, **extra):
        return self.remember(self.client.get(path, secure=True, **extra))

    def post(self, path: str, data: dict):
        return self.remember(self.client.post(path, data, secure=True))

    def log_in(self, email: str, *, totp: bool = False) -> None:
        login = reverse("account_login")
        self.get(login)
        response = self.post(login, {"login": email, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        if totp:
            assert response.url == reverse("mfa_authenticate")
            self.get(response.url)
            response = self.post(response.url, {"code": totp_code(TEST_TOTP_SECRET)})
            assert response.status_code == 302

    def scan(self, path: str) -> Scan:
        http = self.remember(self.client.get(path, secure=False))
        redirects = [f"http://testserver{path}"]
        if http.status_code in (301, 302, 307, 308):
            redirects.append(http.headers["Location"])
        response = self.get(path, HTTP_ORIGIN=ORIGIN)
        assert response.status_code == 200, (path, response.status_code)
        headers = Headers(response.headers.items())
        return Scan(
            url=f"https://testserver{path}",
            headers=headers,
            html=response.content.decode(),
            cookies=list(self.cookies),
            redirects=redirects,
            cors_headers=headers,
            cors_origin=ORIGIN,
        )


def assert_score(scan: Scan) -> int:
    result = observatory_score(scan)
    assert result.score >= REQUIRED, f"{scan.url}: {result.score}/145\n{result.describe()}"
    return result.score


@pytest.mark.parametrize("path", ["/", "/foretag/"])
def test_public_pages_score_at_least_120(production, db, path):
    factories.EnterpriseFactory(published=True)
    scan = Scanner().scan(path)
    score = assert_score(scan)
    # What the portal sends, so that a weaker header makes this fail rather than pass quietly.
    result = observatory_score(scan)
    assert result.tests["content-security-policy"] == (
        "csp-implemented-with-no-unsafe-default-src-none"
    )
    assert result.tests["x-frame-options"] == "x-frame-options-implemented-via-csp"
    assert result.tests["redirection"] == "redirection-to-https"
    # All the bonuses but HSTS preloading and SRI (no scripts); the cookie bonus needs cookies.
    assert score == (135 if scan.cookies else 130), result.describe()


def test_platser_for_a_case_officer_scores_at_least_120(production, roles):
    user = factories.UserFactory(email="handlaggare@example.org")
    user.groups.add(roles[CASE_OFFICER])
    factories.CaseOfficerFactory(user=user)
    scanner = Scanner()
    scanner.log_in(user.email)

    scan = scanner.scan("/platser/")

    assert_score(scan)
    result = observatory_score(scan)
    # The session and CSRF cookies were set: Secure, HttpOnly and SameSite earn the bonus.
    assert any(cookie.startswith("sessionid=") for cookie in scan.cookies)
    assert result.tests["cookies"] == "cookies-secure-with-httponly-sessions-and-samesite"


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/enterprises/enterprise/add/", "/admin/placements/placement/"]
)
def test_admin_for_the_coordinator_scores_at_least_120(production, coordinator, path):
    scanner = Scanner()
    scanner.log_in(coordinator.email, totp=True)

    scan = scanner.scan(path)

    assert_score(scan)
    result = observatory_score(scan)
    assert result.tests["cookies"] == "cookies-secure-with-httponly-sessions-and-samesite"
    assert result.tests["subresource-integrity"] == (
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    )


def test_without_the_production_settings_the_score_drops(db):
    # The development settings (DEBUG on: no HSTS, no HTTPS redirect) score lower: the
    # production settings above are what earns the points.
    scan = Scanner().scan("/")
    assert observatory_score(scan).score < REQUIRED
