import pytest

from tests.factories import PlacementFactory, TrainingPlaceFactory


@pytest.mark.django_db
def test_factories_build_a_consistent_placement():
    place = TrainingPlaceFactory(capacity=2)
    PlacementFactory(place=place)
    assert place.placements.active().count() == 1
