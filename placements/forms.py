"""Forms of the case officers' and the enterprises' pages, with messages in plain Swedish."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import (
    normalise_participant_code,
    validate_participant_code,
    validate_sensitive_free_text,
)

from . import services
from .models import Placement, PlacementType, TrainingPlace

NOTE_MAX_LENGTH = 1000
# Codes of the guard's errors whose input must never be shown again in the page.
SENSITIVE_ERRORS = ("looks_like_personal_number", "looks_like_health_detail", "looks_like_name")


def example_start_date(today: datetime.date) -> datetime.date:
    """A start date worth writing as an example: the Monday at least two weeks ahead."""
    day = today + datetime.timedelta(days=14)
    return day + datetime.timedelta(days=-day.weekday() % 7)


def _with_example(field: forms.DateField, example: datetime.date) -> None:
    """The field's hint and its error for an unreadable date, with an example date in them."""
    values = {"example": example.isoformat()}
    field.help_text = field.help_text % values
    field.error_messages["invalid"] = field.error_messages["invalid"] % values


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PlacementRequestForm(forms.Form):
    participant_code = forms.CharField(
        label=_("Deltagarkod"),
        max_length=20,
        help_text=_(
            "En påhittad kod som du och företaget känner igen, t.ex. AF-0042. Skriv aldrig "
            "deltagarens namn eller personnummer."
        ),
        error_messages={
            "required": _("Skriv deltagarkoden."),
            "max_length": _("Deltagarkoden kan vara högst 20 tecken."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    placement_type = forms.ModelChoiceField(
        label=_("Placeringstyp"),
        queryset=PlacementType.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj placeringstyp."),
            "invalid_choice": _("Välj en av de placeringstyper som platsen erbjuder."),
        },
    )
    wished_start_on = forms.DateField(
        label=_("Önskat startdatum"),
        # The example is a date ahead of today, filled in by the form (_with_example).
        help_text=_("Skriv datumet som år-månad-dag, t.ex. %(example)s."),
        widget=DateInput,
        error_messages={
            "required": _("Skriv önskat startdatum."),
            "invalid": _("Skriv startdatumet som år-månad-dag, t.ex. %(example)s."),
        },
    )
    extent_percent = forms.IntegerField(
        label=_("Omfattning i procent av heltid"),
        help_text=_("Ett heltal från 1 till 100, t.ex. 50 för halvtid."),
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Skriv omfattningen i procent."),
            "invalid": _("Skriv omfattningen som ett heltal mellan 1 och 100."),
            "min_value": _("Omfattningen ska vara minst 1 procent."),
            "max_value": _("Omfattningen kan vara högst 100 procent."),
        },
    )
    note = forms.CharField(
        label=_("Vad vill deltagaren träna på? (frivilligt)"),
        help_text=_(
            "Några rader om vad deltagaren vill lära sig eller prova. Skriv inget om hälsa, "
            "diagnoser eller sjukdomar och inga namn eller personnummer."
        ),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_sensitive_free_text],
        error_messages={
            "max_length": _("Texten kan vara högst %(limit_value)d tecken.")
            % {"limit_value": NOTE_MAX_LENGTH},
        },
    )

    def __init__(self, *args, place: TrainingPlace, case_officer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        self.case_officer = case_officer
        self.fields["placement_type"].queryset = place.placement_types.all()
        today = timezone.localdate()
        self.fields["wished_start_on"].widget.attrs["min"] = today.isoformat()
        _with_example(self.fields["wished_start_on"], example_start_date(today))

    def full_clean(self) -> None:
        super().full_clean()
        # Never echo what looks like a personal identity number, a name or a diagnosis back
        # into the page.
        for name in ("participant_code", "note"):
            if self.is_bound and any(self.has_error(name, code) for code in SENSITIVE_ERRORS):
                self.data = self.data.copy()
                self.data[name] = ""

    def clean_participant_code(self) -> str:
        code = normalise_participant_code(self.cleaned_data["participant_code"])
        validate_participant_code(code)
        return code

    def clean(self) -> dict:
        cleaned_data = super().clean()
        # The rules of placements.services, shown at their fields; the service checks again
        # when the request is stored.
        try:
            services.placement_request_check_details(
                place=self.place,
                participant_code=cleaned_data.get("participant_code", ""),
                placement_type=cleaned_data.get("placement_type"),
                wished_start_on=cleaned_data.get("wished_start_on"),
            )
        except services.PlacementError as error:
            self.add_error(error.field, error.message)
        return cleaned_data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför avböjs förfrågan?"),
        help_text=_("Handläggaren får läsa skälet. Skriv inget om deltagarens hälsa."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_sensitive_free_text],
        error_messages={
            "required": _("Skriv varför förfrågan avböjs."),
            "max_length": _("Skälet kan vara högst 1000 tecken."),
        },
    )


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Sista dagen"),
        # The example is today, the latest day allowed, filled in by the form (_with_example).
        help_text=_("Skriv datumet som år-månad-dag, t.ex. %(example)s."),
        widget=DateInput,
        error_messages={
            "required": _("Skriv sista dagen."),
            "invalid": _("Skriv sista dagen som år-månad-dag, t.ex. %(example)s."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Vad gör deltagaren efter placeringen?"),
        choices=Placement.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vad deltagaren gör efter placeringen."),
            "invalid_choice": _("Välj ett av alternativen."),
        },
    )

    def __init__(self, *args, placement: Placement, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.placement = placement
        today = timezone.localdate()
        self.fields["ended_on"].widget.attrs.update(
            {"min": placement.started_on.isoformat(), "max": today.isoformat()}
        )
        self.fields["ended_on"].initial = today
        _with_example(self.fields["ended_on"], today)

    def clean_ended_on(self) -> datetime.date:
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.placement.started_on:
            raise ValidationError(
                _("Sista dagen kan inte ligga före startdatumet %(date)s.")
                % {"date": self.placement.started_on.isoformat()},
                code="before_start",
            )
        if ended_on > timezone.localdate():
            raise ValidationError(
                _(
                    "Sista dagen kan inte ligga i framtiden. Avsluta placeringen när den "
                    "har slutat."
                ),
                code="in_future",
            )
        return ended_on
