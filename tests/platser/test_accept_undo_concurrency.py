"""Two clicks at the same moment on an accept's undo, or an undo and an end: one wins, cleanly."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.urls import get_resolver

from background.models import OutboxMail
from placements import services
from placements.models import Placement, PlacementRequest

# The locks are PostgreSQL's; SQLite's writers queue up anyway (transaction_mode IMMEDIATE).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the row locks are tested on PostgreSQL",
)


def slow_check(monkeypatch) -> None:
    """Widen the window between the undo's check and its writes: without the row locks, a rival
    would pass its own check (or end the placement) before the undo writes."""
    check = services.placement_request_accept_undo_check

    def slow(**kwargs):
        check(**kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(services, "placement_request_accept_undo_check", slow)


def at_once(*actions) -> list[str]:
    get_resolver().resolve("/platser/")  # import the URLconf now, not in two threads at once
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(action())
        except services.PlacementError as error:
            outcomes.append(error.message)
        except Exception as error:  # noqa: BLE001 - shown in the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_undos_at_once_undo_once_and_mail_once(
    pending_request, staff_a, colleague_a, monkeypatch
):
    services.placement_request_accept(request=pending_request, by=staff_a)
    slow_check(monkeypatch)

    def undo(user):
        def action() -> str:
            request = PlacementRequest.objects.get(pk=pending_request.pk)
            services.placement_request_accept_undo(request=request, by=user)
            return "ångrad"

        return action

    outcomes = at_once(undo(staff_a), undo(colleague_a))

    assert outcomes == [
        "Förfrågan är inte antagen (den är inskickad), så det finns inget att ångra.",
        "ångrad",
    ]
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert not Placement.objects.exists()
    subjects = list(OutboxMail.objects.order_by("pk").values_list("subject", flat=True))
    assert subjects == [
        "Antagen: AF-0042 får en plats på Snickeri och måleri",
        "Antagningen ångrad: förfrågan för AF-0042 om Snickeri och måleri",
    ]


@pytest.mark.django_db(transaction=True)
def test_an_undo_and_an_end_at_once_leave_one_of_them_done(
    pending_request, staff_a, colleague_a, monkeypatch
):
    placement = services.placement_request_accept(request=pending_request, by=staff_a)
    slow_check(monkeypatch)

    def undo() -> str:
        request = PlacementRequest.objects.get(pk=pending_request.pk)
        services.placement_request_accept_undo(request=request, by=staff_a)
        return "ångrad"

    def end() -> str:
        time.sleep(0.1)  # the undo has its locks and is checking
        services.placement_end(
            placement=placement, ended_on=placement.started_on, outcome="other", by=colleague_a
        )
        return "avslutad"

    outcomes = at_once(undo, end)

    assert outcomes == ["Placeringen finns inte längre: antagningen har ångrats.", "ångrad"]
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert not Placement.objects.exists()
