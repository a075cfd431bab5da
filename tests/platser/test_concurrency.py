"""The last seat, accepted by two people at the same moment, goes to exactly one of them."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.urls import get_resolver

from placements import services
from placements.models import Placement, PlacementRequest
from tests.factories import PlacementRequestFactory

# The lock is PostgreSQL's; SQLite's writers queue up anyway (transaction_mode IMMEDIATE).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the row lock is tested on PostgreSQL",
)


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_of_the_last_seat_at_once_make_one_placement(
    place, pending_request, staff_a, coordinator, case_officer, referrer, at, monkeypatch
):
    place.capacity = 1
    place.save()
    rival = PlacementRequestFactory(
        place=place, case_officer=case_officer, referrer=referrer, placement_type=at
    )
    # Widen the window between counting the seats and writing the placement, so that without
    # the row lock both would count a free seat and both would write.
    full_clean = Placement.full_clean

    def slow_full_clean(self, *args, **kwargs):
        time.sleep(0.3)
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Placement, "full_clean", slow_full_clean)

    get_resolver().resolve("/platser/")  # import the URLconf now, not in two threads at once
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(request_pk: int, user) -> None:
        try:
            request = PlacementRequest.objects.get(pk=request_pk)
            barrier.wait(timeout=10)
            services.placement_request_accept(request=request, by=user)
            outcomes.append("antagen")
        except services.PlaceFull as error:
            outcomes.append(error.message)
        except Exception as error:  # noqa: BLE001 - shown in the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(pending_request.pk, staff_a)),
        threading.Thread(target=accept, args=(rival.pk, coordinator)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [
        "Platsen är full: den enda platsen är tagen. Sätt förfrågan på väntelistan, eller "
        "avsluta en placering först.",
        "antagen",
    ]
    assert Placement.objects.filter(place=place).count() == 1
    statuses = sorted(PlacementRequest.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "pending"]
