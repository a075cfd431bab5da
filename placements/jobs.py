"""The placements' scheduled jobs (PlacementsConfig.scheduled_jobs, run by the worker).

Each is idempotent itself, whatever the schedule does: what was sent is recorded in the same
transaction as the mail (PlaceReminder, the request's staff_reminded_at and
coordinator_told_at, StalePlacesDigest), and a second run finds nothing left to send.
"""

from __future__ import annotations

from . import services


def send_place_reminders() -> int:
    """Daily: staff confirm places last confirmed 45 days ago (a one-click link)."""
    return services.training_place_reminders_send()


def send_request_reminders() -> dict[str, int]:
    """Daily: pending requests, staff after 3 working days, the coordinator after 5."""
    return services.placement_request_reminders_send()


def send_stale_places_digest() -> int:
    """Weekly: the coordinator's list of places not confirmed for more than 60 days."""
    return services.stale_places_digest_send()
