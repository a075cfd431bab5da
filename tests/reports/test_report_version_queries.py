"""An old version's page and the admin's publish page cost the same number of queries however
many enterprises, places and versions there are (reports/views.py, reports/admin.py).

Each test builds the network at two sizes: measured on the small one, the large one (more
enterprises with agreements, units, places, placements, activities, and more versions) may
take no more. The published page and its PDF are measured in test_report_versions.py, a
draft's page in test_report_pages.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import versions
from reports.models import (
    AnnualReport,
    ReportSection,
    ReportVersion,
    ReportVersionDocument,
    StrategyPoint,
)
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    AnnualReportFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlacementFactory,
    ReportSectionFactory,
    SignatoryFactory,
    StrategyAreaFactory,
    StrategyFactory,
    StrategyPointFactory,
    TrainingPlaceFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

OLD_VERSION = "/rapporter/2022/v1/"


@pytest.fixture
def report():
    strategy = StrategyFactory()
    for number in (1, 2):
        StrategyPointFactory(area=StrategyAreaFactory(strategy=strategy, number=number), number=1)
    report = AnnualReportFactory(
        year=2022, strategy=strategy, table_year=2022, published=False, show_statistics=True
    )
    ReportSectionFactory(report=report, insert=ReportSection.Insert.MEMBER_LIST)
    SignatoryFactory(report=report)
    return report


def add_network(report: AnnualReport, size: int) -> None:
    """`size` enterprises, each with an agreement, a unit, a place, a placement in 2022 and an
    activity under the report's strategy."""
    sigtuna = MunicipalityFactory(name="Sigtuna")
    referrer = OrganisationFactory()
    points = list(StrategyPoint.objects.filter(area__strategy=report.strategy))
    for number in range(size):
        enterprise = EnterpriseFactory(municipalities=[sigtuna])
        AgreementFactory(enterprise=enterprise, counterparty=referrer)
        UnitFactory(enterprise=enterprise, municipality=sigtuna)
        place = TrainingPlaceFactory(enterprise=enterprise)
        PlacementFactory(place=place, referrer=referrer, started_on=datetime.date(2022, 2, 1))
        ActivityFactory(year=2022, points=[points[number % len(points)]])


def add_versions(report: AnnualReport, count: int) -> None:
    """Publish the report as it is now, then `count` - 1 more versions copied from that one (a
    real publish renders the report twice, about a second; the copies cost nothing)."""
    latest = versions.report_publish(
        report=report, change_note="Fler företag." if report.versions.exists() else ""
    )
    documents = list(latest.documents.all())
    for number in range(latest.number + 1, latest.number + count):
        version = ReportVersion.objects.create(
            report=report, number=number, change_note="Samma igen.", data=latest.data
        )
        ReportVersionDocument.objects.bulk_create(
            ReportVersionDocument(
                version=version,
                language=document.language,
                html=document.html,
                print_html=document.print_html,
            )
            for document in documents
        )


def measure(send) -> tuple[int, object]:
    """The queries a request costs, and its response: `measure(lambda: client.get(url))`."""
    with CaptureQueriesContext(connection) as captured:
        response = send()
    return len(captured), response


# --- An old version's page ------------------------------------------------------------------


# Who reads the page, and the queries it costs them as measured on SQLite:
# the report, the version, the latest version, the version's documents, the list of versions
# and the network's profile; for the coordinator also the session, the user, the two queries
# of their permissions (the coordinator's note on the page) and their role (the signed-in
# frame).
READERS = {"visitor": 6, "coordinator": 11}


@pytest.fixture(params=READERS)
def reader(request):
    if request.param == "visitor":
        client = Client()
    else:
        client = request.getfixturevalue("coordinator_client")
    client.bound = READERS[request.param]
    return client


def test_an_old_versions_page_costs_the_same_queries_for_more_data_and_versions(
    reader, report, django_assert_max_num_queries
):
    add_network(report, 2)
    add_versions(report, 2)
    reader.get(OLD_VERSION)  # so that both counts are of a warm process
    small, response = measure(lambda: reader.get(OLD_VERSION))
    assert response.status_code == 200
    assert "Det här är version 1 av rapporten" in response.text

    add_network(report, 12)
    add_versions(report, 6)  # versions 3 to 8, with the larger network
    with django_assert_max_num_queries(small):
        response = reader.get(OLD_VERSION)

    assert response.status_code == 200
    assert "Det här är version 1 av rapporten" in response.text
    assert "8 publicerade versioner" in response.text
    for number in range(1, 9):
        assert reverse("reports:version", kwargs={"year": 2022, "number": number}) in response.text
    assert small <= reader.bound, small


# --- The admin's publish page ---------------------------------------------------------------


def publish_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_publish", args=[report.pk])


def test_the_publish_page_costs_the_same_queries_for_more_data_and_versions(
    coordinator_client, report, django_assert_max_num_queries
):
    add_network(report, 2)
    add_versions(report, 1)
    small, response = measure(lambda: coordinator_client.get(publish_url(report)))
    assert response.status_code == 200
    assert "Publicerar du nu blir det version 2" in response.text

    add_network(report, 12)
    add_versions(report, 6)
    with django_assert_max_num_queries(small):
        response = coordinator_client.get(publish_url(report))

    assert response.status_code == 200
    assert "Publicerar du nu blir det version 8" in response.text
    # As measured on SQLite: the session, the user, the two queries of the permissions, the
    # report, its latest version, the network's profile (the admin's header) and the role (the
    # signed-in frame).
    assert small <= 8, small


def test_publishing_in_the_admin_costs_the_same_queries_for_more_data_and_versions(
    coordinator_client, report, django_assert_max_num_queries
):
    """The POST that freezes a version: the whole report is read once per language, so the
    count is larger, but it does not grow. The PDFs are asked for after the commit (not
    counted here: tests/reports/test_report_pdf_worker.py measures the worker)."""
    add_network(report, 2)
    add_versions(report, 1)
    small, response = measure(
        lambda: coordinator_client.post(publish_url(report), {"change_note": "Två företag till."})
    )
    assert response.status_code == 302
    assert ReportVersion.objects.filter(report=report).count() == 2

    add_network(report, 12)
    add_versions(report, 6)
    with django_assert_max_num_queries(small):
        response = coordinator_client.post(
            publish_url(report), {"change_note": "Tolv företag till."}
        )

    assert response.status_code == 302
    latest = versions.latest_version(report)
    assert (latest.number, latest.change_note) == (9, "Tolv företag till.")
    assert len(latest.data["sv"]["members"]) == 14
    # As measured on SQLite: the page's 6 (the session, the user, the permissions, the report,
    # its latest version), then the publishing: about 32 for each of the site's two languages
    # (the report read from today's data, the version's document written).
    assert small <= 72, small
