"""The public pages' cache, and the switch that empties it when the data behind them changes.

Infrastructure, not business logic: every cached page's key carries a "generation" token kept
in the cache itself, so one new token makes every page of every app instance (they share
Redis in production) stale at once, without knowing which keys exist. The receivers below only
swap that token; they are connected in EnterprisesConfig.ready().

Writes that bypass model signals (QuerySet.update(), bulk_create() in the data generators) are
seen after PAGE_TIMEOUT at the latest.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

GENERATION_KEY = "storefront:generation"
# Also bounds how stale "today" may be: agreements start and end on dates.
PAGE_TIMEOUT = 60 * 10

# What the public pages show. Strings, so that enterprises need not import placements.
MODELS_SHOWN = [
    "enterprises.Municipality",
    "enterprises.EnterpriseGroup",
    "enterprises.ServiceCategory",
    "enterprises.Adaptation",
    "enterprises.Enterprise",
    "enterprises.EnterpriseAlias",
    "enterprises.Unit",
    "enterprises.NetworkProfile",
    "placements.Organisation",
    "placements.Programme",
    "placements.Agreement",
    "placements.PlacementType",
    "placements.TrainingPlace",
    "placements.Placement",
]
RELATIONS_SHOWN = [
    "enterprises.Enterprise_municipalities",
    "enterprises.Enterprise_service_categories",
    "enterprises.Enterprise_adaptations",
    "placements.Agreement_programmes",
    "placements.TrainingPlace_placement_types",
    "placements.TrainingPlace_adaptations",
]


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def invalidate_pages(**kwargs) -> None:
    """Make every cached public page stale (a signal receiver; takes any signal's arguments)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def connect_signals() -> None:
    for sender in MODELS_SHOWN:
        post_save.connect(invalidate_pages, sender=sender, dispatch_uid=f"storefront-{sender}-s")
        post_delete.connect(invalidate_pages, sender=sender, dispatch_uid=f"storefront-{sender}-d")
    for sender in RELATIONS_SHOWN:
        m2m_changed.connect(invalidate_pages, sender=sender, dispatch_uid=f"storefront-{sender}")


def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # A page that shows a one-off message ("Tack för ditt meddelande") is nobody else's.
    return len(messages.get_messages(request)) == 0


def _page_key(request: HttpRequest) -> str:
    # Host and scheme too: pages carry absolute URLs (canonical, og:url, JSON-LD).
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"storefront:page:{generation()}:{get_language()}:{url}"


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public page for anonymous visitors, per language and full URL."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(lambda r: cache.set(key, r, PAGE_TIMEOUT))
            else:
                cache.set(key, response, PAGE_TIMEOUT)
        return response

    return wrapper
