"""A worker killed in the middle of rendering a report's PDF stops nothing on the web.

Before issue 11 the web rendered the PDF under a lock in Redis: a web worker killed mid-render
left the lock for 120 s, every other web worker sat polling it, and the whole site took 118 s
to answer. Now the background worker renders it. This test starts the portal as production
runs it, in processes of their own: gunicorn and `manage.py worker`, on the test database (on
SQLite a file copy of it, as tests/ops/test_two_instances.py does). It kills the worker
(SIGKILL) while the render task is running, checks that the pages, /healthz and the PDF's
address answer at once meanwhile, starts a worker again and waits for the PDF.

A task cut off by a killed worker is put back in the queue once the worker's heartbeat has
been silent for schedule.heartbeat_timeout() (30 s in production; here the workers beat every
second, WORKER_HEARTBEAT_SECONDS=1, so 6 s), by a worker starting or by the schedule's next
tick. The new worker here starts after that time, as a supervisor that restarts it a little
later would: its start puts the render back in the queue.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from pypdf import PdfReader

from asfnet.seed import seed_network
from background import schedule
from reports.models import AnnualReport
from reports.tasks import render_version_pdf
from tests.ops.test_two_instances import (
    database_url,
    instance_env,
    start_instance,
    stop,
    wait_until_up,
)

ROOT = Path(__file__).resolve().parents[2]
PDF_PATH = "/rapporter/2022.pdf"
FAST = 1.0  # seconds: what "at once" means for a page
HEARTBEAT_SECONDS = 1
# From the new worker's start to the PDF: the worker starts, renders (seconds), and a margin
# for a slow machine.
RECOVERY_SECONDS = 45


def heartbeat_timeout() -> float:
    with override_settings(WORKER_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS):
        return schedule.heartbeat_timeout().total_seconds()


# A fault test like those of tests/faults/ (a process killed), marked so: make test-fast leaves
# it out (it waits out the heartbeat timeout, about ten seconds), make test runs it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    seconds: float


def get(base: str, path: str) -> Reply:
    started = time.monotonic()
    try:
        reply = urllib.request.urlopen(base + path, timeout=30)
    except urllib.error.HTTPError as error:
        reply = error
    body = reply.read()
    return Reply(
        reply.status, reply.headers.get("Content-Type", ""), body, time.monotonic() - started
    )


def render_task_states(url: str) -> dict[str, str]:
    """The state of each render task in the queue, by its id, read around the app."""
    sql = "SELECT id, status FROM django_tasks_database_dbtaskresult WHERE task_path = %s"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            rows = db.execute(sql.replace("%s", "?"), [render_version_pdf.module_path]).fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [render_version_pdf.module_path])
            rows = cursor.fetchall()
    return {str(task_id): status for task_id, status in rows}


def running_renders(url: str) -> list[str]:
    return [task for task, status in render_task_states(url).items() if status == "RUNNING"]


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)  # it finishes the task it runs, then stops
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


@pytest.fixture
def portal(tmp_path):
    """gunicorn (two web workers) on the test database with the seeded, published 2022 report
    (published before it had a version: the first view freezes it, reports/versions.py)."""
    seed_network()
    assert AnnualReport.objects.get(year=2022).published
    url = database_url(tmp_path)
    # The web and the worker share the PDFs' storage under VAR_DIR.
    env = instance_env(
        "worker-kill", url, tmp_path, WORKER_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS)
    )
    web = start_instance("web", env, tmp_path)
    workers: list[subprocess.Popen] = []
    try:
        wait_until_up(web)
        yield {"url": web.url, "env": env, "database_url": url, "workers": workers}
    finally:
        for worker in workers:
            stop_worker(worker)
        stop(web)


def test_a_worker_killed_mid_render_blocks_no_page_and_the_pdf_comes_after_a_restart(
    portal, tmp_path
):
    base, url, log = portal["url"], portal["database_url"], tmp_path / "worker.log"
    # Warm up the web workers as a live site is (templates, imports).
    for _ in range(4):
        for path in ("/foretag/", "/healthz", "/rapporter/2022/"):
            assert get(base, path).status == 200

    # The first view froze the published report as version 1 and asked for its PDFs (Swedish
    # and English); nobody has them yet: the PDF's address says it is being prepared.
    first = get(base, PDF_PATH)
    assert first.status == 202, first.body[:500]
    assert "PDF:en förbereds" in first.body.decode()
    assert list(render_task_states(url).values()) == ["READY", "READY"]

    # The worker starts on it; it is killed in the middle of the render.
    worker = start_worker(portal["env"], log)
    portal["workers"].append(worker)
    deadline = time.monotonic() + 60
    while not (running := running_renders(url)):
        assert worker.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"the render never started:\n{log.read_text()}"
        time.sleep(0.01)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    killed_at = time.monotonic()
    assert running_renders(url) == running  # cut off, not finished

    # Meanwhile everything answers at once, and the PDF's address says it is being prepared.
    for _ in range(5):
        for path, status in (
            ("/foretag/", 200),
            ("/healthz", 200),
            ("/rapporter/2022/", 200),
            (PDF_PATH, 202),
        ):
            reply = get(base, path)
            assert reply.status == status, (path, reply.status, reply.body[:300])
            assert reply.seconds < FAST, f"{path} took {reply.seconds:.2f} s"
        time.sleep(0.2)

    # A worker again, once the dead one's heartbeat has timed out: it puts the cut-off render
    # back in the queue and runs it, and the PDF is served.
    while time.monotonic() < killed_at + heartbeat_timeout() + 1:
        assert get(base, PDF_PATH).status == 202
        time.sleep(0.5)
    portal["workers"].append(start_worker(portal["env"], log))
    restarted_at = time.monotonic()
    while True:
        reply = get(base, PDF_PATH)
        assert reply.seconds < FAST, f"the PDF's address took {reply.seconds:.2f} s"
        if reply.status == 200:
            break
        assert reply.status == 202, (reply.status, reply.body[:300])
        waited = time.monotonic() - restarted_at
        assert waited < RECOVERY_SECONDS, f"no PDF after {waited:.0f} s:\n{log.read_text()}"
        time.sleep(0.5)

    assert reply.content_type == "application/pdf"
    pdf = PdfReader(io.BytesIO(reply.body))
    assert pdf.metadata.title == AnnualReport.objects.get(year=2022).title
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Bakgrund" in text
    # The killed render itself was run again (the PDF served may be the Swedish one while
    # the killed one was the English one: wait for it too), and nothing asked for more renders
    # meanwhile: one per language of the site.
    while render_task_states(url)[running[0]] != "SUCCESSFUL":
        waited = time.monotonic() - restarted_at
        assert waited < RECOVERY_SECONDS, f"not run again after {waited:.0f} s:\n{log.read_text()}"
        time.sleep(0.5)
    assert len(render_task_states(url)) <= 2
