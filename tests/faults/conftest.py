"""The fault suite: the portal as in production (gunicorn with DEBUG=0, PostgreSQL, Redis, a
mail server and the worker), with each part made unreachable and brought back.

The app reaches PostgreSQL and Redis through forwarders this test starts (tests/faults/
proxy.py), and the mail server is an aiosmtpd the test starts: "down" is a closed port the
test controls, never the machine's shared services. PostgreSQL only: the database fault is a
network one, which an SQLite file does not have.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from accounts.roles import CASE_OFFICER
from tests.factories import (
    CaseOfficerFactory,
    EnterpriseFactory,
    NetworkProfileFactory,
    UserFactory,
)
from tests.ops.test_two_instances import QuickPBKDF2PasswordHasher, free_port
from tests.redis_databases import redis_test_database

from .proxy import Forwarder

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
PASSWORD = "Fel-tal-2026!"
SECRET_KEY = "faults-" + "p3Qr8Ws2Xv6Yz1Ab5Cd9Ef4Gh7Jk0Lm" * 2


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


class MailServer:
    """An SMTP server on a fixed port that the test stops and starts again."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@dataclass
class Site:
    url: str
    database: Forwarder
    redis: Forwarder
    mail: MailServer
    gunicorn: subprocess.Popen
    worker: subprocess.Popen
    env: dict
    logs: Path

    def log(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-4000:]}" for path in self.logs.glob("*.log")
        )


def _database_target() -> tuple[str, int, str]:
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    return db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432), f"{credentials}@{{}}/{db['NAME']}"


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Collected static files with their hashed names and manifest, as the release makes them
    (DEBUG=0 serves the manifest); without the gzip and brotli copies of each file it adds,
    which took 15 s of CPU here and change only the Content-Encoding of static files, which
    no test here asks for."""
    root = tmp_path_factory.mktemp("static")
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=root, STORAGES={**django_settings.STORAGES, "staticfiles": manifest}
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def people(roles, settings):
    settings.PASSWORD_HASHERS = [
        f"{QuickPBKDF2PasswordHasher.__module__}.QuickPBKDF2PasswordHasher"
    ]
    NetworkProfileFactory(coordinator_email="samordnare@example.org")
    EnterpriseFactory(name="Kafé Fel", slug="kafe-fel", published=True)
    officer = UserFactory(email="handlaggare@example.org", password=PASSWORD)
    officer.groups.add(roles[CASE_OFFICER])
    CaseOfficerFactory(user=officer)
    return {"officer": officer}


def _redis_or_fail():
    import redis

    try:
        redis.Redis(*REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"the fault suite needs Redis at {REDIS[0]}:{REDIS[1]}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 40) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=3) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the site did not start (exit {process.poll()})")


@pytest.fixture
def site(request, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the fault suite runs gunicorn against PostgreSQL, as in production")
    # Asked for only now, so that on SQLite no collectstatic runs for tests that are skipped.
    request.getfixturevalue("people")
    static_root = request.getfixturevalue("static_root")
    _redis_or_fail()
    import redis

    redis.Redis(*REDIS, db=redis_test_database("faults")).flushdb()
    host, port, template = _database_target()
    database, cache = Forwarder(host, port), Forwarder(*REDIS)
    database.start()
    cache.start()
    mail = MailServer()
    mail.start()
    logs = tmp_path / "logs"
    logs.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "DATABASE_", "CACHE_", "SECURE_", "DJANGO_ALLOW"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ADMIN_EMAILS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="asfnet.settings",
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL="postgres://" + template.format(f"127.0.0.1:{database.port}"),
        DATABASE_POOL_MAX="4",
        CACHE_URL=f"redis://127.0.0.1:{cache.port}/{redis_test_database('faults')}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail.port),
        EMAIL_USE_TLS="0",
        EMAIL_TIMEOUT="3",
        ADMIN_EMAILS="drift@example.org",
        OUTBOX_RETRY_MINUTES="0.05,0.05,0.05,0.05,0.05",
        WORKER_HEARTBEAT_SECONDS="1",
        STATIC_ROOT=str(static_root),
        VAR_DIR=str(tmp_path / "var"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    web_port = free_port()
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "asfnet.wsgi:application",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=(logs / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{web_port}"
    the_site = Site(url, database, cache, mail, gunicorn, worker, env, logs)
    try:
        _wait_for(url, gunicorn)
        yield the_site
    finally:
        for process in (gunicorn, worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
        mail.stop()
        cache.stop()
        database.stop()
        redis.Redis(*REDIS, db=redis_test_database("faults")).flushdb()
