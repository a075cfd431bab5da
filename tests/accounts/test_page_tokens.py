"""A process trusts the pages' generation token it read from Redis for a moment (issue 15).

A visitor's page this process served lately is then served without a round trip to Redis; an
edit shows at once on the process that made it and within TRUSTED_SECONDS
(accounts/tokens.py) on every other (here: a token swapped in Redis behind the process's back,
as another instance does).
"""

from __future__ import annotations

import time
import uuid

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSession
from django.core.cache import cache
from django.test import Client

from accounts import pages
from accounts.people import PEOPLE_KEY
from accounts.tokens import TRUSTED_SECONDS
from asfnet.cache import ResilientRedisCache
from tests import factories
from tests.redis_databases import use_redis_cache


@pytest.fixture
def redis_cache(settings):
    use_redis_cache(settings, "page tokens")
    pages.forget_local_pages()
    yield
    cache.clear()
    pages.forget_local_pages()


@pytest.fixture
def network(db):
    return factories.NetworkProfileFactory(phone="08-465 004 00")


@pytest.fixture
def cache_calls(monkeypatch):
    calls = []
    original = ResilientRedisCache._call

    def spy(self, operation, *args, **kwargs):
        calls.append(operation)
        return original(self, operation, *args, **kwargs)

    monkeypatch.setattr(ResilientRedisCache, "_call", spy)
    return calls


def test_a_visitors_page_served_a_moment_ago_asks_redis_nothing(redis_cache, network, cache_calls):
    client = Client()
    assert "08-465 004 00" in client.get("/").text  # rendered and kept
    # Served from this process's copy; the token is read again if the rendering took longer
    # than the trusted moment.
    assert "08-465 004 00" in client.get("/").text

    cache_calls.clear()
    assert "08-465 004 00" in client.get("/").text
    assert cache_calls == []


def test_an_edit_shows_at_once_on_the_process_that_made_it(redis_cache, network):
    client = Client()
    assert "08-465 004 00" in client.get("/").text

    network.phone = "08-465 004 77"
    network.save()

    assert "08-465 004 77" in client.get("/").text


def test_an_edit_elsewhere_shows_within_the_trusted_moment(redis_cache, network):
    client = Client()
    assert "08-465 004 00" in client.get("/").text
    # Another instance saves: the database and the token in Redis change, not this process.
    type(network).objects.filter(pk=network.pk).update(phone="08-465 004 11")
    cache.set(pages.GENERATION_KEY, uuid.uuid4().hex, timeout=None)

    time.sleep(TRUSTED_SECONDS)

    assert "08-465 004 11" in client.get("/").text


def test_a_signed_in_person_still_gets_their_own_frame(redis_cache, network, roles):
    person = factories.UserFactory(first_name="Anna", last_name="Berg")
    client = Client()
    client.force_login(person)
    Client().get("/")  # a visitor's copy, served a moment ago

    assert "Anna Berg" in client.get("/").text
    assert "Anna Berg" not in Client().get("/").text


def test_with_a_cache_per_process_the_token_is_read_every_time(network):
    client = Client()
    client.get("/")
    cache.set(pages.GENERATION_KEY, "another instance's", timeout=None)
    type(network).objects.filter(pk=network.pk).update(phone="08-465 004 22")

    assert "08-465 004 22" in client.get("/").text  # no moment of trust: at once


@pytest.fixture
def anna(redis_cache, network, roles, settings):
    """Anna Berg, signed in with her session in Redis, as in production (asfnet/settings.py
    with a Redis CACHE_URL), after her first page (which worked out who she is)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    person = factories.UserFactory(first_name="Anna", last_name="Berg")
    client = Client()
    client.force_login(person)
    assert "Anna Berg" in client.get("/").text
    client.user = person
    return client


def test_a_signed_in_persons_cached_page_is_one_round_trip_with_their_session(
    anna, cache_calls, django_assert_num_queries
):
    # The session's data is read with the page's tokens and the person's facts, not before.
    cache_calls.clear()
    with django_assert_num_queries(0):
        page = anna.get("/").text

    assert "Anna Berg" in page
    assert cache_calls == ["get_many"]


def test_a_session_logged_out_elsewhere_gets_the_visitors_page_at_once(anna):
    # Her session ends (logged out on another computer, or deleted by the coordinator): her
    # kept facts are still in the cache, under this session's key.
    CachedDbSession(session_key=anna.cookies["sessionid"].value).delete()

    page = anna.get("/").text
    assert "Anna Berg" not in page
    assert "Logga in" in page


def test_a_persons_change_elsewhere_shows_within_the_trusted_moment(anna):
    # Another instance renames her: the database and the people token in Redis change, not
    # this process (which keeps her facts too).
    type(anna.user).objects.filter(pk=anna.user.pk).update(first_name="Annika")
    cache.set(PEOPLE_KEY, uuid.uuid4().hex, timeout=None)

    time.sleep(TRUSTED_SECONDS)

    assert "Annika Berg" in anna.get("/").text
