"""Forms of the public site: the one contact form."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import personal_number_in, reject_personal_numbers

from .models import Enterprise, Inquiry, ServiceCategory

PHONE_CHARACTERS = re.compile(r"[0-9 +\-()]+")
PHONE_DIGITS = (6, 20)


def strip_control_characters(value: str, *, keep_newlines: bool = False) -> str:
    """Drop control characters (NUL, escape, ...) that nobody types on purpose.

    A message keeps its line breaks and tabs, normalised to "\\n"; a one-line field keeps none.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = "\n\t" if keep_newlines else ""
    return "".join(ch for ch in value if ch in kept or unicodedata.category(ch) != "Cc")


class MaxCharacters:
    """Like Django's max_length, but it says the limit and the count with thousands grouped."""

    def __init__(self, limit: int, message: str) -> None:
        self.limit = limit
        self.message = message

    def __call__(self, value: str) -> None:
        if len(value) > self.limit:
            raise ValidationError(
                self.message,
                code="max_length",
                params={
                    "limit": number_format(self.limit, force_grouping=True),
                    "count": number_format(len(value), force_grouping=True),
                },
            )


class PlainTextField(forms.CharField):
    """Text as typed, minus control characters, checked for length after they are gone.

    There is no maxlength attribute on purpose: a browser would cut a pasted text short
    without saying so; the error message says how much is too much instead.
    """

    def __init__(self, *, max_chars: int, too_long: str, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)
        self.validators.append(MaxCharacters(max_chars, too_long))

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return strip_control_characters(value, keep_newlines=self.multiline).strip()


def validate_phone(value: str) -> None:
    if not PHONE_CHARACTERS.fullmatch(value):
        raise ValidationError(
            _(
                "Telefonnumret får bara innehålla siffror, mellanslag, +, - och parenteser, "
                "till exempel 08-123 456 78."
            ),
            code="invalid_phone",
        )
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError(
            _("Telefonnumret ska ha mellan %(min)d och %(max)d siffror; nu har det %(count)d."),
            code="phone_digits",
            params={"min": PHONE_DIGITS[0], "max": PHONE_DIGITS[1], "count": digits},
        )


def reject_personal_number_as_phone(value: str) -> None:
    """A Swedish phone number starts with 0 or +; other digits may be an identity number.

    0701234567 can be read as the personal identity number of someone born in 2007, but in
    the phone field it is a phone number.
    """
    if not value.startswith(("0", "+")):
        reject_personal_numbers(value)


def without_personal_numbers(text: str) -> str:
    """The text with everything that looks like a personal identity number cut out."""
    while number := personal_number_in(text):
        text = text.replace(number, "")
    return text


class InquiryForm(forms.ModelForm):
    """The network's one contact form.

    Enterprises and services are chosen by slug, so a link such as
    /kontakt/?foretag=livskraft can preselect them without a database lookup.
    """

    # The honeypot: hidden from sighted people, skipped by the keyboard, filled in by bots.
    HONEYPOT = "website"
    # Fields where people may type a personal identity number, which is neither stored nor
    # shown again. Health details are not refused here: people may write about themselves.
    PERSONAL_NUMBER_FIELDS = ("name", "phone", "message")

    topic = forms.ChoiceField(
        label=_("Vad gäller ditt meddelande?"),
        choices=Inquiry.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vad ditt meddelande gäller."),
            "invalid_choice": _("Välj vad ditt meddelande gäller."),
        },
    )
    enterprise = forms.ModelChoiceField(
        label=_("Företag (valfritt)"),
        queryset=Enterprise.objects.published().only("pk", "name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("Inget särskilt företag"),
        help_text=_("Om du väljer ett företag skickar vi ditt meddelande även till det."),
        error_messages={"invalid_choice": _("Välj ett av företagen i listan.")},
    )
    service_category = forms.ModelChoiceField(
        label=_("Tjänst (valfritt)"),
        queryset=ServiceCategory.objects.only("pk", "name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("Ingen särskild tjänst"),
        error_messages={"invalid_choice": _("Välj en av tjänsterna i listan.")},
    )
    name = PlainTextField(
        label=_("Ditt namn"),
        max_chars=150,
        too_long=_("Namnet får vara högst %(limit)s tecken; nu är det %(count)s."),
        validators=[reject_personal_numbers],
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Skriv ditt namn.")},
    )
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Skriv e-postadressen i rätt format, till exempel namn@exempel.se."),
            "max_length": _("E-postadressen får vara högst %(limit_value)d tecken."),
        },
    )
    phone = PlainTextField(
        label=_("Telefonnummer"),
        required=False,
        max_chars=40,
        too_long=_("Telefonnumret får vara högst %(limit)s tecken; nu är det %(count)s."),
        validators=[validate_phone, reject_personal_number_as_phone],
        widget=forms.TelInput(attrs={"autocomplete": "tel"}),
    )
    message = PlainTextField(
        label=_("Meddelande"),
        max_chars=5000,
        too_long=_("Meddelandet får vara högst %(limit)s tecken; nu är det %(count)s."),
        multiline=True,
        help_text=_(
            "Berätta vad du vill ha hjälp med. Högst 5 000 tecken. Skriv inga uppgifter om "
            "hälsa och inga personnummer."
        ),
        validators=[reject_personal_numbers],
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Skriv ditt meddelande.")},
    )
    website = forms.CharField(
        label=_("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Inquiry
        fields = ["topic", "enterprise", "service_category", "name", "email", "phone", "message"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        # Never show a personal identity number again in the page. Only the number is cut
        # out (of the text as cleaned, so a control character cannot hide it), and the rest
        # of a long message is kept.
        for name in self.PERSONAL_NUMBER_FIELDS:
            if self.is_bound and self.has_error(name, "looks_like_personal_number"):
                key = self.add_prefix(name)
                self.data = self.data.copy()
                typed = self.fields[name].to_python(self.data.get(key, ""))
                self.data[key] = without_personal_numbers(typed)

    @classmethod
    def initial_from_query(cls, query: Mapping[str, str]) -> dict[str, str]:
        """What ?amne=membership&foretag=<slug>&tjanst=<slug> preselects.

        An unknown topic is dropped here; an unknown or unpublished slug matches no option
        and so selects nothing.
        """
        initial = {}
        if query.get("amne") in Inquiry.Topic.values:
            initial["topic"] = query["amne"]
        if query.get("foretag"):
            initial["enterprise"] = query["foretag"]
        if query.get("tjanst"):
            initial["service_category"] = query["tjanst"]
        return initial

    def is_from_a_bot(self) -> bool:
        """True when the hidden field was filled in: people cannot see it, bots fill it."""
        return bool(self.data.get(self.add_prefix(self.HONEYPOT), "").strip())

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        # Inquiry.clean() asks for an email or a phone number. When the sender typed one and
        # only its format is wrong, that field's own message says enough; construct_instance()
        # skips invalid fields, so let the model see that something was typed.
        for field in ("email", "phone"):
            if self.has_error(field):
                setattr(self.instance, field, self.data.get(self.add_prefix(field), ""))
        return cleaned_data

    def inquiry_data(self) -> dict[str, Any]:
        """The cleaned values, as keyword arguments for services.inquiry_submit()."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}
