"""The three roles as Django groups with permissions, and the questions the code asks about them.

Which enterprises a staff member may edit, and which organisation a case officer works for,
are links beside what they link to (Enterprise.staff, placements.CaseOfficer); the groups
only say what kind of thing a person may do. Each app says which of its permissions a role
gets (`role_permissions` on its AppConfig), so this module names no app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.contrib.auth.models import Group

# The apps' AppConfigs import the role names below while the app registry is still loading, so
# this module imports models (auth's, allauth's) only inside the functions that use them.

COORDINATOR = "Samordnare"
ENTERPRISE_STAFF = "Företagspersonal"
CASE_OFFICER = "Handläggare"

ALL = "__all__"


def _role_permissions() -> dict[str, Q]:
    """What each role may do, as the apps declare it.

    An AppConfig's `role_permissions` maps a role to ALL (every permission of the app) or to
    {model_name: [actions]}. The coordinator also gets every permission of auth and of the
    user model's app.
    """
    user_app = get_user_model()._meta.app_label
    queries = {
        COORDINATOR: Q(content_type__app_label__in=["auth", user_app]),
        ENTERPRISE_STAFF: Q(pk__in=[]),
        CASE_OFFICER: Q(pk__in=[]),
    }
    for config in apps.get_app_configs():
        for role, spec in getattr(config, "role_permissions", {}).items():
            if spec == ALL:
                queries[role] |= Q(content_type__app_label=config.label)
                continue
            for model, actions in spec.items():
                queries[role] |= Q(
                    content_type__app_label=config.label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
    return queries


def ensure_roles() -> dict[str, Group]:
    """Create or update the role groups. Safe to run any number of times.

    It runs in every seed and before most tests, so it reads permission ids, not Permission
    objects, and writes only what differs: six queries to create the groups, five when nothing
    changed. A group made here has no members yet, so its permissions go in with one insert;
    those of an existing group change through add() and remove(), which send the signals that
    make what is kept of its members stale (accounts/people.py).
    """
    from django.contrib.auth.models import Group, Permission

    through = Group.permissions.through
    wanted = {
        role: set(Permission.objects.filter(query).order_by().values_list("pk", flat=True))
        for role, query in _role_permissions().items()
    }
    groups = {group.name: group for group in Group.objects.filter(name__in=wanted)}
    new = Group.objects.bulk_create([Group(name=role) for role in wanted if role not in groups])
    through.objects.bulk_create(
        through(group=group, permission_id=pk) for group in new for pk in wanted[group.name]
    )
    if groups:
        held: dict[int, set[int]] = {group.pk: set() for group in groups.values()}
        rows = through.objects.filter(group__in=groups.values())
        for group_id, permission_id in rows.values_list("group_id", "permission_id"):
            held[group_id].add(permission_id)
        for group in groups.values():
            if missing := wanted[group.name] - held[group.pk]:
                group.permissions.add(*missing)
            if extra := held[group.pk] - wanted[group.name]:
                group.permissions.remove(*extra)
    groups.update((group.name, group) for group in new)
    return {role: groups[role] for role in wanted}


# --- Questions about a person ---------------------------------------------------------------


def _in_group(user, *names: str) -> bool:
    """Whether the user is in one of the groups; one query per user object and request.

    The names are kept on the user object (request.user lives for one request), so the
    admin's many questions about one person cost a single query.
    """
    if not user.is_authenticated:
        return False
    roles = user.__dict__.get("_role_names")
    if roles is None:
        roles = frozenset(user.groups.values_list("name", flat=True))
        user.__dict__["_role_names"] = roles
    return not roles.isdisjoint(names)


def is_coordinator(user) -> bool:
    """The coordinator sees and changes everything; so does a superuser."""
    return user.is_active and (user.is_superuser or _in_group(user, COORDINATOR))


def is_enterprise_staff(user) -> bool:
    return user.is_active and _in_group(user, ENTERPRISE_STAFF)


def is_case_officer(user) -> bool:
    """A case officer; which organisation they work for is placements.CaseOfficer."""
    return user.is_active and _in_group(user, CASE_OFFICER)


def requires_two_factor(user) -> bool:
    """Everyone who works in the admin: the coordinator, enterprise staff, superusers.

    Case officers may turn two-factor authentication on, but need not.
    """
    return user.is_authenticated and (
        user.is_staff or user.is_superuser or _in_group(user, COORDINATOR, ENTERPRISE_STAFF)
    )


def has_second_factor(request) -> bool:
    """The person logged in with a second factor, or has just set one up in this session.

    allauth records each step of a login in the session; a login by someone with an
    authenticator app always includes the "mfa" step. Someone who had none when they logged
    in, and then activated one, has proven a code from it too: they have an authenticator now.
    The admin and the enterprises' pages under /platser/ ask this of everyone who
    requires_two_factor.
    """
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True  # the usual case, answered without a query
    return is_mfa_enabled(request.user, [Authenticator.Type.TOTP])


# --- Where a person's work is ---------------------------------------------------------------


@dataclass(frozen=True)
class WorkLink:
    url: str
    label: str


def work_links(user) -> list[WorkLink]:
    """The pages a person works on, their start page first; none for someone without a role.

    Logging in lands on the first (asfnet.adapters), and the signed-in frame on every page
    links to them all. The coordinator starts in the admin; enterprise staff start on the
    requests waiting for their answer and also keep their pages in the admin; case officers
    start on the training places.
    """
    if is_coordinator(user):
        return [WorkLink(reverse("admin:index"), gettext("Administrationen"))]
    if is_enterprise_staff(user):
        return [
            WorkLink(reverse("placements:decision_list"), gettext("Förfrågningar")),
            WorkLink(reverse("admin:index"), gettext("Administrationen")),
        ]
    if is_case_officer(user):
        return [WorkLink(reverse("placements:list"), gettext("Arbetsträningsplatser"))]
    return []


def start_page(user) -> str | None:
    """Where logging in lands when no page was asked for: the first of work_links."""
    links = work_links(user)
    return links[0].url if links else None


def role_title(user) -> str:
    """The person's role in their own words: "samordnare", "personal på Café Nyfiket",
    "handläggare på Arbetsförmedlingen"; empty for someone without a role.

    The workplaces are read through the user model's reverse relations (Enterprise.staff's
    `enterprises`, placements.CaseOfficer's `case_officer`), so this module imports no app;
    one query.
    """
    people = get_user_model()._default_manager.filter(pk=user.pk)
    if is_coordinator(user):
        return gettext("samordnare")
    if is_enterprise_staff(user):
        names = list(
            people.exclude(enterprises=None)
            .order_by("enterprises__name")
            .values_list("enterprises__name", flat=True)
        )
        if not names:
            return gettext("personal på ett företag i nätverket")
        return gettext("personal på %(enterprises)s") % {
            "enterprises": get_text_list(names, gettext("och"))
        }
    if is_case_officer(user):
        organisation = (
            people.exclude(case_officer=None)
            .values_list("case_officer__organisation__name", flat=True)
            .first()
        )
        if not organisation:
            return gettext("handläggare")
        return gettext("handläggare på %(organisation)s") % {"organisation": organisation}
    return ""
