"""The coordinator's admin reads Swedish throughout, also where Django 6.1 leaves its own
strings in English (locale/sv fills those gaps), and a refused page is the site's, in Swedish."""

from __future__ import annotations

import html
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import translation

from accounts.roles import COORDINATOR, ENTERPRISE_STAFF
from enterprises.models import Inquiry
from placements.models import Placement, PlacementRequest
from reports.models import AnnualReport
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url
from tests.i18n.test_translations import catalogue, compile_po, read_po

DJANGO = Path(django.__file__).parent
# Django's English, as its own catalogues list it: the admin's, the core's (forms, fields).
CATALOGUES = [
    DJANGO / "contrib" / "admin" / "locale" / "sv" / "LC_MESSAGES" / "django.po",
    DJANGO / "conf" / "locale" / "sv" / "LC_MESSAGES" / "django.po",
]
# Strings in Django's templates and code that no catalogue lists: English whatever the language.
# The permissions' names are Django's English too, stored when Django creates them.
UNLISTED = ["- Select an option -", "Filter by ", 'alt="Search"', "Can add ", "Can view "]
PLACEHOLDER = re.compile(r"%(\([a-z_]+\))?[sd]|\{\{[^}]+\}\}")


def english_phrases() -> set[str]:
    """Every run of at least two words of Django's English messages, between placeholders."""
    phrases = set()
    for po in CATALOGUES:
        for entry in read_po(po):
            for message in [entry.msgid, entry.msgid_plural or ""]:
                for part in PLACEHOLDER.split(message):
                    part = (part or "").strip(" .,:;()“”\"'…-")
                    if len(part) >= 8 and " " in part and part.isascii():
                        phrases.add(part)
    return phrases


ENGLISH = english_phrases()


