"""The annual report's statistics: training places, placements and requests of a year.

Every figure is counted by the database (grouped aggregate queries), so the number of queries
is the same whatever the amount of data: `year_statistics()` makes ten.

What is counted:
- places and seats: the training places as they were at the end of the year (31 December,
  Swedish time), read from their change history (django-simple-history): a place counts if
  its latest historical record by then is not its deletion, says it was open, and its
  enterprise's latest record by then says it was published. A place created after the year
  does not count; one paused, deleted or unpublished since still does. Its unit and the
  enterprise's municipalities and name are today's (they have no history of their own here);
- placements started (ended) in the year: start (end) date within the year, at the places
  of the enterprises published now;
- outcomes: of the placements that ended in the year;
- demand: placement requests whose wished start is within the year, whatever their status.

A place is in the municipality of its unit; a place without a unit (or whose unit has no
municipality) is in each municipality of its enterprise, so an enterprise in two
municipalities counts its unit-less places once in each. The totals count each place (and
request) once: in the table per municipality they can be less than the sum of its rows, and
they equal the totals of the table per enterprise.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from placements.models import Placement, PlacementRequest, TrainingPlace


@dataclass(frozen=True)
class EnterpriseFigures:
    name: str
    places: int
    seats: int
    started: int  # placements started in the year


@dataclass(frozen=True)
class MunicipalityFigures:
    name: str
    places: int
    seats: int
    requests: int


@dataclass(frozen=True)
class Flow:
    """Placements that started and ended in the year, for one placement type or referrer."""

    label: str
    started: int
    ended: int


@dataclass(frozen=True)
class OutcomeFigures:
    label: str
    count: int


@dataclass(frozen=True)
class YearStatistics:
    year: int
    enterprises: list[EnterpriseFigures]
    municipalities: list[MunicipalityFigures]
    by_placement_type: list[Flow]
    by_referrer: list[Flow]
    outcomes: list[OutcomeFigures]
    requests: int = 0  # each request once, whatever the number of its place's municipalities

    @property
    def started(self) -> int:
        return sum(flow.started for flow in self.by_placement_type)

    @property
    def ended(self) -> int:
        return sum(flow.ended for flow in self.by_placement_type)

    @property
    def has_placements(self) -> bool:
        return bool(self.started or self.ended)

    @property
    def places(self) -> int:
        return sum(row.places for row in self.enterprises)

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.enterprises)

    def csv_rows(self) -> Iterable[tuple[str, str, str, int]]:
        """(table, row, measure, value): every figure of the report, one per line."""
        places, seats = _("Arbetsträningsplatser"), _("Platser")
        started, ended = _("Påbörjade placeringar"), _("Avslutade placeringar")
        table = _("Per företag")
        total = _("Totalt")
        for row in self.enterprises:
            yield table, row.name, places, row.places
            yield table, row.name, seats, row.seats
            yield table, row.name, started, row.started
        if self.enterprises:
            yield table, total, places, self.places
            yield table, total, seats, self.seats
            yield table, total, started, self.started
        table, requests = _("Per kommun"), _("Förfrågningar om plats")
        for row in self.municipalities:
            yield table, row.name, places, row.places
            yield table, row.name, seats, row.seats
            yield table, row.name, requests, row.requests
        if self.municipalities:
            yield table, total, places, self.places
            yield table, total, seats, self.seats
            yield table, total, requests, self.requests
        for table, flows in (
            (_("Per placeringstyp"), self.by_placement_type),
            (_("Per remittent"), self.by_referrer),
        ):
            for flow in flows:
                yield table, flow.label, started, flow.started
                yield table, flow.label, ended, flow.ended
        table = _("Utfall vid avslut")
        for row in self.outcomes:
            yield table, row.label, _("Avslutade placeringar"), row.count


def year_statistics(year: int) -> YearStatistics:
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    started = Q(started_on__range=(first_day, last_day))
    ended = Q(ended_on__range=(first_day, last_day))
    places = places_at_end_of(year)
    placements = Placement.objects.filter(place__enterprise__published=True)
    requests = PlacementRequest.objects.filter(
        place__enterprise__published=True, wished_start_on__range=(first_day, last_day)
    )
    return YearStatistics(
        year=year,
        enterprises=_per_enterprise(places, placements.filter(started)),
        municipalities=_per_municipality(places, requests),
        by_placement_type=_flows(
            placements, started, ended, "placement_type__name", "placement_type__order"
        ),
        by_referrer=_flows(placements, started, ended, "referrer__name", "referrer__name"),
        outcomes=_outcomes(placements.filter(ended)),
        requests=requests.count(),
    )


def places_at_end_of(year: int) -> QuerySet:
    """The historical records of the places open at the end of the year at enterprises
    published then (see the module). A queryset: the callers group and count it.
    """
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    # The latest record of each by the end of the year; only then filtered on what it says.
    enterprises = (
        Enterprise.history.filter(history_date__lt=end)
        .latest_of_each()
        .exclude(history_type="-")
        .filter(published=True)
    )
    return (
        TrainingPlace.history.filter(history_date__lt=end)
        .latest_of_each()
        .exclude(history_type="-")
        .filter(status=TrainingPlace.Status.OPEN, enterprise_id__in=enterprises.values("id"))
    )


def _per_enterprise(places: QuerySet, started: QuerySet) -> list[EnterpriseFigures]:
    figures: dict[int, dict] = {}
    for row in (
        places.values("enterprise_id", "enterprise__name")
        .annotate(places=Count("pk"), seats=Sum("capacity"))
        .order_by()
    ):
        figures[row["enterprise_id"]] = {
            "name": row["enterprise__name"],
            "places": row["places"],
            "seats": row["seats"] or 0,
            "started": 0,
        }
    for row in started.values("place__enterprise_id", "place__enterprise__name").annotate(
        started=Count("pk")
    ):
        entry = figures.setdefault(
            row["place__enterprise_id"],
            {"name": row["place__enterprise__name"], "places": 0, "seats": 0},
        )
        entry["started"] = row["started"]
    return sorted(
        (EnterpriseFigures(**entry) for entry in figures.values()), key=lambda row: row.name
    )


def _municipality_counts(rows: QuerySet, prefix: str, **aggregates) -> dict[str, dict]:
    """Aggregates per municipality: the unit's where there is one, else the enterprise's."""
    unit_municipality = f"{prefix}unit__municipality"
    counts: dict[str, dict] = {}
    for filtered, name in (
        (rows.filter(**{f"{unit_municipality}__isnull": False}), f"{unit_municipality}__name"),
        (
            rows.filter(**{f"{unit_municipality}__isnull": True}),
            f"{prefix}enterprise__municipalities__name",
        ),
    ):
        for row in filtered.values(municipality=F(name)).annotate(**aggregates).order_by():
            entry = counts.setdefault(row.pop("municipality") or _("Kommun saknas"), {})
            for key, value in row.items():
                entry[key] = entry.get(key, 0) + (value or 0)
    return counts


def _per_municipality(places: QuerySet, requests: QuerySet) -> list[MunicipalityFigures]:
    supply = _municipality_counts(places, "", places=Count("pk"), seats=Sum("capacity"))
    demand = _municipality_counts(requests, "place__", requests=Count("pk"))
    return [
        MunicipalityFigures(
            name=name,
            places=supply.get(name, {}).get("places", 0),
            seats=supply.get(name, {}).get("seats", 0),
            requests=demand.get(name, {}).get("requests", 0),
        )
        for name in sorted(supply.keys() | demand.keys())
    ]


def _flows(placements: QuerySet, started: Q, ended: Q, label: str, order: str) -> list[Flow]:
    rows = (
        placements.filter(started | ended)
        .values(*dict.fromkeys([label, order]))
        .annotate(started=Count("pk", filter=started), ended=Count("pk", filter=ended))
        .order_by(order, label)
    )
    return [Flow(row[label], row["started"], row["ended"]) for row in rows]


def _outcomes(ended: QuerySet) -> list[OutcomeFigures]:
    counts = dict(ended.values_list("outcome").annotate(count=Count("pk")).order_by())
    labels = [(value, label) for value, label in Placement.Outcome.choices]
    labels.append(("", _("Inte angivet")))
    return [
        OutcomeFigures(str(label), counts[value]) for value, label in labels if counts.get(value)
    ]
