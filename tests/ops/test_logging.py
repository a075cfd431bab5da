"""Logs are JSON lines on stdout without personal data; a 500 is mailed to the admins."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from asfnet.logging import JSONFormatter
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Hemligt-lösen-4711"
PARTICIPANT_CODE = "DLT-90817"


@pytest.fixture
def log_lines():
    """What the settings' console handler prints on stdout, as parsed JSON objects."""
    (console,) = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JSONFormatter)
    ]
    stream = io.StringIO()
    stdout = console.setStream(stream)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = stream.getvalue
    yield lines
    console.setStream(stdout)


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "asfnet.request"]


def test_the_settings_print_one_json_object_per_line_on_stdout():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('enterprises.services').warning('Förfrågan %s utan mottagare', 7)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "asfnet.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["level"] == "WARNING"
    assert line["logger"] == "enterprises.services"
    assert line["message"] == "Förfrågan 7 utan mottagare"
    assert line["timestamp"].startswith("20")


@pytest.mark.django_db
def test_each_request_gets_a_line_with_method_path_status_duration_and_request_id(
    client, log_lines
):
    response = client.get("/tjanster/")

    assert response.status_code == 200
    (line,) = request_lines(log_lines())
    assert line["method"] == "GET"
    assert line["path"] == "/tjanster/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(client, log_lines):
    kept = client.get("/tjanster/", headers={"X-Request-ID": "proxy-abc-12345678"})
    replaced = client.get("/tjanster/", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert kept["X-Request-ID"] == "proxy-abc-12345678"
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert [line["request_id"] for line in request_lines(log_lines())] == [
        "proxy-abc-12345678",
        replaced["X-Request-ID"],
    ]


@pytest.mark.django_db
def test_no_password_participant_code_or_form_content_reaches_the_log(client, log_lines):
    UserFactory(email="handlaggare.logg@example.org", password=PASSWORD)

    client.post(
        "/konto/login/", {"login": "handlaggare.logg@example.org", "password": PASSWORD + "x"}
    )
    client.get("/admin/placements/placement/", {"q": PARTICIPANT_CODE})
    client.get("/platser/", {"q": PARTICIPANT_CODE})
    client.post("/kontakt/", {"message": f"Deltagare {PARTICIPANT_CODE}", "email": "x@example.org"})

    text = log_lines.text()
    paths = [line["path"] for line in request_lines(log_lines())]
    assert paths == ["/konto/login/", "/admin/placements/placement/", "/platser/", "/kontakt/"]
    assert PASSWORD not in text
    assert PARTICIPANT_CODE not in text
    assert "Deltagare" not in text


@pytest.fixture
def production_errors(settings):
    settings.DEBUG = False
    settings.ADMINS = ["drift@example.org"]
    settings.ROOT_URLCONF = "tests.ops.urls_error"


@pytest.mark.django_db
def test_a_500_shows_the_site_page_and_mails_the_admins_without_form_values(
    production_errors, mailoutbox, log_lines
):
    client = Client(raise_request_exception=False)

    response = client.post(f"/trasig/?q={PARTICIPANT_CODE}", {"participant_code": PARTICIPANT_CODE})

    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel hos oss" in page
    assert 'class="site-header"' in page
    assert "/static/css/site.css" in page
    assert "RuntimeError" not in page

    (mail,) = mailoutbox
    assert mail.to == ["drift@example.org"]
    assert "Internal Server Error: /trasig/" in mail.subject
    assert "the test view failed on purpose" in mail.body
    assert "participant_code" in mail.body  # which field was sent ...
    assert PARTICIPANT_CODE not in mail.body  # ... never its value, nor the query's

    lines = log_lines()
    (error,) = [line for line in lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["status"] == 500
    assert "RuntimeError" in error["exception"]
    (request_line,) = request_lines(lines)
    assert request_line["status"] == 500
    assert request_line["request_id"] == error["request_id"] == response["X-Request-ID"]
    assert PARTICIPANT_CODE not in log_lines.text()


@pytest.mark.django_db
def test_no_error_mail_without_admin_emails(settings, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = []
    settings.ROOT_URLCONF = "tests.ops.urls_error"

    response = Client(raise_request_exception=False).get("/trasig/")

    assert response.status_code == 500
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_request_for_a_foreign_host_is_logged_but_not_mailed(settings, mailoutbox, log_lines):
    settings.DEBUG = False
    settings.ADMINS = ["drift@example.org"]
    settings.ALLOWED_HOSTS = ["asf.example.org"]

    response = Client().get("/", headers={"host": "evil.example.com"})

    assert response.status_code == 400
    assert mailoutbox == []
    (line,) = [line for line in log_lines() if line["logger"] == "django.security.DisallowedHost"]
    assert "evil.example.com" in line["message"]


@pytest.mark.django_db
def test_the_key_of_a_password_reset_link_stays_out_of_the_log(client, mailoutbox, log_lines):
    UserFactory(email="glomsk@example.org")
    client.post("/konto/password/reset/", {"email": "glomsk@example.org"})
    (mail,) = mailoutbox
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)", mail.body).group(1)
    key = link.rstrip("/").rsplit("/", 1)[1]

    client.get(link)

    paths = [line["path"] for line in request_lines(log_lines())]
    assert "/konto/password/reset/key/[hidden]/" in paths
    assert key not in log_lines.text()


class OutboxDown:
    """MAILERS["default"] when even the outbox cannot store a mail (the database is down)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        from django.db import OperationalError

        raise OperationalError("connection to server at 127.0.0.1 failed")


@pytest.mark.django_db
def test_a_500_page_comes_at_once_when_the_mail_server_is_unreachable(
    production_errors, settings, mailoutbox
):
    import socket
    import time

    from background.models import OutboxMail

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS["delivery"] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
    }
    client = Client(raise_request_exception=False)

    started = time.monotonic()
    response = client.get("/trasig/")

    assert time.monotonic() - started < 2
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()
    (waiting,) = OutboxMail.objects.all()
    assert waiting.to == ["drift@example.org"]
    assert waiting.status == OutboxMail.Status.PENDING, "the worker tries again later"


@pytest.mark.django_db
def test_a_500_page_even_when_the_error_mail_cannot_be_stored(
    production_errors, settings, log_lines
):
    settings.MAILERS["default"] = {"BACKEND": f"{__name__}.OutboxDown"}
    client = Client(raise_request_exception=False)

    response = client.get("/trasig/")

    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()
    (warning,) = [line for line in log_lines() if line["logger"] == "asfnet.errors"]
    assert "could not be stored" in warning["message"]
