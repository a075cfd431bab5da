"""The public pages' cache, and the switch that empties it when the data behind them changes.

Infrastructure, not business logic: every cached page is kept with the "generation" token it
was rendered under, a token kept in the cache itself, so one new token makes every page of
every app instance (they share Redis in production) stale at once, without knowing which keys
exist. A request reads the token and its page in one round trip (cache.get_many); a page this
process served lately is kept here too, so that only the token is read. The place browser's
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
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSession
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

from .context_processors import signed_in
from .people import (
    LOCAL_FACTS,
    PEOPLE,
    PEOPLE_KEY,
    Person,
    forget_local_people,
    person_key,
    signed_in_person,
)
from .tokens import LocalCopies, SharedToken

GENERATION_KEY = "storefront:generation"
# Also bounds how stale "today" may be: agreements start and end on dates.
PAGE_TIMEOUT = 60 * 10


# The pages' token (accounts/tokens.py): swapped by every change that can alter a page.
GENERATION = SharedToken(GENERATION_KEY)


def generation() -> str | None:
    """The pages' token (None while Redis is away)."""
    return GENERATION.read()


def invalidate_pages(**kwargs) -> None:
    """Make every cached public page stale (a signal receiver; takes any signal's arguments)."""
    GENERATION.swap()


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
# for them: only that costs a request, not the page. Who they are comes from the cache too
# (accounts/people.py), so a signed-in person's cached page reads nothing from the database.

_FROM_REQUEST = object()


def render_personal(
    template_name: str, request: HttpRequest | None, person: Person | None | object = _FROM_REQUEST
) -> SafeString:
    """A per-person part, between its markers, from the request alone (who is signed in, the
    CSRF token), so it reads the same rendered into a page or into a cached copy of it.
    `person`: who is signed in when the caller knows it (None: a visitor)."""
    if request is None:
        html = render_to_string(template_name, {"request": None})
    elif person is _FROM_REQUEST:
        html = render_to_string(
            template_name, {"request": request, **signed_in(request), **csrf(request)}
        )
    else:
        html = _rendered_part(template_name, person, get_language(), request.path)
        if _TOKEN_PLACEHOLDER in html:
            html = html.replace(_TOKEN_PLACEHOLDER, _masked_token(request))
    return mark_safe(f"<!--personal:{template_name}-->{html}<!--/personal-->")  # noqa: S308


# A random byte as a mask character (bytes.translate): those from 248 (= 4 x 62) up are
# dropped, so that every character of the alphabet is as likely.
_SIZE = len(CSRF_ALLOWED_CHARS)
_UNBIASED = 256 - 256 % _SIZE
_MASK_CHARS = bytes(ord(CSRF_ALLOWED_CHARS[byte % _SIZE]) for byte in range(256))
_BIASED = bytes(range(_UNBIASED, 256))
# A character of the secret and one of the mask: the character of the cipher (Django's
# _mask_cipher_secret adds their places in the alphabet).
_CIPHER = {
    (x, y): CSRF_ALLOWED_CHARS[(i + j) % _SIZE]
    for i, x in enumerate(CSRF_ALLOWED_CHARS)
    for j, y in enumerate(CSRF_ALLOWED_CHARS)
}


def _masked_token(request: HttpRequest) -> str:
    """The request's CSRF token for a form, as Django's get_token() makes it (the cookie's
    secret under a fresh random mask, so the token differs on every page: BREACH), with the
    mask drawn in one read of the system's random source instead of one per character: a
    tenth of a signed-in cached page's time.

    Unlike get_token(), it does not ask for the cookie to be sent again when the browser has
    it: the cookie outlives the session (CSRF_COOKIE_AGE > SESSION_COOKIE_AGE, tested), and
    every login sends a new one. Without a cookie (or with a malformed one), Django's own.
    """
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(secret) != CSRF_SECRET_LENGTH or secret.strip(CSRF_ALLOWED_CHARS):
        return get_token(request)
    mask = ""
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += os.urandom(2 * CSRF_SECRET_LENGTH).translate(_MASK_CHARS, _BIASED).decode()
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = "".join(map(_CIPHER.__getitem__, zip(secret, mask, strict=True)))
    return mask + cipher


