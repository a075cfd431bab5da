"""The network and its members: the enterprises, what they sell, and the one way in."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.se import orgnr


def validate_organisation_number(value: str) -> None:
    """A Swedish organisation number (organisationsnummer), checked with its Luhn digit."""
    try:
        orgnr.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            _("%(value)s är inte ett giltigt svenskt organisationsnummer (NNNNNN-NNNN)."),
            code="invalid_organisation_number",
            params={"value": value},
        ) from error


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseGroup(models.Model):
    name = models.CharField(_("namn"), max_length=150, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=150, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("företagsgrupp")
        verbose_name_plural = _("företagsgrupper")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(models.Model):
    """What buyers look for: café & catering, property services, second hand, ..."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=100, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("tjänstekategori")
        verbose_name_plural = _("tjänstekategorier")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Adaptation(models.Model):
    """An adaptation a workplace can make (quiet room, flexible hours, ...), used as a tag."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=100, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("anpassning")
        verbose_name_plural = _("anpassningar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseQuerySet(models.QuerySet):
    def published(self) -> EnterpriseQuerySet:
        return self.filter(published=True)

    def in_municipality(self, municipality: Municipality) -> EnterpriseQuerySet:
        return self.filter(municipalities=municipality)

    def staffed_by(self, user) -> EnterpriseQuerySet:
        return self.filter(staff=user)

    def in_category(self, category: ServiceCategory) -> EnterpriseQuerySet:
        return self.filter(service_categories=category)

    def for_cards(self) -> EnterpriseQuerySet:
        """What a card in a list shows, in a fixed number of queries."""
        return self.prefetch_related("municipalities", "service_categories")


class Enterprise(models.Model):
    """A work-integration social enterprise (arbetsintegrerande socialt företag, ASF)."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(
        _("kort namn"),
        max_length=60,
        blank=True,
        help_text=_("T.ex. ”M29”. Används i avtalstexter."),
    )
    slug = models.SlugField(_("kortnamn i adresser"), max_length=200, unique=True)
    group = models.ForeignKey(
        EnterpriseGroup,
        verbose_name=_("grupp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner"), related_name="enterprises", blank=True
    )
    start_year = models.PositiveSmallIntegerField(
        _("startår"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    summary = models.CharField(
        _("kort presentation"),
        max_length=300,
        blank=True,
        help_text=_("En eller två meningar som visas i listor och på kort."),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    service_categories = models.ManyToManyField(
        ServiceCategory, verbose_name=_("tjänstekategorier"), related_name="enterprises", blank=True
    )
    services_text = models.TextField(
        _("det här säljer vi"), blank=True, help_text=_("Varor och tjänster, med egna ord.")
    )
    training_text = models.TextField(
        _("arbetsträning hos oss"),
        blank=True,
        help_text=_("Vilken arbetsträning företaget erbjuder och hur den går till."),
    )
    adaptations = models.ManyToManyField(
        Adaptation, verbose_name=_("anpassningar"), related_name="enterprises", blank=True
    )
    contact_person = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    website = models.URLField(_("webbplats"), blank=True)
    film_url = models.URLField(_("länk till film"), blank=True)
    image = models.ImageField(_("bild"), upload_to="enterprises/", blank=True)
    image_alt = models.CharField(
        _("bildtext för skärmläsare"), max_length=250, blank=True, help_text=_("Vad bilden visar.")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal"),
        related_name="enterprises",
        blank=True,
        help_text=_("Personer som får uppdatera företagets sida, platser och placeringar."),
    )
    published = models.BooleanField(_("publicerad"), default=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    # Written in Swedish and in English (enterprises/translation.py).
    TRANSLATED_FIELDS = ("summary", "description", "services_text", "training_text", "image_alt")

    objects = EnterpriseQuerySet.as_manager()
    # Who changed what and when, for the coordinator (admin "Historik"). The history keeps each
    # translated text as shown in Swedish (the field itself), not its columns per language,
    # which modeltranslation adds after this history model is made.
    history = HistoricalRecords(
        excluded_fields=[
            f"{field}_{code}" for field in TRANSLATED_FIELDS for code, _name in settings.LANGUAGES
        ]
    )

    class Meta:
        verbose_name = _("företag")
        verbose_name_plural = _("företag")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(start_year__gte=1900, start_year__lte=2100),
                name="enterprise_start_year_plausible",
                violation_error_message=_("Startåret måste ligga mellan 1900 och 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", kwargs={"slug": self.slug})

    @property
    def contract_name(self) -> str:
        """How agreements name the enterprise ("Underleverantör till M29 ...")."""
        return self.short_name or self.name


class EnterpriseAlias(models.Model):
    """Another name the enterprise is known by: a former name or another spelling."""

    class Kind(models.TextChoices):
        FORMER = "former", _("Tidigare namn")
        SPELLING = "spelling", _("Annan stavning")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("företag"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, default=Kind.SPELLING)
    slug = models.SlugField(
        _("kortnamn i adresser"),
        max_length=200,
        unique=True,
        help_text=_("Gamla adresser med detta kortnamn leder till företagets sida."),
    )

    class Meta:
        verbose_name = _("annat namn")
        verbose_name_plural = _("andra namn")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="enterprise_alias_name_unique",
                violation_error_message=_("Det namnet används redan som annat namn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"


class LegalEntity(models.Model):
    """The legal person behind (part of) an enterprise, e.g. an economic association."""

    class LegalForm(models.TextChoices):
        ECONOMIC_ASSOCIATION = "EK", _("Ekonomisk förening")
        NON_PROFIT_ASSOCIATION = "IF", _("Ideell förening")
        LIMITED_COMPANY = "AB", _("Aktiebolag")
        FOUNDATION = "ST", _("Stiftelse")
        OTHER = "OT", _("Annan form")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("företag"),
        on_delete=models.CASCADE,
        related_name="legal_entities",
    )
    name = models.CharField(_("namn"), max_length=200)
    legal_form = models.CharField(_("juridisk form"), max_length=2, choices=LegalForm)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Tio siffror, NNNNNN-NNNN. Lämna tomt om det inte är känt."),
    )

    class Meta:
        verbose_name = _("juridisk person")
        verbose_name_plural = _("juridiska personer")
        ordering = ["enterprise__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~models.Q(organisation_number=""),
                name="legal_entity_organisation_number_unique",
                violation_error_message=_("Organisationsnumret är redan registrerat."),
            ),
        ]

    def __str__(self) -> str:
        # "Värmekällan i Väsby ek. för. (ekonomisk förening, 802479-2353)": the code "EK"
        # alone means little to a new coordinator.
        details = [self.get_legal_form_display().lower(), self.organisation_number]
        return f"{self.name} ({', '.join(part for part in details if part)})"

    def clean(self) -> None:
        if self.organisation_number:
            with contextlib.suppress(StdnumValidationError):  # the field validator reports it
                self.organisation_number = orgnr.format(self.organisation_number)


class Unit(models.Model):
    """A workplace of an enterprise: Café Nyfiket, Kulturcafé, Sigtuna Hantverkshus."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("företag"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["enterprise__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name"],
                name="unit_name_unique_per_enterprise",
                violation_error_message=_("Företaget har redan en enhet med det namnet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise})"

    @property
    def address(self) -> str:
        town = " ".join(part for part in [self.postal_code, self.city] if part)
        return ", ".join(part for part in [self.street_address, town] if part)


class NetworkProfile(models.Model):
    """The network itself: one row with the one phone number and the one web address."""

    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kort namn"), max_length=60)
    tagline = models.CharField(_("kort beskrivning"), max_length=300, blank=True)
    phone = models.CharField(_("telefonnummer"), max_length=40)
    email = models.EmailField(_("e-post"))
    website = models.URLField(_("webbadress"))
    coordinator_name = models.CharField(_("samordnare"), max_length=150, blank=True)
    coordinator_email = models.EmailField(
        _("samordnarens e-post"),
        blank=True,
        help_text=_("Hit skickas meddelanden från kontaktformuläret."),
    )
    coordinator_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("samordnarens företag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nätverkets uppgifter")
        verbose_name_plural = _("nätverkets uppgifter")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> NetworkProfile | None:
        return cls.objects.order_by("pk").first()

    @classmethod
    def for_request(cls, request) -> NetworkProfile | None:
        """The network's one row, looked up at most once per request."""
        if not hasattr(request, "_network_profile"):
            request._network_profile = cls.current()
        return request._network_profile

    @property
    def phone_uri(self) -> str:
        """The phone number as a tel: link target in international form (+46...)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        if digits.startswith("0"):
            digits = "+46" + digits[1:]
        return f"tel:{digits}"


class Inquiry(models.Model):
    """A message sent through the one contact form."""

    class Topic(models.TextChoices):
        BUY = "buy", _("Köpa en vara eller tjänst")
        TRAINING = "training", _("Arbetsträning eller praktikplats")
        MEMBERSHIP = "membership", _("Bli medlem i nätverket")
        OTHER = "other", _("Något annat")

    class Status(models.TextChoices):
        NEW = "new", _("Ny")
        IN_PROGRESS = "in_progress", _("Under handläggning")
        ANSWERED = "answered", _("Besvarad")
        CLOSED = "closed", _("Avslutad")

    topic = models.CharField(_("ärende"), max_length=20, choices=Topic)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("företag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    service_category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("tjänst"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    message = models.TextField(_("meddelande"), max_length=5000)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    notes = models.TextField(_("interna anteckningar"), blank=True)
    created_at = models.DateTimeField(_("mottagen"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("förfrågan")
        verbose_name_plural = _("förfrågningar från kontaktformuläret")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone=""),
                name="inquiry_has_a_way_to_answer",
                violation_error_message=_("Ange e-post eller telefonnummer så att vi kan svara."),
            ),
        ]

    def __str__(self) -> str:
        received = f" ({self.created_at:%Y-%m-%d})" if self.created_at else ""
        return f"{self.get_topic_display()}: {self.name}{received}"

    def clean(self) -> None:
        # The check constraint says the same, but Django would show it above the form.
        if not self.email and not self.phone:
            raise ValidationError(
                {"email": _("Ange e-post eller telefonnummer så att vi kan svara.")}
            )
