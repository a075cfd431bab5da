"""/rapporter/<year>.pdf of a draft serves what the worker rendered: at once, never rendering in
the request.

A draft shows today's data, and only the coordinator sees it (the client here is the
coordinator's). The first request for its PDF gets a page that says it is being prepared
(202); the worker renders it; then the file is served. After a change the old file is served
while the new one renders; the coordinator can also ask from the admin. And `manage.py
render_report` renders directly. A published report's PDF is its frozen version's:
tests/reports/test_report_versions.py.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from placements.models import Organisation
from reports import pdf, services
from reports.models import AnnualReport, RenderedReport
from reports.tasks import render_report_pdf
from tests.accounts.helpers import log_in_with_second_factor
from tests.factories import (
    ActivityFactory,
    AnnualReportFactory,
    OrganisationFactory,
    PlacementFactory,
    ReportSectionFactory,
    SignatoryFactory,
    UserFactory,
)
from tests.reports.test_report_pdf import body_text, normalise

pytestmark = pytest.mark.django_db
# For the tests that run the worker, which opens its own transactions.
with_worker = pytest.mark.django_db(transaction=True)

PDF_URL = "/rapporter/2022.pdf"
PREPARING = "PDF:en förbereds"


@pytest.fixture
def queue(settings):
    """The real task queue in the database: tasks wait for the worker (run_worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    call_command("worker", batch=True, verbosity=0)


def queued_renders() -> int:
    return DBTaskResult.objects.filter(
        task_path=render_report_pdf.module_path, status=TaskResultStatus.READY
    ).count()


def pdf_text(response) -> str:
    return normalise(body_text(response_bytes(response)))


def response_bytes(response) -> bytes:
    """A FileResponse's content (which can be read once; read it again from here)."""
    if not hasattr(response, "_read"):
        response._read = response.getvalue()
    return response._read


def stored_files() -> list[str]:
    storage = pdf.pdf_storage()
    folders, _files = storage.listdir("")
    return sorted(f"{folder}/{name}" for folder in folders for name in storage.listdir(folder)[1])


@pytest.fixture
def client(client, coordinator):
    log_in_with_second_factor(client, coordinator)
    return client


@pytest.fixture
def report():
    report = AnnualReportFactory(year=2022, title="Rapporten för 2022", published=False)
    ReportSectionFactory(report=report, heading="Bakgrund", body="Den första texten.")
    return report


@pytest.fixture
def draft():
    report = AnnualReportFactory(year=2022, title="Utkastet för 2022", published=False)
    ReportSectionFactory(report=report, heading="Bakgrund", body="Utkastets text.")
    return report


# --- Before the first PDF exists ------------------------------------------------------------


def test_the_first_request_gets_a_page_that_says_the_pdf_is_being_prepared(client, report, queue):
    response = client.get(PDF_URL)

    assert response.status_code == 202
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    content = response.content.decode()
    assert f"<h1>{PREPARING}</h1>" in content
    assert "PDF:en av ”Rapporten för 2022” skapas just nu." in content
    assert '<a href="/rapporter/2022.pdf">Försök hämta PDF:en för 2022 igen</a>' in content
    assert '<a href="/rapporter/2022/">Årsrapport 2022</a>' in content
    # In the site's look: its header, skip link, stylesheet and footer.
    assert 'class="skip-link" href="#main"' in content
    assert '<link rel="stylesheet" href="/static/css/site.css">' in content
    assert "<footer" in content
    assert '<html lang="sv">' in content
    assert queued_renders() == 1


@with_worker
def test_after_the_worker_ran_the_pdf_is_served(client, report, queue):
    client.get(PDF_URL)
    run_worker()

    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="iop-rapport-2022.pdf"'
    assert "X-Report-Pdf" not in response
    text = pdf_text(response)
    assert "Bakgrund Den första texten." in text
    content = response_bytes(response)
    assert PdfReader(io.BytesIO(content)).metadata.title == "Rapporten för 2022"
    rendered = RenderedReport.objects.get()
    assert (rendered.language, rendered.pages) == ("sv", 5)  # cover, contents, text, table
    assert rendered.size == len(content)


@with_worker
def test_the_english_pdf_is_rendered_in_english(client, report, queue):
    assert client.get("/en/rapporter/2022.pdf").status_code == 202
    run_worker()

    response = client.get("/en/rapporter/2022.pdf")

    assert response.status_code == 200
    assert RenderedReport.objects.get().language == "en"
    text = pdf_text(response)
    assert "Activities during 2022" in text
    assert "Aktiviteter under 2022" not in text
    # The Swedish one is a PDF of its own.
    assert client.get(PDF_URL).status_code == 202


def test_requests_while_a_render_is_queued_enqueue_no_second_render(client, report, queue):
    for _ in range(3):
        assert client.get(PDF_URL).status_code == 202

    assert queued_renders() == 1
    # Only the English one was missing.
    assert services.report_pdfs_request(report=report) == 1
    assert queued_renders() == 2


def test_a_render_that_is_running_is_not_enqueued_again(client, report, queue):
    client.get(PDF_URL)
    DBTaskResult.objects.filter(task_path=render_report_pdf.module_path).update(
        status=TaskResultStatus.RUNNING
    )

    assert client.get(PDF_URL).status_code == 202
    assert DBTaskResult.objects.filter(task_path=render_report_pdf.module_path).count() == 1


@with_worker
def test_a_lost_render_is_asked_for_again_after_a_while(client, report, queue, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC))
    client.get(PDF_URL)
    DBTaskResult.objects.all().delete()  # e.g. a queue emptied by hand

    client.get(PDF_URL)
    assert queued_renders() == 0  # not at every request

    time_machine.shift(services.RENDER_RETRY_AFTER + datetime.timedelta(seconds=1))
    client.get(PDF_URL)
    assert queued_renders() == 1
    run_worker()
    assert client.get(PDF_URL).status_code == 200


