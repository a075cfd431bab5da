"""A double click on the confirmation link confirms once; two runs of the reminder job at the
same moment send one reminder."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection
from django.urls import get_resolver
from django.utils import timezone

from placements import services
from placements.models import PlaceReminder

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the row lock is tested on PostgreSQL",
)


def at_once(work, times: int = 2) -> list[str]:
    """Run work() in threads released together; what each returned or raised."""
    get_resolver().resolve("/platser/")  # import the URLconf now, not in two threads at once
    barrier = threading.Barrier(times)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(str(work()))
        except services.PlacementError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - shown in the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_confirm_the_place_once(place, monkeypatch):
    place.last_confirmed_on = timezone.localdate() - datetime.timedelta(days=50)
    place.save()
    reminder = PlaceReminder.objects.create(place=place, confirmed_on=place.last_confirmed_on)
    confirm = services.training_places_confirm

    def slow_confirm(**kwargs):
        time.sleep(0.3)  # without the row lock, both would get past the check
        return confirm(**kwargs)

    monkeypatch.setattr(services, "training_places_confirm", slow_confirm)

    outcomes = at_once(lambda: services.place_reminder_confirm(token=reminder.token).pk)

    assert outcomes == [str(reminder.pk), "used"]


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_reminder_job_at_once_send_one_mail(network, place, mailoutbox):
    place.last_confirmed_on = timezone.localdate() - datetime.timedelta(days=45)
    place.save()

    outcomes = at_once(services.training_place_reminders_send)

    assert outcomes == ["0", "1"]
    assert len(mailoutbox) == 1
    assert PlaceReminder.objects.count() == 1
