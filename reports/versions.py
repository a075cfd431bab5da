"""Publishing a report: a frozen version, served as it was published.

A report is a document the partnership signs and sends to the municipalities and
Arbetsförmedlingen, so once published it must not change when the data does. Publishing
(`report_publish`) stores version N of the report: what the data gave that day as data
(`ReportVersion.data`), and in every language of the site the article as the page shows it and
the whole HTML the PDF is made of (ReportVersionDocument). The worker renders each version's
PDF once (`version_pdf_render`, the task `render_version_pdf`) and from then on
/rapporter/<year>/ and /rapporter/<year>.pdf serve the latest version as stored, byte for byte,
until the coordinator publishes a new one with a note of what changed. Earlier versions stay
available at /rapporter/<year>/v<N>/ and /rapporter/<year>/v<N>.pdf.

A draft (not published) shows today's data (reports/pdf.py, reports/services.py). Withdrawing
a report (`report_withdraw`) hides it from the public and keeps its versions; publishing it
again makes a new version.

A report published before versions existed is frozen as version 1 the first time it is asked
for, or by the worker's every-tick job (`versions_complete`), whichever comes first.
"""

from __future__ import annotations

import dataclasses
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import pdf
from .models import AnnualReport, RenderedReport, ReportVersion, ReportVersionDocument
from .services import render_on_its_way, site_languages

logger = logging.getLogger(__name__)


@transaction.atomic
def report_publish(*, report: AnnualReport, by=None, change_note: str = "") -> ReportVersion:
    """Publish the report as it is now: a new version, frozen. A version after the first needs
    a note of what changed (it is shown beside the versions)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    latest = report.versions.aggregate(latest=Max("number"))["latest"] or 0
    change_note = change_note.strip()
    if latest and not change_note:
        raise ValidationError(
            {
                "change_note": _(
                    "Skriv vad som har ändrats sedan version %(number)s. Det visas bredvid "
                    "versionerna."
                )
                % {"number": latest}
            }
        )
    if not report.published:
        report.published = True
        report.save(update_fields=["published", "updated_at"])
    version = ReportVersion.objects.create(
        report=report,
        number=latest + 1,
        published_by=by if by is not None and by.is_authenticated else None,
        change_note=change_note,
    )
    data = {}
    for language in site_languages():
        with translation.override(language):
            document = pdf.report_document(report)
            ReportVersionDocument.objects.create(
                version=version,
                language=language,
                html=pdf.render_article(report, document=document),
                print_html=pdf.render_print_html(report, document=document),
            )
            data[language] = document_data(document)
    version.data = data
    version.save(update_fields=["data"])
    # The draft's PDFs (reports/services.py) are not served any more.
    drafts = RenderedReport.objects.filter(report=report)
    draft_files = [name for name in drafts.values_list("file_name", flat=True) if name]
    drafts.delete()
    transaction.on_commit(lambda: _delete_files(draft_files))
    transaction.on_commit(lambda: version_pdfs_request(version=version))
    logger.info("Published the %s report as version %d", report.year, version.number)
    return version


def _delete_files(names: list[str]) -> None:
    storage = pdf.pdf_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the draft PDF %s", name, exc_info=True)


@transaction.atomic
def report_withdraw(*, report: AnnualReport) -> None:
    """Hide a published report from the public; its versions are kept."""
    AnnualReport.objects.select_for_update().filter(pk=report.pk).get()
    report.published = False
    report.save(update_fields=["published", "updated_at"])


def document_data(document: pdf.ReportDocument) -> dict:
    """What the version showed, as data: the report's texts and what the data gave that day."""
    report = document.report
    return {
        "year": report.year,
        "title": report.title,
        "date": report.date.isoformat(),
        "authors": list(document.authors),
        "sections": [
            {
                "heading": section.heading,
                "level": section.level,
                "position": section.position,
                "body": section.body,
                "insert": section.insert,
            }
            for section in [*document.sections_before, *document.sections_after]
        ],
        "activities": [
            {
                "area": entry.area.number,
                "area_title": entry.area.title,
                "points": [
                    {
                        "number": point_entry.point.number,
                        "label": point_entry.point.label,
                        "text": point_entry.point.text,
                        "activities": [activity.text for activity in point_entry.activities],
                    }
                    for point_entry in entry.points
                ],
            }
            for entry in document.areas
        ],
        "members": [
            {
                "name": enterprise.name,
                "municipalities": [m.name for m in enterprise.municipalities.all()],
            }
            for enterprise in document.members
        ],
        "table_title": document.table_title,
        "table": [
            {
                "municipalities": row.municipalities,
                "organisation": list(row.organisation),
                "units": list(row.units),
                "group_note": row.group_note,
                "start_year": row.start_year,
                "agreements": [
                    {"text": line.text, "items": list(line.items)} for line in row.agreements
                ],
            }
            for row in document.table
        ],
        "abbreviations": [dataclasses.asdict(a) for a in document.abbreviations],
        "signatories": [
            {"name": s.name, "role": s.role, "organisation": s.organisation}
            for s in document.signatories
        ],
        "statistics": (
            [list(row) for row in document.statistics.csv_rows()]
            if document.report.show_statistics
            else None
        ),
    }


