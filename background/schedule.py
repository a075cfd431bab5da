"""The schedule: periodic work run by the worker itself, through the queue, with no cron.

A `tick` task (background/tasks.py) runs every TICK_SECONDS and enqueues the next one before
it ends, so the chain lives in the queue: one worker is all a deployment needs, and the
`worker` command starts the chain when none is waiting. Each tick

- puts back in the queue the tasks of a worker that was killed (no heartbeat any more),
- delivers the mail that is due (first tries that lost their task, retries after back-off),
- runs the jobs the apps declare in their AppConfig's `scheduled_jobs`:
  "every_tick" ones each time, "daily" ones once a day from DAILY_AT, "weekly" ones once an
  ISO week from WEEKLY_AT on Monday (or later in the week, if the worker was down then).

A daily or weekly job runs once per period: JobRun's unique (job, period) decides, so two
workers or a second tick change nothing. A job that failed is tried again after
RETRY_FAILED_AFTER. Jobs are plain functions without arguments, and idempotent themselves.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import outbox
from .models import JobRun, WorkerHeartbeat

logger = logging.getLogger(__name__)

TICK_SECONDS = 60
DAILY_AT = datetime.time(6, 0)
WEEKLY_AT = datetime.time(7, 0)  # on Mondays
RETRY_FAILED_AFTER = datetime.timedelta(minutes=15)


def heartbeat_seconds() -> float:
    """How often a worker says it is alive (settings.WORKER_HEARTBEAT_SECONDS, 5 s)."""
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 5))


def heartbeat_timeout() -> datetime.timedelta:
    """A worker silent for this long is gone, and the tasks it was running are run again."""
    return datetime.timedelta(seconds=6 * heartbeat_seconds())


KEEP_FINISHED_TASKS_DAYS = 7

PERIODS = ("every_tick", "daily", "weekly")


def scheduled_jobs() -> dict[str, list[str]]:
    """Every app's declared jobs, by period, in the order of INSTALLED_APPS."""
    jobs: dict[str, list[str]] = {period: [] for period in PERIODS}
    for config in apps.get_app_configs():
        for period, paths in getattr(config, "scheduled_jobs", {}).items():
            if period not in jobs:
                raise ValueError(f"{config.name}: unknown period {period!r} in scheduled_jobs")
            jobs[period].extend(paths)
    return jobs


def run_tick(now: datetime.datetime | None = None) -> dict[str, object]:
    """One round of the schedule (see the module's text); returns what it did, for the log."""
    now = now or timezone.now()
    done: dict[str, object] = {
        "tasks_recovered": recover_abandoned_tasks(now),
        "mail_released": outbox.release_abandoned(),
    }
    if outbox.due_count():
        done["mail"] = outbox.deliver_due()
    jobs = scheduled_jobs()
    for path in jobs["every_tick"]:
        _run(path)
    local = timezone.localtime(now)
    if local.time() >= DAILY_AT:
        for path in jobs["daily"]:
            done[path] = _run_once(path, local.date().isoformat(), now)
    year, week, weekday = local.isocalendar()
    if weekday > 1 or local.time() >= WEEKLY_AT:
        for path in jobs["weekly"]:
            done[path] = _run_once(path, f"{year}-W{week:02d}", now)
    return done


def _run(path: str) -> object:
    try:
        return import_string(path)()
    except Exception:
        logger.exception("Scheduled job %s failed", path)
        return "failed"


def _run_once(path: str, period: str, now: datetime.datetime) -> object:
    """Run the job unless it already ran (or is running) for this period."""
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=path, period=period, started_at=now)
    except IntegrityError:
        run = JobRun.objects.filter(job=path, period=period).first()
        unfinished = run and (run.error or run.finished_at is None)
        if not unfinished or run.started_at > now - RETRY_FAILED_AFTER:
            return "already ran"
        # Failed, or cut off by a killed worker, a while ago: try again, exactly one tick.
        if not JobRun.objects.filter(pk=run.pk, started_at=run.started_at).update(
            started_at=now, error=""
        ):
            return "already ran"
    try:
        result = import_string(path)()
    except Exception as error:
        logger.exception("Scheduled job %s failed for %s", path, period)
        JobRun.objects.filter(pk=run.pk).update(
            error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        return "failed"
    JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return result if isinstance(result, int | str | dict | list) else "done"


# --- Workers that died ----------------------------------------------------------------------


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def recover_abandoned_tasks(now: datetime.datetime | None = None) -> int:
    """Put back in the queue the tasks marked running by a worker that no longer beats."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - heartbeat_timeout()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    abandoned = [
        task.pk
        for task in DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).only("pk", "worker_ids")
        if not task.worker_ids or task.worker_ids[-1] not in alive
    ]
    if abandoned:
        logger.warning("%d tasks of a stopped worker are queued again", len(abandoned))
        DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
    return len(abandoned)


# --- The chain of ticks ---------------------------------------------------------------------


def ensure_tick(*, delay: float = 0) -> bool:
    """Enqueue a tick unless one is waiting; False when the task backend cannot defer."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import tick

    if not tick.get_backend().supports_defer:
        return False
    with transaction.atomic():
        waiting = DBTaskResult.objects.filter(
            task_path=tick.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return True
        tick.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue()
    return True


def prune_finished_tasks() -> str:
    """Delete finished tasks older than KEEP_FINISHED_TASKS_DAYS (django-tasks-db's command)."""
    from io import StringIO

    out = StringIO()
    call_command(
        "prune_db_task_results",
        min_age_days=KEEP_FINISHED_TASKS_DAYS,
        failed_min_age_days=KEEP_FINISHED_TASKS_DAYS * 4,
        stdout=out,
    )
    return out.getvalue().strip()
