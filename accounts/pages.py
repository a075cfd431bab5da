"""The public pages' cache, and the switch that empties it when the data behind them changes.

Infrastructure, not business logic: every cached page's key carries a "generation" token kept
in the cache itself, so one new token makes every page of every app instance (they share
Redis in production) stale at once, without knowing which keys exist. The place browser's
table and the report's fingerprint use the same token.

Which saves swap the token is not a list to keep up to date: a save, delete or many-to-many
change of any model of an app that says it feeds the pages (an AppConfig with
`not_on_public_pages`, the models of the app that are not shown) swaps it. The receivers are
connected to every such model at start-up, so a new model is covered the day it is added;
leaving one out is a decision written in its app's config.

Writes that bypass model signals (QuerySet.update(), bulk_create() in the data generators)
call invalidate_pages() themselves, or are seen after PAGE_TIMEOUT at the latest.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable

from django.apps import apps
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

GENERATION_KEY = "storefront:generation"
# Also bounds how stale "today" may be: agreements start and end on dates.
PAGE_TIMEOUT = 60 * 10


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def invalidate_pages(**kwargs) -> None:
    """Make every cached public page stale (a signal receiver; takes any signal's arguments)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def feeds_pages(model: type[Model]) -> bool:
    """Whether saving the model can change a cached page, the place table or the report."""
    meta = model._meta
    if meta.auto_created:  # a many-to-many table: that of the model that declares the field
        meta = meta.auto_created._meta
    if issubclass(model, HistoricalChanges):
        return False  # the change history (simple-history) is shown in the admin only
    # Not every model belongs to an installed app (the migration recorder's does not).
    config = apps.app_configs.get(meta.app_label)
    excluded = getattr(config, "not_on_public_pages", None)
    return excluded is not None and meta.object_name not in excluded


def _invalidate_if_shown(sender, **kwargs) -> None:
    if feeds_pages(sender):
        invalidate_pages()


def connect_signals() -> None:
    """Connect the invalidation to every model that feeds the pages (run once all models are
    loaded, from AccountsConfig.ready). Per model rather than for every sender, so that the
    models that are not shown keep Django's fast bulk delete."""
    for model in apps.get_models(include_auto_created=True):
        if not feeds_pages(model):
            continue
        label = model._meta.label_lower
        if model._meta.auto_created:
            m2m_changed.connect(_invalidate_if_shown, sender=model, dispatch_uid=f"pages-{label}")
        else:
            post_save.connect(_invalidate_if_shown, sender=model, dispatch_uid=f"pages-{label}-s")
            post_delete.connect(_invalidate_if_shown, sender=model, dispatch_uid=f"pages-{label}-d")


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
    """Cache a public page for anonymous visitors, per language and full URL.

    A signed-in person always gets a page rendered for them, marked private, and their page
    is never stored: only visitors' pages, which show nobody's frame, are kept.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_cacheable_request(request):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                # The page carries the person's frame (name, role, logout): no shared cache may
                # keep it, nor a shared computer's browser show it again after they log out.
                patch_cache_control(response, private=True, no_store=True)
            return response
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
