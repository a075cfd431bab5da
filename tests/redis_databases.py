"""Which Redis database a test process's tests may empty.

Tests that empty a Redis database (the fault suite and test_healthz.py; the page-token tests)
each use one of their own per pytest-xdist worker, so that no worker empties a database
another worker's test is using. (Keeping such tests on one worker with xdist_group does not
work with pytest 9: pytest-xdist 3.8 renames a node through its `_nodeid`, which pytest 9 no
longer reads, so the group was silently not kept together.) Database 5 is the load test's and 6
the benchmark's and tests/ops/test_two_instances.py's.
"""

from __future__ import annotations

import os
import uuid

import pytest

_DATABASES = {
    "faults": (7, 10, 12, 14),
    "page tokens": (9, 11, 13, 15),
}


def redis_test_database(purpose: str) -> int:
    """The database of `purpose` ("faults", "page tokens") for this test process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    choices = _DATABASES[purpose]
    return choices[index % len(choices)]


def use_redis_cache(settings, purpose: str) -> str:
    """Make the test's cache the portal's Redis cache on the database of `purpose`, under a key
    prefix of the test's own; its URL. Without a Redis on 127.0.0.1:6379 the test is skipped,
    and fails in CI (which starts one)."""
    import redis

    url = f"redis://127.0.0.1:6379/{redis_test_database(purpose)}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("needs a Redis on 127.0.0.1:6379 (CI starts one)")
    settings.CACHES = {
        "default": {
            "BACKEND": "asfnet.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    return url