def what_a_reader_meets(page: str) -> str:
    """The page's text and the attributes a screen reader reads, without scripts and styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"', page)
    buttons = re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape("\n".join([text, *attributes, *buttons]))


def english_on(page: str) -> list[str]:
    seen = what_a_reader_meets(page)
    found = sorted(phrase for phrase in ENGLISH if phrase in seen)
    found += [phrase for phrase in UNLISTED if phrase in page]
    return found


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_swedish_mo_is_compiled_from_its_po(tmp_path, domain):
    folder = settings.BASE_DIR / "locale" / "sv" / "LC_MESSAGES"
    fresh = tmp_path / f"{domain}.mo"
    compile_po(folder / f"{domain}.po", fresh)

    assert catalogue(folder / f"{domain}.mo") == catalogue(fresh), (
        f"locale/sv/LC_MESSAGES/{domain}.mo is stale: run "
        "`python manage.py compilemessages -l sv --ignore=.venv` and commit it."
    )


def test_the_detector_finds_djangos_english():
    # The control: with English active, Django's admin strings are there to be found.
    with translation.override("en"):
        page = f"<p>{translation.gettext('Select all objects on this page for an action')}</p>"
    assert "Select all objects on this page for an action" in english_on(page)
    assert english_on("<select><option>- Select an option -</option></select>")
    assert english_on('<label><img src="s.svg" alt="Search"></label>')


@pytest.fixture
def network(roles):
    inquiry = factories.InquiryFactory(enterprise=factories.EnterpriseFactory())
    placement = factories.PlacementFactory()
    request = factories.PlacementRequestFactory(place=placement.place)
    report = factories.AnnualReportFactory()
    role = Group.objects.get(name=COORDINATOR)
    return {
        "inquiry": inquiry,
        "placement": placement,
        "request": request,
        "report": report,
        "role": role,
    }


def pages(network) -> dict[str, str]:
    inquiry, placement = network["inquiry"], network["placement"]
    return {
        "start page": "/admin/",
        "inquiries, with filters, dates and search": admin_url(Inquiry),
        "inquiries filtered": f"{admin_url(Inquiry)}?status__exact=new&created_at__year=2026",
        "an inquiry (status select)": admin_url(inquiry, "change"),
        "a new request (selects)": admin_url(PlacementRequest, "add"),
        "a placement (dates)": admin_url(placement, "change"),
        "placements, with filters": admin_url(Placement),
        "a report": admin_url(network["report"], "change"),
        "deleting a place": admin_url(placement.place, "delete"),
        "a request's history": admin_url(network["request"], "history"),
        "an app's page": "/admin/enterprises/",
        "a role (permissions)": admin_url(network["role"], "change"),
    }


def test_the_coordinators_pages_have_no_english(coordinator_client, network):
    english = {}
    for name, url in pages(network).items():
        response = coordinator_client.get(url)
        assert response.status_code == 200, name
        if found := english_on(response.text):
            english[name] = found
    assert not english, f"English on the coordinator's admin pages: {english}"


def test_the_empty_choice_and_the_date_filter_read_swedish(coordinator_client, network):
    form = coordinator_client.get(admin_url(PlacementRequest, "add")).text
    listing = coordinator_client.get(admin_url(Inquiry)).text

    assert '<option value="" selected>– Välj –</option>' in form
    assert "Filtrera efter mottagen" in listing
    # The search field's label: Swedish text beside the magnifying glass (Django: alt="Search").
    assert '<span class="visually-hidden">Sök</span></label>' in listing
    assert 'alt="Search"' not in listing


def test_the_calendars_scripts_read_swedish(coordinator_client):
    catalogue = coordinator_client.get("/admin/jsi18n/").text

    assert '"I dag (%(date)s)"' in catalogue
    assert '"%(day)s %(month)s %(year)s"' in catalogue


# --- Refused pages ------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, roles):
    user = factories.UserFactory(email="personal@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    factories.EnterpriseFactory().staff.add(user)
    log_in_with_second_factor(client, user)
    return client


@pytest.mark.parametrize(
    "url",
    [admin_url(Inquiry), admin_url(AnnualReport, "add"), admin_url(Group)],
    ids=["inquiries", "a new report", "roles"],
)
def test_staff_opening_a_coordinators_page_get_a_swedish_refusal_in_the_sites_look(
    staff_client, url
):
    response = staff_client.get(url)

    assert response.status_code == 403
    page = response.text
    assert '<html lang="sv">' in page
    assert "<h1>Du har inte behörighet till sidan</h1>" in page
    assert 'href="/admin/">Till administrationens startsida</a>' in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert "Forbidden" not in page and not english_on(page)


@override_settings(DEBUG=False)
def test_the_refusal_page_outside_the_admin_links_to_the_start_page(rf, db):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/rapporter/utkast/")
    response = permission_denied(request, PermissionDenied())

    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Du har inte behörighet till sidan</h1>" in page
    assert 'href="/">Till startsidan</a>' in page
    assert "Till administrationens startsida" not in page


def test_a_missing_admin_page_is_the_sites_swedish_404(coordinator_client):
    response = coordinator_client.get("/admin/finns-inte/")

    assert response.status_code == 404
    assert "Sidan finns inte" in response.text
    assert not english_on(response.text)


def test_the_log_of_changes_is_not_english_on_the_start_page(coordinator_client, coordinator):
    enterprise = factories.EnterpriseFactory()
    LogEntry.objects.log_actions(
        coordinator.pk, [enterprise], CHANGE, change_message="[]", single_object=True
    )

    response = coordinator_client.get("/admin/")

    assert not english_on(response.text)
    assert "ändrade" in response.text


def test_a_roles_permissions_read_swedish(coordinator_client, roles):
    response = coordinator_client.get(admin_url(roles[COORDINATOR], "change"))

    assert ">Nätverket och företagen | förfrågan | Kan lägga till förfrågan</option>" in (
        response.text
    )
    assert "Can add" not in response.text and "Can view" not in response.text
