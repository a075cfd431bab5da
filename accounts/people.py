"""Who is signed in, for the cached pages, without reading the database on every request.

A signed-in person's frame on a public page (name, role, the way to their work) needs their
user, groups and workplace: four queries a request. Once worked out from the database after
Django has authenticated the session (request.user), those facts are kept in the cache under
the session's key (hashed) and the language, with the user id and auth hash (the HMAC of the
password hash Django checks on every request) the session held then. Keyed by the session,
they are read in the same round trip as the session's data (accounts/pages.py); they count only
while the session still names that user with that hash, and while two tokens are unchanged:

- the people token, swapped by a save or delete of a user, a group, any model that points to a
  user (a case officer's organisation link, email addresses, authenticators), or a change of
  anyone's groups or permissions: a password change, a deactivation, a deletion, a new role
  shows on the next request;
- the pages' generation token (accounts/pages.py), swapped when an enterprise or organisation
  is renamed: the role title names them.

A session whose user is unknown to the cache is authenticated the usual way (request.user),
which also logs out a session whose password hash no longer matches. Only public pages use
these facts; every view that acts for a person authenticates through request.user.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models import ManyToManyField, Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

from .context_processors import SignedIn
from .roles import WorkLink
from .tokens import LocalCopies, SharedToken

PEOPLE_KEY = "accounts:people"
# A person's facts are kept this long at most (the tokens make them stale sooner).
PERSON_TIMEOUT = 60 * 10


@dataclass(frozen=True)
class Person:
    """What the public pages show of a signed-in person and may ask about them."""

    name: str
    role: str
    links: tuple[WorkLink, ...]
    permissions: frozenset[str]

    @classmethod
    def of(cls, user) -> Person:
        """The facts of the frame as every rendered page shows them (SignedIn), and the
        permissions."""
        frame = SignedIn(user)
        return cls(
            name=frame.name,
            role=frame.role,
            links=tuple(frame.links),
            permissions=_permissions(user),
        )

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions


def _permissions(user) -> frozenset[str]:
    """The user's permissions as ModelBackend grants them (their own and their groups'; all of
    them for a superuser), in one query rather than its two."""
    if not user.is_active:
        return frozenset()
    permissions = Permission.objects.all()
    if not user.is_superuser:
        permissions = permissions.filter(Q(user=user) | Q(group__user=user))
    return frozenset(
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    )


# The people's token (accounts/tokens.py): swapped by every change that can alter a person's
# facts (connect_signals below).
PEOPLE = SharedToken(PEOPLE_KEY)


def people_changed(**kwargs) -> None:
    """Make every kept person's facts stale (a signal receiver; takes any signal's arguments)."""
    PEOPLE.swap()


# The facts this process read or worked out lately, by person_key: a signed-in person's next
# request then reads only their session from Redis (and the tokens, unless trusted). Checked
# against the tokens and the session on every request, like the copy in the cache.
LOCAL_FACTS = LocalCopies(1024)


def forget_local_people() -> None:
    """Empty this process's copies and forget the token it read."""
    LOCAL_FACTS.clear()
    PEOPLE.forget()


def person_key(request: HttpRequest) -> str | None:
    """The cache key of the facts of whoever the request's session belongs to; None for a
    request without a session cookie (a visitor). Reading the session's key (from the cookie)
    loads nothing. Worked out once per request."""
    session_key = request.session.session_key
    if not session_key:
        return None
    known = request.__dict__.get("_person_key")
    if known is not None and known[0] == session_key:
        return known[1]
    digest = hashlib.sha256(session_key.encode()).hexdigest()
    key = f"accounts:person:{get_language()}:{digest}"
    request.__dict__["_person_key"] = (session_key, key)
    return key


def signed_in_person(request: HttpRequest, found: dict, generation: str) -> Person | None:
    """The signed-in person, or None for a visitor (a session without a user, too).

    `found` holds what one cache.get_many fetched for this request: PEOPLE_KEY and the
    person_key (accounts/pages.py asks for them with the page and the session's data);
    `generation` is the pages' generation token read with them.
    """
    if hasattr(request, "_signed_in_person"):
        return request._signed_in_person
    key = person_key(request)
    person = None
    if key is not None:
        session = request.session
        who = (session.get(SESSION_KEY), session.get(HASH_SESSION_KEY))
        if all(who):
            current = (PEOPLE.trusted() or PEOPLE.read(found), generation, *who)
            local = LOCAL_FACTS.get(key)
            entry = local
            if local is None:
                entry = found.get(key)
            elif local[:4] != current:
                entry = cache.get(key)  # this process's copy is stale; another may know more
            if entry is not None and entry[:4] == current:
                person = entry[4]
            elif request.user.is_authenticated:  # Django's check of the session, from the db
                person = Person.of(request.user)
                entry = (*current, person)
                cache.set(key, entry, PERSON_TIMEOUT)
            if person is not None and None not in current and entry is not local:
                LOCAL_FACTS.keep(key, entry)
    request._signed_in_person = person
    return person


def _shows_people(model: type[Model]) -> bool:
    """Whether a save of the model can change what a person's facts say or allow."""
    user_model = get_user_model()
    if issubclass(model, HistoricalChanges):
        return False  # the history records who changed things; it changes nobody's role
    if model in (user_model, Group):
        return True
    return any(
        field.is_relation and field.related_model in (user_model, Group)
        for field in model._meta.get_fields(include_hidden=True)
        if not field.auto_created or field.concrete
    )


def connect_signals() -> None:
    """Swap the people token on every change that can alter a person's facts (run once all
    models are loaded, from AccountsConfig.ready)."""
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.auto_created:
            # A many-to-many table: of a user's groups or permissions, a group's permissions,
            # an enterprise's staff.
            declaring = model._meta.auto_created
            fields = [
                field
                for field in declaring._meta.local_many_to_many
                if isinstance(field, ManyToManyField) and field.remote_field.through is model
            ]
            if declaring in (get_user_model(), Group) or any(
                field.related_model in (get_user_model(), Group) for field in fields
            ):
                m2m_changed.connect(people_changed, sender=model, dispatch_uid=f"people-{label}")
        elif _shows_people(model):
            post_save.connect(people_changed, sender=model, dispatch_uid=f"people-{label}-s")
            post_delete.connect(people_changed, sender=model, dispatch_uid=f"people-{label}-d")
