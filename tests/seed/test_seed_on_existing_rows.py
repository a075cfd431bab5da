"""`manage.py seed_network` on a database that already holds some of what it loads.

Apart from test_seed_network.py, whose tests share one run on an empty database.
"""

from __future__ import annotations

from enterprises.models import Enterprise, Municipality
from placements.models import PlacementType
from tests.seed.test_seed_network import run_seed_network


def test_it_builds_on_reference_rows_that_already_exist(db):
    existing_type = PlacementType.objects.create(name="AT", code="AT", slug="at")
    sigtuna = Municipality.objects.create(name="Sigtuna", slug="sigtuna")

    run_seed_network()

    assert PlacementType.objects.count() == 4
    assert PlacementType.objects.get(code="AT") == existing_type
    assert Municipality.objects.filter(name="Sigtuna").get() == sigtuna
    assert Enterprise.objects.get(slug="livskraft").municipalities.get().name == "Sollentuna"