# --- Reading the versions -------------------------------------------------------------------


def latest_version(report: AnnualReport) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def version_document(version: ReportVersion, language: str) -> ReportVersionDocument | None:
    """The version in `language`, else in the first language it was published in (a language
    added to the site later)."""
    documents = {document.language: document for document in version.documents.all()}
    if language in documents:
        return documents[language]
    for code in site_languages():
        if code in documents:
            return documents[code]
    return next(iter(documents.values()), None)


def published_version(report: AnnualReport) -> ReportVersion | None:
    """The version the public sees: the latest. A report published before versions existed
    is frozen now, once (the worker's job does it too)."""
    if not report.published:
        return None
    version = latest_version(report)
    if version is None:
        version = report_publish(report=report)
    return version


def versions_complete() -> int:
    """The worker's every-tick job: freeze the reports published before versions existed, and
    ask for every version's PDF that is neither written nor on its way. Returns how many
    renders were asked for."""
    versions_freeze_unversioned()
    asked = 0
    for document in ReportVersionDocument.objects.filter(rendered_at__isnull=True):
        asked += version_pdf_request(document=document)
    return asked


def versions_freeze_unversioned() -> int:
    """Freeze every published report that has no version yet as version 1 (a report published
    before versions existed, or by `seed_network`); returns how many."""
    reports = list(AnnualReport.objects.published().filter(versions__isnull=True))
    for report in reports:
        report_publish(report=report)
    return len(reports)


# --- The versions' PDFs ---------------------------------------------------------------------


def version_pdfs_request(*, version: ReportVersion) -> int:
    return sum(version_pdf_request(document=document) for document in version.documents.all())


@transaction.atomic
def version_pdf_request(*, document: ReportVersionDocument) -> bool:
    """Ask the worker for the PDF of a version's document, unless it is written or on its way."""
    document = ReportVersionDocument.objects.select_for_update().get(pk=document.pk)
    if document.is_rendered or _render_on_its_way(document):
        return False
    from .tasks import render_version_pdf

    document.requested_at = timezone.now()
    document.task_id = render_version_pdf.enqueue(document.pk).id
    ReportVersionDocument.objects.filter(pk=document.pk).update(
        requested_at=document.requested_at, task_id=document.task_id
    )
    return True


def _render_on_its_way(document: ReportVersionDocument) -> bool:
    # A document whose render was never enqueued (its version's commit is under way) is not.
    if not document.task_id:
        return False
    from .tasks import render_version_pdf

    return render_on_its_way(
        render_version_pdf, task_id=document.task_id, requested_at=document.requested_at
    )


def version_pdf_render(*, document_id: int) -> str:
    """Render a version's PDF from its stored HTML and keep it (in the worker). Once written it
    is never rendered again: the file is what was published."""
    document = (
        ReportVersionDocument.objects.select_related("version__report")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        return "gone"
    if document.is_rendered:
        return "already rendered"
    started = timezone.now()
    result = pdf.pdf_from_html(document.print_html)
    storage = pdf.pdf_storage()
    version = document.version
    year = version.report.year
    name = storage.save(
        f"{year}/versions/iop-rapport-{year}-v{version.number}-{document.language}.pdf",
        ContentFile(result.content),
    )
    written = ReportVersionDocument.objects.filter(pk=document.pk, rendered_at__isnull=True).update(
        file_name=name, pages=result.pages, size=len(result.content), rendered_at=started
    )
    if not written:  # rendered meanwhile by another worker, or deleted: keep theirs
        storage.delete(name)
        return "already rendered"
    logger.info(
        "Rendered the %s PDF of version %d of the %s report (%d pages) in %.1f s",
        document.language,
        version.number,
        year,
        result.pages,
        (timezone.now() - started).total_seconds(),
    )
    return f"rendered {name}"


# --- The next year --------------------------------------------------------------------------


@transaction.atomic
def report_copy_to_next_year(*, report: AnnualReport) -> AnnualReport:
    """A draft for the following year with the report's texts, sections, signatories and
    settings: the activities, the table and the statistics come from the new year's data."""
    year = report.year + 1
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError(
            _("Det finns redan en rapport för %(year)s.") % {"year": year}, code="exists"
        )
    try:
        date = report.date.replace(year=report.date.year + 1)
    except ValueError:  # 29 February
        date = report.date.replace(year=report.date.year + 1, day=28)
    new = AnnualReport.objects.create(
        year=year,
        title=report.title.replace(str(report.year), str(year)),
        date=date,
        strategy=report.strategy,
        activities_intro=report.activities_intro.replace(str(report.year), str(year)),
        table_year=report.table_year + 1,
        show_statistics=report.show_statistics,
        published=False,
    )
    new.parties.set(report.parties.all())
    new.complementary_enterprises.set(report.complementary_enterprises.all())
    new.complementary_organisations.set(report.complementary_organisations.all())
    for section in report.sections.all():
        section.pk = None
        section.report = new
        section.save()
    for signatory in report.signatories.all():
        signatory.pk = None
        signatory.report = new
        signatory.save()
    return new