# Rendered once per process for each part, person (their kept facts, accounts/people.py),
# language and path, with a placeholder where the request's CSRF token goes. The per-person
# templates may use `signed_in`, `request.path` and `{% csrf_token %}`: nothing else of the
# request.
_TOKEN_PLACEHOLDER = "csrf-token-of-this-request"


@functools.lru_cache(maxsize=1024)
def _rendered_part(template_name: str, person: Person | None, language: str, path: str) -> str:
    context = {"request": SimpleNamespace(path=path), "csrf_token": _TOKEN_PLACEHOLDER}
    if person is not None:
        context["signed_in"] = person
    return render_to_string(template_name, context)


# A form's CSRF token is a per-person part too: the only one that differs between visitors.
_CSRF_TEMPLATE = "includes/person/csrf_token.html"
# A page's body split at its per-person parts: the text before each, the part as rendered for
# the visitor (markers included) and its template's name, then the text after the last.
_SPLIT = re.compile(rb"(<!--personal:([\w/.-]+)-->.*?<!--/personal-->)", re.DOTALL)


@dataclass(frozen=True)
class _Kept:
    """A page as the cache keeps it: the generation token it was rendered under, its status and
    headers, and its body split at the per-person parts (see _SPLIT)."""

    generation: str
    status: int
    headers: tuple[tuple[str, str], ...]
    parts: tuple[bytes, ...]

    @classmethod
    def of(cls, response: HttpResponse, generation: str) -> _Kept:
        return cls(
            generation,
            response.status_code,
            tuple(response.items()),
            tuple(_SPLIT.split(response.content)),
        )

    @property
    def has_a_token(self) -> bool:
        return _CSRF_TEMPLATE.encode() in self.parts[2::3]

    def response(self, request: HttpRequest, person: Person | None) -> HttpResponse:
        """The page for whoever asks: a visitor's as kept, but for a form's token; a signed-in
        person's with each per-person part rendered for them."""
        body = []
        for index, part in enumerate(self.parts):
            if index % 3 == 0:
                body.append(part)
            elif index % 3 == 2:
                name = part.decode()
                if person is None and name != _CSRF_TEMPLATE:
                    body.append(self.parts[index - 1])  # the visitor's, as rendered
                else:
                    body.append(render_personal(name, request, person).encode())
        response = HttpResponse(b"".join(body), status=self.status)
        for header, value in self.headers:
            response.headers[header] = value
        return response


# The pages this process served lately, kept here too, so that a request reads only the tokens
# from Redis, not the page (a page is a few to some tens of kB). Checked against the generation
# token on every request like the shared copy; a stale one is fetched again.
_LOCAL_PAGES = LocalCopies(256)


def forget_local_pages() -> None:
    """Empty this process's copies and forget the token it read."""
    _LOCAL_PAGES.clear()
    GENERATION.forget()
    forget_local_people()


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


def _page_key(request: HttpRequest, audience: str = "") -> str:
    # Host and scheme too: pages carry absolute URLs (canonical, og:url, JSON-LD).
    url = request.__dict__.get("_page_url_digest")
    if url is None:
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        request.__dict__["_page_url_digest"] = url
    return f"storefront:page:{get_language()}:{url}{audience}"


def _session_in_cache(request: HttpRequest) -> str | None:
    """The cache key of the request's session data, where it can be read with the page's keys:
    sessions kept in this cache (cached_db, with Redis), a session cookie, nothing read yet.
    None otherwise: the session then loads itself, as Django does."""
    session = request.session
    if (
        not isinstance(session, CachedDbSession)
        or settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS
        or session.session_key is None
        or hasattr(session, "_session_cache")
    ):
        return None
    return session.cache_key