@with_worker
def test_a_render_that_failed_is_tried_again_after_a_while(
    client, report, queue, time_machine, monkeypatch
):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC))
    client.get(PDF_URL)

    def broken(report):
        raise RuntimeError("a font is missing")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    run_worker()
    monkeypatch.undo()
    assert client.get(PDF_URL).status_code == 202
    assert queued_renders() == 0

    time_machine.shift(services.RENDER_RETRY_AFTER + datetime.timedelta(seconds=1))
    client.get(PDF_URL)
    run_worker()
    assert client.get(PDF_URL).status_code == 200


# --- After a change ---------------------------------------------------------------------------


@with_worker
def test_after_an_edit_the_old_pdf_is_served_while_the_new_one_renders(client, report, queue):
    client.get(PDF_URL)
    run_worker()
    section = report.sections.get()
    section.body = "Den rättade texten."
    section.save()

    stale = client.get(PDF_URL)

    assert stale.status_code == 200
    assert stale["X-Report-Pdf"] == "stale"
    assert stale["Cache-Control"] == "private, no-store"
    assert "Den första texten." in pdf_text(stale)
    assert queued_renders() == 1
    assert client.get(PDF_URL)["X-Report-Pdf"] == "stale"
    assert queued_renders() == 1

    run_worker()
    fresh = client.get(PDF_URL)

    assert "X-Report-Pdf" not in fresh
    text = pdf_text(fresh)
    assert "Den rättade texten." in text
    assert "Den första texten." not in text
    # The superseded PDF is deleted, its file too.
    rendered = RenderedReport.objects.get()
    assert stored_files() == [rendered.file_name]


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
        pytest.param(
            lambda report: report.complementary_organisations.add(OrganisationFactory()),
            id="complementary actor added",
        ),
        pytest.param(
            lambda report: Organisation.objects.filter(pk=report.parties.get().pk).update(
                logo="organisations/ny-logotyp.png"
            ),
            id="a party's logo replaced",
        ),
    ],
)
@with_worker
def test_a_change_in_what_the_report_shows_asks_for_a_new_render(client, report, queue, change):
    report.parties.add(OrganisationFactory(name="Samordningsförbundet"))
    client.get(PDF_URL)
    run_worker()
    change(report)

    assert client.get(PDF_URL)["X-Report-Pdf"] == "stale"
    assert queued_renders() == 1


@with_worker
def test_a_change_elsewhere_asks_for_no_render(client, report, queue):
    client.get(PDF_URL)
    run_worker()
    ActivityFactory(year=2019)  # another year's activity is not in the 2022 report

    response = client.get(PDF_URL)

    assert "X-Report-Pdf" not in response
    assert queued_renders() == 0


