"""Redis as a cache that may fail: a Redis that is away makes pages slower, never broken.

Every operation that cannot reach Redis is answered as a miss (get → the default, set →
nothing stored, add → True so that a lock is granted), logged, and for BREAKER_SECONDS
afterwards Redis is not asked at all, so a request does not wait for a connect timeout on
each of its cache calls. Then one request tries again. What degrades while Redis is away:
pages are rendered on every request, login and contact-form limits are not counted, and each
instance stops sharing what it caches.

Edits made during the outage could not make the cached pages stale; so when Redis answers
again after a write was lost, the cache is emptied once (sessions live in the database, so
nobody is logged out).
"""

from __future__ import annotations

import logging
import os
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

BREAKER_SECONDS = 10.0

_MISS = object()


class KeptClients(RedisCacheClient):
    """Django's Redis client, quicker where every page asks it:

    - the redis.Redis of each server is made once and kept, where Django makes a new one for
      every operation (making one, with redis-py 8, took about 45 µs of CPU here);
    - reads (get, get_many: a page, its tokens, a session) go over a connection of the
      thread's own, command and reply and nothing else: without redis-py's pool (a poll of
      the socket before each command), retry and observability layers, about half the CPU of
      a read again. A connection that fails is closed and the read tried once more on a new
      one (Redis restarted); a second failure is the caller's (the breaker, below).

    A cached page for a signed-in person reads the cache once: this took its cost from about
    115 to 45 µs of CPU. A redis.Redis over a pool is safe to share between threads; the pool
    and the threads' connections notice a fork and connect anew in the child."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._own = threading.local()

    def get(self, key, default):
        value = self._read("GET", key)
        return default if value is None else self._serializer.loads(value)

    def get_many(self, keys):
        keys = list(keys)
        if not keys:
            return {}
        values = self._read("MGET", *keys)
        return {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }

    def _read(self, *command):
        connection = getattr(self._own, "connection", None)
        if connection is None or connection.pid != os.getpid():
            pool = self._get_connection_pool(write=False)
            connection = self._own.connection = pool.connection_class(**pool.connection_kwargs)
        for attempt in (1, 2):
            try:
                connection.send_command(*command)
                return connection.read_response()
            except (redis.ConnectionError, redis.TimeoutError):
                connection.disconnect()
                if attempt == 2:
                    raise
            except BaseException:
                connection.disconnect()  # a reply half read must not be the next command's
                raise

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._pools.get(index)
            if pool is None:
                pool = self._pools.setdefault(
                    index, self._pool_class.from_url(self._servers[index], **self._pool_options)
                )
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClients
        self._lock = threading.Lock()
        self._skip_until = 0.0
        self._lost_writes = False

    def validate_key(self, key):
        """Nothing to check: Redis takes any key. (Django's default looks at every character
        of every key for memcached's limits, on every read.)"""

    # --- the breaker ---------------------------------------------------------------------

    def _call(self, operation: str, fallback, *args, write: bool = False, **kwargs):
        if time.monotonic() < self._skip_until:
            if write:
                self._lost_writes = True
            return fallback() if callable(fallback) else fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except Exception as error:  # redis.ConnectionError, TimeoutError, ...: Redis is away
            with self._lock:
                self._skip_until = time.monotonic() + BREAKER_SECONDS
                self._lost_writes = self._lost_writes or write
            logger.warning(
                "The cache (Redis) did not answer %s; pages are served uncached for %.0f s: %r",
                operation,
                BREAKER_SECONDS,
                error,
            )
            return fallback() if callable(fallback) else fallback
        if self._lost_writes:
            self._recover()
        return result

    def _recover(self) -> None:
        with self._lock:
            if not self._lost_writes:
                return
            self._lost_writes = False
        try:
            super().clear()
            logger.warning("The cache (Redis) answers again; emptied it, as edits were missed")
        except Exception:
            self._lost_writes = True

    def is_away(self) -> bool:
        """Whether Redis failed within the last BREAKER_SECONDS (for /healthz)."""
        return time.monotonic() < self._skip_until

    # --- Django's cache API, each with the answer of a miss ---------------------------------

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default=default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, _MISS, version=version)
        if value is _MISS:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version, write=True)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # "Added" while Redis is away: a lock taken with add() (allauth's rate limits) is
        # granted rather than waited for until the visitor is refused.
        return self._call("add", True, key, value, timeout, version, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version, write=True)

    def delete(self, key, version=None):
        return self._call("delete", False, key, write=True, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, write=True, version=version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", _MISS, key, delta, write=True, version=version)
        if result is _MISS:
            raise ValueError(f"Key {key!r} not found (the cache is away)")
        return result

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    def clear(self):
        return self._call("clear", False, write=True)
