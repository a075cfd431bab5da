"""Benchmark: the queue and the mail outbox, as a deployment runs them.

    .venv/bin/python scripts/bench_queue.py                 # SQLite in a temporary directory
    .venv/bin/python scripts/bench_queue.py --database-url postgres://user:pw@host/empty_db

Prints three figures:
- enqueued per second from a web request: what a request pays to put a mail in the outbox
  (the OutboxMail row and its delivery task, in one transaction), and a bare task enqueue;
- mails drained per second by one worker (`manage.py worker --batch`, delivering to Django's
  dummy mail backend, so the figure is the worker and the database, not a mail server);
- the delay from commit to send (p50, p95) with one real worker process running
  (`manage.py worker`, its default 1 s poll) while mails are committed one by one.

The database must be empty (it is migrated here); the default is a fresh SQLite file.
Not a test: the figures depend on the machine and on who else uses it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("-n", "--mails", type=int, default=500, help="mails per figure (500)")
    parser.add_argument("--latency-mails", type=int, default=60, help="mails timed (60)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    os.environ["VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asfnet.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.mail import EmailMessage
    from django.core.management import call_command
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from background.models import OutboxMail
    from background.tasks import deliver_outbox

    call_command("migrate", verbosity=0)
    print(f"database: {django.db.connection.vendor}; {args.mails} mails per figure")

    def store_mail(i: int) -> None:
        with transaction.atomic():
            EmailMessage(subject=f"Bench {i}", body="x" * 800, to=[f"p{i}@example.org"]).send()

    started = time.perf_counter()
    for i in range(args.mails):
        store_mail(i)
    elapsed = time.perf_counter() - started
    print(f"mail stored + delivery task enqueued: {args.mails / elapsed:8.0f} per second")

    started = time.perf_counter()
    bare = []
    for _ in range(args.mails):
        with transaction.atomic():
            bare.append(deliver_outbox.enqueue().id)
    elapsed = time.perf_counter() - started
    print(f"bare task enqueued:                   {args.mails / elapsed:8.0f} per second")
    DBTaskResult.objects.filter(pk__in=bare).delete()  # only the mails' own tasks remain

    started = time.perf_counter()
    call_command("worker", batch=True, verbosity=0)
    elapsed = time.perf_counter() - started
    sent = OutboxMail.objects.filter(status=OutboxMail.Status.SENT).count()
    tasks = DBTaskResult.objects.count()
    print(
        f"drained by one worker: {sent} mails ({tasks} tasks) in {elapsed:.1f} s: "
        f"{sent / elapsed:8.0f} mails per second"
    )

    OutboxMail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "worker", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the worker starts and runs its first tick
        for i in range(args.latency_mails):
            store_mail(i)
            time.sleep(0.05)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not OutboxMail.objects.exclude(status=OutboxMail.Status.SENT).exists():
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    delays = sorted(
        (mail.sent_at - mail.created_at).total_seconds()
        for mail in OutboxMail.objects.filter(status=OutboxMail.Status.SENT)
    )
    if len(delays) < args.latency_mails:
        print(f"only {len(delays)} of {args.latency_mails} mails were sent within 60 s")
    if delays:
        p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
        print(
            f"commit to send, one worker: p50 {statistics.median(delays):.2f} s, "
            f"p95 {p95:.2f} s, max {delays[-1]:.2f} s ({len(delays)} mails)"
        )


if __name__ == "__main__":
    main()
