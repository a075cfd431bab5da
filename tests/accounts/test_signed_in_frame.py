"""Logged in, a person sees who they are, their role, the way to their work and out, on every
page; logging in lands on their start page; the page cache never mixes a visitor's page with
a signed-in person's."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.roles import CASE_OFFICER, ENTERPRISE_STAFF
from tests import factories
from tests.accounts.helpers import TEST_TOTP_SECRET, give_totp, log_in_with_second_factor, totp_code
from tests.storefront.helpers import footer, header, text

PASSWORD = "test-lösenord-123"  # tests/factories.py
VISITOR_LOGIN = "Logga in (handläggare och företag)"


@pytest.fixture(autouse=True)
def network(db):
    return factories.NetworkProfileFactory()


@pytest.fixture
def cafe(db):
    return factories.EnterpriseFactory(name="Café Nyfiket", slug="cafe-nyfiket")


@pytest.fixture
def staff(roles, cafe):
    user = factories.UserFactory(
        email="personal@example.org", first_name="Sara", last_name="Säljare", is_staff=True
    )
    user.groups.add(roles[ENTERPRISE_STAFF])
    cafe.staff.add(user)
    give_totp(user)
    return user


@pytest.fixture
def case_officer(roles):
    user = factories.UserFactory(
        email="handlaggare@example.org", first_name="Anna", last_name="Berg"
    )
    user.groups.add(roles[CASE_OFFICER])
    factories.CaseOfficerFactory(
        user=user, organisation=factories.OrganisationFactory(name="Arbetsförmedlingen")
    )
    return user


@pytest.fixture
def people(coordinator, staff, case_officer):
    coordinator.first_name, coordinator.last_name = "Kim", "Samordnare"
    coordinator.save()
    return {"coordinator": coordinator, "staff": staff, "case_officer": case_officer}


# Per role: the words of the frame, its links (start page first), the person's own page.
ROLES = {
    "coordinator": (
        "Inloggad som Kim Samordnare, samordnare",
        [("/admin/", "Administrationen")],
    ),
    "staff": (
        "Inloggad som Sara Säljare, personal på Café Nyfiket",
        [("/platser/forfragningar/", "Förfrågningar"), ("/admin/", "Administrationen")],
    ),
    "case_officer": (
        "Inloggad som Anna Berg, handläggare på Arbetsförmedlingen",
        [("/platser/", "Arbetsträningsplatser")],
    ),
}


def account_bar(html: str) -> str:
    match = re.search(r'<nav class="account-bar".*?</nav>', html, re.S)
    assert match, "no signed-in frame in the header"
    return match.group()


LINK = re.compile(r'<a class="account-bar__link" href="([^"]+)"[^>]*>(.*?)</a>')


def links(html: str) -> list[tuple[str, str]]:
    return [(href, text(label)) for href, label in LINK.findall(html)]


def log_in(client, person) -> None:
    # As after a real login (with the authenticator code where the role needs one).
    log_in_with_second_factor(client, person)


def assert_logout_is_a_post_form(bar: str) -> None:
    form = re.search(
        r'<form class="account-bar__logout" method="post" action="/konto/logout/">(.*?)</form>',
        bar,
        re.S,
    )
    assert form, "no logout form that posts to allauth's logout"
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert re.search(r'<button class="account-bar__button" type="submit">\s*Logga ut', form[1])
    assert 'href="/konto/logout/"' not in bar


# --- The frame -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/", "/foretag/cafe-nyfiket/", "/tjanster/", "/konto/email/"])
def test_a_signed_in_person_sees_who_they_are_their_work_and_a_logout(client, people, role, path):
    log_in(client, people[role])
    words, expected_links = ROLES[role]

    response = client.get(path)

    assert response.status_code == 200
    bar = account_bar(header(response.text))
    assert words in text(bar)
    assert links(bar) == expected_links
    assert_logout_is_a_post_form(bar)
    assert VISITOR_LOGIN not in response.text
    assert "Logga in" not in text(footer(response.text))
    assert 'href="/konto/login/"' not in response.text  # nor in the page itself


@pytest.mark.parametrize(
    ("role", "path", "current"),
    [
        # The coordinator also browses the places; their start page is the admin.
        ("coordinator", "/platser/", []),
        ("staff", "/platser/forfragningar/", ["/platser/forfragningar/"]),
        ("case_officer", "/platser/", ["/platser/"]),
    ],
)
def test_the_frame_is_on_the_pages_under_platser_too(client, people, role, path, current):
    log_in(client, people[role])
    words, expected_links = ROLES[role]

    response = client.get(path)

    assert response.status_code == 200
    bar = account_bar(header(response.text))
    assert words in text(bar)
    assert links(bar) == expected_links
    assert_logout_is_a_post_form(bar)
    marked = re.findall(r'<a class="account-bar__link" href="([^"]+)" aria-current="page">', bar)
    assert marked == current
    assert "Logga in" not in text(footer(response.text))


def test_staff_of_two_enterprises_see_both(client, staff):
    factories.EnterpriseFactory(name="Kulturcafé").staff.add(staff)
    log_in(client, staff)

    bar = account_bar(client.get("/").text)

    assert "personal på Café Nyfiket och Kulturcafé" in text(bar)


def test_someone_without_a_role_sees_their_email_and_a_logout_only(client, db):
    person = factories.UserFactory(email="utan.roll@example.org", first_name="", last_name="")
    client.force_login(person)

    bar = account_bar(client.get("/").text)

    assert "Inloggad som utan.roll@example.org Logga ut" in text(bar)
    assert links(bar) == []
    assert_logout_is_a_post_form(bar)


def test_a_visitor_sees_no_frame_and_the_login_link_in_the_footer(client, people):
    response = client.get("/")

    assert 'class="account-bar"' not in response.text
    assert "Inloggad som" not in response.text
    assert "Logga ut" not in response.text
    assert VISITOR_LOGIN in text(footer(response.text))
    assert '<a href="/konto/login/">' in footer(response.text)


def test_the_logout_button_logs_out_with_the_pages_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    log_in(client, people["case_officer"])
    bar = account_bar(client.get("/foretag/").text)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', bar).group(1)

    without_token = client.post("/konto/logout/")
    assert without_token.status_code == 403
    assert client.session.get(SESSION_KEY) == str(people["case_officer"].pk)

    response = client.post("/konto/logout/", {"csrfmiddlewaretoken": token})
    home = client.get(response.url)

    assert response.status_code == 302
    assert response.url == "/"
    assert SESSION_KEY not in client.session
    assert "Anna Berg" not in home.text
    assert 'class="account-bar"' not in home.text
    assert VISITOR_LOGIN in text(footer(home.text))


def test_opening_the_logout_address_does_not_log_out(client, people):
    # A link or a prefetch must not end a session: the frame's logout is a form.
    log_in(client, people["case_officer"])

    page = client.get("/konto/logout/")

    assert page.status_code == 200
    assert client.session.get(SESSION_KEY) == str(people["case_officer"].pk)


# --- Where logging in lands ------------------------------------------------------------------


def password_login(client, person, **extra):
    return client.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD, **extra}
    )


def code_login(client, person, **extra):
    """Password, then the code from the authenticator app; the answer to the code."""
    first = password_login(client, person, **extra)
    assert first.status_code == 302
    assert first.url == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # not until the code is in
    return client.post(first.url, {"code": totp_code(TEST_TOTP_SECRET)})


def test_a_case_officer_lands_on_the_training_places(client, case_officer):
    response = password_login(client, case_officer)

    assert response.status_code == 302
    assert response.url == "/platser/"
    places = client.get(response.url)
    assert places.status_code == 200
    assert "Inloggad som Anna Berg" in text(account_bar(places.text))


def test_a_case_officer_with_an_app_lands_on_the_places_after_the_code(client, case_officer):
    give_totp(case_officer)

    response = code_login(client, case_officer)

    assert response.status_code == 302
    assert response.url == "/platser/"


def test_enterprise_staff_land_on_their_waiting_requests_after_the_code(client, staff):
    response = code_login(client, staff)

    assert response.status_code == 302
    assert response.url == "/platser/forfragningar/"
    assert client.get(response.url).status_code == 200


def test_the_coordinator_lands_in_the_admin_after_the_code(client, people):
    response = code_login(client, people["coordinator"])

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get(response.url).status_code == 200


def test_staff_without_an_app_land_on_the_requests_which_ask_them_to_set_one_up(client, roles):
    person = factories.UserFactory(email="ny.personal@example.org", is_staff=True)
    person.groups.add(roles[ENTERPRISE_STAFF])

    response = password_login(client, person)

    assert response.url == "/platser/forfragningar/"
    assert client.get(response.url).url == reverse("mfa_activate_totp")


def test_someone_without_a_role_lands_on_the_storefront(client, db):
    person = factories.UserFactory(email="utan.roll@example.org")

    assert password_login(client, person).url == "/"


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_a_safe_next_page_wins_after_the_code_too(client, people, role):
    response = code_login(client, people[role], next="/foretag/cafe-nyfiket/")

    assert response.url == "/foretag/cafe-nyfiket/"


def test_a_safe_next_page_wins_for_a_case_officer(client, case_officer):
    response = password_login(client, case_officer, next="/platser/mina-forfragningar/")

    assert response.url == "/platser/mina-forfragningar/"


@pytest.mark.parametrize(
    "unsafe", ["https://elak.example.com/platser/", "//elak.example.com/", "javascript:alert(1)"]
)
def test_a_next_page_elsewhere_is_ignored_for_the_start_page(client, case_officer, unsafe):
    response = password_login(client, case_officer, next=unsafe)

    assert response.url == "/platser/"


# --- The page cache --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/foretag/"])
def test_a_page_cached_for_visitors_never_shows_a_signed_in_person_and_vice_versa(
    people, django_assert_num_queries, path
):
    visitor, anna = Client(), Client()
    log_in(anna, people["case_officer"])

    before = visitor.get(path)  # rendered and kept for visitors
    with django_assert_num_queries(0):
        assert visitor.get(path).content == before.content  # the cached copy
    signed_in = anna.get(path)
    after = visitor.get(path)
    anna_again = anna.get(path)

    for page in (before, after):
        assert "Anna Berg" not in page.text
        assert "Inloggad som" not in page.text
        assert VISITOR_LOGIN in page.text
    for page in (signed_in, anna_again):
        assert "Inloggad som Anna Berg, handläggare på Arbetsförmedlingen" in text(page.text)
        assert VISITOR_LOGIN not in page.text
    assert after.content == before.content


@pytest.mark.parametrize("path", ["/", "/foretag/"])
def test_a_page_seen_first_by_a_signed_in_person_is_not_kept_for_visitors(people, path):
    visitor, anna = Client(), Client()
    log_in(anna, people["case_officer"])

    signed_in = anna.get(path)
    first_visit = visitor.get(path)

    assert "Anna Berg" in signed_in.text
    assert "Anna Berg" not in first_visit.text
    assert "Inloggad som" not in first_visit.text
    assert VISITOR_LOGIN in first_visit.text


def test_a_signed_in_page_is_private_and_not_stored_by_the_browser(client, people):
    log_in(client, people["case_officer"])

    response = client.get("/")

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


# --- Queries ---------------------------------------------------------------------------------

# A public page signed in: the session and the user; the frame's three (the person's groups,
# their enterprises' or organisation's name, their permissions); the network's profile and the
# page's own (3 on /, 5 on /foretag/), whatever the number of enterprises a member of staff
# works for. The first visit renders the page (as a visitor's, for the cache:
# accounts/pages.py) and works out who the person is (kept: accounts/people.py); the next is
# served from the cache with only the frame rendered: the session is all it reads (nothing
# with the sessions in Redis, as in production: tests/accounts/test_people.py).
SIGNED_IN_QUERIES = {"/": 11, "/foretag/": 12}
CACHED_SIGNED_IN_QUERIES = 1


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", SIGNED_IN_QUERIES)
def test_a_public_page_signed_in_costs_a_fixed_number_of_queries(
    client, people, cafe, django_assert_max_num_queries, role, path
):
    for number in range(3):  # more enterprises, more staff links: no more queries
        factories.EnterpriseFactory(name=f"Företag {number}").staff.add(people["staff"])
    log_in(client, people[role])

    with django_assert_max_num_queries(SIGNED_IN_QUERIES[path]):
        response = client.get(path)
    with django_assert_max_num_queries(CACHED_SIGNED_IN_QUERIES):
        again = client.get(path)

    assert response.status_code == again.status_code == 200
    assert "Inloggad som" in response.text
    assert text(account_bar(again.text)) == text(account_bar(response.text))
