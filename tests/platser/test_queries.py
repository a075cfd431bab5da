"""/platser/ makes the same number of SQL queries for 50 places as for 10,000.

The data comes from asfnet.generate (bulk_create), the same generator as `generate_data`,
once per size: everything measured on a network of that size is in one test.
The time per page is printed (run with -s to see it).
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asfnet.generate import Volume, synthetic_data_generate
from enterprises.models import Adaptation, Municipality, ServiceCategory
from placements.models import CaseOfficer, PlacementType, TrainingPlace
from tests.factories import AdaptationFactory, TrainingPlaceFactory

pytestmark = pytest.mark.django_db
URL = reverse("placements:list")
EXPORT_URL = reverse("placements:export")

# Session and user; the role checks and the case officer's organisation; the network profile;
# the four lists of filter choices and the check of each chosen value; the page, its count and
# the prefetches (placement types, municipalities). None of them
# grows with the data.
MAX_QUERIES = 22


def every_filter() -> dict:
    return {
        "kommun": Municipality.objects.get(name="Sigtuna").pk,
        "typ": PlacementType.objects.get(code="AT").pk,
        "verksamhet": ServiceCategory.objects.order_by("pk").first().pk,
        "anpassning": list(Adaptation.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "lediga": "on",
        "pausade": "on",
    }


def time_page(client, params: dict) -> float:
    client.get(URL, params)  # warm up
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(URL, params)
        runs.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(runs)


@pytest.mark.parametrize("size", [50, pytest.param(10_000, marks=pytest.mark.scale)])
def test_the_list_and_the_export_make_a_fixed_number_of_queries_at_any_size(
    size, roles, client, coordinator, django_assert_max_num_queries
):
    synthetic_data_generate(
        volume=Volume(
            enterprises=max(size // 10, 5),
            places=size,
            placements=size * 2,
            activities=0,
            requests=0,
        ),
        seed=1,
    )
    link = CaseOfficer.objects.filter(organisation__slug="arbetsformedlingen").first()
    usable = TrainingPlace.objects.open().available_to(link.organisation).count()
    assert usable > 0
    client.force_login(link.user)

    pages = {
        "standard": {},
        "sorterad efter lediga platser, sida 2": {"sortera": "-free_seats", "sida": 2},
        "alla filter": every_filter(),
        "alla platser, sida 3": {"avtal": "alla", "sida": 3},
    }
    for label, params in pages.items():
        with django_assert_max_num_queries(MAX_QUERIES, info=label):
            response = client.get(URL, params)
        assert response.status_code == 200, label
    first = client.get(URL)
    assert first.text.count('<th scope="row"') == min(usable, 25)

    with django_assert_max_num_queries(MAX_QUERIES, info="export"):
        export = client.get(EXPORT_URL, {"avtal": "alla"})
    lines = export.content.decode("utf-8-sig").count("\r\n")
    assert lines == TrainingPlace.objects.open().count() + 1

    timings = {label: time_page(client, params) for label, params in pages.items()}

    client.force_login(coordinator)
    with django_assert_max_num_queries(MAX_QUERIES, info="coordinator"):
        response = client.get(URL, {"sortera": "free_seats"})
    assert response.status_code == 200

    print(f"\n/platser/ with {size} places, median of 5 requests:")
    for label, seconds in timings.items():
        print(f"  {label}: {seconds * 1000:.0f} ms")
    # Loose, so a slow CI machine does not fail; the figures above are what to watch.
    assert max(timings.values()) < 5


def test_the_list_reads_only_what_its_columns_show(
    officer_client, place, enterprise_a, django_assert_num_queries
):
    """Adaptations and agreements are on a place's own page: the list does not read them,
    and more places on the page cost no more queries."""
    place.adaptations.add(AdaptationFactory())
    cache.clear()
    with CaptureQueriesContext(connection) as one_place:
        response = officer_client.get(URL, {"avtal": "alla"})
    assert "AT, FAT" in response.text and "Sigtuna" in response.text
    tables = " ".join(query["sql"] for query in one_place.captured_queries)
    assert "placements_trainingplace_adaptations" not in tables
    assert 'FROM "placements_agreement"' not in tables

    for number in range(10):
        TrainingPlaceFactory(enterprise=enterprise_a, title=f"Plats {number}")
    cache.clear()
    with django_assert_num_queries(len(one_place.captured_queries)):
        response = officer_client.get(URL, {"avtal": "alla"})
    assert response.text.count('<th scope="row"') == 11
