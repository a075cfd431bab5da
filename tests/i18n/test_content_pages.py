"""About, accessibility and privacy in Swedish and English: their facts come from the data
and the settings, not from words typed into the templates."""

from __future__ import annotations

import io
from html import escape

import pytest
from django.core.management import call_command

from enterprises.models import Enterprise, NetworkProfile
from tests.factories import EnterpriseFactory

# The network is seeded once for the module (module_db); each test's changes roll back.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(module_db):
    call_command("seed_network", stdout=io.StringIO())
    return NetworkProfile.current()


@pytest.mark.parametrize(
    ("prefix", "heading", "count"),
    [
        ("", "Om ASF-nätverket", "I dag är 8 företag med:"),
        ("/en", "About the ASF network", "Today 8 enterprises are members:"),
    ],
)
def test_about_lists_the_published_enterprises(client, seeded, prefix, heading, count):
    EnterpriseFactory(name="Ett opublicerat företag", published=False)

    page = client.get(f"{prefix}/om/").text

    assert f"<h1>{heading}</h1>" in page
    assert count in page
    for enterprise in Enterprise.objects.published():
        assert (
            f'<a href="{prefix}/foretag/{enterprise.slug}/">{escape(enterprise.name)}</a>' in page
        )
    assert "Ett opublicerat företag" not in page
    assert "Karina Johansson" in page  # the coordinator, from the network's profile


@pytest.mark.parametrize(
    ("days", "swedish", "english"),
    [
        (730, "äldre än 24 månader", "older than 24 months"),
        (365, "äldre än 12 månader", "older than 12 months"),
        (90, "äldre än 90 dagar", "older than 90 days"),
    ],
)
def test_the_privacy_notice_gives_the_retention_period_of_the_settings(
    client, seeded, settings, days, swedish, english
):
    settings.INQUIRY_RETENTION_DAYS = days

    assert swedish in client.get("/integritet/").text
    assert english in client.get("/en/integritet/").text


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/integritet/", ["personuppgiftsansvarigt", "berättigat intresse", "IMY"]),
        ("/en/integritet/", ["controller of personal data", "legitimate interest", "IMY"]),
    ],
)
def test_the_privacy_notice_names_the_controller_and_how_to_reach_it(client, seeded, path, words):
    page = client.get(path).text

    assert seeded.name in page
    assert seeded.email in page
    assert seeded.phone in page
    for word in words:
        assert word in page


@pytest.mark.parametrize(
    ("path", "status", "contact_url"),
    [
        ("/tillganglighet/", "delvis förenlig", "/kontakt/"),
        ("/en/tillganglighet/", "partially compliant", "/en/kontakt/"),
    ],
)
def test_the_accessibility_statement_says_how_to_report_and_where_to_complain(
    client, seeded, path, status, contact_url
):
    page = client.get(path).text

    assert status in page
    assert f'href="{contact_url}"' in page
    assert f'<a href="{seeded.phone_uri}">{seeded.phone}</a>' in page
    assert '<a href="https://www.digg.se/">' in page
    assert "WCAG 2.1" in page
    assert '<time datetime="2026-11-27">' in page
