"""Who is signed in, known from the cache on the public pages (accounts/people.py, issue 15).

A signed-in person's cached public page reads nothing from the database: their facts (name,
role, links, permissions) are kept under their session's user and password hash. Every change
that could alter them shows on the next request: a new password, a deactivation, a deletion,
a new role, a renamed workplace, a permission taken away.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.people import Person
from accounts.roles import CASE_OFFICER, COORDINATOR
from tests import factories
from tests.storefront.helpers import between, header, text

CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(autouse=True)
def _sessions_in_the_cache(settings):
    # Production's sessions (with Redis as the cache): read from the cache, kept in both.
    settings.SESSION_ENGINE = CACHED_DB


@pytest.fixture
def network(db):
    return factories.NetworkProfileFactory()


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Arbetsförmedlingen")


@pytest.fixture
def anna(roles, organisation):
    user = factories.UserFactory(email="anna.berg@example.org", first_name="Anna", last_name="Berg")
    user.groups.add(roles[CASE_OFFICER])
    factories.CaseOfficerFactory(user=user, organisation=organisation)
    return user


@pytest.fixture
def anna_client(anna):
    client = Client()
    client.force_login(anna)
    return client


def account_bar(html: str) -> str:
    return between(html, 'class="account-bar"', "</nav>")


def frame(client: Client, path: str = "/om/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return header(response.text)


@pytest.mark.parametrize("path", ["/", "/foretag/", "/tjanster/", "/kontakt/", "/rapporter/"])
def test_a_signed_in_persons_cached_page_reads_nothing_from_the_database(
    network, anna_client, path, django_assert_max_num_queries
):
    assert "Anna Berg" in frame(anna_client, path)  # fills the page and Anna's facts

    with django_assert_max_num_queries(0):
        response = anna_client.get(path)

    assert "Inloggad som Anna Berg, handläggare på Arbetsförmedlingen" in text(
        header(response.text)
    )
    assert 'href="/platser/"' in header(response.text)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_with_sessions_in_the_database_only_the_session_is_read(
    network, anna_client, settings, django_assert_max_num_queries
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    anna_client.force_login(factories.UserFactory(first_name="Bo", last_name="Ek"))
    frame(anna_client)

    with CaptureQueriesContext(connection) as queries:
        assert "Bo Ek" in frame(anna_client)

    assert [query["sql"].split('FROM "')[1].split('"')[0] for query in queries] == [
        "django_session"
    ]


def test_a_new_password_logs_the_other_sessions_out_at_once(network, anna, anna_client):
    assert "Anna Berg" in frame(anna_client)

    anna.set_password("ett-helt-nytt-lösenord-2026")
    anna.save()

    page = frame(anna_client)
    assert "Anna Berg" not in page
    assert "Logga in" in anna_client.get("/").text
    assert anna_client.get("/platser/").status_code == 302  # to the login page


def test_a_deactivated_person_is_signed_out_on_the_next_page(network, anna, anna_client):
    assert "Anna Berg" in frame(anna_client)

    anna.is_active = False
    anna.save()

    assert "Anna Berg" not in frame(anna_client)


def test_a_deleted_person_is_signed_out_on_the_next_page(network, anna, anna_client):
    assert "Anna Berg" in frame(anna_client)

    anna.delete()

    assert "Anna Berg" not in frame(anna_client)
    assert 'class="account-bar"' not in anna_client.get("/om/").text


def test_a_new_role_shows_on_the_next_page(network, roles, anna, anna_client):
    assert "handläggare på Arbetsförmedlingen" in text(frame(anna_client))

    anna.groups.remove(roles[CASE_OFFICER])
    anna.groups.add(roles[COORDINATOR])

    page = frame(anna_client)
    assert "Inloggad som Anna Berg, samordnare" in text(page)
    assert 'href="/admin/"' in page and 'href="/platser/"' not in page


def test_a_renamed_organisation_shows_on_the_next_page(network, organisation, anna_client):
    frame(anna_client)

    organisation.name = "Sollentuna kommun"
    organisation.save()

    assert "handläggare på Sollentuna kommun" in text(frame(anna_client))


def test_a_new_name_shows_on_the_next_page(network, anna, anna_client):
    frame(anna_client)

    anna.first_name = "Annika"
    anna.save()

    assert "Annika Berg" in frame(anna_client)


def test_the_english_page_has_the_frame_in_english(network, anna_client):
    frame(anna_client)  # the Swedish facts kept

    page = text(frame(anna_client, "/en/om/"))

    assert "Logged in as Anna Berg, case officer at Arbetsförmedlingen" in page
    assert "Work-training places" in page


def test_two_people_never_share_their_facts(network, anna_client, roles):
    bo = factories.UserFactory(first_name="Bo", last_name="Ek")
    bo.groups.add(roles[COORDINATOR])
    bo_client = Client()
    bo_client.force_login(bo)

    for _ in range(2):
        assert "Anna Berg" in frame(anna_client) and "Bo Ek" not in frame(anna_client)
        assert "Bo Ek" in frame(bo_client) and "Anna Berg" not in frame(bo_client)


def test_the_coordinator_sees_the_drafts_until_the_right_is_taken_away(
    network, roles, coordinator_client, coordinator
):
    factories.AnnualReportFactory(year=2026, title="Årsrapport 2026", published=False)
    assert "Utkast 2026" in coordinator_client.get("/rapporter/").text
    assert "Utkast 2026" in coordinator_client.get("/rapporter/").text  # facts from the cache

    coordinator.groups.remove(roles[COORDINATOR])

    response = coordinator_client.get("/rapporter/")
    assert "Utkast 2026" not in response.text
    assert "Utkast 2026" not in Client().get("/rapporter/").text


def test_a_permission_taken_from_the_group_shows_on_the_next_page(
    network, roles, coordinator_client
):
    factories.AnnualReportFactory(year=2026, title="Årsrapport 2026", published=False)
    assert "Utkast 2026" in coordinator_client.get("/rapporter/").text

    roles[COORDINATOR].permissions.remove(
        roles[COORDINATOR].permissions.get(codename="change_annualreport")
    )

    assert "Utkast 2026" not in coordinator_client.get("/rapporter/").text


def test_logging_out_ends_the_frame(network, anna_client):
    assert "Anna Berg" in frame(anna_client)

    anna_client.post("/konto/logout/")

    assert "Anna Berg" not in frame(anna_client)


@pytest.mark.parametrize("role", [COORDINATOR, CASE_OFFICER, "superuser", "none", "inactive"])
def test_a_persons_kept_permissions_are_djangos(roles, role):
    user = factories.UserFactory(is_superuser=role == "superuser", is_active=role != "inactive")
    if role in roles:
        user.groups.add(roles[role])
    user.user_permissions.add(Permission.objects.get(codename="view_annualreport"))
    user = type(user).objects.get(pk=user.pk)  # without Django's permission cache

    assert Person.of(user).permissions == user.get_all_permissions()
    assert bool(Person.of(user).permissions) == (role != "inactive")


def test_the_frame_marks_the_link_to_the_page_it_is_on(network, roles, anna, anna_client):
    for _ in range(2):  # rendered, then from this process's copy of the frame
        on_places = anna_client.get("/platser/")
        elsewhere = anna_client.get("/om/")
        assert 'href="/platser/" aria-current="page"' in account_bar(on_places.text)
        assert 'aria-current="page"' not in account_bar(elsewhere.text)


def test_each_request_gets_its_own_token_in_the_frames_logout_form(network, anna_client):
    tokens = set()
    for _ in range(2):
        page = anna_client.get("/om/").text
        tokens.add(page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
        assert "csrf-token-of-this-request" not in page

    assert len(tokens) == 2  # masked anew for each request, as Django does
    assert anna_client.post("/konto/logout/").status_code == 302
    assert "Anna Berg" not in frame(anna_client)
