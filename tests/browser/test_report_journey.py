"""The annual report's journey in a real Chromium: the coordinator edits the draft in the
admin, previews it, publishes it; then anyone reads it and asks for its PDF, which the
background worker renders: first a page that says it is being prepared, then the PDF. Edited
again, the published report stays as it was until the coordinator publishes version 2."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from accounts.roles import COORDINATOR, ensure_roles
from enterprises.models import Enterprise
from reports.models import AnnualReport, ReportVersion
from tests.accounts.helpers import give_totp, totp_code
from tests.browser.helpers import (
    DESKTOP,
    SMALL_PHONE,
    assert_page_checked,
    axe_violations,
    describe_violations,
)
from tests.factories import PlacementFactory, TrainingPlaceFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "test-lösenord-123"  # UserFactory's
ADDED = "Under 2023 fortsätter partnerskapet arbetet med kvalitetssäkringen."
AMENDED = "Under 2023 och 2024 fortsätter partnerskapet arbetet med kvalitetssäkringen."


@pytest.fixture
def draft_2022(site):
    """The seeded 2022 report as an unpublished draft, with its statistics (the source has none,
    so the seed leaves them out) and some placements to chart."""
    AnnualReport.objects.filter(year=2022).update(published=False, show_statistics=True)
    ReportVersion.objects.filter(report__year=2022).delete()  # seed_network published it
    place = TrainingPlaceFactory(enterprise=Enterprise.objects.get(slug="livskraft"))
    for month in (2, 5, 9):
        PlacementFactory(place=place, started_on=datetime.date(2022, month, 1))
    return AnnualReport.objects.get(year=2022)


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {what}:\n"
        f"{describe_violations(violations)}"
    )


def log_in_as_coordinator(page, site) -> None:
    user = UserFactory(email="samordnare@example.org", is_staff=True)
    user.groups.add(ensure_roles()[COORDINATOR])
    give_totp(user)
    page.goto(site.url("/konto/login/?next=/admin/"))
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    page.get_by_label("Kod").fill(totp_code())
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/admin/" in url)


def test_the_coordinator_previews_and_publishes_and_the_public_downloads_the_pdf(
    page, browser, site, draft_2022, settings
):
    # The real queue: the PDF waits for the worker, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    public = browser.new_context(locale="sv-SE")
    public.set_default_timeout(10_000)
    assert public.request.get(site.url("/rapporter/2022/")).status == 404

    # The coordinator adds a sentence to "Avslutning" and saves.
    log_in_as_coordinator(page, site)
    page.goto(site.url(f"/admin/reports/annualreport/{draft_2022.pk}/change/"))
    closing = next(
        area
        for area in page.locator("textarea[name$='-body']").all()
        if area.input_value().startswith("Det finns många utmaningar")
    )
    closing.fill(f"{closing.input_value()}\n\n{ADDED}")
    page.get_by_role("button", name="Spara och fortsätt redigera").click()
    page.wait_for_load_state()

    # The preview shows the change, says it is a draft, and is accessible.
    page.get_by_role("link", name="Förhandsgranska").click()
    page.get_by_role("heading", level=1, name=draft_2022.title).wait_for()
    main = page.get_by_role("main")
    assert ADDED in main.inner_text()
    assert "Rapporten är inte publicerad" in main.inner_text()
    assert page.locator("svg[role=img] title").count() >= 2  # the charts, with their titles
    assert_accessible(page, "the draft report")

    # Published, it is the public's.
    page.go_back()
    page.get_by_role("link", name="Publicera", exact=True).click()
    page.get_by_role("heading", name="Publicera rapporten för 2022").wait_for()
    assert "Den blir version 1" in page.get_by_role("main").inner_text()
    assert_page_checked(page, "report-publish-first", "desktop")
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_text("Rapporten för 2022 är publicerad som version 1.").wait_for()
    draft_2022.refresh_from_db()
    assert draft_2022.published

    reader = public.new_page()
    reader.goto(site.url("/rapporter/"))
    reader.get_by_role("link", name="Årsrapport 2022").click()
    reader.get_by_role("heading", level=1, name=draft_2022.title).wait_for()
    assert "inte publicerad" not in reader.get_by_role("main").inner_text()
    assert_accessible(reader, "the published report")

    # The first to ask for the PDF is told it is being prepared, on an accessible page that
    # leads to the report as a web page meanwhile.
    pdf_url = site.url(
        reader.get_by_role("link", name="Ladda ner rapporten som PDF").get_attribute("href")
    )
    preparing = reader.goto(pdf_url)
    assert preparing.status == 202
    assert preparing.headers["retry-after"] == "10"
    reader.get_by_role("heading", level=1, name="PDF:en förbereds").wait_for()
    assert_accessible(reader, "the page that says the PDF is being prepared")
    assert (
        reader.get_by_role("link", name="Årsrapport 2022").get_attribute("href")
        == "/rapporter/2022/"
    )

    # The worker renders it; then the link on that page gives the PDF.
    call_command("worker", batch=True, verbosity=0)
    retry = reader.get_by_role("link", name="Försök hämta PDF:en för 2022 igen")
    response = public.request.get(site.url(retry.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert ADDED in text
    assert pdf.metadata.title == draft_2022.title

    # Edited again, the public still reads version 1; the coordinator previews the change and
    # publishes it as version 2 with a note, which the public then sees with both versions.
    page.goto(site.url(f"/admin/reports/annualreport/{draft_2022.pk}/change/"))
    closing = next(
        area
        for area in page.locator("textarea[name$='-body']").all()
        if area.input_value().startswith("Det finns många utmaningar")
    )
    closing.fill(closing.input_value().replace(ADDED, AMENDED))
    page.get_by_role("button", name="Spara och fortsätt redigera").click()
    page.wait_for_load_state()
    reader.goto(site.url("/rapporter/2022/"))
    assert ADDED in reader.get_by_role("main").inner_text()
    assert AMENDED not in reader.get_by_role("main").inner_text()
    page.get_by_role("link", name="Förhandsgranska ändringar").click()
    assert AMENDED in page.get_by_role("main").inner_text()
    page.go_back()
    page.get_by_role("link", name="Publicera en ny version").click()
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_text("Skriv vad som har ändrats sedan version 1.").wait_for()
    page.get_by_label("Vad har ändrats?").fill("Avslutningen omskriven.")
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_text("Rapporten för 2022 är publicerad som version 2.").wait_for()

    reader.goto(site.url("/rapporter/2022/"))
    main = reader.get_by_role("main")
    assert AMENDED in main.inner_text()
    reader.get_by_text("2 publicerade versioner").click()
    assert "Avslutningen omskriven." in main.inner_text()
    assert_accessible(reader, "the published report with its versions")
    reader.get_by_role("link", name="webbsida").last.click()
    reader.get_by_text("Det här är version 1 av rapporten").wait_for()
    assert ADDED in reader.get_by_role("main").inner_text()
    assert_accessible(reader, "version 1 of the report")

    # The pages of the versions, at 1280 px and on a 320 px phone: the report with its list of
    # versions open, version 1, and the admin's page that would publish version 3 (it asks
    # what changed, and offers to withdraw the report).
    publish_url = site.url(f"/admin/reports/annualreport/{draft_2022.pk}/publicera/")
    for viewport_name, size in (("desktop", DESKTOP), ("320", SMALL_PHONE)):
        reader.set_viewport_size(size)
        reader.goto(site.url("/rapporter/2022/"))
        reader.get_by_text("2 publicerade versioner").click()
        reader.get_by_role("link", name="webbsida").last.wait_for()
        assert_page_checked(reader, "report-versions", viewport_name)
        reader.get_by_role("link", name="webbsida").last.click()
        reader.get_by_text("Det här är version 1 av rapporten").wait_for()
        assert_page_checked(reader, "report-version-1", viewport_name)

        page.set_viewport_size(size)
        page.goto(publish_url)
        assert "blir det version 3" in page.get_by_role("main").inner_text()
        assert page.get_by_label("Vad har ändrats?").is_visible()
        assert page.get_by_role("button", name="Avpublicera").is_visible()
        assert_page_checked(page, "report-publish-next", viewport_name)
    public.close()
