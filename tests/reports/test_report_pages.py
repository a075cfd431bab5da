"""/rapporter/: who sees which report, what the HTML report shows, and at what cost."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asfnet.seed import seed_network
from reports.models import AnnualReport, ReportSection, StrategyPoint
from reports.pdf import report_fingerprint
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    AnnualReportFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ReportSectionFactory,
    SignatoryFactory,
    StrategyAreaFactory,
    StrategyFactory,
    StrategyPointFactory,
    TrainingPlaceFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def report_urls(year: int) -> list[str]:
    return [
        reverse("reports:detail", kwargs={"year": year}),
        reverse("reports:pdf", kwargs={"year": year}),
        reverse("reports:statistics_csv", kwargs={"year": year}),
    ]


@pytest.fixture
def draft():
    return AnnualReportFactory(year=2023, title="Utkastet för 2023", published=False)


@pytest.fixture
def published():
    return AnnualReportFactory(year=2022, title="Den publicerade rapporten", published=True)


# --- Who sees what --------------------------------------------------------------------------


def test_the_contract_paths(published):
    assert report_urls(2022) == [
        "/rapporter/2022/",
        "/rapporter/2022.pdf",
        "/rapporter/2022/statistik.csv",
    ]
    assert reverse("reports:list") == "/rapporter/"


@pytest.mark.parametrize("index", range(3), ids=["html", "pdf", "csv"])
def test_a_draft_does_not_exist_for_the_public(client, draft, index):
    assert client.get(report_urls(draft.year)[index]).status_code == 404


@pytest.mark.parametrize("index", range(3), ids=["html", "pdf", "csv"])
def test_a_draft_does_not_exist_for_a_logged_in_user_who_is_not_the_coordinator(
    client, draft, index
):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(report_urls(draft.year)[index]).status_code == 404


def test_the_coordinator_previews_a_draft_marked_as_such(coordinator_client, draft):
    response = coordinator_client.get(report_urls(draft.year)[0])

    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="report-title">Utkastet för 2023</h1>' in content
    assert "Rapporten är inte publicerad och syns bara för samordnaren." in content
    assert response["Cache-Control"] == "private, no-store"


def test_the_coordinator_downloads_a_drafts_pdf_and_csv(coordinator_client, draft):
    pdf = coordinator_client.get(report_urls(draft.year)[1])
    csv = coordinator_client.get(report_urls(draft.year)[2])

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.getvalue().startswith(b"%PDF-")
    assert csv.status_code == 200


def test_a_superuser_sees_drafts_too(client, draft):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(report_urls(draft.year)[0]).status_code == 200


def test_a_published_report_is_public_as_page_pdf_and_csv(client, published):
    page, pdf, csv = (client.get(url) for url in report_urls(published.year))

    assert page.status_code == 200
    assert "Den publicerade rapporten" in page.content.decode()
    assert "inte publicerad" not in page.content.decode()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'inline; filename="iop-rapport-2022.pdf"'
    assert pdf.getvalue().startswith(b"%PDF-")
    assert csv.status_code == 200
    assert "Cache-Control" not in page


def test_a_year_without_a_report_is_not_found(client, published):
    assert client.get("/rapporter/1999/").status_code == 404
    assert client.get("/rapporter/1999.pdf").status_code == 404


def test_the_list_shows_only_published_reports_to_the_public(client, published, draft):
    content = client.get("/rapporter/").content.decode()

    assert "Den publicerade rapporten" in content
    assert 'href="/rapporter/2022/"' in content
    assert 'href="/rapporter/2022.pdf"' in content
    assert "Utkastet för 2023" not in content
    assert "/rapporter/2023/" not in content


def test_the_list_shows_the_coordinator_the_drafts_apart(coordinator_client, published, draft):
    content = coordinator_client.get("/rapporter/").content.decode()

    published_at = content.index("Den publicerade rapporten")
    drafts_heading = content.index("<h2>Utkast</h2>")
    assert published_at < drafts_heading < content.index("Utkastet för 2023")
    assert 'href="/rapporter/2023/"' in content


def test_the_list_comes_from_the_page_cache_but_never_the_coordinators_drafts(
    coordinator_client, published, draft, django_assert_num_queries
):
    visitor = Client()
    visitor.get("/rapporter/")
    coordinator_page = coordinator_client.get("/rapporter/")  # after the visitor's: not cached

    with django_assert_num_queries(0):
        visitor_page = visitor.get("/rapporter/")

    assert "Utkastet för 2023" in coordinator_page.text
    assert coordinator_page["Cache-Control"] == "private, no-store"
    assert "Utkastet för 2023" not in visitor_page.text
    assert "Den publicerade rapporten" in visitor_page.text
    draft.published = True
    draft.save()
    assert "Utkastet för 2023" in visitor.get("/rapporter/").text  # a save empties the cache


def test_the_admin_page_of_a_report_links_to_its_preview_and_pdf(coordinator_client, draft):
    url = reverse("admin:reports_annualreport_change", args=[draft.pk])
    content = coordinator_client.get(url).content.decode()

    assert '<a href="/rapporter/2023/">Förhandsgranska</a>' in content
    assert '<a href="/rapporter/2023.pdf">PDF</a>' in content


# --- What the page shows --------------------------------------------------------------------


def test_the_2022_report_page_follows_the_documents_order(client):
    seed_network()
    page = client.get("/rapporter/2022/").content.decode()
    # The report after its cover and table of contents (which name the headings too).
    assert (
        "Rapport av Idéburet och Offentligt Partnerskap (IoP)"
        in page.split('class="report-contents"')[0]
    )
    contents_end = page.index("</nav>", page.index('class="report-contents"'))
    content = page[contents_end:]

    order = [
        "<h2>Bakgrund</h2>",
        "<h2>Organisation</h2>",
        "Nätverkets medlemmar 2022",
        "Livskraft (Sollentuna)",
        "Aktiviteter under 2022",
        "Område 1 – Kunskap om arbetsmarknadens förutsättningar efter pandemin.",
        "Punkt 3: Bidrar med en rådgivande funktion",
        "Område 2 – Stärka samverkan",
        "Område 3 – Utveckla innehållet",
        "Punkten 5: Mobiliserar ASF att ge deltagarna",
        "<h2>Framtida utvecklingsområden</h2>",
        "<h3>Ökad samordning och kundanpassning</h3>",
        "<h2>Avslutning</h2>",
        '<time datetime="2022-10-19">2022-10-19</time>',
        "Oskar Rommel, Ordförande SKOOPI Stockholm",
        "Karina Johansson, M29 Socialt företagscenter",
        "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby och Sigtuna 2021",
        "Underleverantör till M29 för avtalet",
        "– Arbetsförmedlingen",
    ]
    positions = [content.find(text) for text in order]
    assert -1 not in positions, [t for t, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "Statistik 2022" not in content  # the document has no statistics


def test_the_page_leaves_the_list_markers_to_the_browser(client):
    seed_network()
    content = client.get("/rapporter/2022/").content.decode()
    # Plain list items: the browser draws the markers (the PDF writes "•", see report.html).
    assert "<li>Medverkat på Sigtuna näringslivsgala</li>" in content
    assert "<li>Café Nyfiket</li>" in content
    assert "•" not in content


def test_a_point_without_activities_in_the_year_is_left_out(client):
    area = StrategyAreaFactory(number=1, title="Området")
    busy = StrategyPointFactory(area=area, number=1, text="Punkten med aktiviteter.")
    StrategyPointFactory(area=area, number=2, text="Punkten utan aktiviteter.")
    ActivityFactory(year=2022, points=[busy], text="Årets aktivitet.")
    ActivityFactory(year=2021, points=[busy], text="Förra årets aktivitet.")
    AnnualReportFactory(year=2022, strategy=area.strategy, published=True)

    content = client.get("/rapporter/2022/").content.decode()
    assert "Punkt 1: Punkten med aktiviteter." in content
    assert "Årets aktivitet." in content
    assert "Punkten utan aktiviteter." not in content
    assert "Förra årets aktivitet." not in content


def test_a_report_without_activities_or_placements_says_so(client):
    report = AnnualReportFactory(year=2030, table_year=2029, published=True)
    ReportSectionFactory(report=report, heading="Bakgrund", body="Ett lugnt år.")

    content = client.get("/rapporter/2030/").content.decode()

    assert "Ett lugnt år." in content
    assert "Inga aktiviteter registrerades under 2030." in content
    assert "Inga placeringar registrerades under 2030." in content
    assert "Inga arbetsträningsplatser var öppna den 31 december 2030." in content
    assert "Inga företag i nätverket 2029." in content
    assert "<svg" not in content


def test_an_area_without_activities_says_so(client):
    strategy = StrategyFactory()
    StrategyAreaFactory(strategy=strategy, number=1, title="Det tysta området")
    AnnualReportFactory(year=2022, strategy=strategy, published=True)

    content = client.get("/rapporter/2022/").content.decode()
    assert "Område 1 – Det tysta området" in content
    assert "Inga aktiviteter under området 2022." in content


def test_the_member_list_appears_only_in_the_section_that_asks_for_it(client):
    report = AnnualReportFactory(year=2022, published=True)
    ReportSectionFactory(report=report, heading="Bakgrund", order=1)
    ReportSectionFactory(
        report=report, heading="Organisation", order=2, insert=ReportSection.Insert.MEMBER_LIST
    )
    EnterpriseFactory(
        name="Medlemmen", start_year=2020, municipalities=[MunicipalityFactory(name="Sigtuna")]
    )
    EnterpriseFactory(name="Den blivande medlemmen", start_year=2023)
    EnterpriseFactory(name="Den opublicerade", start_year=2020, published=False)

    content = client.get("/rapporter/2022/").content.decode()

    members = content[content.index("Nätverkets medlemmar 2022") :]
    assert content.index("<h2>Organisation</h2>") < content.index("Nätverkets medlemmar 2022")
    assert "Medlemmen (Sigtuna)" in members
    assert "Den blivande medlemmen" not in content
    assert "Den opublicerade" not in content


def test_the_seeded_report_puts_the_member_list_under_organisation(db):
    seed_network()
    sections = AnnualReport.objects.get(year=2022).sections
    assert list(sections.exclude(insert="").values_list("heading", "insert")) == [
        ("Organisation", "member_list")
    ]


def test_signatories_read_name_role_and_organisation(client):
    report = AnnualReportFactory(year=2022, published=True)
    SignatoryFactory(report=report, name="Anna Ordförande", role="Ordförande", organisation="X")
    SignatoryFactory(report=report, name="Bo Utan Roll", role="", organisation="Y")

    content = client.get("/rapporter/2022/").content.decode()

    assert "Anna Ordförande, Ordförande X" in content
    assert "Bo Utan Roll, Y" in content


def test_the_report_is_in_english_under_en(client):
    AnnualReportFactory(year=2022, published=True)
    response = client.get("/en/rapporter/2022/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


# --- Queries --------------------------------------------------------------------------------


@pytest.fixture
def report_2022():
    strategy = StrategyFactory()
    for number in (1, 2):
        StrategyPointFactory(area=StrategyAreaFactory(strategy=strategy, number=number), number=1)
    report = AnnualReportFactory(year=2022, strategy=strategy, published=True)
    ReportSectionFactory(report=report, insert=ReportSection.Insert.MEMBER_LIST)
    SignatoryFactory(report=report)
    return report


def add_network(report: AnnualReport, size: int) -> None:
    """`size` enterprises with places, placements, requests and activities in 2022."""
    sigtuna = MunicipalityFactory(name="Sigtuna")
    referrer = OrganisationFactory()
    points = list(StrategyPoint.objects.filter(area__strategy=report.strategy))
    for number in range(size):
        enterprise = EnterpriseFactory(municipalities=[sigtuna])
        AgreementFactory(enterprise=enterprise, counterparty=referrer)
        UnitFactory(enterprise=enterprise, municipality=sigtuna)
        place = TrainingPlaceFactory(enterprise=enterprise)
        PlacementFactory(place=place, referrer=referrer, started_on=datetime.date(2022, 2, 1))
        PlacementFactory(
            place=place,
            referrer=referrer,
            started_on=datetime.date(2021, 5, 1),
            ended_on=datetime.date(2022, 6, 1),
            outcome="work",
        )
        PlacementRequestFactory(place=place, referrer=referrer)
        ActivityFactory(year=2022, points=[points[number % len(points)]])


def queries_for_report_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/rapporter/2022/")
    assert response.status_code == 200
    assert "Figur 1." in response.content.decode()  # the statistics were drawn
    return len(queries)


def test_the_report_page_takes_the_same_number_of_queries_for_more_data(
    coordinator_client, report_2022
):
    # A draft's page (the coordinator's): the report is read from today's data at each view.
    # A published version's page is read as stored: tests/reports/test_report_versions.py.
    AnnualReport.objects.filter(pk=report_2022.pk).update(published=False)
    add_network(report_2022, 2)
    small = queries_for_report_page(coordinator_client)
    add_network(report_2022, 12)
    large = queries_for_report_page(coordinator_client)

    assert small == large
    assert large <= 36, large  # the coordinator's session and permissions: 6 of them


def test_the_pdfs_fingerprint_takes_the_same_number_of_queries_for_more_data(report_2022):
    def queries() -> int:
        report = AnnualReport.objects.get(year=2022)
        with CaptureQueriesContext(connection) as captured:
            report_fingerprint(report)
        return len(captured)

    add_network(report_2022, 2)
    small = queries()
    add_network(report_2022, 10)
    assert queries() == small <= 20, small


def test_on_the_english_page_the_reports_swedish_texts_are_marked_swedish(client):
    """A screen reader reads the report's own texts (Swedish) with a Swedish voice on /en/."""
    seed_network()
    english = client.get("/en/rapporter/2022/").content.decode()
    swedish = client.get("/rapporter/2022/").content.decode()

    assert '<h2 lang="sv">Bakgrund</h2>' in english
    assert 'Area 1 – <span lang="sv">Kunskap om arbetsmarknadens' in english
    assert '<span lang="sv">Punkten 1</span>: <span lang="sv">Mobilisera ASF:en' in english
    activity = "ASF:en medverkat på kommunernas lokala näringslivsträffar."
    assert f'<li lang="sv">{activity}</li>' in english
    assert '<tbody lang="sv">' in english
    assert '<div class="report-signatories" lang="sv">' in english
    # The English words around them stay English; the Swedish page has no such marking.
    assert "Activities during 2022" in english
    article = swedish[swedish.index("<article") : swedish.index("</article>")]
    assert 'lang="sv"' not in article