@with_worker
def test_a_pdf_whose_file_was_lost_is_rendered_again(client, report, queue):
    client.get(PDF_URL)
    run_worker()
    pdf.pdf_storage().delete(RenderedReport.objects.get().file_name)

    assert client.get(PDF_URL).status_code == 202
    assert queued_renders() == 1
    run_worker()
    assert client.get(PDF_URL).status_code == 200


@with_worker
def test_a_served_draft_pdf_costs_a_fixed_number_of_queries(
    client, report, queue, django_assert_max_num_queries
):
    client.get(PDF_URL)
    run_worker()
    ActivityFactory.create_batch(5, year=2022)
    client.get(PDF_URL)
    run_worker()

    # The coordinator's session and permissions (5), the report, the draft's fingerprint (it
    # is computed at each request of a draft: 20), its PDF.
    with django_assert_max_num_queries(28):
        response = client.get(PDF_URL)
    assert response.status_code == 200


def test_asking_for_a_render_costs_a_bounded_number_of_queries(
    client, report, queue, django_assert_max_num_queries
):
    client.get("/rapporter/")  # the network's profile is cached by then, as on a live site
    # The session and permissions, the fingerprint's 20, the row, the task.
    with django_assert_max_num_queries(36):
        assert client.get(PDF_URL).status_code == 202
    with django_assert_max_num_queries(32):
        assert client.get(PDF_URL).status_code == 202


# --- Drafts -----------------------------------------------------------------------------------


def test_a_drafts_pdf_does_not_exist_for_the_public(draft, queue):
    client = Client()
    assert client.get(PDF_URL).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get(PDF_URL).status_code == 404
    assert queued_renders() == 0


@with_worker
def test_the_coordinator_gets_a_drafts_pdf_privately(client, draft, queue):
    preparing = client.get(PDF_URL)

    assert preparing.status_code == 202
    assert preparing["Cache-Control"] == "private, no-store"

    run_worker()
    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Utkastets text." in pdf_text(response)


@with_worker
def test_a_drafts_stale_pdf_is_private_too(client, draft, queue):
    client.get(PDF_URL)
    run_worker()
    draft.sections.update(body="Utkastets nya text.")

    response = client.get(PDF_URL)

    assert response["X-Report-Pdf"] == "stale"
    assert response["Cache-Control"] == "private, no-store"


def test_the_pdfs_are_stored_outside_the_public_media(settings):
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "reports"}
    location = pdf.pdf_storage().location
    assert location == str(settings.VAR_DIR / "reports")
    assert not location.startswith(str(settings.MEDIA_ROOT))


# --- The coordinator asks -------------------------------------------------------------------


@with_worker
def test_the_coordinator_asks_for_new_pdfs_in_the_admin(client, report, queue):
    services.report_pdfs_request(report=report)
    run_worker()
    before = dict(RenderedReport.objects.values_list("language", "rendered_at"))
    url = reverse("admin:reports_annualreport_changelist")
    action = {"action": "render_pdfs_again", "_selected_action": [report.pk]}

    response = client.post(url, action, follow=True)

    assert "2 PDF:er skapas på nytt. De är klara om någon minut." in response.content.decode()
    assert queued_renders() == 2
    # The PDFs are still served meanwhile.
    assert "X-Report-Pdf" not in client.get(PDF_URL)

    again = client.post(url, action, follow=True)
    assert "PDF:erna håller redan på att skapas." in again.content.decode()
    assert queued_renders() == 2

    run_worker()
    after = dict(RenderedReport.objects.values_list("language", "rendered_at"))
    assert after["sv"] > before["sv"] and after["en"] > before["en"]
    assert len(stored_files()) == 2


# --- The command line -------------------------------------------------------------------------


def test_render_report_writes_the_pdf_of_a_draft_too(tmp_path, draft):
    output = tmp_path / "rapport.pdf"
    out = io.StringIO()

    call_command("render_report", "2022", "-o", str(output), stdout=out)

    reader = PdfReader(output)
    assert reader.metadata.title == "Utkastet för 2022"
    assert "Utkastet för 2022" in " ".join(reader.pages[0].extract_text().split())
    assert out.getvalue().startswith(f"Skrev {output} ({len(reader.pages)} sidor")
    assert RenderedReport.objects.count() == 0  # directly, not through the worker


def test_render_report_says_when_there_is_no_report_for_the_year(db):
    with pytest.raises(CommandError, match="Det finns ingen årsrapport för 1999."):
        call_command("render_report", "1999", stdout=io.StringIO())
