"""The annual report as a document: assembled from the data, rendered as HTML and as PDF.

One template, templates/reports/includes/document.html, makes both: the article of the page at
/rapporter/<year>/ (report.html) and, in print.html through WeasyPrint with the print rules of
static/css/report.css, the PDF: a cover (the parties with their logos, embedded as data: URIs),
the contents with page numbers, the text, the network's table and the statistics. WeasyPrint
tags the PDF (PDF/UA-1); reports/pdf_tags.py completes with pikepdf what it leaves undone
(the margins' content as artifacts, header cells' scope, list labels), and
tests/reports/pdf_structure.py checks the result against the Matterhorn Protocol.

This module renders a report with today's data: a draft, and a report when it is published
(reports/versions.py stores what it rendered then). The coordinator writes only the report's
own texts (AnnualReport, its sections and signatories); everything else is read from the data
in a fixed number of queries, whatever its size.

The web never renders a PDF: the background worker does (reports/tasks.py), and the web
serves the file it wrote. How:

- `report_fingerprint` is a digest of everything the report shows, in the language it is shown
  in; `current_fingerprint` reuses it from the cache while nothing was saved (0 queries).
- A RenderedReport row is one PDF of one report, in one language, for one fingerprint. Its file
  lives in the private storage `pdf_storage()` (STORAGES["reports"], by default var/reports/),
  never under /media/: only the view, which hides drafts from all but the coordinator, serves it.
- /rapporter/<year>.pdf serves the file for the current fingerprint at once. If there is none
  yet, it serves the newest older file of that report and language (header `X-Report-Pdf:
  stale`) and asks for a render; before the first file exists it answers 202 with a page that
  says the PDF is being prepared (`Retry-After`). A request only ever reads rows and, when a
  file is missing, writes one row and one queued task: it never waits for a render or a lock.
- Asking for a render (services.rendered_report_request) is deduplicated by the row's unique
  (report, language, fingerprint): while its task is queued or running nobody enqueues
  another. A task lost or failed is asked for again after RENDER_RETRY_AFTER; one cut off by a
  killed worker is put back in the queue by the worker's heartbeat check (background/).
- The render task writes the file, then the row, then deletes the files its new PDF supersedes
  (all but the newest finished one of that report and language).
- Nobody has to ask: every minute the schedule's tick runs reports.jobs.render_changed_reports,
  which asks for the PDF of every published report, in every language of the site, whose
  current fingerprint has none. The coordinator can ask too: the admin action "Skapa PDF:en på
  nytt". `manage.py render_report` renders directly, to a file of the command line's choosing.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, InvalidStorageError, Storage, storages
from django.db.models import Count, Max, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.pages import generation
from enterprises.models import (
    Enterprise,
    EnterpriseAlias,
    LegalEntity,
    Municipality,
    Unit,
)
from placements.models import (
    Agreement,
    Organisation,
    Placement,
    PlacementRequest,
    PlacementType,
    TrainingPlace,
)

from . import charts
from .models import Activity, AnnualReport, ReportSection, StrategyArea, StrategyPoint
from .network_table import NetworkTableRow, network_table
from .pdf_tags import complete_tags
from .statistics import YearStatistics, year_statistics

TEMPLATE = "reports/report.html"
ARTICLE_TEMPLATE = "reports/includes/document.html"
PRINT_TEMPLATE = "reports/print.html"
# A tagged PDF (structure, reading order, alternative texts) that declares PDF/UA-1.
PDF_VARIANT = "pdf/ua-1"
# Resources of the PDF are looked up under this made-up origin and served from the static
# files (see _static_files_fetcher): the PDF never fetches anything from the network.
PDF_BASE_URL = "https://report.invalid/"

# Bump when the template or the stylesheet changes what a PDF looks like for the same data.
RENDERING_VERSION = 6
# How long a published report's fingerprint is reused. Saves through the ORM end it at once
# (reports.apps connects the report's models to the pages' generation key); only writes that
# bypass signals (QuerySet.update() on a table other than the report's own) wait this long.
FINGERPRINT_SECONDS = 60
# The storage of the rendered PDFs (STORAGES); without that entry, PDF_DIR under VAR_DIR.
STORAGE_ALIAS = "reports"
PDF_DIR = "reports"


# --- The document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PointActivities:
    point: StrategyPoint
    activities: list[Activity]


@dataclass(frozen=True)
class AreaActivities:
    area: StrategyArea
    points: list[PointActivities]


@dataclass(frozen=True)
class Abbreviation:
    short: str
    meaning: str


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    number: int


@dataclass(frozen=True)
class Party:
    name: str
    logo: str  # the logo as a data: URI, or "" when there is none


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    target: str  # the id of the element the entry points to


@dataclass
class ReportDocument:
    """Everything report.html shows, read from the database."""

    report: AnnualReport
    sections_before: list[ReportSection]
    sections_after: list[ReportSection]
    signatories: list
    authors: list[str]
    areas: list[AreaActivities]
    members: list[Enterprise]
    table_title: str
    table: list[NetworkTableRow]
    abbreviations: list[Abbreviation]
    statistics: YearStatistics
    charts: dict[str, Chart] = field(default_factory=dict)
    parties: list[Party] = field(default_factory=list)
    complementary: str = ""  # "M29 Socialt företagscenter och Tanke & Handling"

    @property
    def text_lang(self) -> str:
        """ "sv" where the page is in another language: the report's own texts and the data are
        Swedish, and `lang="sv"` on them makes a screen reader read them with a Swedish voice."""
        return "" if (get_language() or "sv").startswith("sv") else "sv"

    @property
    def title(self) -> str:
        return self.report.title

    @property
    def contents(self) -> list[ContentsEntry]:
        """The report's parts, for its table of contents: the top-level headings."""
        report = self.report
        entries = [
            ContentsEntry(s.heading, f"section-{s.pk}")
            for s in self.sections_before
            if s.level == 1
        ]
        entries.append(
            ContentsEntry(
                _("Aktiviteter under %(year)s") % {"year": report.year}, "activities-heading"
            )
        )
        entries += [
            ContentsEntry(s.heading, f"section-{s.pk}") for s in self.sections_after if s.level == 1
        ]
        entries.append(ContentsEntry(self.table_title, "network-heading"))
        if report.show_statistics:
            entries.append(
                ContentsEntry(_("Statistik %(year)s") % {"year": report.year}, "statistics-heading")
            )
        return entries


