"""Tokens in the shared cache that make whatever was kept under them stale when swapped, and
the copies a process keeps of what it read under them.

A page, a place table or a person's facts is kept together with the token it was worked out
under; one new token makes all of them stale at once, on every process and app instance (they
share Redis in production), without knowing which keys exist. accounts/pages.py has the pages'
token (GENERATION), accounts/people.py the people's (PEOPLE).

With a shared cache (Redis), a process trusts the token it last read or swapped for
TRUSTED_SECONDS: a request then need not ask Redis for it. A change shows at once on the
process that made it (swap) and within that time on every other process and instance. With a
cache per process (the development server, the tests) the token is always read: reading it
costs nothing there.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

TRUSTED_SECONDS = 0.1


class SharedToken:
    def __init__(self, key: str) -> None:
        self.key = key
        self._last: tuple[str | None, float] = (None, 0.0)

    def read(self, found: dict | None = None) -> str | None:
        """The token, from a get_many that asked for it (`found`) or from the cache; a new one
        where there is none. None while the cache is away: nothing kept is current then."""
        token = (found or {}).get(self.key) or cache.get(self.key)
        if token is None:
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            token = cache.get(self.key)
        self._last = (token, time.monotonic())
        return token

    def trusted(self) -> str | None:
        """The token this process read or set within TRUSTED_SECONDS, with a shared cache;
        None: read it."""
        token, read_at = self._last
        if token is None or time.monotonic() - read_at >= TRUSTED_SECONDS:
            return None
        return token if isinstance(caches["default"], RedisCache) else None

    def swap(self, **kwargs) -> None:
        """A new token: whatever was kept under the old one is stale (a signal receiver; takes
        any signal's arguments)."""
        token = uuid.uuid4().hex
        cache.set(self.key, token, timeout=None)
        self._last = (token, time.monotonic())

    def forget(self) -> None:
        """Forget this process's reading (the tests, between two tests)."""
        self._last = (None, 0.0)


class LocalCopies:
    """What this process read or made lately (pages, people's facts), by cache key, at most
    `size` of them (the least recently used go first); each is checked against its tokens on
    every use, like the copy in the shared cache. Safe for a threaded server."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._copies: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: str) -> bool:
        return key in self._copies

    def get(self, key: str):
        with self._lock:
            copy = self._copies.get(key)
            if copy is not None:
                self._copies.move_to_end(key)
            return copy

    def keep(self, key: str, copy) -> None:
        with self._lock:
            self._copies[key] = copy
            self._copies.move_to_end(key)
            while len(self._copies) > self.size:
                self._copies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
