"""The PDF is rendered once per content: cached under a fingerprint of what it shows, rendered
again when that changes, and never twice at once. And `manage.py render_report`."""

from __future__ import annotations

import datetime
import io
import threading
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from reports import pdf
from reports.models import AnnualReport
from tests.factories import (
    ActivityFactory,
    AnnualReportFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ReportSectionFactory,
    SignatoryFactory,
)
from tests.reports.test_report_pdf import body_text, normalise

pytestmark = pytest.mark.django_db

PDF_URL = "/rapporter/2022.pdf"


@pytest.fixture
def report():
    report = AnnualReportFactory(year=2022, title="Rapporten för 2022", published=True)
    ReportSectionFactory(report=report, heading="Bakgrund", body="Den första texten.")
    return report


@pytest.fixture
def renders():
    """Counts the real renders, and lets them happen."""
    with mock.patch("reports.pdf.render_pdf", wraps=pdf.render_pdf) as render:
        yield render


def pdf_text(content: bytes) -> str:
    return normalise(body_text(content))


def test_a_second_request_gets_the_same_pdf_without_rendering_it_again(client, report, renders):
    first = client.get(PDF_URL)
    second = client.get(PDF_URL)

    assert renders.call_count == 1
    assert second.content == first.content
    assert "Den första texten." in pdf_text(second.content)


def test_after_a_section_is_edited_the_pdf_shows_the_new_text(client, report, renders):
    client.get(PDF_URL)
    section = report.sections.get()
    section.body = "Den rättade texten."
    section.save()

    response = client.get(PDF_URL)

    assert renders.call_count == 2
    text = pdf_text(response.content)
    assert "Den rättade texten." in text
    assert "Den första texten." not in text


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda report: SignatoryFactory(report=report), id="signatory added"),
        pytest.param(lambda report: ActivityFactory(year=2022), id="activity added"),
        pytest.param(
            lambda report: PlacementFactory(started_on=datetime.date(2022, 5, 1)),
            id="placement added",
        ),
        pytest.param(
            lambda report: AnnualReport.objects.filter(pk=report.pk).update(title="Ny titel"),
            id="title changed",
        ),
    ],
)
def test_a_change_in_what_the_report_shows_renders_it_again(client, report, renders, change):
    client.get(PDF_URL)
    change(report)
    client.get(PDF_URL)
    assert renders.call_count == 2


def test_a_change_elsewhere_does_not_render_it_again(client, report, renders):
    client.get(PDF_URL)
    ActivityFactory(year=2019)  # another year's activity is not in the 2022 report
    client.get(PDF_URL)
    assert renders.call_count == 1


def test_a_request_waits_for_a_render_in_progress_instead_of_rendering_too(report, renders):
    report = AnnualReport.objects.get(pk=report.pk)
    key = pdf.pdf_cache_key(report, pdf.report_fingerprint(report))
    # Another request holds the lock and is rendering; it stores its PDF a moment later.
    assert cache.add(f"{key}:lock", True)
    threading.Timer(0.5, cache.set, args=(key, b"%PDF-the-other-render")).start()

    assert pdf.report_pdf(report) == b"%PDF-the-other-render"
    assert renders.call_count == 0


def test_a_request_renders_itself_when_the_other_render_gave_up(report, renders):
    report = AnnualReport.objects.get(pk=report.pk)
    key = pdf.pdf_cache_key(report, pdf.report_fingerprint(report))
    cache.add(f"{key}:lock", True)
    threading.Timer(0.3, cache.delete, args=(f"{key}:lock",)).start()  # it crashed

    content = pdf.report_pdf(report)

    assert renders.call_count == 1
    assert content.startswith(b"%PDF-")
    assert cache.get(f"{key}:lock") is None  # and let go of the lock it took


# --- The management command -------------------------------------------------------------------


def test_render_report_writes_the_pdf_of_a_draft_too(tmp_path, report):
    AnnualReport.objects.filter(pk=report.pk).update(published=False)
    output = tmp_path / "rapport.pdf"
    out = io.StringIO()

    call_command("render_report", "2022", "-o", str(output), stdout=out)

    reader = PdfReader(output)
    assert reader.metadata.title == "Rapporten för 2022"
    assert "Rapporten för 2022" in " ".join(reader.pages[0].extract_text().split())
    assert out.getvalue().startswith(f"Skrev {output} ({len(reader.pages)} sidor")


def test_render_report_says_when_there_is_no_report_for_the_year(db):
    with pytest.raises(CommandError, match="Det finns ingen årsrapport för 1999."):
        call_command("render_report", "1999", stdout=io.StringIO())


def test_a_repeat_download_reuses_the_fingerprint(
    client, report, renders, django_assert_max_num_queries
):
    client.get(PDF_URL)
    with django_assert_max_num_queries(1):  # the report itself; no fingerprint
        second = client.get(PDF_URL)
    assert second.status_code == 200
    assert renders.call_count == 1


def test_a_new_request_for_a_place_is_in_the_next_download(client, report, renders):
    client.get(PDF_URL)
    PlacementRequestFactory()
    client.get(PDF_URL)
    assert renders.call_count == 2
