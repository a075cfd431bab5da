"""Who may place participants where: organisations, agreements, training places, placements."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The migrations name placements.models.validate_participant_code: it must stay importable here.
from accounts.personal_data import (
    normalise_participant_code,
    validate_participant_code,
    validate_sensitive_free_text,
)
from accounts.roles import is_coordinator, is_enterprise_staff
from enterprises.models import Adaptation, Enterprise, Municipality, ServiceCategory, Unit

from .working_days import working_days_between

# A place whose details nobody has confirmed for longer than this may be out of date: from
# the 61st day after its last confirmation it is flagged on /platser/, in the admin and in the
# coordinator's weekly digest. A place never confirmed is flagged from the start.
CONFIRMATION_MAX_AGE_DAYS = 60
# On the 45th day after the last confirmation (or later, once, if the worker was down), the
# enterprise's staff get a mail with a link that confirms the place in one click.
REMINDER_AFTER_DAYS = 45
# How long that link works; it names one PlaceReminder and works once.
REMINDER_LINK_MAX_AGE = datetime.timedelta(days=14)
REMINDER_TOKEN_SALT = "placements.place-reminder"
# An accept can be undone this long after it was made, from the request's page, by the person
# who accepted or the enterprise's staff (services.placement_request_accept_undo). After that
# the placement stands, and is ended like any other.
ACCEPT_UNDO_WINDOW = datetime.timedelta(minutes=10)


class Organisation(models.Model):
    """A party that is not an ASF: an agency, a municipal department, a coordination association."""

    class Kind(models.TextChoices):
        STATE_AGENCY = "state_agency", _("Statlig myndighet")
        MUNICIPAL_DEPARTMENT = "municipal_department", _("Kommunal förvaltning eller enhet")
        COORDINATION_ASSOCIATION = "coordination_association", _("Samordningsförbund")
        INTEREST_ORGANISATION = "interest_organisation", _("Intresseorganisation")
        ADVISORY = "advisory", _("Rådgivning och utveckling")
        OTHER = "other", _("Annan")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kort namn"), max_length=60, blank=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("webbplats"), blank=True)
    logo = models.ImageField(
        _("logotyp"),
        upload_to="organisations/",
        blank=True,
        help_text=_("Visas på årsrapportens försättsblad när organisationen är part."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """An intervention (insats) run by an organisation, e.g. Hoppet or MIA-Vidare."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kort namn"), max_length=60)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=200, unique=True)
    other_spellings = models.CharField(
        _("andra stavningar"),
        max_length=300,
        blank=True,
        help_text=_("Kommaseparerade, t.ex. ”MIA Vidare”."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("drivs av"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgreementQuerySet(models.QuerySet):
    def valid_on(self, date: datetime.date) -> AgreementQuerySet:
        """In force on the date; a subcontract also needs its prime agreement in force."""
        own = (Q(valid_from__isnull=True) | Q(valid_from__lte=date)) & (
            Q(valid_until__isnull=True) | Q(valid_until__gte=date)
        )
        prime = Q(prime_agreement__isnull=True) | (
            (Q(prime_agreement__valid_from__isnull=True) | Q(prime_agreement__valid_from__lte=date))
            & (
                Q(prime_agreement__valid_until__isnull=True)
                | Q(prime_agreement__valid_until__gte=date)
            )
        )
        return self.filter(own & prime)

    def placing(self) -> AgreementQuerySet:
        """Agreements under which participants may be placed (not mere collaborations)."""
        return self.exclude(kind=Agreement.Kind.COLLABORATION)

    def for_referrer(self, organisation: Organisation) -> AgreementQuerySet:
        return self.filter(
            Q(counterparty=organisation) | Q(prime_agreement__counterparty=organisation)
        )


class Agreement(models.Model):
    """An agreement that lets an organisation place participants at an enterprise.

    A subcontract has no counterparty of its own: it works under its prime agreement
    ("Underleverantör till M29 för avtalet ..."), whose counterparty and programmes it takes.
    """

    class Kind(models.TextChoices):
        AF_TRAINING = "af_training", _("Arbetsförmedlingen: arbetsträningsplatser")
        IOP = "iop", _("Idéburet offentligt partnerskap (IoP)")
        PROGRAMME = "programme", _("Samordningsförbundets insats")
        SUBCONTRACT = "subcontract", _("Underleverantör")
        COLLABORATION = "collaboration", _("Samarbete")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("företag"), on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    title = models.CharField(
        _("benämning"),
        max_length=250,
        blank=True,
        help_text=_(
            "Som avtalet brukar kallas, t.ex. ”AF om arbetsträningsplatser”. "
            "Lämnas tomt för underleverantörsavtal: då byggs texten av huvudavtalet."
        ),
    )
    counterparty = models.ForeignKey(
        Organisation,
        verbose_name=_("motpart"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Lämnas tomt för underleverantörsavtal."),
    )
    prime_agreement = models.ForeignKey(
        "self",
        verbose_name=_("huvudavtal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcontracts",
        help_text=_("Bara för underleverantörsavtal: avtalet som företaget är underleverantör i."),
    )
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("insatser"), related_name="agreements", blank=True
    )
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    notes = models.TextField(_("anteckningar"), blank=True)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avtal")
        verbose_name_plural = _("avtal")
        ordering = ["enterprise__name", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_ends_after_it_starts",
                violation_error_message=_("Avtalet kan inte upphöra innan det börjar gälla."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="subcontract", prime_agreement__isnull=False, counterparty__isnull=True)
                    | (
                        ~Q(kind="subcontract")
                        & Q(prime_agreement__isnull=True, counterparty__isnull=False)
                    )
                ),
                name="agreement_subcontract_has_prime_others_counterparty",
                violation_error_message=_(
                    "Ett underleverantörsavtal ska ha ett huvudavtal och ingen egen motpart; "
                    "andra avtal ska ha en motpart och inget huvudavtal."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.label}"

    @property
    def label(self) -> str:
        """The agreement as the annual report's table writes it."""
        if self.kind == self.Kind.SUBCONTRACT and self.prime_agreement_id:
            prime = self.prime_agreement
            return _("Underleverantör till %(contractor)s för avtalet %(prime)s") % {
                "contractor": prime.enterprise.contract_name,
                "prime": prime.label,
            }
        return self.title or (str(self.counterparty) if self.counterparty_id else "")

    @property
    def referrer(self) -> Organisation | None:
        """The organisation whose participants this agreement lets the enterprise take."""
        if self.prime_agreement_id:
            return self.prime_agreement.counterparty
        return self.counterparty

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.SUBCONTRACT:
            if not self.prime_agreement_id:
                errors["prime_agreement"] = _(
                    "Välj huvudavtalet som företaget är underleverantör i."
                )
            if self.counterparty_id:
                errors["counterparty"] = _(
                    "Ett underleverantörsavtal har huvudavtalets motpart; lämna fältet tomt."
                )
        else:
            if not self.counterparty_id:
                errors["counterparty"] = _("Välj motpart för avtalet.")
            if self.prime_agreement_id:
                errors["prime_agreement"] = _("Bara underleverantörsavtal har ett huvudavtal.")
            if not self.title:
                errors["title"] = _("Skriv avtalets benämning.")
        if self.prime_agreement_id:
            prime = self.prime_agreement
            if self.pk and prime.pk == self.pk:
                errors["prime_agreement"] = _("Ett avtal kan inte vara sitt eget huvudavtal.")
            elif prime.kind == self.Kind.SUBCONTRACT:
                errors["prime_agreement"] = _("Huvudavtalet kan inte självt vara ett underavtal.")
            elif self.enterprise_id and prime.enterprise_id == self.enterprise_id:
                errors["prime_agreement"] = _("Huvudavtalet måste tillhöra ett annat företag.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("Avtalet kan inte upphöra innan det börjar gälla.")
        if errors:
            raise ValidationError(errors)


class PlacementType(models.Model):
    """Arbetsträning (AT), förstärkt arbetsträning (FAT), arbetsprövning, ..."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    code = models.CharField(_("förkortning"), max_length=20, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=100, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("placeringstyp")
        verbose_name_plural = _("placeringstyper")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TrainingPlaceQuerySet(models.QuerySet):
    def open(self) -> TrainingPlaceQuerySet:
        return self.filter(status=TrainingPlace.Status.OPEN)

    def with_free_seats(self) -> TrainingPlaceQuerySet:
        """Annotate `occupied_seats` and `free_seats` (capacity minus active placements).

        A correlated subquery on the partial index of active placements rather than a join
        and GROUP BY: a page of a long list then does not aggregate every placement of every
        place, and later joins (filters on many-to-many fields) cannot multiply the count.
        """
        # COUNT(place_id) rather than COUNT(id): the partial index placement_place_open_idx
        # holds place_id, so the count is read from the index alone, without the table.
        active = (
            Placement.objects.filter(place=OuterRef("pk"), ended_on__isnull=True)
            .order_by()
            .values("place")
            .annotate(count=Count("place"))
            .values("count")
        )
        occupied = Coalesce(Subquery(active, output_field=models.IntegerField()), 0)
        return self.annotate(occupied_seats=occupied, free_seats=F("capacity") - occupied)

    def having_free_seats(self) -> TrainingPlaceQuerySet:
        return self.with_free_seats().filter(free_seats__gt=0)

    def available_to(
        self, organisation: Organisation, on: datetime.date | None = None
    ) -> TrainingPlaceQuerySet:
        """Places at enterprises that hold a valid placing agreement with the organisation."""
        agreements = (
            Agreement.objects.valid_on(on or timezone.localdate())
            .placing()
            .for_referrer(organisation)
        )
        return self.filter(enterprise__in=agreements.values("enterprise"))

    def of_staff(self, user) -> TrainingPlaceQuerySet:
        return self.filter(enterprise__staff=user)

    def not_recently_confirmed(self, on: datetime.date | None = None) -> TrainingPlaceQuerySet:
        """Never confirmed, or last confirmed more than CONFIRMATION_MAX_AGE_DAYS ago."""
        since = (on or timezone.localdate()) - datetime.timedelta(days=CONFIRMATION_MAX_AGE_DAYS)
        return self.filter(Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lt=since))

    def due_for_reminder(self, on: datetime.date | None = None) -> TrainingPlaceQuerySet:
        """Open places last confirmed REMINDER_AFTER_DAYS or more days ago whose staff have not
        been reminded of that confirmation yet. Never confirmed places have no date to count
        from: they are flagged at once and listed in the coordinator's digest instead."""
        since = (on or timezone.localdate()) - datetime.timedelta(days=REMINDER_AFTER_DAYS)
        reminded = PlaceReminder.objects.filter(
            place=OuterRef("pk"), confirmed_on=OuterRef("last_confirmed_on")
        )
        return self.open().filter(last_confirmed_on__lte=since).exclude(Exists(reminded))

    def in_municipality(self, municipality: Municipality) -> TrainingPlaceQuerySet:
        """The unit's municipality; for a place without one, the enterprise's municipalities.

        Subqueries rather than joins, so a free-seat count annotated on the same queryset
        is not multiplied by the rows of a many-to-many join.
        """
        return self.filter(
            Q(unit__municipality=municipality)
            | Q(
                unit__municipality__isnull=True,
                enterprise__in=Enterprise.objects.in_municipality(municipality).values("pk"),
            )
        )

    def for_listing(self, on: datetime.date | None = None) -> TrainingPlaceQuerySet:
        """Everything a list of places shows, in a fixed number of queries.

        Each place's enterprise gets `placing_agreements`: the placing agreements in force
        on the date, with the organisations they let place participants.
        """
        agreements = (
            Agreement.objects.valid_on(on or timezone.localdate())
            .placing()
            .select_related("counterparty", "prime_agreement__counterparty")
            .order_by("order", "pk")
        )
        return self.select_related(
            "enterprise", "unit__municipality", "service_category"
        ).prefetch_related(
            "placement_types",
            "adaptations",
            "enterprise__municipalities",
            Prefetch("enterprise__agreements", queryset=agreements, to_attr="placing_agreements"),
        )


class TrainingPlace(models.Model):
    """A work-training place (arbetsträningsplats) with a number of seats."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        PAUSED = "paused", _("Pausad")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("företag"),
        on_delete=models.CASCADE,
        related_name="training_places",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("enhet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_places",
    )
    title = models.CharField(_("benämning"), max_length=200)
    tasks = models.TextField(_("arbetsuppgifter"), blank=True)
    service_category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("verksamhet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_places",
    )
    placement_types = models.ManyToManyField(
        PlacementType, verbose_name=_("placeringstyper"), related_name="training_places"
    )
    capacity = models.PositiveSmallIntegerField(
        _("antal platser"), validators=[MaxValueValidator(500)]
    )
    hours_min = models.PositiveSmallIntegerField(
        _("timmar per vecka, minst"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    hours_max = models.PositiveSmallIntegerField(
        _("timmar per vecka, högst"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    adaptations = models.ManyToManyField(
        Adaptation, verbose_name=_("anpassningar"), related_name="training_places", blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    last_confirmed_on = models.DateField(
        _("senast bekräftad"),
        null=True,
        blank=True,
        help_text=_("Dagen då någon senast bekräftade att uppgifterna stämmer."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = TrainingPlaceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arbetsträningsplats")
        verbose_name_plural = _("arbetsträningsplatser")
        ordering = ["enterprise__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0),
                name="training_place_capacity_not_negative",
                violation_error_message=_("Antalet platser kan inte vara negativt."),
            ),
            models.CheckConstraint(
                condition=Q(hours_min__gte=1, hours_max__lte=40, hours_min__lte=F("hours_max")),
                name="training_place_hours_range",
                violation_error_message=_(
                    "Timmar per vecka: minst 1, högst 40, och ”minst” får inte vara större "
                    "än ”högst”."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.enterprise}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.unit_id and self.enterprise_id and self.unit.enterprise_id != self.enterprise_id:
            errors["unit"] = _("Enheten hör till ett annat företag.")
        if self.hours_min and self.hours_max and self.hours_min > self.hours_max:
            errors["hours_max"] = _("”Högst” kan inte vara färre timmar än ”minst”.")
        if errors:
            raise ValidationError(errors)

    def active_placement_count(self) -> int:
        return self.placements.active().count()

    @property
    def is_recently_confirmed(self) -> bool:
        """Confirmed within CONFIRMATION_MAX_AGE_DAYS (see not_recently_confirmed)."""
        if self.last_confirmed_on is None:
            return False
        age = timezone.localdate() - self.last_confirmed_on
        return age <= datetime.timedelta(days=CONFIRMATION_MAX_AGE_DAYS)

    @property
    def days_since_confirmed(self) -> int | None:
        """Whole days since the last confirmation, in local dates; None if never confirmed."""
        if self.last_confirmed_on is None:
            return None
        return (timezone.localdate() - self.last_confirmed_on).days

    @property
    def municipalities(self) -> list[Municipality]:
        """The unit's municipality; without one, the enterprise's municipalities."""
        if self.unit_id and self.unit.municipality_id:
            return [self.unit.municipality]
        return list(self.enterprise.municipalities.all())

    @property
    def covering_referrers(self) -> list[Organisation]:
        """Organisations whose placing agreements in force today cover the place.

        Reads `placing_agreements` from TrainingPlaceQuerySet.for_listing where present.
        """
        agreements = getattr(self.enterprise, "placing_agreements", None)
        if agreements is None:
            agreements = (
                Agreement.objects.valid_on(timezone.localdate())
                .placing()
                .filter(enterprise=self.enterprise_id)
                .select_related("counterparty", "prime_agreement__counterparty")
            )
        referrers: dict[int, Organisation] = {}
        for agreement in agreements:
            if referrer := agreement.referrer:
                referrers.setdefault(referrer.pk, referrer)
        return sorted(referrers.values(), key=lambda organisation: organisation.name)

    @property
    def free_seat_count(self) -> int:
        """Free seats, from the annotation when present, else counted."""
        occupied = getattr(self, "occupied_seats", None)
        if occupied is None:
            occupied = self.active_placement_count()
        return max(self.capacity - occupied, 0)


class PlacementQuerySet(models.QuerySet):
    def active(self) -> PlacementQuerySet:
        return self.filter(ended_on__isnull=True)

    def started_in(self, year: int) -> PlacementQuerySet:
        return self.filter(started_on__year=year)

    def ended_in(self, year: int) -> PlacementQuerySet:
        return self.filter(ended_on__year=year)

    def managed_by(self, user) -> PlacementQuerySet:
        """Placements the user may end: the coordinator all, staff their own enterprises'."""
        if is_coordinator(user):
            return self.all()
        if is_enterprise_staff(user):
            return self.filter(
                place__enterprise__in=Enterprise.objects.staffed_by(user).values("pk")
            )
        return self.none()


class Placement(models.Model):
    """One participant at one place, known only by a pseudonymous code."""

    class Outcome(models.TextChoices):
        WORK = "work", _("Arbete")
        STUDIES = "studies", _("Studier")
        OTHER_PROGRAMME = "other_programme", _("Annan insats")
        BACK_TO_REFERRER = "back_to_referrer", _("Åter till remittent")
        ILL_HEALTH = "ill_health", _("Ohälsa")
        OTHER = "other", _("Annat")

    place = models.ForeignKey(
        TrainingPlace,
        verbose_name=_("arbetsträningsplats"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    participant_code = models.CharField(
        _("deltagarkod"),
        max_length=20,
        validators=[validate_participant_code],
        help_text=_("En påhittad kod. Aldrig namn eller personnummer."),
    )
    placement_type = models.ForeignKey(
        PlacementType,
        verbose_name=_("placeringstyp"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    referrer = models.ForeignKey(
        Organisation,
        verbose_name=_("remittent"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("insats"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("avtal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    started_on = models.DateField(_("startdatum"))
    planned_end_on = models.DateField(_("planerat slutdatum"), null=True, blank=True)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    extent_percent = models.PositiveSmallIntegerField(
        _("omfattning (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    outcome = models.CharField(_("utfall vid avslut"), max_length=20, choices=Outcome, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = PlacementQuerySet.as_manager()
    # The history copies the participant code: purge_expired and the erasure clear it there too.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        ordering = ["-started_on", "pk"]
        indexes = [
            models.Index(fields=["place", "ended_on"], name="placement_place_active_idx"),
            # Only the active placements (a fifth of them or fewer): the free-seat count of
            # every place in the browser's sort and filter is an index-only scan of this.
            models.Index(
                fields=["place"],
                condition=Q(ended_on__isnull=True),
                name="placement_place_open_idx",
            ),
            models.Index(fields=["started_on"], name="placement_started_idx"),
            models.Index(fields=["ended_on"], name="placement_ended_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="placement_ends_after_it_starts",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=F("started_on")),
                name="placement_planned_end_after_start",
                violation_error_message=_("Planerat slutdatum kan inte ligga före startdatum."),
            ),
            models.CheckConstraint(
                condition=Q(extent_percent__gte=1, extent_percent__lte=100),
                name="placement_extent_1_to_100",
                violation_error_message=_("Omfattningen ska vara mellan 1 och 100 procent."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(ended_on__isnull=False),
                name="placement_outcome_only_when_ended",
                violation_error_message=_("Utfall kan bara anges för en avslutad placering."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_code} – {self.place}"

    def clean(self) -> None:
        if self.participant_code:
            self.participant_code = normalise_participant_code(self.participant_code)
        # The check constraints say the same, but Django would show them above the form.
        errors: dict[str, str] = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("Slutdatum kan inte ligga före startdatum.")
        if self.started_on and self.planned_end_on and self.planned_end_on < self.started_on:
            errors["planned_end_on"] = _("Planerat slutdatum kan inte ligga före startdatum.")
        if self.outcome and not self.ended_on:
            errors["outcome"] = _("Utfall kan bara anges för en avslutad placering.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class PlacementRequestQuerySet(models.QuerySet):
    def pending(self) -> PlacementRequestQuerySet:
        return self.filter(status=PlacementRequest.Status.PENDING)

    def of_case_officer(self, user) -> PlacementRequestQuerySet:
        return self.filter(case_officer=user)

    def undecided(self) -> PlacementRequestQuerySet:
        """Waiting for an answer: sent in or on the waiting list."""
        return self.filter(
            status__in=[PlacementRequest.Status.PENDING, PlacementRequest.Status.WAITLISTED]
        )

    def decidable_by(self, user) -> PlacementRequestQuerySet:
        """Requests the user may answer: the coordinator all, staff their own enterprises'."""
        if is_coordinator(user):
            return self.all()
        if is_enterprise_staff(user):
            return self.filter(
                place__enterprise__in=Enterprise.objects.staffed_by(user).values("pk")
            )
        return self.none()


class PlacementRequest(models.Model):
    """A case officer asks for a seat at a place; the enterprise answers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Inskickad")
        WAITLISTED = "waitlisted", _("Väntelista")
        ACCEPTED = "accepted", _("Antagen")
        DECLINED = "declined", _("Avböjd")
        WITHDRAWN = "withdrawn", _("Återkallad")

    place = models.ForeignKey(
        TrainingPlace,
        verbose_name=_("arbetsträningsplats"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.PROTECT,
        related_name="placement_requests",
    )
    referrer = models.ForeignKey(
        Organisation,
        verbose_name=_("remittent"),
        on_delete=models.PROTECT,
        related_name="placement_requests",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("insats"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement_requests",
    )
    participant_code = models.CharField(
        _("deltagarkod"), max_length=20, validators=[validate_participant_code]
    )
    placement_type = models.ForeignKey(
        PlacementType,
        verbose_name=_("placeringstyp"),
        on_delete=models.PROTECT,
        related_name="placement_requests",
    )
    wished_start_on = models.DateField(_("önskat startdatum"))
    extent_percent = models.PositiveSmallIntegerField(
        _("omfattning (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    note = models.TextField(
        _("vad deltagaren vill träna på"),
        max_length=1000,
        blank=True,
        help_text=_("Skriv inget om hälsa eller diagnoser."),
        validators=[validate_sensitive_free_text],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    decline_reason = models.TextField(
        _("skäl till avböjande"),
        max_length=1000,
        blank=True,
        validators=[validate_sensitive_free_text],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    placement = models.OneToOneField(
        Placement,
        verbose_name=_("placering"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
    )
    created_at = models.DateTimeField(_("inskickad"), auto_now_add=True, db_index=True)
    # The reminders about a request still pending (placements.services.
    # placement_request_reminders_send): each is sent once, and these say when.
    staff_reminded_at = models.DateTimeField(
        _("påminnelse till företaget skickad"), null=True, blank=True, editable=False
    )
    coordinator_told_at = models.DateTimeField(
        _("samordnaren underrättad"), null=True, blank=True, editable=False
    )

    objects = PlacementRequestQuerySet.as_manager()
    # The history copies the participant code: purge_expired and the erasure clear it there too.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förfrågan om plats")
        verbose_name_plural = _("förfrågningar om plats")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extent_percent__gte=1, extent_percent__lte=100),
                name="placement_request_extent_1_to_100",
                violation_error_message=_("Omfattningen ska vara mellan 1 och 100 procent."),
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(placement__isnull=False),
                name="placement_request_accepted_has_placement",
                violation_error_message=_("En antagen förfrågan ska ha en placering."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_code} → {self.place} ({self.get_status_display()})"

    @property
    def sent_on(self) -> datetime.date:
        return timezone.localdate(self.created_at)

    @property
    def accept_undoable_until(self) -> datetime.datetime | None:
        """When the window to undo the accept closes; None unless the request is accepted."""
        if self.status != self.Status.ACCEPTED or self.decided_at is None:
            return None
        return self.decided_at + ACCEPT_UNDO_WINDOW

    def working_days_waiting(self, on: datetime.date | None = None) -> int:
        """Working days since it was sent: after the day it was sent, up to and including
        `on` (today). The reminders go at 3 and 5 (placement_request_reminders_send)."""
        return working_days_between(self.sent_on, on or timezone.localdate())


class PlaceReminder(models.Model):
    """The enterprise's staff were asked to confirm a place last confirmed on `confirmed_on`.

    One per place and date, so a reminder is never sent twice for the same confirmation. Its
    signed token (`token`) is the link in the mail: it confirms the place once, within
    REMINDER_LINK_MAX_AGE, and only while the place's last confirmation is still that date.
    """

    place = models.ForeignKey(
        TrainingPlace,
        verbose_name=_("arbetsträningsplats"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    confirmed_on = models.DateField(_("senast bekräftad när påminnelsen skickades"))
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    used_at = models.DateTimeField(_("länken använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelse om att bekräfta en plats")
        verbose_name_plural = _("påminnelser om att bekräfta platser")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "confirmed_on"], name="place_reminder_once_per_confirmation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.confirmed_on}"

    @property
    def token(self) -> str:
        return signing.dumps(self.pk, salt=REMINDER_TOKEN_SALT)


class StalePlacesDigest(models.Model):
    """The coordinator's weekly list of places not confirmed for a long time was sent."""

    week = models.CharField(_("vecka"), max_length=10, unique=True)  # "2026-W49"
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    place_count = models.PositiveIntegerField(_("antal platser"), default=0)

    class Meta:
        verbose_name = _("veckosammanställning av obekräftade platser")
        verbose_name_plural = _("veckosammanställningar av obekräftade platser")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.week


class CaseOfficer(models.Model):
    """Links a user to the organisation (and optionally programme) they place participants for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="case_officer",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="case_officers",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("insats"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_officers",
    )

    class Meta:
        verbose_name = _("handläggare")
        verbose_name_plural = _("handläggare")
        ordering = ["user__email"]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"