def report_document(report: AnnualReport) -> ReportDocument:
    sections = list(report.sections.all())
    table = network_table(year=report.table_year)
    statistics = year_statistics(report.year)
    parties = list(report.parties.order_by("pk"))
    return ReportDocument(
        report=report,
        sections_before=[
            s for s in sections if s.position == ReportSection.Position.BEFORE_ACTIVITIES
        ],
        sections_after=[
            s for s in sections if s.position == ReportSection.Position.AFTER_ACTIVITIES
        ],
        signatories=list(report.signatories.all()),
        authors=[party.name for party in parties],
        areas=_activity_areas(report),
        members=_members(report.year),
        table_title=_table_title(report.table_year, table),
        table=[_names_kept_whole(row) for row in table],
        abbreviations=_abbreviations(table),
        statistics=statistics,
        charts=_charts(statistics),
        parties=[Party(party.name, _logo_data_uri(party.logo)) for party in parties],
        complementary=_listed(
            [
                *report.complementary_enterprises.order_by("name").values_list("name", flat=True),
                *report.complementary_organisations.order_by("name").values_list("name", flat=True),
            ]
        ),
    )


# Logos the PDF can show; anything else (a file renamed to .png, say) is left out.
LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}


def _logo_data_uri(logo) -> str:
    """An organisation's logo as a data: URI, read from its storage now: the HTML of a
    published version then never depends on a media URL, and the PDF loads nothing but static
    files. A missing or unreadable file is no logo, not an error.
    """
    if not logo:
        return ""
    content_type = mimetypes.guess_type(logo.name)[0]
    if content_type not in LOGO_TYPES:
        return ""
    try:
        with logo.storage.open(logo.name, "rb") as file:
            data = file.read()
    except (OSError, ValueError):
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _listed(names: list[str]) -> str:
    """Names as a sentence lists them: "A", "A och B", "A, B och C"."""
    if len(names) > 1:
        return _("%(names)s och %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    return names[0] if names else ""


# A word joiner after a hyphen inside a word ("MIA-Vidare") takes away the line break after
# it; a no-break space keeps a short last word ("... Seniorer EK") with the word before.
# Both are invisible and leave the text as it is when it is copied or read out.
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_SHORT_LAST_WORD = re.compile(r" (?=\S{1,3}$)")


def _kept_whole(text: str) -> str:
    return _SHORT_LAST_WORD.sub("\u00a0", _INNER_HYPHEN.sub("-\u2060", text))


def _names_kept_whole(row: NetworkTableRow) -> NetworkTableRow:
    """The table's row with its names never broken inside a word or before a legal form."""
    return replace(
        row,
        organisation=tuple(_kept_whole(line) for line in row.organisation),
        units=tuple(_kept_whole(unit) for unit in row.units),
        agreements=tuple(
            replace(
                line,
                text=_kept_whole(line.text),
                items=tuple(_kept_whole(item) for item in line.items),
            )
            for line in row.agreements
        ),
    )


def _activity_areas(report: AnnualReport) -> list[AreaActivities]:
    """The strategy's areas, each with its points that have activities in the report's year,
    in the strategy's order; the activities in the order the coordinator gave them, with the
    enterprises involved in each.
    """
    year_activities = Prefetch(
        "activities",
        queryset=Activity.objects.of_year(report.year)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("enterprises", queryset=Enterprise.objects.order_by("name", "pk"))
        ),
        to_attr="year_activities",
    )
    if report.strategy_id:
        areas = StrategyArea.objects.filter(strategy_id=report.strategy_id)
    else:  # no strategy chosen: the areas that the year's activities are under
        areas = StrategyArea.objects.filter(points__activities__year=report.year).distinct()
    areas = list(areas.order_by("number", "pk"))
    points = (
        StrategyPoint.objects.filter(area__in=areas, activities__year=report.year)
        .distinct()
        .order_by("number", "pk")
        .prefetch_related(year_activities)
    )
    points_of: dict[int, list[PointActivities]] = {}
    for point in points:
        points_of.setdefault(point.area_id, []).append(
            PointActivities(point, point.year_activities)
        )
    return [AreaActivities(area, points_of.get(area.pk, [])) for area in areas]


