"""The strategy the partnership works under, its activities, the annual IoP report and its PDFs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise
from placements.models import Organisation

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Strategy(models.Model):
    """E.g. Samordningsförbundets "Strategi för hållbar etablering i arbete och studier"."""

    name = models.CharField(_("namn"), max_length=250, unique=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("ägare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategies",
    )

    class Meta:
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StrategyArea(models.Model):
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=300)

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"],
                name="strategy_area_number_unique",
                violation_error_message=_("Strategin har redan ett område med det numret."),
            ),
        ]

    def __str__(self) -> str:
        return _("Område %(number)s – %(title)s") % {"number": self.number, "title": self.title}


class StrategyPoint(models.Model):
    area = models.ForeignKey(
        StrategyArea, verbose_name=_("område"), on_delete=models.CASCADE, related_name="points"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    label = models.CharField(
        _("som rapporten skriver den"),
        max_length=40,
        blank=True,
        help_text=_("T.ex. ”Punkten 1”. Tomt: ”Punkt” och numret, ”Punkt 1”."),
    )
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("punkt")
        verbose_name_plural = _("punkter")
        ordering = ["area__strategy", "area__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "number"],
                name="strategy_point_number_unique",
                violation_error_message=_("Området har redan en punkt med det numret."),
            ),
        ]

    def __str__(self) -> str:
        return _("Område %(area)s, punkt %(number)s: %(text)s") % {
            "area": self.area.number,
            "number": self.number,
            "text": Truncator(self.text).chars(80),
        }


class ActivityQuerySet(models.QuerySet):
    def of_year(self, year: int) -> ActivityQuerySet:
        return self.filter(year=year)


class Activity(models.Model):
    """Something the network did in a year, under one or more points of the strategy."""

    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS, db_index=True)
    date = models.DateField(_("datum"), null=True, blank=True)
    period = models.CharField(
        _("period"), max_length=100, blank=True, help_text=_("T.ex. ”Under våren”.")
    )
    points = models.ManyToManyField(
        StrategyPoint, verbose_name=_("punkter i strategin"), related_name="activities"
    )
    text = models.TextField(_("text"))
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("medverkande företag"), related_name="activities", blank=True
    )
    people_reached = models.PositiveIntegerField(_("antal nådda personer"), null=True, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    starts_new_list = models.BooleanField(
        _("börjar en ny lista"),
        default=False,
        help_text=_(
            "Aktiviteten börjar en egen punktlista under sin punkt i rapporten, skild från "
            "aktiviteterna före den."
        ),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["year", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date__isnull=True) | models.Q(date__year=models.F("year")),
                name="activity_date_in_its_year",
                violation_error_message=_("Datumet ska ligga inom aktivitetens år."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {Truncator(self.text).chars(80)}"

    def clean(self) -> None:
        # The check constraint says the same, but Django would show it above the form.
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"date": _("Datumet ska ligga inom aktivitetens år.")})


class AnnualReportQuerySet(models.QuerySet):
    def published(self) -> AnnualReportQuerySet:
        return self.filter(published=True)


class AnnualReport(models.Model):
    """The partnership's yearly report. Activities, tables and statistics come from the data."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True, validators=YEAR_VALIDATORS)
    title = models.CharField(_("titel"), max_length=300)
    date = models.DateField(_("datum"))
    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    activities_intro = models.TextField(
        _("inledning till aktiviteterna"),
        blank=True,
        help_text=_("Text före listan över årets aktiviteter."),
    )
    table_year = models.PositiveSmallIntegerField(
        _("år för företagstabellen"),
        validators=YEAR_VALIDATORS,
        help_text=_("Vilket års tabell över företagen som visas sist i rapporten."),
    )
    parties = models.ManyToManyField(
        Organisation, verbose_name=_("parter"), related_name="annual_reports", blank=True
    )
    complementary_enterprises = models.ManyToManyField(
        Enterprise,
        verbose_name=_("kompletterande aktörer bland företagen"),
        related_name="annual_reports",
        blank=True,
    )
    complementary_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("kompletterande aktörer bland organisationerna"),
        related_name="complemented_reports",
        blank=True,
    )
    show_statistics = models.BooleanField(
        _("visa statistik"),
        default=True,
        help_text=_(
            "Rapporten avslutas med årets statistik över platser och placeringar, hämtad från "
            "portalen."
        ),
    )
    published = models.BooleanField(_("publicerad"), default=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class ReportSection(models.Model):
    """An editorial section of a report: Bakgrund, Organisation, Framtida utvecklingsområden, ..."""

    class Position(models.TextChoices):
        BEFORE_ACTIVITIES = "before", _("Före aktiviteterna")
        AFTER_ACTIVITIES = "after", _("Efter aktiviteterna")

    class Level(models.IntegerChoices):
        SECTION = 1, _("Rubrik")
        SUBSECTION = 2, _("Underrubrik")

    class Insert(models.TextChoices):
        """Content generated from the data, shown after the section's text."""

        MEMBER_LIST = "member_list", _("Nätverkets medlemmar")

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="sections"
    )
    heading = models.CharField(_("rubrik"), max_length=200)
    level = models.PositiveSmallIntegerField(_("nivå"), choices=Level, default=Level.SECTION)
    position = models.CharField(
        _("placering"), max_length=10, choices=Position, default=Position.BEFORE_ACTIVITIES
    )
    body = models.TextField(_("text"), blank=True)
    insert = models.CharField(
        _("efter texten"),
        max_length=20,
        choices=Insert,
        blank=True,
        help_text=_("Innehåll som hämtas från uppgifterna och visas efter avsnittets text."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        ordering = ["report", "order", "pk"]

    def __str__(self) -> str:
        # Every report has a "Bakgrund": say which one.
        return f"{self.heading} ({self.report.year})" if self.report_id else self.heading


class Signatory(models.Model):
    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("rapport"),
        on_delete=models.CASCADE,
        related_name="signatories",
    )
    name = models.CharField(_("namn"), max_length=150)
    role = models.CharField(_("roll"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("undertecknare")
        verbose_name_plural = _("undertecknare")
        ordering = ["report", "order", "pk"]

    def __str__(self) -> str:
        return ", ".join(part for part in [self.name, self.role, self.organisation] if part)


class RenderedReportQuerySet(models.QuerySet):
    def finished(self) -> RenderedReportQuerySet:
        return self.filter(rendered_at__isnull=False)

    def of(self, report: AnnualReport, language: str) -> RenderedReportQuerySet:
        return self.filter(report=report, language=language)

    def current_first(self, fingerprint: str) -> RenderedReportQuerySet:
        """The PDF of this fingerprint first, then the newest others."""
        is_other = models.Case(models.When(fingerprint=fingerprint, then=0), default=1)
        return self.order_by(is_other, "-rendered_at", "-pk")


class RenderedReport(models.Model):
    """A report's PDF in one language for one fingerprint of what it shows (reports/pdf.py).

    The row is made when the PDF is asked for, and the worker's render task writes the file
    (in the "reports" storage, never under /media/) and `rendered_at`. A row asked for again
    (the coordinator's "Skapa PDF:en på nytt") keeps serving its file until the new one is
    written: `requested_at` later than `rendered_at` means a render is on its way.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="pdfs"
    )
    language = models.CharField(_("språk"), max_length=10)
    fingerprint = models.CharField(_("fingeravtryck"), max_length=64)
    requested_at = models.DateTimeField(_("beställd"), default=timezone.now)
    # The render task enqueued by the latest request (to tell a queued render from a lost one).
    task_id = models.CharField(_("uppgift"), max_length=64, blank=True)
    file_name = models.CharField(_("fil"), max_length=255, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("skapad"), null=True, blank=True)

    objects = RenderedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportens PDF")
        verbose_name_plural = _("rapporternas PDF:er")
        ordering = ["report", "language", "-rendered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "language", "fingerprint"], name="rendered_report_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.year} ({self.language}) {self.fingerprint[:12]}"

    @property
    def is_finished(self) -> bool:
        return self.rendered_at is not None

    @property
    def render_requested(self) -> bool:
        """A render was asked for after the file (if any) was written."""
        return self.rendered_at is None or self.requested_at > self.rendered_at


class ReportVersion(models.Model):
    """A published version of a report, frozen: what it said and showed the day it was published.

    Publishing (reports/versions.py) stores the report's texts and the parts derived from the
    data as `data`, and the rendered document in each language of the site
    (ReportVersionDocument). /rapporter/<year>/ and .pdf serve the latest version as stored,
    whatever changes in the data afterwards; earlier versions stay available.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("publicerad"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicerad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    change_note = models.TextField(_("vad som ändrats"), blank=True)
    data = models.JSONField(_("innehåll"), default=dict)

    class Meta:
        verbose_name = _("publicerad version")
        verbose_name_plural = _("publicerade versioner")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="report_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s, version %(number)s") % {
            "year": self.report.year,
            "number": self.number,
        }

    @property
    def data_title(self) -> str:
        return next(iter(self.data.values()), {}).get("title") or self.report.title

    def statistics_rows(self, language: str) -> list[list] | None:
        """The version's statistics as the CSV lists them; None when it showed none."""
        data = self.data.get(language) or next(iter(self.data.values()), {})
        return data.get("statistics")


class ReportVersionDocument(models.Model):
    """A published version in one language: its HTML as stored, and its PDF once rendered.

    `html` is the report as the page shows it (inside the site's frame), `print_html` the
    document WeasyPrint makes the PDF of; the worker renders the PDF once (reports/versions.py)
    and it is served as written from then on.
    """

    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    language = models.CharField(_("språk"), max_length=10)
    html = models.TextField(_("HTML"))
    print_html = models.TextField(_("HTML för PDF:en"))
    requested_at = models.DateTimeField(_("beställd"), default=timezone.now)
    task_id = models.CharField(_("uppgift"), max_length=64, blank=True)
    file_name = models.CharField(_("fil"), max_length=255, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("skapad"), null=True, blank=True)

    class Meta:
        verbose_name = _("publicerad versions dokument")
        verbose_name_plural = _("publicerade versioners dokument")
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="report_version_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None
