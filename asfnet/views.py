import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
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


# How long a visitor is asked to wait when the database is away (the 503's Retry-After).
DATABASE_AWAY_RETRY_SECONDS = 30


def database_unavailable(error: BaseException | None) -> bool:
    """Whether the error (or one it came from) says the database cannot be reached."""
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """The 500 page; when the database cannot be reached, a 503 page that says so.

    Both are rendered from the templates alone (no request context, no database), so they
    answer at once whatever else is down.
    """
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_AWAY_RETRY_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