def _members(year: int) -> list[Enterprise]:
    """The network's members in the year: published, and started by then (or start unknown)."""
    return list(
        Enterprise.objects.published()
        .filter(Q(start_year__isnull=True) | Q(start_year__lte=year))
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )
        .order_by("pk")
    )


def _table_title(year: int, rows: list[NetworkTableRow]) -> str:
    """The table's heading, "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby
    och Sigtuna 2021": the municipalities in the order they were entered, as the network
    names them.
    """
    municipalities = {m.pk: m.name for row in rows for m in row.enterprise.municipalities.all()}
    names = [municipalities[pk] for pk in sorted(municipalities)]
    if not names:
        return _("Arbetsintegrerande sociala företag %(year)s") % {"year": year}
    if len(names) > 1:
        listed = _("%(names)s och %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    else:
        listed = names[0]
    return _("Arbetsintegrerande sociala företag i %(municipalities)s %(year)s") % {
        "municipalities": listed,
        "year": year,
    }


def _abbreviations(rows: list[NetworkTableRow]) -> list[Abbreviation]:
    """The abbreviations the table uses: organisations' short names in capitals ("AF") that
    appear as words in it, and the legal forms of enterprises listed by their entities.
    """
    found: dict[str, str] = {}
    words: set[str] = set()
    for row in rows:
        texts = [*row.organisation, *(line.text for line in row.agreements)]
        texts += [item for line in row.agreements for item in line.items]
        words.update(word.strip("(),") for text in texts for word in text.split())
        entities = row.enterprise.legal_entities.all()
        if len(entities) > 1:  # only then does the table write the form ("... EK")
            for entity in entities:
                found[entity.legal_form] = entity.get_legal_form_display()
    for short, name in Organisation.objects.exclude(short_name="").values_list(
        "short_name", "name"
    ):
        if short.isupper() and short in words:
            found[short] = name
    return [Abbreviation(short, str(meaning)) for short, meaning in sorted(found.items())]


def _charts(statistics: YearStatistics) -> dict[str, Chart]:
    """The SVG charts of the statistics; none where there is nothing to draw."""
    started, ended = _("Påbörjade"), _("Avslutade")
    year = statistics.year
    specs = []
    if statistics.municipalities:
        specs.append(
            (
                "supply",
                _("Platser och förfrågningar om plats per kommun %(year)s") % {"year": year},
                [row.name for row in statistics.municipalities],
                [
                    charts.Series(_("Platser"), [row.seats for row in statistics.municipalities]),
                    charts.Series(
                        _("Förfrågningar"), [row.requests for row in statistics.municipalities]
                    ),
                ],
            )
        )
    if statistics.has_placements:
        for key, title, flows in (
            (
                "types",
                _("Placeringar per placeringstyp %(year)s") % {"year": year},
                statistics.by_placement_type,
            ),
            (
                "referrers",
                _("Placeringar per remittent %(year)s") % {"year": year},
                statistics.by_referrer,
            ),
        ):
            specs.append(
                (
                    key,
                    title,
                    [flow.label for flow in flows],
                    [
                        charts.Series(started, [flow.started for flow in flows]),
                        charts.Series(ended, [flow.ended for flow in flows]),
                    ],
                )
            )
    if statistics.outcomes:
        specs.append(
            (
                "outcomes",
                _("Utfall för placeringar som avslutades %(year)s") % {"year": year},
                [row.label for row in statistics.outcomes],
                [charts.Series(_("Avslutade"), [row.count for row in statistics.outcomes])],
            )
        )
    return {
        key: Chart(
            svg=charts.bar_chart(
                chart_id=f"chart-{key}", title=title, categories=categories, series=series
            ),
            number=number,
        )
        for number, (key, title, categories, series) in enumerate(specs, start=1)
    }


# --- HTML and PDF ---------------------------------------------------------------------------


def render_article(report: AnnualReport, *, pdf: bool = False, document=None) -> SafeString:
    """The report as a document (templates/reports/includes/document.html), for the page or,
    with `pdf=True`, as the PDF shows it."""
    return SafeString(
        render_to_string(
            ARTICLE_TEMPLATE,
            {"document": document or report_document(report), "pdf": pdf},
        )
    )


def render_print_html(report: AnnualReport, *, document=None) -> str:
    """The whole HTML document WeasyPrint makes the PDF of."""
    return render_to_string(PRINT_TEMPLATE, {"document": document or report_document(report)})


def report_page_context(report: AnnualReport, *, article: str, title: str) -> dict:
    """What the page template (report.html) needs around the article."""
    return {
        "report": report,
        "article": SafeString(article),
        "title": title,
        "pdf_url": reverse("reports:pdf", kwargs={"year": report.year}),
        "show_statistics_csv": report.show_statistics,
        "versions": [],
    }


def render_report_html(report: AnnualReport, *, request=None, pdf: bool = False) -> str:
    """The report with today's data: as a page, or (`pdf=True`) as the PDF's HTML."""
    if pdf:
        return render_print_html(report)
    context = report_page_context(report, article=render_article(report), title=report.title)
    return render_to_string(TEMPLATE, context, request=request)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


@functools.cache
def _static_files_fetcher() -> type:
    """StaticFilesFetcher, a WeasyPrint URLFetcher: made on the first rendering (see
    pdf_from_html)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves the report's stylesheet and fonts from the static files, and nothing else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):  # the logos, embedded in the HTML (_logo_data_uri)
                return super().fetch(url, headers)
            prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
            if not url.startswith(prefix):
                raise ValueError(f"The report's PDF loads only static files, not {url}")
            path = _static_path(url.removeprefix(prefix).split("?")[0])
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher


def _static_path(name: str) -> Path:
    # Collected files first (production serves hashed names), then the app's own folders.
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"No static file {name}")
    return Path(found)


def render_pdf(report: AnnualReport) -> RenderedPdf:
    """Render the PDF now (seconds; the worker's task and `manage.py render_report` call it)."""
    return pdf_from_html(render_print_html(report))


def pdf_from_html(html: str) -> RenderedPdf:
    """The PDF of an HTML document made by render_print_html (a published version's, stored)."""
    # Imported here: WeasyPrint takes half a second to import, which every process (each web
    # worker, every manage.py command) paid at its start, though only the worker renders.
    from weasyprint import HTML

    fetcher = _static_files_fetcher()(fail_on_errors=True)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT
    )
    content = complete_tags(document.write_pdf(pdf_variant=PDF_VARIANT))
    return RenderedPdf(content, len(document.pages))


# --- What the PDF shows -----------------------------------------------------------------------


def report_fingerprint(report: AnnualReport) -> str:
    """A digest of everything the report shows, in a fixed number of queries (20).

    The report's texts, its activities and the network (small tables) are read whole, so any
    edit changes the digest. Places, placements and requests, which can be many, are taken by
    their number and latest change (they all record when they were created or changed).
    """
    year = report.year
    parts = [
        RENDERING_VERSION,
        get_language(),
        [
            report.pk,
            report.year,
            report.title,
            report.date,
            report.strategy_id,
            report.activities_intro,
            report.table_year,
            report.show_statistics,
            report.published,
            report.updated_at,
        ],
        report.sections.values_list("heading", "level", "position", "body", "insert", "order"),
        report.signatories.values_list("name", "role", "organisation", "order"),
        report.parties.values_list("pk", "name"),
        # The cover's complementary actors.
        report.complementary_enterprises.values_list("pk"),
        report.complementary_organisations.values_list("pk"),
        StrategyArea.objects.filter(
            Q(strategy_id=report.strategy_id) | Q(points__activities__year=year)
        )
        .distinct()
        .values_list("pk", "number", "title"),
        StrategyPoint.objects.filter(activities__year=year).values_list(
            "pk", "area_id", "number", "label", "text"
        ),
        # One row per point and enterprise of an activity: still one query.
        Activity.objects.of_year(year).values_list(
            "pk",
            "text",
            "order",
            "starts_new_list",
            "period",
            "date",
            "people_reached",
            "points",
            "enterprises",
        ),
        Enterprise.objects.values_list(
            "pk", "name", "short_name", "group__name", "start_year", "published", "updated_at"
        ),
        Enterprise.municipalities.through.objects.values_list("enterprise_id", "municipality_id"),
        Municipality.objects.values_list("pk", "name"),
        EnterpriseAlias.objects.values_list("enterprise_id", "name", "kind"),
        LegalEntity.objects.values_list("pk", "enterprise_id", "name", "legal_form"),
        Unit.objects.values_list("pk", "enterprise_id", "name", "municipality_id"),
        Agreement.objects.values_list(
            "pk",
            "enterprise_id",
            "kind",
            "title",
            "counterparty_id",
            "prime_agreement_id",
            "valid_from",
            "valid_until",
            "order",
        ),
        # An uploaded logo is stored under a new name: a replaced logo changes the digest.
        Organisation.objects.values_list("pk", "name", "short_name", "logo"),
        PlacementType.objects.values_list("pk", "name", "order"),
        TrainingPlace.objects.aggregate(n=Count("pk"), changed=Max("updated_at")),
        Placement.objects.aggregate(n=Count("pk"), changed=Max("updated_at")),
        PlacementRequest.objects.aggregate(
            n=Count("pk"), created=Max("created_at"), decided=Max("decided_at")
        ),
    ]
    digest = hashlib.sha256()
    for part in parts:
        rows = sorted(part, key=repr) if not isinstance(part, list | dict | int | str) else part
        digest.update(repr(rows).encode())
    return digest.hexdigest()


def current_fingerprint(report: AnnualReport) -> str:
    """The fingerprint, reused while nothing the report shows was saved: 0 queries, not 18.

    A draft (only the coordinator sees it, while editing) is always fingerprinted afresh. The
    key carries the report's own row, so even an update() of the report itself is seen at once.
    """
    if not report.published:
        return report_fingerprint(report)
    own_row = repr([getattr(report, f.attname) for f in report._meta.concrete_fields])
    row_digest = hashlib.sha256(own_row.encode()).hexdigest()[:16]
    key = f"reports:fingerprint:{report.pk}:{get_language()}:{generation()}:{row_digest}"
    fingerprint = cache.get(key)
    if fingerprint is None:
        fingerprint = report_fingerprint(report)
        cache.set(key, fingerprint, timeout=FINGERPRINT_SECONDS)
    return fingerprint


def pdf_filename(report: AnnualReport) -> str:
    return f"iop-rapport-{report.year}.pdf"


def pdf_storage() -> Storage:
    """Where the rendered PDFs are kept: private, never served by the web server itself."""
    try:
        return storages[STORAGE_ALIAS]
    except InvalidStorageError:
        return FileSystemStorage(location=settings.VAR_DIR / PDF_DIR)
