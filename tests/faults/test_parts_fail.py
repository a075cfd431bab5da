"""Each part of the portal fails and comes back; the visitor gets a fast, true answer, nothing
is half saved, and the site recovers by itself, without a restart.

Timings are measured against gunicorn (DEBUG=0) on this machine; see tests/faults/conftest.py.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import pytest

from background.models import OutboxMail
from enterprises.models import Inquiry
from tests.ops.test_two_instances import Browser

from .conftest import PASSWORD

# gunicorn and the worker see only what the test commits.
pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = {
    "topic": "buy",
    "name": "Anna Andersson",
    "email": "anna@example.org",
    "message": "Vi vill beställa fika till tjugo personer.",
}


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def wait_until(condition, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"{what}: not within {timeout} s")


def healthy(site) -> bool:
    try:
        return Browser().get(site.url, "/healthz").status == 200
    except OSError:
        return False


def test_the_database_goes_away_and_comes_back(site):
    visitor = Browser()
    site.database.stop()

    health, took = timed(lambda: visitor.get(site.url, "/healthz"))
    assert health.status == 503, health.text
    assert took < 3, f"/healthz took {took:.1f} s"
    for path in ["/kontakt/", "/foretag/kafe-fel/"]:
        page, took = timed(lambda path=path: visitor.get(site.url, path))
        assert page.status == 503, (path, page.status, site.log())
        assert took < 5, f"{path} took {took:.1f} s"
        assert "Portalen är inte tillgänglig just nu" in page.text
        assert 'class="site-header"' in page.text
        assert page.headers.get("Retry-After") == "30"

    site.database.start()
    recovered = wait_until(lambda: healthy(site), 20, "the site back after the database")
    print(f"database: recovered {recovered:.1f} s after it came back")

    reply = visitor.post_form(site.url, "/kontakt/", CONTACT)
    assert reply.status == 302, reply.text[:500]
    assert site.worker.poll() is None, "the worker waited for the database instead of dying"
    wait_until(lambda: len(site.mail.inbox.messages) >= 2, 30, "the worker mails again")


def test_redis_goes_away_and_comes_back(site, people):
    visitor = Browser()
    assert visitor.get(site.url, "/foretag/").status == 200  # now in the page cache
    site.redis.stop()

    for path in ["/", "/foretag/", "/foretag/kafe-fel/", "/tjanster/", "/sitemap.xml"]:
        page, took = timed(lambda path=path: visitor.get(site.url, path))
        assert page.status == 200, (path, page.status, site.log())
        assert took < 2, f"{path} took {took:.1f} s with Redis away"
    login = visitor.log_in(site.url, people["officer"].email, PASSWORD)
    assert login.status == 302, login.text[:500]
    assert visitor.get(site.url, "/platser/").status == 200
    assert visitor.get(site.url, "/healthz").status == 503

    site.redis.start()
    recovered = wait_until(lambda: healthy(site), 30, "/healthz back after Redis")
    print(f"redis: recovered {recovered:.1f} s after it came back")
    assert visitor.get(site.url, "/platser/").status == 200, "still logged in"


def test_the_mail_server_goes_away_and_comes_back(site):
    site.mail.stop()
    visitor = Browser()

    reply, took = timed(lambda: visitor.post_form(site.url, "/kontakt/", CONTACT))

    assert reply.status == 302
    assert took < 2, f"the contact form took {took:.1f} s with the mail server away"
    assert Inquiry.objects.count() == 1
    assert OutboxMail.objects.count() == 2  # the coordinator's mail and the receipt
    wait_until(
        lambda: OutboxMail.objects.filter(attempts__gte=1).count() == 2,
        20,
        "the worker tries",
    )
    assert site.mail.inbox.messages == []

    site.mail.start()
    took = wait_until(lambda: len(site.mail.inbox.messages) >= 2, 40, "mail after the server")
    print(f"mail: delivered {took:.1f} s after the server came back")
    time.sleep(4)
    recipients = sorted(rcpt for envelope in site.mail.inbox.messages for rcpt in envelope.rcpt_tos)
    assert recipients == ["anna@example.org", "samordnare@example.org"], "exactly once each"


def _web_workers(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(entry.name))
    return children


def test_a_web_worker_killed_mid_request(site):
    host, port = site.url.removeprefix("http://").split(":")
    # A POST whose body has not all arrived: the worker is in the middle of the request.
    body = "&".join(f"{key}={value}" for key, value in CONTACT.items()).encode()
    half = socket.create_connection((host, int(port)), timeout=10)
    half.sendall(
        b"POST /kontakt/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body[: len(body) // 2]
    )
    time.sleep(0.5)
    workers = _web_workers(site.gunicorn.pid)
    assert workers, "gunicorn has workers"
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    half.settimeout(10)
    try:
        answer = half.recv(100)
    except OSError:
        answer = b""
    half.close()
    assert b"200" not in answer and b"302" not in answer

    took = wait_until(lambda: healthy(site), 10, "gunicorn replaces the killed workers")
    print(f"web worker killed: answering again after {took:.1f} s")
    assert Browser().get(site.url, "/foretag/").status == 200
    assert not Inquiry.objects.exists(), "nothing half saved"
    assert not OutboxMail.objects.exists()
