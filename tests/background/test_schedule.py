"""The schedule: jobs once per day or week whatever the number of ticks, and no lost tasks."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background import schedule
from background.models import JobRun, OutboxMail, WorkerHeartbeat
from background.tasks import tick

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
CALLS: list[str] = []


def daily_job() -> int:
    CALLS.append("daily")
    return len(CALLS)


def weekly_job() -> None:
    CALLS.append("weekly")


def failing_job() -> None:
    CALLS.append("failing")
    raise RuntimeError("the job broke")


@pytest.fixture
def jobs(monkeypatch):
    CALLS.clear()
    declared = {"every_tick": [], "daily": [], "weekly": []}
    monkeypatch.setattr(schedule, "scheduled_jobs", lambda: declared)
    return declared


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def test_every_app_declares_jobs_that_exist():
    from django.utils.module_loading import import_string

    declared = schedule.scheduled_jobs()
    assert "background.outbox.prune_sent_mail" in declared["daily"]
    for paths in declared.values():
        for path in paths:
            assert callable(import_string(path)), path


def test_a_daily_job_runs_once_a_day_from_six_however_many_ticks(jobs, time_machine):
    jobs["daily"].append(f"{__name__}.daily_job")
    time_machine.move_to(at(2026, 12, 7, 5, 59), tick=False)
    schedule.run_tick()
    assert CALLS == [], "not before 06:00"

    time_machine.move_to(at(2026, 12, 7, 6, 0), tick=False)
    schedule.run_tick()
    schedule.run_tick()
    time_machine.move_to(at(2026, 12, 7, 23, 59), tick=False)
    schedule.run_tick()
    assert CALLS == ["daily"]

    time_machine.move_to(at(2026, 12, 8, 6, 30), tick=False)
    schedule.run_tick()
    assert CALLS == ["daily", "daily"]
    assert list(JobRun.objects.order_by("period").values_list("period", flat=True)) == [
        "2026-12-07",
        "2026-12-08",
    ]


def test_a_weekly_job_runs_once_an_iso_week_even_if_monday_was_missed(jobs, time_machine):
    jobs["weekly"].append(f"{__name__}.weekly_job")
    time_machine.move_to(at(2026, 12, 7, 6, 59), tick=False)  # a Monday
    schedule.run_tick()
    assert CALLS == []
    time_machine.move_to(at(2026, 12, 7, 7, 0), tick=False)
    schedule.run_tick()
    time_machine.move_to(at(2026, 12, 11, 12, 0), tick=False)
    schedule.run_tick()
    assert CALLS == ["weekly"]

    # The worker was down all of the next Monday: the job runs on Tuesday.
    time_machine.move_to(at(2026, 12, 15, 9, 0), tick=False)
    schedule.run_tick()
    assert CALLS == ["weekly", "weekly"]
    assert JobRun.objects.filter(period="2026-W51").exists()


def test_a_failed_job_is_recorded_and_tried_again_after_a_pause(jobs, time_machine):
    jobs["daily"].append(f"{__name__}.failing_job")
    time_machine.move_to(at(2026, 12, 7, 6, 0), tick=False)
    assert schedule.run_tick()[f"{__name__}.failing_job"] == "failed"
    run = JobRun.objects.get()
    assert "the job broke" in run.error

    time_machine.shift(schedule.RETRY_FAILED_AFTER - datetime.timedelta(seconds=1))
    schedule.run_tick()
    assert CALLS == ["failing"]
    time_machine.shift(datetime.timedelta(seconds=2))
    schedule.run_tick()
    assert CALLS == ["failing", "failing"]


def test_a_tick_delivers_mail_whose_task_was_lost(mailoutbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django.core.mail import EmailMessage

    EmailMessage(subject="Borttappad", body="x", to=["a@example.org"]).send()
    DBTaskResult.objects.all().delete()  # the task row is gone; the mail row is not

    schedule.run_tick()

    assert [message.subject for message in mailoutbox] == ["Borttappad"]
    assert OutboxMail.objects.get().status == OutboxMail.Status.SENT


def test_tasks_of_a_killed_worker_are_queued_again_and_a_live_workers_are_not(
    settings, time_machine
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    time_machine.move_to(timezone.now(), tick=False)
    from background.tasks import deliver_outbox

    alive = deliver_outbox.enqueue().id
    dead = deliver_outbox.enqueue().id
    DBTaskResult.objects.filter(pk=alive).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["alive"]
    )
    DBTaskResult.objects.filter(pk=dead).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["killed"]
    )
    schedule.beat("killed")
    schedule.beat("alive")
    time_machine.shift(schedule.heartbeat_timeout() / 2)
    schedule.beat("alive")
    assert schedule.recover_abandoned_tasks() == 0, "the killed worker's silence is still short"

    time_machine.shift(schedule.heartbeat_timeout() / 2 + datetime.timedelta(seconds=1))
    schedule.beat("alive")
    assert schedule.recover_abandoned_tasks() == 1

    assert DBTaskResult.objects.get(pk=dead).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=alive).status == TaskResultStatus.RUNNING


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions
def test_the_worker_starts_one_chain_of_ticks_and_each_tick_enqueues_the_next(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    waiting = DBTaskResult.objects.filter(task_path=tick.module_path, status=TaskResultStatus.READY)

    assert schedule.ensure_tick()
    assert schedule.ensure_tick()
    assert waiting.count() == 1, "a second start does not start a second chain"

    call_command("worker", batch=True, verbosity=0)  # runs the tick, which enqueues the next

    assert DBTaskResult.objects.filter(
        task_path=tick.module_path, status=TaskResultStatus.SUCCESSFUL
    ).exists()
    (following,) = waiting
    assert following.run_after > timezone.now() + datetime.timedelta(seconds=50)
    assert not WorkerHeartbeat.objects.exists(), "a stopped worker leaves no heartbeat"


def test_finished_tasks_are_pruned_after_a_week(settings, time_machine):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from background.tasks import deliver_outbox

    time_machine.move_to(timezone.now(), tick=False)
    old = deliver_outbox.enqueue().id
    DBTaskResult.objects.filter(pk=old).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )
    time_machine.shift(datetime.timedelta(days=schedule.KEEP_FINISHED_TASKS_DAYS, hours=1))
    recent = deliver_outbox.enqueue().id
    DBTaskResult.objects.filter(pk=recent).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )

    schedule.prune_finished_tasks()

    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [str(recent)]


def test_the_daily_jobs_include_the_retention_purge_and_the_reminders():
    daily = schedule.scheduled_jobs()["daily"]
    for job in (
        "placements.privacy.purge_expired",
        "placements.jobs.send_place_reminders",
        "placements.jobs.send_request_reminders",
        "enterprises.uploads.delete_unused_images",
        "background.schedule.prune_finished_tasks",
    ):
        assert job in daily
    assert "placements.jobs.send_stale_places_digest" in schedule.scheduled_jobs()["weekly"]