class _Lookup:
    """One round trip to the cache for everything a request's page needs: the generation
    token, the page (unless this process has a copy) and, for a request with a session, the
    session's data, the people token and that person's facts."""

    def __init__(self, request: HttpRequest, key: str) -> None:
        self.request, self.key = request, key
        local = _LOCAL_PAGES.get(key)
        personal = person_key(request)
        trusted = GENERATION.trusted()
        if personal is None and local is not None and local.generation == trusted:
            # A visitor, a page this process served under the token it read a moment ago.
            self.generation, self.person, self.kept = trusted, None, local
            return
        keys = [] if trusted is not None else [GENERATION_KEY]
        if local is None or (trusted is not None and local.generation != trusted):
            keys.append(key)
        session = None
        if personal is not None:
            keys += [] if PEOPLE.trusted() is not None else [PEOPLE_KEY]
            keys += [] if personal in LOCAL_FACTS else [personal]
            session = _session_in_cache(request)
            keys += [session] if session is not None else []
        found = cache.get_many(keys) if keys else {}
        if session is not None and isinstance(found.get(session), dict):
            # What the session's own load() would have read from the cache, read here.
            request.session._session_cache = found[session]
        self.generation = trusted if trusted is not None else GENERATION.read(found)
        self.person = signed_in_person(request, found, self.generation) if personal else None
        if local is not None and local.generation == self.generation:
            kept = local
        elif key in keys:
            kept = found.get(key)
        else:
            kept = cache.get(key)  # this process's copy is stale; another may have rendered it
        if self.generation is None or not isinstance(kept, _Kept):
            kept = None  # Redis is away (no token: nothing is current) or the entry is old
        elif kept.generation != self.generation:
            kept = None
        elif kept is not local:
            _LOCAL_PAGES.keep(key, kept)
        self.kept = kept

    def store(self, response: HttpResponse) -> _Kept | None:
        """Keep the page (rendered now if it is not yet) under the generation read before it
        was rendered: a change meanwhile swapped the token, so the page is stale at once. None
        for a response that is not a page to keep (an error, a redirect, one with cookies)."""
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if not _is_page(response):
            return None
        kept = _Kept.of(response, self.generation)
        if self.generation is not None:  # while Redis is away, every request renders its page
            cache.set(self.key, kept, PAGE_TIMEOUT)
            _LOCAL_PAGES.keep(self.key, kept)
        return kept


def _lookup(request: HttpRequest, key: str) -> _Lookup:
    """The request's lookup of the key (one per request and key, however often asked)."""
    lookups = request.__dict__.setdefault("_page_lookups", {})
    if key not in lookups:
        lookups[key] = _Lookup(request, key)
    return lookups[key]


def visitor_or_person(request: HttpRequest) -> Person | None:
    """Who is signed in (None: a visitor), from the cache where it can be: for a view that
    decides between its cached page (read in the same round trip) and one of its own, as the
    report list does for the coordinator."""
    if not _is_cacheable_request(request):
        return Person.of(request.user) if request.user.is_authenticated else None
    return _lookup(request, _page_key(request)).person


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public page for anonymous visitors, per language and full URL.

    Only visitors' pages are kept. A signed-in person is served the same cached page with its
    per-person parts (the frame, the login links) rendered for them; their copy is marked
    private and no-store: no shared cache may keep it, nor a shared computer's browser show it
    again after they log out.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_cacheable_request(request):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            return response
        lookup = _lookup(request, _page_key(request))
        person, kept = lookup.person, lookup.kept
        if kept is not None:
            response = kept.response(request, person)
        elif person is None:
            # The visitor's own page, as rendered for them (with their token, if it has one).
            response = view(request, *args, **kwargs)
            kept = lookup.store(response)
        else:
            kept = lookup.store(_as_visitor(view, request, *args, **kwargs))
            response = kept.response(request, person) if kept else view(request, *args, **kwargs)
        if person is not None:
            patch_cache_control(response, private=True, no_store=True)
        elif kept is not None and kept.has_a_token:
            # The form's token is this visitor's: no one else may be served it.
            add_never_cache_headers(response)
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
    lookup = _lookup(request, _page_key(request, f":{audience}"))
    kept = lookup.kept
    if kept is None:
        response = render()
        kept = lookup.store(response)
        if kept is None:
            return response
    response = kept.response(request, lookup.person)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _is_page(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies
