"""The background app's tasks: delivering the outbox and the schedule's tick."""

from __future__ import annotations

from django.tasks import task

from . import outbox, schedule


@task()
def deliver_outbox() -> dict[str, int]:
    """Send the mail that is due (enqueued with every mail the portal stores)."""
    return outbox.deliver_all_due()


@task()
def tick() -> dict[str, object]:
    """One round of the schedule; the next round is enqueued even if this one failed."""
    try:
        return schedule.run_tick()
    finally:
        schedule.ensure_tick(delay=schedule.TICK_SECONDS)
