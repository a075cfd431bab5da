"""When Redis cannot be reached: pages are served uncached, logging in works, and it recovers."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import Client

from asfnet import cache as resilient
from tests.factories import EnterpriseFactory, NetworkProfileFactory, UserFactory

PASSWORD = "Ett-långt-lösenord-2026"


@pytest.fixture
def redis_away(settings):
    # Nothing listens on port 1: every connection is refused.
    settings.CACHES = {
        "default": {
            "BACKEND": "asfnet.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.DEBUG = False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/foretag/", "/foretag/alfa/", "/tjanster/", "/sitemap.xml", "/kontakt/"]
)
def test_public_pages_are_served_uncached(redis_away, path):
    NetworkProfileFactory()
    EnterpriseFactory(slug="alfa", name="Alfa")
    client = Client(raise_request_exception=False)

    started = time.monotonic()
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, path
    # One refused connection opens the breaker: no request waits for it again.
    assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_logging_in_works(redis_away):
    NetworkProfileFactory()
    user = UserFactory(email="handlaggare@example.org", password=PASSWORD)
    client = Client(raise_request_exception=False)

    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/konto/email/").status_code == 200


@pytest.mark.django_db
def test_healthz_says_the_cache_is_away(redis_away):
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_after_the_outage_the_cache_is_emptied_once_if_a_write_was_lost(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "asfnet.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    answers = {"up": False, "cleared": 0, "stored": {}}

    def fake(operation):
        def call(self, key=None, *args, **kwargs):
            if not answers["up"]:
                raise ConnectionError("refused")
            if operation == "set":
                answers["stored"][key] = args[0]
            if operation == "get":
                return answers["stored"].get(key, kwargs.get("default"))
            if operation == "clear":
                answers["cleared"] += 1
                answers["stored"].clear()
            return True

        return call

    for operation in ("get", "set", "clear"):
        monkeypatch.setattr(resilient.RedisCache, operation, fake(operation))
    monkeypatch.setattr(resilient, "BREAKER_SECONDS", 0.05)

    cache.set("storefront:generation", "new")  # an edit while Redis is away: lost
    assert cache.get("storefront:generation") is None
    time.sleep(0.1)
    answers["up"] = True
    answers["stored"]["storefront:generation"] = "old"  # what Redis still holds

    assert cache.get("storefront:generation") == "old"  # the first answer ...
    assert answers["cleared"] == 1  # ... empties the stale cache at once
    assert cache.get("storefront:generation") is None
    cache.set("x", 1)
    assert answers["cleared"] == 1, "emptied once, not on every call"
