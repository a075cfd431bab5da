from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from asfnet.generate import synthetic_data_delete
from enterprises.models import Enterprise, Unit
from placements.models import (
    Agreement,
    CaseOfficer,
    Organisation,
    Placement,
    PlacementRequest,
    TrainingPlace,
    validate_participant_code,
)
from reports.models import Activity

pytestmark = pytest.mark.django_db

SMALL = {"enterprises": 5, "places": 20, "placements": 100, "activities": 10, "requests": 5}


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_data", **{**SMALL, **options}, stdout=out)
    return out.getvalue()


def names(rows) -> list[str]:
    return sorted(str(row) for row in rows)


def dump() -> dict[str, list]:
    """The synthetic data by natural fields only: no primary keys, no timestamps."""
    return {
        "enterprises": [
            (
                e.slug,
                e.name,
                e.start_year,
                e.published,
                e.phone,
                e.email,
                names(e.municipalities.all()),
                names(e.service_categories.all()),
                names(e.adaptations.all()),
            )
            for e in Enterprise.objects.filter(slug__startswith="syn-").order_by("slug")
        ],
        "units": sorted(
            Unit.objects.filter(enterprise__slug__startswith="syn-").values_list(
                "enterprise__slug", "name", "street_address", "postal_code", "municipality__name"
            )
        ),
        "agreements": [
            (
                a.enterprise.slug,
                a.kind,
                a.title,
                a.counterparty.name,
                a.valid_from,
                a.valid_until,
                a.order,
                names(a.programmes.all()),
            )
            for a in Agreement.objects.filter(enterprise__slug__startswith="syn-").order_by(
                "enterprise__slug", "order"
            )
        ],
        "places": [
            (
                p.title,
                p.enterprise.slug,
                p.unit.name if p.unit else None,
                p.service_category.name,
                p.capacity,
                p.hours_min,
                p.hours_max,
                p.status,
                p.last_confirmed_on,
                names(p.placement_types.all()),
                names(p.adaptations.all()),
            )
            for p in TrainingPlace.objects.filter(enterprise__slug__startswith="syn-").order_by(
                "title"
            )
        ],
        "placements": sorted(
            Placement.objects.filter(participant_code__startswith="SYN-").values_list(
                "participant_code",
                "place__title",
                "placement_type__code",
                "referrer__name",
                "programme__name",
                "agreement__enterprise__slug",
                "agreement__title",
                "case_officer__email",
                "started_on",
                "planned_end_on",
                "ended_on",
                "extent_percent",
                "outcome",
            )
        ),
        "requests": sorted(
            PlacementRequest.objects.filter(participant_code__startswith="SYN-").values_list(
                "participant_code",
                "place__title",
                "case_officer__email",
                "referrer__name",
                "programme__name",
                "placement_type__code",
                "wished_start_on",
                "extent_percent",
                "note",
                "status",
                "decline_reason",
                "decided_at",
            )
        ),
        "activities": [
            (
                a.text,
                a.year,
                a.date,
                a.period,
                a.people_reached,
                a.order,
                sorted((p.area.number, p.number) for p in a.points.all()),
                sorted(e.slug for e in a.enterprises.all()),
            )
            for a in Activity.objects.filter(text__startswith="Syntetisk").order_by("order")
        ],
        "case officers": sorted(
            CaseOfficer.objects.filter(user__email__startswith="syn-").values_list(
                "user__email", "user__last_name", "organisation__name"
            )
        ),
    }


def test_a_small_run_makes_exactly_the_rows_asked_for():
    output = generate()

    assert Enterprise.objects.filter(slug__startswith="syn-").count() == 5
    assert TrainingPlace.objects.filter(enterprise__slug__startswith="syn-").count() == 20
    assert Placement.objects.filter(participant_code__startswith="SYN-").count() == 100
    assert Activity.objects.filter(text__startswith="Syntetisk aktivitet").count() == 10
    assert PlacementRequest.objects.filter(participant_code__startswith="SYN-").count() == 5
    assert "Företag: 5/5" in output
    assert "Placeringar: 100/100" in output
    assert "Klart på" in output


def test_the_same_seed_gives_the_same_data():
    generate(seed=7)
    first = dump()

    synthetic_data_delete()
    assert not Placement.objects.exists()
    generate(seed=7)

    assert dump() == first
    assert len(first["placements"]) == 100


def test_another_seed_gives_other_data():
    generate(seed=1)
    first = dump()

    generate(seed=2, flush=True)

    second = dump()
    assert second["placements"] != first["placements"]
    assert second["places"] != first["places"]


def test_no_place_gets_more_active_placements_than_seats():
    # Few places, many placements: the seats run out.
    generate(places=4, placements=300)

    free_seats = TrainingPlace.objects.with_free_seats().values_list("free_seats", flat=True)
    assert min(free_seats) == 0
    assert all(seats >= 0 for seats in free_seats)


def test_ended_placements_end_after_they_start_and_have_an_outcome():
    generate()

    ended = Placement.objects.filter(ended_on__isnull=False)
    assert ended.exists()
    assert Placement.objects.filter(ended_on__isnull=True).exists()
    for placement in ended:
        assert placement.ended_on >= placement.started_on
        assert placement.outcome
    assert all(1 <= p.extent_percent <= 100 for p in Placement.objects.all())


def test_every_participant_code_is_a_valid_pseudonymous_code():
    generate()

    codes = list(Placement.objects.values_list("participant_code", flat=True)) + list(
        PlacementRequest.objects.values_list("participant_code", flat=True)
    )
    assert len(codes) == len(set(codes)) == 105
    for code in codes:
        validate_participant_code(code)  # raises ValidationError if not


def test_each_enterprise_has_one_to_three_agreements_so_referrers_see_some_places():
    generate(enterprises=30, places=100, placements=0, requests=0)

    per_enterprise = Enterprise.objects.annotate(n=Count("agreements")).values_list("n", flat=True)
    assert set(per_enterprise) <= {1, 2, 3}
    employment_service = Organisation.objects.get(slug="arbetsformedlingen")
    available = TrainingPlace.objects.available_to(employment_service).count()
    assert 0 < available < 100


def test_activities_fall_in_the_chosen_year_under_strategy_points():
    generate(year=2023)

    activities = Activity.objects.all()
    assert {a.year for a in activities} == {2023}
    assert all(a.date.year == 2023 if a.date else a.period for a in activities)
    assert all(a.points.exists() for a in activities)


def test_synthetic_case_officers_cannot_log_in():
    generate()

    officers = get_user_model().objects.filter(email__startswith="syn-")
    assert officers.exists()
    assert not any(user.has_usable_password() for user in officers)
    assert all(user.email.endswith("@example.org") for user in officers)


def test_it_refuses_to_add_to_earlier_synthetic_data_unless_flushed():
    generate()

    with pytest.raises(CommandError, match="--flush"):
        generate()
    generate(flush=True)

    assert Enterprise.objects.count() == 5
    assert Placement.objects.count() == 100


def test_it_refuses_placements_without_places():
    with pytest.raises(CommandError, match="--places"):
        generate(places=0)

    assert not Enterprise.objects.exists()
