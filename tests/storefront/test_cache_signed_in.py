"""Signed-in people are served the visitors' cached page with their own frame (issue 15).

The page body is the same for everyone of a language; only the parts marked {% personal %}
(the "Ditt konto" frame with its logout form, the "Logga in" links) are rendered per request.
Nothing of a signed-in person may reach a page served to anyone else.
"""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _get_new_csrf_string, _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.pages import _masked_token
from accounts.roles import CASE_OFFICER
from tests import factories
from tests.storefront.conftest import build_network
from tests.storefront.helpers import footer, header, main

PAGES = ["/", "/foretag/", "/foretag/cafe/", "/tjanster/", "/om/", "/en/foretag/"]


@pytest.fixture
def enterprise(network):
    return factories.EnterpriseFactory(name="Café Nyfiket", slug="cafe", summary="Fika.")


@pytest.fixture
def case_officer(roles):
    user = factories.UserFactory(email="anna.berg@example.org", first_name="Anna", last_name="Berg")
    user.groups.add(roles[CASE_OFFICER])
    return user


def shared(html: str) -> str:
    """The page's main content without its per-person parts."""
    return re.sub(r"<!--personal:.*?<!--/personal-->", "", main(html), flags=re.DOTALL)


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_visit_fills_the_cache_with_the_visitors_page(enterprise, case_officer, path):
    person = signed_in_client(case_officer).get(path)
    assert "Anna Berg" in header(person.text)

    with CaptureQueriesContext(connection) as queries:
        visitor = Client().get(path)

    assert len(queries) == 0  # from the cache the person's visit filled
    assert "Anna Berg" not in visitor.text
    assert 'class="account-bar"' not in visitor.text
    assert "Logga ut" not in visitor.text and "Log out" not in visitor.text
    assert "csrfmiddlewaretoken" not in visitor.text
    assert 'href="/konto/login/"' in footer(visitor.text) or "/en/" in path


@pytest.mark.parametrize("path", PAGES)
def test_each_person_gets_the_cached_page_with_their_own_frame(
    enterprise, case_officer, coordinator, path
):
    visitor = Client().get(path)  # fills the cache
    anna = signed_in_client(case_officer).get(path)
    kim = signed_in_client(coordinator).get(path)

    assert "Anna Berg" in header(anna.text) and "Anna Berg" not in kim.text
    assert coordinator.email in header(kim.text) or coordinator.get_full_name() in kim.text
    assert shared(anna.text) == shared(visitor.text) == shared(kim.text)
    for response in (anna, kim):
        assert 'name="csrfmiddlewaretoken"' in header(response.text)  # the logout form's token
        assert {"private", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }
        assert 'href="/konto/login/"' not in footer(response.text)
    assert "private" not in visitor.get("Cache-Control", "")


def test_the_logout_form_of_a_cached_page_works(enterprise, case_officer):
    client = signed_in_client(case_officer)
    Client().get("/foretag/")  # the visitors' copy
    page = client.get("/foretag/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]

    client.handler.enforce_csrf_checks = True
    response = client.post("/konto/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_cached_pages_token_from_the_browsers_own_cookie_logs_out(enterprise, case_officer):
    client = signed_in_client(case_officer)
    Client().get("/foretag/")  # the visitors' copy
    first = client.get("/foretag/")  # the browser gets its CSRF cookie here, if not before
    assert "csrftoken" in client.cookies
    tokens = []
    for _ in range(2):
        page = client.get("/foretag/")
        # The browser has the cookie, which outlives the session: it is not sent again.
        assert "csrftoken" not in page.cookies
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1])
    assert len({*tokens, re.search(r'csrfmiddlewaretoken" value="([^"]+)"', first.text)[1]}) == 3

    client.handler.enforce_csrf_checks = True
    response = client.post("/konto/logout/", {"csrfmiddlewaretoken": tokens[-1]})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_csrf_cookie_outlives_the_session(settings):
    # Why a cached page need not send the CSRF cookie again (accounts/pages.py _masked_token):
    # a session ends before its cookie does, and the next login sends a new one.
    assert settings.CSRF_COOKIE_AGE > settings.SESSION_COOKIE_AGE


def test_the_home_pages_login_links_are_for_visitors_only(enterprise, case_officer):
    visitor = Client().get("/")
    person = signed_in_client(case_officer).get("/")

    assert main(visitor.text).count('href="/konto/login/"') == 2
    assert 'href="/konto/login/"' not in main(person.text)


def test_a_signed_in_persons_page_with_a_message_is_rendered_for_them(
    enterprise, case_officer, settings
):
    from tests.storefront.test_cache import message_cookie

    client = signed_in_client(case_officer)
    client.cookies["messages"] = message_cookie("Du är inloggad.")

    response = client.get("/foretag/")

    assert "Du är inloggad." in response.text
    assert "Du är inloggad." not in Client().get("/foretag/").text


@pytest.mark.parametrize("page", ["/", "/foretag/", "/tjanster/", "detail"])
def test_a_signed_in_persons_cached_page_reads_only_who_they_are(
    network, case_officer, django_assert_max_num_queries, page
):
    enterprises = build_network(20)
    path = enterprises[0].get_absolute_url() if page == "detail" else page
    client = signed_in_client(case_officer)
    with CaptureQueriesContext(connection) as uncached:
        assert client.get(path).status_code == 200

    # The person's session, user, groups and organisation (their role in the frame): the page
    # itself comes from the cache.
    with django_assert_max_num_queries(4) as queries:
        response = client.get(path)

    tables = {re.search(r'FROM "(\w+)"', query["sql"])[1] for query in queries.captured_queries}
    assert tables <= {"django_session", "asfnet_user", "auth_group", "placements_organisation"}

    assert "Anna Berg" in header(response.text)
    assert len(uncached) > 3


def test_the_frames_csrf_token_is_djangos_own_under_an_unbiased_mask():
    # accounts/pages.py _masked_token makes the token Django's get_token() makes, faster.
    secret = _get_new_csrf_string()
    request = SimpleNamespace(META={"CSRF_COOKIE": secret})
    tokens = [_masked_token(request) for _ in range(3000)]

    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    assert len(set(tokens)) == len(tokens)
    counts = Counter("".join(token[:32] for token in tokens))  # the masks' characters
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 32 * len(tokens) / len(CSRF_ALLOWED_CHARS)  # about 1,548 each
    assert all(0.8 * expected < count < 1.2 * expected for count in counts.values())
