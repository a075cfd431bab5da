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
import re
import uuid
from collections.abc import Callable

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

from .context_processors import signed_in

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
    if request.method not in ("GET", "HEAD"):
        return False
    # A page that shows a one-off message ("Tack för ditt meddelande") is nobody else's.
    return len(messages.get_messages(request)) == 0


# --- The parts that differ per person -------------------------------------------------------
#
# A cached page is the one a visitor gets. The few parts of it that differ for a signed-in
# person (the "Ditt konto" frame with its logout form, the "Logga in" links) are templates of
# their own, included with {% personal %} (accounts/templatetags/personal.py) between two
# markers. A signed-in person is served the cached page with each marked part rendered again
# for them: only that costs a request, not the page.

_PERSONAL = re.compile(r"<!--personal:(?P<template>[\w/.-]+)-->.*?<!--/personal-->", re.DOTALL)


def render_personal(template_name: str, request: HttpRequest | None) -> SafeString:
    """A per-person part, between its markers, from the request alone (who is signed in, the
    CSRF token), so it reads the same rendered into a page or into a cached copy of it."""
    context = {"request": request}
    if request is not None:
        context |= {"user": request.user, **signed_in(request), **csrf(request)}
    html = render_to_string(template_name, context)
    return mark_safe(f"<!--personal:{template_name}-->{html}<!--/personal-->")  # noqa: S308


# A form's CSRF token is a per-person part too: the only one that differs between visitors.
_CSRF_TOKEN = b"<!--personal:includes/person/csrf_token.html-->"


def _has_a_token(response: HttpResponse) -> bool:
    # A page not rendered yet is rendered for this visitor, with their token, on its way out.
    return getattr(response, "is_rendered", True) and _CSRF_TOKEN in response.content


def _for_person(cached: HttpResponse, request: HttpRequest) -> HttpResponse:
    """A copy of a cached page with its per-person parts rendered for whoever asks."""
    body = _PERSONAL.sub(
        lambda match: render_personal(match["template"], request),
        cached.content.decode(cached.charset),
    )
    response = HttpResponse(body, status=cached.status_code)
    for header in ("Content-Type", "Content-Language", "Vary"):
        if header in cached.headers:
            response.headers[header] = cached.headers[header]
    return response


def _as_visitor(view, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """The page a visitor would get, for the cache: rendered while the request is nobody's, so
    nothing of the signed-in person can end up in a page served to others."""
    person = request.user
    request.user = AnonymousUser()
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
    finally:
        request.user = person
    return response


def _page_key(request: HttpRequest) -> str:
    # Host and scheme too: pages carry absolute URLs (canonical, og:url, JSON-LD).
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"storefront:page:{generation()}:{get_language()}:{url}"


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public page for anonymous visitors, per language and full URL.

    Only visitors' pages are kept. A signed-in person is served the same cached page with its
    per-person parts (the frame, the login links) rendered for them; their copy is marked
    private and no-store: no shared cache may keep it, nor a shared computer's browser show it
    again after they log out.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        person = request.user.is_authenticated
        if not _is_cacheable_request(request):
            response = view(request, *args, **kwargs)
        else:
            key = _page_key(request)
            response = cache.get(key)
            if response is None:
                response = _as_visitor(view, request, *args, **kwargs) if person else None
                response = _stored(key, response or view(request, *args, **kwargs))
            if _is_page(response) and (person or _has_a_token(response)):
                response = _for_person(response, request)
                if not person:
                    # The form's token is this visitor's: no one else may be served it.
                    add_never_cache_headers(response)
        if person:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def cached_for_audience(
    request: HttpRequest, audience: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """A signed-in page that is the same for a whole audience (say, the case officers of one
    organisation) but for its per-person parts: rendered once per audience, language and URL
    until the data changes; each person's parts (the frame) are rendered per request."""
    if not _is_cacheable_request(request):
        return render()
    key = f"{_page_key(request)}:{audience}"
    cached = cache.get(key)
    if cached is None:
        cached = render()
        if not _is_page(cached):
            return cached
        cache.set(key, cached, PAGE_TIMEOUT)
    response = _for_person(cached, request)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _is_page(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _stored(key: str, response: HttpResponse) -> HttpResponse:
    if _is_page(response):
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.add_post_render_callback(lambda r: cache.set(key, r, PAGE_TIMEOUT))
        else:
            cache.set(key, response, PAGE_TIMEOUT)
    return response
