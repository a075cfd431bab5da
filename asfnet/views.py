import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return False
    return True


def _shared_cache_answers() -> bool:
    """A value written to the shared cache (Redis) comes back."""
    key, value = "healthz", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        return cache.get(key) == value
    except Exception:  # noqa: BLE001 - a cache that cannot be reached is not healthy
        return False


@never_cache
@require_GET
def healthz(request):
    """200 when the app, its database and its shared cache (when configured) answer, else 503.

    For load balancers: an instance that cannot reach PostgreSQL or Redis should get no
    traffic. The per-process cache of a single instance has nothing to check.
    """
    checks = {"database": _database_answers()}
    if settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES:
        checks["cache"] = _shared_cache_answers()
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error"}
        | {name: "ok" if passed else "error" for name, passed in checks.items()},
        status=200 if healthy else 503,
    )
