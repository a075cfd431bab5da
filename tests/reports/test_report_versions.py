"""Publishing freezes a version: the published report does not change when the data does.

The coordinator publishes in the admin (reports/admin.py, reports/versions.py); the page and
the PDF then serve version N as stored, byte for byte, until a new version is published with a
note of what changed. Earlier versions stay available. Drafts show today's data.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from enterprises.models import Enterprise
from placements.models import Agreement
from reports import jobs, versions
from reports.models import AnnualReport, ReportSection, ReportVersion, ReportVersionDocument
from reports.tasks import render_version_pdf
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    AnnualReportFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ReportSectionFactory,
    SignatoryFactory,
    StrategyAreaFactory,
    StrategyFactory,
    StrategyPointFactory,
    TrainingPlaceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGE, PDF, CSV = "/rapporter/2022/", "/rapporter/2022.pdf", "/rapporter/2022/statistik.csv"


def article(response) -> str:
    """The report itself on its page (the site's frame around it may change)."""
    content = response.content.decode()
    return re.search(r"<article class=\"report.*?</article>", content, re.S).group(0)


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def pdf_bytes(client, url=PDF) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


@pytest.fixture
def network():
    sigtuna = MunicipalityFactory(name="Sigtuna")
    strategy = StrategyFactory()
    point = StrategyPointFactory(area=StrategyAreaFactory(strategy=strategy, number=1), number=3)
    cafe = EnterpriseFactory(name="Kafé Första", municipalities=[sigtuna], start_year=2015)
    shop = EnterpriseFactory(name="Butiken Andra", municipalities=[sigtuna], start_year=2016)
    agreement = AgreementFactory(
        enterprise=cafe, counterparty=OrganisationFactory(name="Arbetsförmedlingen")
    )
    AgreementFactory(enterprise=shop)
    ActivityFactory(year=2022, points=[point], text="Nätverksträffar varje månad.")
    report = AnnualReportFactory(
        year=2022, title="Rapport 2022", strategy=strategy, table_year=2022, published=False
    )
    ReportSectionFactory(
        report=report,
        heading="Organisation",
        body="Nätverkets medlemmar.",
        insert=ReportSection.Insert.MEMBER_LIST,
    )
    SignatoryFactory(report=report, name="Karina Johansson", organisation="M29")
    return {"report": report, "cafe": cafe, "shop": shop, "agreement": agreement, "point": point}


def publish(client, report, note="") -> object:
    url = reverse("admin:reports_annualreport_publish", args=[report.pk])
    return client.post(url, {"change_note": note}, follow=True)


def change_the_data(network) -> None:
    """What the issue did after publishing: an agreement edited, an enterprise unpublished,
    places added, an activity added."""
    agreement = network["agreement"]
    agreement.title = "Ett helt nytt avtal"
    agreement.save()
    Enterprise.objects.filter(pk=network["shop"].pk).update(published=False)
    network["shop"].published = False
    network["shop"].save()
    TrainingPlaceFactory.create_batch(3, enterprise=network["cafe"], capacity=4)
    ActivityFactory(year=2022, points=[network["point"]], text="En aktivitet i efterhand.")


# --- Publishing ---------------------------------------------------------------------------------


def test_a_published_report_does_not_change_when_the_data_does(coordinator_client, network):
    response = publish(coordinator_client, network["report"])
    assert "Rapporten för 2022 är publicerad som version 1." in response.content.decode()
    public = Client()
    page_before = article(public.get(PAGE))
    pdf_before = pdf_bytes(public)
    csv_before = public.get(CSV).content
    assert "Butiken Andra" in page_before and "Butiken Andra" in pdf_text(pdf_before)

    change_the_data(network)

    assert article(public.get(PAGE)) == page_before
    assert pdf_bytes(public) == pdf_before
    assert public.get(CSV).content == csv_before
    assert "Ett helt nytt avtal" not in pdf_text(pdf_before)
    # The coordinator's preview shows today's data, marked as a draft.
    preview = coordinator_client.get(PAGE + "?forhandsgranska=1").content.decode()
    assert "Ett helt nytt avtal" in preview
    assert "En aktivitet i efterhand." in preview
    assert "Butiken Andra" not in preview
    assert "Utkast." in preview


def test_the_english_version_is_frozen_too(coordinator_client, network):
    publish(coordinator_client, network["report"])
    public = Client()
    before = pdf_bytes(public, "/en/rapporter/2022.pdf")
    assert "Activities during 2022" in pdf_text(before)

    change_the_data(network)

    assert pdf_bytes(public, "/en/rapporter/2022.pdf") == before


def test_a_new_version_needs_a_note_and_the_old_one_stays_available(coordinator_client, network):
    publish(coordinator_client, network["report"])
    change_the_data(network)
    public = Client()
    first_pdf = pdf_bytes(public)

    refused = publish(coordinator_client, network["report"], note="   ")

    assert "Skriv vad som har ändrats sedan version 1." in refused.content.decode()
    assert ReportVersion.objects.count() == 1

    publish(coordinator_client, network["report"], note="Avtalen för 2022 rättade.")

    page = public.get(PAGE).content.decode()
    assert "Ett helt nytt avtal" in page
    assert "2 publicerade versioner" in page
    assert "Avtalen för 2022 rättade." in page
    assert 'href="/rapporter/2022/v1/"' in page and 'href="/rapporter/2022/v1.pdf"' in page
    assert "Ett helt nytt avtal" in pdf_text(pdf_bytes(public))
    # Version 1 as it was, saying that it was replaced.
    old_page = public.get("/rapporter/2022/v1/").content.decode()
    assert "Det här är version 1 av rapporten" in old_page
    assert "Ett helt nytt avtal" not in old_page
    assert pdf_bytes(public, "/rapporter/2022/v1.pdf") == first_pdf
    version = ReportVersion.objects.get(number=2)
    assert version.published_by.email == "samordnare@example.org"
    assert version.change_note == "Avtalen för 2022 rättade."


def test_a_version_that_does_not_exist_is_not_found(coordinator_client, network):
    publish(coordinator_client, network["report"])
    assert Client().get("/rapporter/2022/v2/").status_code == 404
    assert Client().get("/rapporter/2022/v2.pdf").status_code == 404


def test_withdrawing_hides_the_report_and_keeps_its_versions(coordinator_client, network):
    publish(coordinator_client, network["report"])
    url = reverse("admin:reports_annualreport_publish", args=[network["report"].pk])

    response = coordinator_client.post(url, {"withdraw": "1"}, follow=True)

    assert "inte längre publicerad" in response.content.decode()
    public = Client()
    for path in (PAGE, PDF, "/rapporter/2022/v1/", "/rapporter/2022/v1.pdf"):
        assert public.get(path).status_code == 404, path
    assert ReportVersion.objects.count() == 1
    # The coordinator still sees it as a draft with today's data.
    assert "Utkast." in coordinator_client.get(PAGE).content.decode()


def test_a_report_published_before_versions_existed_is_frozen_when_first_asked_for(network):
    AnnualReport.objects.filter(pk=network["report"].pk).update(published=True)
    public = Client()

    first = article(public.get(PAGE))
    change_the_data(network)

    assert article(public.get(PAGE)) == first
    version = ReportVersion.objects.get()
    assert (version.number, version.published_by) == (1, None)


def test_only_the_coordinator_may_publish(client, network, roles):
    from accounts.roles import ENTERPRISE_STAFF
    from tests.accounts.helpers import log_in_with_second_factor

    staff = UserFactory(is_staff=True)
    staff.groups.add(roles[ENTERPRISE_STAFF])
    log_in_with_second_factor(client, staff)
    url = reverse("admin:reports_annualreport_publish", args=[network["report"].pk])

    assert client.post(url, {"change_note": ""}).status_code in (403, 404)
    assert ReportVersion.objects.count() == 0
    assert Client().post(url, {"change_note": ""}).status_code == 302  # to the login
    assert ReportVersion.objects.count() == 0


# --- The worker renders each version's PDF once -------------------------------------------------


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_version_renders() -> int:
    return DBTaskResult.objects.filter(
        task_path=render_version_pdf.module_path, status=TaskResultStatus.READY
    ).count()


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_a_published_versions_pdfs_once(network, queue):
    versions.report_publish(report=network["report"], by=None)
    assert queued_version_renders() == 2  # Swedish and English
    assert Client().get(PDF).status_code == 202  # being prepared
    assert queued_version_renders() == 2  # not asked for twice

    call_command("worker", batch=True, verbosity=0)

    documents = ReportVersionDocument.objects.all()
    assert all(document.is_rendered for document in documents)
    assert jobs.render_changed_reports() == 0
    before = pdf_bytes(Client())
    change_the_data(network)
    assert jobs.render_changed_reports() == 0  # nothing to render: the version is frozen
    assert pdf_bytes(Client()) == before


# --- Measured ---------------------------------------------------------------------------------


def test_a_published_page_and_pdf_cost_a_fixed_number_of_queries(
    coordinator_client, network, django_assert_max_num_queries
):
    publish(coordinator_client, network["report"])
    public = Client()
    public.get(PAGE)  # the site's profile is cached by then, as on a live site
    public.get(PDF)  # rendered (the tests' task backend renders at once)
    for number in range(20):
        enterprise = EnterpriseFactory(name=f"Företag {number}")
        AgreementFactory(enterprise=enterprise)
        TrainingPlaceFactory(enterprise=enterprise)

    # The report, its latest version, the version's documents, the list of versions.
    with django_assert_max_num_queries(5):
        assert public.get(PAGE).status_code == 200
    with django_assert_max_num_queries(4):
        assert public.get(PDF).status_code == 200


def test_publishing_takes_the_same_number_of_queries_for_more_data(network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish_queries(report) -> int:
        with CaptureQueriesContext(connection) as captured:
            versions.report_publish(report=report, change_note="Fler företag.")
        return len(captured)

    versions.report_publish(report=network["report"])  # version 1 also marks it published
    small = publish_queries(AnnualReport.objects.get(pk=network["report"].pk))
    for number in range(15):
        enterprise = EnterpriseFactory(name=f"Företag {number}")
        AgreementFactory(enterprise=enterprise)
        ActivityFactory(year=2022, points=[network["point"]])
    large = publish_queries(AnnualReport.objects.get(pk=network["report"].pk))  # version 3

    assert large == small


# --- The next year --------------------------------------------------------------------------


def test_the_next_year_starts_from_this_years_texts(coordinator_client, network):
    report = network["report"]
    report.parties.add(OrganisationFactory(name="Samordningsförbundet"))
    report.show_statistics = False
    report.save()
    url = reverse("admin:reports_annualreport_next_year", args=[report.pk])

    assert (
        "Skapa rapport för 2023"
        in coordinator_client.get(
            reverse("admin:reports_annualreport_change", args=[report.pk])
        ).content.decode()
    )
    response = coordinator_client.post(url, follow=True)

    assert "Ett utkast för 2023 är skapat" in response.content.decode()
    new = AnnualReport.objects.get(year=2023)
    assert (new.title, new.table_year, new.published, new.show_statistics) == (
        "Rapport 2023",
        2023,
        False,
        False,
    )
    assert new.date == report.date.replace(year=report.date.year + 1)
    assert [s.heading for s in new.sections.all()] == ["Organisation"]
    assert [s.name for s in new.signatories.all()] == ["Karina Johansson"]
    assert [p.name for p in new.parties.all()] == ["Samordningsförbundet"]
    assert report.sections.count() == 1  # the old report keeps its own

    again = coordinator_client.post(url, follow=True)
    assert "Det finns redan en rapport för 2023." in again.content.decode()
    assert AnnualReport.objects.filter(year=2023).count() == 1


def test_agreements_of_the_frozen_table_are_as_they_were(network):
    versions.report_publish(report=network["report"])
    Agreement.objects.update(valid_until=datetime.date(2021, 12, 31))

    version = ReportVersion.objects.get()
    rows = version.data["sv"]["table"]
    assert [row["organisation"] for row in rows] == [["Kafé Första"], ["Butiken Andra"]]
    assert rows[0]["agreements"][0]["text"].startswith("AF om arbetsträningsplatser")


def test_publishing_deletes_the_drafts_pdfs(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    from reports import pdf
    from reports.models import RenderedReport

    assert coordinator_client.get(PDF).status_code == 200  # the draft's, rendered at once here
    draft_pdf = RenderedReport.objects.get()
    assert pdf.pdf_storage().exists(draft_pdf.file_name)

    with django_capture_on_commit_callbacks(execute=True):
        versions.report_publish(report=network["report"])

    assert not RenderedReport.objects.exists()
    assert not pdf.pdf_storage().exists(draft_pdf.file_name)
    assert all(document.is_rendered for document in ReportVersionDocument.objects.all())
