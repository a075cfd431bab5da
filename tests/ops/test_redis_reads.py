"""Reads from the cache go over a connection of the thread's own (asfnet/cache.py KeptClients):
they answer what was stored, survive Redis closing the connection, and never hand one read's
reply to the next."""

from __future__ import annotations

import threading

import pytest
import redis
from django.core.cache import cache

from tests.redis_databases import use_redis_cache


@pytest.fixture
def redis_cache(settings):
    """The Redis cache; its URL."""
    yield use_redis_cache(settings, "page tokens")
    cache.clear()


def own_connection():
    return cache._cache._own.connection


def test_reads_answer_what_was_stored(redis_cache):
    values = {"text": "Kafé Kanelbulle", "number": 7, "nested": {"a": [1, 2, (3, "x")]}}
    cache.set_many(values)

    assert cache.get("text") == "Kafé Kanelbulle"
    assert cache.get("missing", "standard") == "standard"
    assert cache.get_many(["number", "missing", "nested"]) == {
        "number": 7,
        "nested": {"a": [1, 2, (3, "x")]},
    }
    assert cache.get_many([]) == {}


def test_a_read_after_redis_closed_the_connection_reconnects_without_opening_the_breaker(
    redis_cache,
):
    cache.set("page", "sidan")
    assert cache.get("page") == "sidan"
    connection = own_connection()
    connection.send_command("CLIENT", "ID")
    client_id = connection.read_response()
    redis.Redis.from_url(redis_cache).client_kill_filter(_id=client_id)

    assert cache.get_many(["page"]) == {"page": "sidan"}
    assert not cache.is_away()
    connection.send_command("CLIENT", "ID")
    assert connection.read_response() != client_id  # a new connection


def test_a_read_cut_off_after_its_command_does_not_answer_the_next_one(redis_cache, monkeypatch):
    cache.set_many({"first": "ett", "second": "två"})
    assert cache.get("first") == "ett"
    connection = own_connection()
    read_response = type(connection).read_response
    cut = {"done": False}

    def cut_off_once(self, *args, **kwargs):
        if not cut["done"]:
            cut["done"] = True
            raise KeyboardInterrupt  # say, a worker's timeout signal: the reply is never read
        return read_response(self, *args, **kwargs)

    monkeypatch.setattr(type(connection), "read_response", cut_off_once)
    with pytest.raises(KeyboardInterrupt):
        cache.get("first")
    monkeypatch.setattr(type(connection), "read_response", read_response)

    assert cache.get("second") == "två"
    assert cache.get_many(["first", "second"]) == {"first": "ett", "second": "två"}


def test_threads_read_on_connections_of_their_own(redis_cache):
    cache.set_many({f"key-{n}": f"value-{n}" for n in range(8)})
    wrong: list[str] = []
    connections = set()
    barrier = threading.Barrier(4)

    def read(n: int) -> None:
        barrier.wait()
        for _ in range(200):
            got = cache.get_many([f"key-{n}", f"key-{n + 4}"])
            if got != {f"key-{n}": f"value-{n}", f"key-{n + 4}": f"value-{n + 4}"}:
                wrong.append(repr(got))
        connections.add(id(own_connection()))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert wrong == []
    assert len(connections) == 4


def test_writes_still_go_through_redis_pys_pool(redis_cache):
    cache.set("written", "skrivet")
    client = cache._cache.get_client(write=True)

    assert client is cache._cache.get_client(write=True)  # made once and kept
    assert client.get(cache.make_key("written")) is not None
