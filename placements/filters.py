"""The filters of the training-place browser; their state lives in the URL (GET).

Filters on many-to-many relations use subqueries (`pk__in`), never joins, so the free-seat
count that the list annotates is not multiplied by the joined rows.

The lists of choices are cached under the public pages' generation token (accounts.pages),
which any change to a municipality, category, placement type or adaptation renews.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.forms import GuardedModelMultipleChoiceField
from accounts.pages import PAGE_TIMEOUT, generation
from enterprises.models import Adaptation, Municipality, ServiceCategory

from .models import Organisation, PlacementType, TrainingPlace, TrainingPlaceQuerySet

MY_ORGANISATION = "mina"
ALL_PLACES = "alla"


class GuardedModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    # A number too large for the key column is an invalid choice, not a server error.
    field_class = GuardedModelMultipleChoiceField


class TrainingPlaceFilter(django_filters.FilterSet):
    avtal = django_filters.ChoiceFilter(
        label=_("Avtal"),
        choices=[
            (MY_ORGANISATION, _("Bara platser som min organisation får använda")),
            (ALL_PLACES, _("Alla platser")),
        ],
        empty_label=None,
        widget=forms.RadioSelect,
        method="filter_agreements",
        error_messages={"invalid_choice": _("Välj ett av alternativen under ”Avtal”.")},
    )
    kommun = django_filters.ModelChoiceFilter(
        label=_("Kommun"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Alla kommuner"),
        method="filter_municipality",
        error_messages={"invalid_choice": _("Kommunen finns inte. Välj en kommun i listan.")},
    )
    typ = django_filters.ModelChoiceFilter(
        label=_("Placeringstyp"),
        queryset=PlacementType.objects.all(),
        empty_label=_("Alla placeringstyper"),
        method="filter_placement_type",
        error_messages={
            "invalid_choice": _("Placeringstypen finns inte. Välj en placeringstyp i listan.")
        },
    )
    verksamhet = django_filters.ModelChoiceFilter(
        label=_("Verksamhet"),
        field_name="service_category",
        queryset=ServiceCategory.objects.all(),
        empty_label=_("Alla verksamheter"),
        error_messages={
            "invalid_choice": _("Verksamheten finns inte. Välj en verksamhet i listan.")
        },
    )
    anpassning = GuardedModelMultipleChoiceFilter(
        label=_("Anpassningar som platsen ska kunna göra"),
        help_text=_("Välj en eller flera. Listan visar bara platser som kan göra alla du väljer."),
        queryset=Adaptation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        method="filter_adaptations",
        error_messages={
            "invalid_choice": _("Anpassningen finns inte. Välj bland anpassningarna i listan."),
            "invalid_pk_value": _("Anpassningen finns inte. Välj bland anpassningarna i listan."),
        },
    )
    lediga = django_filters.BooleanFilter(
        label=_("Bara arbetsträningsplatser med lediga platser"),
        widget=forms.CheckboxInput,
        method="filter_free_seats",
    )
    pausade = django_filters.BooleanFilter(
        label=_("Visa även pausade platser"),
        widget=forms.CheckboxInput,
        method="filter_paused",
    )

    class Meta:
        model = TrainingPlace
        fields: list[str] = []

    def __init__(self, data=None, *args, organisation: Organisation | None = None, **kwargs):
        # "My organisation's places" is on until the case officer chooses all places.
        if data is not None and organisation is not None and not data.get("avtal"):
            data = data.copy()
            data["avtal"] = MY_ORGANISATION
        super().__init__(data, *args, **kwargs)
        self.organisation = organisation
        if organisation is None:
            # The coordinator has no organisation whose agreements could limit the list.
            del self.filters["avtal"]
        for name in CACHED_CHOICES:
            _use_cached_choices(self.form.fields[name], name)

    def filter_queryset(self, queryset: TrainingPlaceQuerySet) -> TrainingPlaceQuerySet:
        queryset = super().filter_queryset(queryset)
        # The defaults hold when a value could not be read: open places, the officer's own.
        errors = self.form.errors
        if "pausade" in errors:
            queryset = queryset.open()
        if self.organisation is not None and "avtal" in errors:
            queryset = queryset.available_to(self.organisation)
        return queryset

    def filter_agreements(self, queryset, name, value):
        if value == ALL_PLACES or self.organisation is None:
            return queryset
        # A subquery on the agreements, not a cached list of enterprise ids: a literal list of
        # hundreds of ids costs psycopg more to send than the database takes to run this.
        return queryset.available_to(self.organisation)

    def filter_municipality(self, queryset, name, value):
        return queryset.in_municipality(value)

    def filter_placement_type(self, queryset, name, value):
        return queryset.filter(
            pk__in=TrainingPlace.objects.filter(placement_types=value).values("pk")
        )

    def filter_adaptations(self, queryset, name, value):
        # Every chosen adaptation: a place must be able to make all of them.
        for adaptation in value:
            queryset = queryset.filter(
                pk__in=TrainingPlace.objects.filter(adaptations=adaptation).values("pk")
            )
        return queryset

    def filter_free_seats(self, queryset, name, value):
        return queryset.filter(free_seats__gt=0) if value else queryset

    def filter_paused(self, queryset, name, value):
        return queryset if value else queryset.open()


# --- What is cached ---------------------------------------------------------------------------

# The filters whose choices are rows of a table: read once per generation and language.
CACHED_CHOICES = ["kommun", "typ", "verksamhet", "anpassning"]


def _use_cached_choices(field: forms.ModelChoiceField, name: str) -> None:
    """Give the field its choices from the cache instead of a query per request.

    A chosen value is still looked up in the database when the form is read, so a choice
    removed since the list was cached is an error, as it was.
    """
    key = f"placements:filter-choices:{generation()}:{get_language()}:{name}"
    choices = cache.get(key)
    if choices is None:
        choices = [(item.pk, field.label_from_instance(item)) for item in field.queryset]
        cache.set(key, choices, PAGE_TIMEOUT)
    if getattr(field, "empty_label", None) is not None:
        choices = [("", field.empty_label), *choices]
    # What the choices setter of Django's ChoiceField does; django-filter's setter would wrap
    # the list in a ModelChoiceIterator, which reads the queryset again.
    field._choices = field.widget.choices = choices
