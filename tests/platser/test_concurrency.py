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


@pytest.mark.django_db(transaction=True)
def test_two_admin_saves_of_the_last_seat_at_once_make_one_placement(
    place, referrer, agreement, at, coordinator, monkeypatch
):
    from django.test import Client
    from django.utils import timezone

    from tests.accounts.helpers import log_in_with_second_factor
    from tests.admin.helpers import admin_url

    place.capacity = 1
    place.save()
    clients = [Client(), Client()]
    for client in clients:
        log_in_with_second_factor(client, coordinator)
    # Both forms pass their unlocked check before either is saved: the save must lock.
    full_clean = Placement.full_clean

    def slow_full_clean(self, *args, **kwargs):
        time.sleep(0.3)
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Placement, "full_clean", slow_full_clean)
    get_resolver().resolve("/admin/")
    barrier = threading.Barrier(2)
    responses = []

    def save(client, code: str) -> None:
        try:
            barrier.wait(timeout=10)
            responses.append(
                client.post(
                    admin_url(Placement, "add"),
                    {
                        "participant_code": code,
                        "placement_type": str(at.pk),
                        "extent_percent": "50",
                        "place": str(place.pk),
                        "referrer": str(referrer.pk),
                        "started_on": timezone.localdate().isoformat(),
                    },
                )
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(client, f"AF-00{n}1"))
        for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(response.status_code for response in responses) == [200, 302]
    (refused,) = [response for response in responses if response.status_code == 200]
    assert "Platsen är full: den enda platsen är tagen." in refused.text
    assert Placement.objects.filter(place=place).count() == 1
