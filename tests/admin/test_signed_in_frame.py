"""The admin's header is the site's signed-in frame (templates/admin/base_site.html): who is
logged in and in which role, the way to their work and to the public site, and "Logga ut"
through allauth, instead of Django's own "Välkommen" and logout. It costs the same number of
queries however much there is in the database."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import ENTERPRISE_STAFF
from enterprises.models import Enterprise, Inquiry
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url
from tests.storefront.helpers import text


@pytest.fixture
def coordinator_named(coordinator):
    coordinator.first_name, coordinator.last_name = "Kim", "Samordnare"
    coordinator.save()
    return coordinator


@pytest.fixture
def staff(roles):
    user = factories.UserFactory(
        email="personal@example.org", first_name="Sara", last_name="Säljare", is_staff=True
    )
    user.groups.add(roles[ENTERPRISE_STAFF])
    factories.EnterpriseFactory(name="Café Nyfiket").staff.add(user)
    return user


def account_bar(html: str) -> str:
    header = re.search(r'<header id="header">.*?</header>', html, re.S)
    assert header, "no admin header"
    bar = re.search(r'<nav class="account-bar" aria-label="Ditt konto">.*?</nav>', header[0], re.S)
    assert bar, "no signed-in frame in the admin's header"
    return bar.group()


def links(bar: str) -> list[tuple[str, str]]:
    found = re.findall(r'<a class="account-bar__link" href="([^"]+)"[^>]*>(.*?)</a>', bar)
    return [(href, text(label)) for href, label in found]


def logout_form(bar: str) -> str:
    form = re.search(r'<form class="account-bar__logout" method="post" action="([^"]+)">', bar)
    assert form, "no logout form that posts"
    return form.group(1)


# --- What the coordinator sees ----------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    ["start page", "a list", "a report", "publishing a report"],
)
def test_the_coordinator_sees_who_they_are_and_their_ways_on_every_admin_page(
    client, coordinator_named, page
):
    report = factories.AnnualReportFactory()
    url = {
        "start page": "/admin/",
        "a list": admin_url(Inquiry),
        "a report": admin_url(report, "change"),
        "publishing a report": reverse("admin:reports_annualreport_publish", args=[report.pk]),
    }[page]
    log_in_with_second_factor(client, coordinator_named)

    response = client.get(url)

    assert response.status_code == 200
    bar = account_bar(response.text)
    assert text(bar).startswith("Inloggad som Kim Samordnare, samordnare")
    assert links(bar) == [
        ("/admin/", "Administrationen"),
        ("/", "Till webbplatsen"),
        ("/konto/2fa/", "Tvåstegsverifiering"),
        ("/konto/password/change/", "Byt lösenord"),
    ]
    assert re.search(r'<button class="account-bar__button" type="submit">\s*Logga ut', bar)
    # allauth's logout, as on the public pages; not Django's, and not a link.
    assert logout_form(bar) == reverse("account_logout") == "/konto/logout/"
    assert 'name="csrfmiddlewaretoken"' in bar
    assert reverse("admin:logout") not in response.text
    assert 'href="/konto/logout/"' not in response.text
    assert "Välkommen" not in response.text


def test_the_start_page_is_marked_as_the_current_page_only_there(coordinator_client):
    on_start_page = account_bar(coordinator_client.get("/admin/").text)
    on_a_list = account_bar(coordinator_client.get(admin_url(Inquiry)).text)

    assert '<a class="account-bar__link" href="/admin/" aria-current="page">' in on_start_page
    assert "aria-current" not in on_a_list


def test_staff_see_their_enterprise_and_the_requests_first(client, staff):
    log_in_with_second_factor(client, staff)

    bar = account_bar(client.get("/admin/").text)

    assert text(bar).startswith("Inloggad som Sara Säljare, personal på Café Nyfiket")
    assert links(bar)[:3] == [
        ("/platser/forfragningar/", "Förfrågningar"),
        ("/admin/", "Administrationen"),
        ("/", "Till webbplatsen"),
    ]


def test_the_logout_button_logs_out_with_the_pages_own_token(coordinator):
    browser = Client(enforce_csrf_checks=True)
    log_in_with_second_factor(browser, coordinator)
    bar = account_bar(browser.get("/admin/").text)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', bar).group(1)

    response = browser.post(logout_form(bar), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert SESSION_KEY not in browser.session
    assert browser.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/konto/login/")


def test_the_login_page_has_no_frame(client, db):
    # Nobody is logged in: /admin/ leads to the portal's login, which has no frame either.
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/konto/login/")
    assert "Inloggad som" not in response.text


# --- A fixed number of queries ----------------------------------------------------------------


def grow(n: int) -> None:
    """`n` of everything the start page and the frame could read per row."""
    for _ in range(n):
        place = factories.TrainingPlaceFactory(last_confirmed_on=None)
        factories.PlacementRequestFactory(place=place)
        factories.InquiryFactory(enterprise=place.enterprise)
        person = factories.UserFactory(is_staff=True)
        place.enterprise.staff.add(person)
        LogEntry.objects.create(
            user=person,
            content_type=ContentType.objects.get_for_model(Enterprise),
            object_id=str(place.enterprise.pk),
            object_repr=place.enterprise.name,
            action_flag=CHANGE,
        )


def queries(client, url: str = "/admin/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert "Inloggad som" in client.get(url).text
    return len(captured)


def test_the_coordinators_start_page_with_its_frame_costs_the_same_queries_for_more_data(
    coordinator_client, django_assert_max_num_queries
):
    grow(1)
    few = queries(coordinator_client)
    grow(20)

    with django_assert_max_num_queries(few):
        response = coordinator_client.get("/admin/")

    assert "Inloggad som" in account_bar(response.text)
    assert "21 förfrågningar väntar på svar." in response.text
    # As measured on SQLite: the session, the user, two for the permissions, one for the role,
    # eight for the worklist, the network's profile. The frame itself adds none: the role's
    # groups are already read for the worklist.
    assert few <= 14, few


def test_the_staff_start_page_with_its_frame_costs_the_same_queries_for_more_enterprises(
    client, staff, django_assert_max_num_queries
):
    log_in_with_second_factor(client, staff)
    few = queries(client)
    for name in ["Butiken", "Snickeriet", "Tvätten", "Odlingen"]:
        enterprise = factories.EnterpriseFactory(name=name)
        enterprise.staff.add(staff)
        factories.PlacementRequestFactory(place__enterprise=enterprise)
    grow(10)

    with django_assert_max_num_queries(few):
        response = client.get("/admin/")

    assert text(account_bar(response.text)).startswith(
        "Inloggad som Sara Säljare, personal på Butiken, Café Nyfiket, Odlingen, "
        "Snickeriet och Tvätten"
    )
    assert "4 förfrågningar väntar på svar." in response.text
    # The frame's role: one query for the enterprises' names, however many they are.
    assert few <= 13, few
