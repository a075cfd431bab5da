"""The filters of the training-place browser; their state lives in the URL (GET).

Filters on many-to-many relations use subqueries (`pk__in`), never joins, so the free-seat
count that the list annotates is not multiplied by the joined rows.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Adaptation, Municipality, ServiceCategory

from .models import Organisation, PlacementType, TrainingPlace, TrainingPlaceQuerySet

MY_ORGANISATION = "mina"
ALL_PLACES = "alla"


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
    anpassning = django_filters.ModelMultipleChoiceFilter(
        label=_("Anpassningar som platsen ska kunna göra"),
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
