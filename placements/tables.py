"""The training-place browser's table (django-tables2)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator

import django_tables2 as tables
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tables2.rows import BoundRows

from enterprises.models import Enterprise, Unit

from .models import Agreement, TrainingPlace, TrainingPlaceQuerySet

PER_PAGE = 25
ORDER_FIELD = "sortera"
PAGE_FIELD = "sida"


# The accessor of the columns that render_<name> builds from the whole record. Without it
# django-tables2 looks up an attribute of the column's name for every cell, and for a name
# that is no attribute (hours, referrers) raises and catches an exception, or builds a related
# manager (placement_types): a quarter of the table's time, for a value nobody reads.
FROM_RECORD = "id"


def _names(items) -> str:
    return ", ".join(str(item) for item in items)


class TrainingPlaceTable(tables.Table):
    """The places, in the columns a case officer chooses by: free seats first after the title.

    Seven columns fit 1,120 px without scrolling sideways; the unit rides under the title, and
    what a place's own page shows in full (service, adaptations, agreements) stays there. On
    a phone the same markup is a list of cards (site.css, .place-table), free seats on top.
    """

    # Every sort ends on the primary key, so a page never shows a row twice or skips one.
    title = tables.Column(verbose_name=_("Plats"), order_by=("title", "pk"))
    free_seats = tables.Column(verbose_name=_("Lediga platser"), order_by=("free_seats", "pk"))
    enterprise = tables.Column(
        verbose_name=_("Företag"), accessor="enterprise__name", order_by=("enterprise__name", "pk")
    )
    municipality = tables.Column(
        verbose_name=_("Kommun"), accessor=FROM_RECORD, empty_values=(), orderable=False
    )
    placement_types = tables.Column(
        verbose_name=_("Placeringstyper"), accessor=FROM_RECORD, empty_values=(), orderable=False
    )
    hours = tables.Column(
        verbose_name=_("Timmar per vecka"),
        accessor=FROM_RECORD,
        empty_values=(),
        order_by=("hours_min", "hours_max", "pk"),
    )
    last_confirmed_on = tables.Column(
        verbose_name=_("Senast bekräftad"),
        empty_values=(),
        order_by=("last_confirmed_on", "pk"),
    )

    class Meta:
        model = TrainingPlace
        fields: list[str] = []
        sequence = [
            "title",
            "free_seats",
            "enterprise",
            "municipality",
            "placement_types",
            "hours",
            "last_confirmed_on",
        ]
        template_name = "placements/includes/place_table.html"
        order_by_field = ORDER_FIELD
        page_field = PAGE_FIELD
        per_page = PER_PAGE
        empty_text = _("Inga platser matchar filtren. Ta bort något filter och försök igen.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound_column in self.columns:
            bound_column.render = _with_known_signature(bound_column.render)

    def render_title(self, record: TrainingPlace) -> str:
        link = format_html(
            '<a href="{}">{}</a>', reverse("placements:place", args=[record.pk]), record.title
        )
        if record.unit is None:
            return link
        return format_html('{}<span class="place-table__unit">{}</span>', link, record.unit.name)

    def render_municipality(self, record: TrainingPlace) -> str:
        return _names(record.municipalities)

    def render_placement_types(self, record: TrainingPlace) -> str:
        return ", ".join(placement_type.code for placement_type in record.placement_types.all())

    def render_hours(self, record: TrainingPlace) -> str:
        if record.hours_min == record.hours_max:
            return str(record.hours_min)
        return f"{record.hours_min}–{record.hours_max}"

    def render_free_seats(self, record: TrainingPlace) -> str:
        return ngettext("%(free)d av %(capacity)d", "%(free)d av %(capacity)d", record.capacity) % {
            "free": record.free_seat_count,
            "capacity": record.capacity,
        }

    def render_last_confirmed_on(self, record: TrainingPlace) -> str:
        if record.last_confirmed_on is None:
            return format_html(
                '<strong class="tag tag--warning">{}</strong>', _("Aldrig bekräftad")
            )
        # A date is not broken at its hyphens on a narrow card.
        day = format_html(
            '<span class="place-table__date">{}</span>',
            date_format(record.last_confirmed_on, "SHORT_DATE_FORMAT"),
        )
        if record.is_recently_confirmed:
            return day
        days = record.days_since_confirmed
        return format_html(
            '{}<br><strong class="tag tag--warning">{}</strong><br>{}',
            day,
            _("Inte bekräftad på länge"),
            ngettext("för %(days)d dag sedan", "för %(days)d dagar sedan", days) % {"days": days},
        )

    def value_title(self, record: TrainingPlace) -> str:
        return record.title


def _with_known_signature(render: Callable) -> Callable:
    """The render method with its signature worked out once per table, not once per cell.

    django-tables2 inspects a render method's signature for every cell it renders, to pass
    only the arguments the method takes: with 25 rows and 11 columns that was about a sixth
    of the list's time. inspect.signature returns `__signature__` when there is one.
    """

    def call(**kwargs):
        return render(**kwargs)

    call.__signature__ = inspect.signature(render)
    return call


class PageByKeysPaginator(Paginator):
    """A page of the table in two queries: the page's keys, then the page's rows.

    The first query sorts and slices only the primary keys of the filtered list, so the
    database sorts narrow rows instead of joining every column of the enterprise, the unit,
    its municipality and the service category onto thousands of places only to keep 25. The
    second reads those rows in full from `records` (the list's queryset before the filters:
    joins, free seats, prefetches) and puts them in the first query's order. The number of
    queries stays the same whatever the page or the size. The count is django-tables2's: the
    filtered queryset's count(), which Django runs without the annotations and joins that
    only the table shows.
    """

    def __init__(self, object_list, per_page, *args, records: models.QuerySet, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.records = records

    def _get_page(self, rows, number, paginator) -> Page:
        keys = list(rows.data.prefetch_related(None).values_list("pk", flat=True))
        by_key = {record.pk: record for record in self.records.filter(pk__in=keys).order_by()}
        return super()._get_page(
            BoundRows(
                data=[by_key[key] for key in keys if key in by_key],
                table=rows.table,
                pinned_data=rows.pinned_data,
            ),
            number,
            paginator,
        )


# --- The same list as CSV -------------------------------------------------------------------

EXPORT_HEADER = [
    _("Plats"),
    _("Företag"),
    _("Enhet"),
    _("Adress"),
    _("Kommun"),
    _("Verksamhet"),
    _("Placeringstyper"),
    _("Anpassningar"),
    _("Timmar per vecka, minst"),
    _("Timmar per vecka, högst"),
    _("Antal platser"),
    _("Lediga platser"),
    _("Avtal med"),
    _("Senast bekräftad"),
    _("Status"),
    _("Länk"),
]


def export_rows(
    places: TrainingPlaceQuerySet, *, place_url: Callable[[int], str]
) -> Iterator[list]:
    """One row per place, in the queryset's order, from six queries whatever the number.

    Plain values rather than model instances and prefetches: for 10,000 places that is
    seconds rather than half a minute.
    """
    today = timezone.localdate()
    places = places.prefetch_related(None)  # plain values below, nothing to prefetch into
    place_ids = places.order_by().values("pk")
    enterprise_ids = places.order_by().values("enterprise_id")
    types = _grouped(
        TrainingPlace.placement_types.through.objects.filter(trainingplace__in=place_ids)
        .order_by("placementtype__order", "placementtype__name")
        .values_list("trainingplace_id", "placementtype__code")
    )
    adaptations = _grouped(
        TrainingPlace.adaptations.through.objects.filter(trainingplace__in=place_ids)
        .order_by("adaptation__name")
        .values_list("trainingplace_id", "adaptation__name")
    )
    municipalities = _grouped(
        Enterprise.municipalities.through.objects.filter(enterprise__in=enterprise_ids)
        .order_by("municipality__name")
        .values_list("enterprise_id", "municipality__name")
    )
    referrers = _grouped(
        Agreement.objects.valid_on(today)
        .placing()
        .filter(enterprise__in=enterprise_ids)
        .annotate(
            referrer_name=Coalesce("counterparty__name", "prime_agreement__counterparty__name")
        )
        .order_by("referrer_name")
        .values_list("enterprise_id", "referrer_name")
    )
    statuses = dict(TrainingPlace.Status.choices)
    for place in places.values(
        "pk",
        "title",
        "enterprise_id",
        "enterprise__name",
        "unit__name",
        "unit__street_address",
        "unit__postal_code",
        "unit__city",
        "unit__municipality__name",
        "service_category__name",
        "hours_min",
        "hours_max",
        "capacity",
        "free_seats",
        "last_confirmed_on",
        "status",
    ):
        pk, enterprise_id, confirmed = (
            place["pk"],
            place["enterprise_id"],
            place["last_confirmed_on"],
        )
        unit = Unit(
            street_address=place["unit__street_address"] or "",
            postal_code=place["unit__postal_code"] or "",
            city=place["unit__city"] or "",
        )
        yield [
            place["title"],
            place["enterprise__name"],
            place["unit__name"] or "",
            unit.address,
            place["unit__municipality__name"] or ", ".join(municipalities.get(enterprise_id, [])),
            place["service_category__name"] or "",
            ", ".join(types.get(pk, [])),
            ", ".join(adaptations.get(pk, [])),
            place["hours_min"],
            place["hours_max"],
            place["capacity"],
            max(place["free_seats"], 0),
            ", ".join(dict.fromkeys(referrers.get(enterprise_id, []))),
            confirmed.isoformat() if confirmed else "",
            statuses[place["status"]],
            place_url(pk),
        ]


def _grouped(pairs) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for key, value in pairs:
        if value:
            grouped.setdefault(key, []).append(value)
    return grouped
