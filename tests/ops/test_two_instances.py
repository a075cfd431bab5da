"""Two app instances (gunicorn) on one database and one Redis behave as one portal.

Each test starts two gunicorns, A and B, on their own ports, with one worker each, sharing the
test database (on SQLite a file copy of it) and Redis (CACHE_URL, database 6, emptied before and
after). It speaks HTTP to them as a browser would: a session made on A is valid on B, failed
logins on A count on B, and a coordinator's edit in the admin on A empties B's cached pages.

Needs a Redis at 127.0.0.1:6379 (TWO_INSTANCES_REDIS_URL to choose another): CI starts one;
elsewhere the tests are skipped without it.
"""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from accounts.roles import CASE_OFFICER, COORDINATOR
from tests.accounts.helpers import give_totp, totp_code
from tests.factories import CaseOfficerFactory, NetworkProfileFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TWO_INSTANCES_REDIS_URL", "redis://127.0.0.1:6379/6")
PASSWORD = "Tva-instanser-2026!"
TOO_MANY_ATTEMPTS = "För många misslyckade inloggningsförsök"
TOTP_KEY = "VHZhSW5zdGFuc2VyVHZhSW5zdGFuc2VyVHZhSW5zdDA="  # a Fernet key, for the test only

pytestmark = pytest.mark.django_db(transaction=True)


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"two app instances need Redis at {REDIS_URL}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path: Path) -> str:
    """The test database as the app instances reach it."""
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: give the instances a file copy.
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def execute_sql(url: str, sql: str) -> None:
    """A write that goes around the app (no model signals), as a script or a DBA might make."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute(sql)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Browser:
    """One visitor: keeps its cookies whichever instance it talks to."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, base: str, path: str, data: dict | None = None) -> Response:
        opener = urllib.request.build_opener(NoRedirects)
        request = urllib.request.Request(
            base + path,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Origin": base,
                "Referer": base + path,
            },
        )
        try:
            reply = opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            reply = error
        for header in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(reply.status, dict(reply.headers), reply.read().decode())

    def get(self, base: str, path: str) -> Response:
        return self.request(base, path)

    def post_form(self, base: str, path: str, data: dict) -> Response:
        """GET the page for its CSRF token, then POST the form, like a browser."""
        page = self.get(base, path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no form on {path} ({page.status})"
        return self.request(base, path, {"csrfmiddlewaretoken": token.group(1), **data})

    def log_in(self, base: str, email: str, password: str) -> Response:
        return self.post_form(base, "/konto/login/", {"login": email, "password": password})


@dataclass
class Instance:
    name: str
    url: str
    process: subprocess.Popen
    log: Path


def instance_env(name: str, url: str, tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of an app process on the test database: this one's, without its
    mail, database, cache and security settings, and with DEBUG on only so that the static
    files need no collecting (what these tests look at does not depend on it)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "DATABASE_", "CACHE_", "SECURE_"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="asfnet.settings",
        DEBUG="1",
        SECRET_KEY=f"{name}-" + "k8Jm2Qw9Zr4Tx7Vb3Np6Ls1Hd5Gf0Yc" * 2,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=url,
        DATABASE_POOL_MAX="2",
        VAR_DIR=str(tmp_path / "var"),
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


def start_instance(name: str, env: dict[str, str], tmp_path: Path) -> Instance:
    port = free_port()
    log = tmp_path / f"gunicorn-{name}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "asfnet.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so teardown ends its worker too
    )
    return Instance(name, f"http://127.0.0.1:{port}", process, log)


def wait_until_up(instance: Instance, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(instance.url + "/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"instance {instance.name} did not start:\n{instance.log.read_text()}")


def stop(instance: Instance) -> None:
    if instance.process.poll() is None:
        os.killpg(instance.process.pid, signal.SIGTERM)
        try:
            instance.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(instance.process.pid, signal.SIGKILL)
            instance.process.wait(timeout=10)


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Hashes the instances can check (pbkdf2_sha256, the count is in the hash), quickly."""

    iterations = 1000


@pytest.fixture
def people(roles, settings):
    # The instances check passwords with the production hashers, not the tests' MD5.
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickPBKDF2PasswordHasher"]
    # The instances decrypt the authenticator secrets stored here: the same key on both sides.
    settings.TOTP_ENCRYPTION_KEYS = [TOTP_KEY]
    NetworkProfileFactory(phone="08-465 004 00")
    officer = UserFactory(email="handlaggare.a@example.org", password=PASSWORD)
    officer.groups.add(roles[CASE_OFFICER])
    CaseOfficerFactory(user=officer)
    other_officer = UserFactory(email="handlaggare.b@example.org", password=PASSWORD)
    other_officer.groups.add(roles[CASE_OFFICER])
    CaseOfficerFactory(user=other_officer)
    coordinator = UserFactory(email="samordnare@example.org", password=PASSWORD, is_staff=True)
    coordinator.groups.add(roles[COORDINATOR])
    give_totp(coordinator)
    return {"officer": officer, "other_officer": other_officer, "coordinator": coordinator}


@pytest.fixture
def two_instances(people, tmp_path):
    redis_client = redis_or_skip()
    redis_client.flushdb()
    url = database_url(tmp_path)
    env = instance_env(
        "two-instances",
        url,
        tmp_path,
        TOTP_ENCRYPTION_KEYS=TOTP_KEY,
        CACHE_URL=REDIS_URL,
    )
    instances = [start_instance(name, env, tmp_path) for name in ("A", "B")]
    try:
        for instance in instances:
            wait_until_up(instance)
        yield {"A": instances[0].url, "B": instances[1].url, "database_url": url}
    finally:
        for instance in instances:
            stop(instance)
        redis_client.flushdb()
        redis_client.close()


def test_two_instances_share_sessions_login_limits_and_the_page_cache(two_instances):
    # One pair of instances for the three behaviours: starting them is most of the time.
    a, b = two_instances["A"], two_instances["B"]
    a_session_made_on_one_instance_is_valid_on_the_other(a, b)
    failed_logins_on_one_instance_count_on_the_other(a, b)
    a_coordinators_edit_on_one_instance_empties_the_others_cached_pages(
        a, b, two_instances["database_url"]
    )


def a_session_made_on_one_instance_is_valid_on_the_other(a: str, b: str) -> None:
    browser = Browser()
    assert browser.get(b, "/platser/").headers["Location"].startswith("/konto/login/")

    logged_in = browser.log_in(a, "handlaggare.a@example.org", PASSWORD)

    assert logged_in.status == 302, logged_in.text
    places = browser.get(b, "/platser/")
    assert places.status == 200
    assert "<h1>Arbetsträningsplatser</h1>" in places.text
    assert "Mina förfrågningar" in places.text


def failed_logins_on_one_instance_count_on_the_other(a: str, b: str) -> None:
    email = "handlaggare.b@example.org"
    # At most 5 failed logins per address in 5 minutes (ACCOUNT_RATE_LIMITS): 3 on A, 2 on B.
    for base in (a, a, a, b, b):
        failed = Browser().log_in(base, email, "fel-lösenord")
        assert failed.status == 200
        assert TOO_MANY_ATTEMPTS not in html.unescape(failed.text)

    refused = Browser().log_in(a, email, PASSWORD)

    assert refused.status == 200  # the form again, not the redirect of a login
    assert TOO_MANY_ATTEMPTS in html.unescape(refused.text)
    # Another address is not affected.
    assert Browser().log_in(b, "handlaggare.a@example.org", PASSWORD).status == 302


def a_coordinators_edit_on_one_instance_empties_the_others_cached_pages(
    a: str, b: str, url: str
) -> None:
    visitor = Browser()
    assert "08-465 004 00" in visitor.get(b, "/").text
    # B serves the start page from the cache: a write around the app does not show ...
    execute_sql(url, "UPDATE enterprises_networkprofile SET phone = '08-465 004 11'")
    assert "08-465 004 00" in visitor.get(b, "/").text

    coordinator = Browser()
    assert coordinator.log_in(a, "samordnare@example.org", PASSWORD).status == 302
    second_factor = coordinator.post_form(a, "/konto/2fa/authenticate/", {"code": totp_code()})
    assert second_factor.status == 302, second_factor.text
    profile_id = network_profile_id(coordinator, a)
    saved = coordinator.post_form(
        a,
        f"/admin/enterprises/networkprofile/{profile_id}/change/",
        {
            "name": "ASF Nätverket Sollentuna – Upplands Väsby – Sigtuna",
            "short_name": "ASF-nätverket",
            "tagline_sv": "",
            "phone": "08-465 004 77",
            "email": "info@example.org",
            "website": "https://asf.example.org/",
            "coordinator_name": "Samordnaren",
            "coordinator_email": "samordnare@example.org",
            "coordinator_enterprise": "",
            "_save": "Spara",
        },
    )
    assert saved.status == 302, saved.text

    # ... an edit in the admin on A does, at once, on B.
    page = visitor.get(b, "/").text
    assert "08-465 004 77" in page
    assert "08-465 004 00" not in page


def network_profile_id(browser: Browser, base: str) -> str:
    listing = browser.get(base, "/admin/enterprises/networkprofile/")
    assert listing.status == 200, listing.text
    found = re.search(r"/admin/enterprises/networkprofile/(\d+)/change/", listing.text)
    assert found, listing.text
    return found.group(1)
