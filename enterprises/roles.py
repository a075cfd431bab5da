"""The three roles as Django groups with permissions, and the questions the code asks about them.

Which enterprises a staff member may edit, and which organisation a case officer works for,
are links beside what they link to (Enterprise.staff, placements.CaseOfficer); the groups
only say what kind of thing a person may do.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext as _

from enterprises.models import Enterprise

COORDINATOR = "Samordnare"
ENTERPRISE_STAFF = "Företagspersonal"
CASE_OFFICER = "Handläggare"

# (app_label, model, actions)
_STAFF_PERMISSIONS = [
    ("enterprises", "enterprise", ["view", "change"]),
    ("enterprises", "unit", ["view", "add", "change", "delete"]),
    ("enterprises", "legalentity", ["view"]),
    ("enterprises", "servicecategory", ["view"]),
    ("enterprises", "adaptation", ["view"]),
    ("placements", "trainingplace", ["view", "add", "change", "delete"]),
    ("placements", "placement", ["view", "add", "change"]),
    ("placements", "placementrequest", ["view", "change"]),
    ("placements", "placementtype", ["view"]),
    ("placements", "agreement", ["view"]),
]
_CASE_OFFICER_PERMISSIONS = [
    ("placements", "trainingplace", ["view"]),
    ("placements", "placementrequest", ["view", "add"]),
]


def _permissions(spec: list[tuple[str, str, list[str]]]) -> list[Permission]:
    query = Q(pk__in=[])
    for app_label, model, actions in spec:
        query |= Q(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    return list(Permission.objects.filter(query))


def ensure_roles() -> dict[str, Group]:
    """Create or update the role groups. Safe to run any number of times."""
    coordinator, _created = Group.objects.get_or_create(name=COORDINATOR)
    coordinator.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["asfnet", "auth", "enterprises", "placements", "reports"]
        )
    )
    staff, _created = Group.objects.get_or_create(name=ENTERPRISE_STAFF)
    staff.permissions.set(_permissions(_STAFF_PERMISSIONS))
    case_officer, _created = Group.objects.get_or_create(name=CASE_OFFICER)
    case_officer.permissions.set(_permissions(_CASE_OFFICER_PERMISSIONS))
    return {COORDINATOR: coordinator, ENTERPRISE_STAFF: staff, CASE_OFFICER: case_officer}


# --- Questions about a person ---------------------------------------------------------------


def _in_group(user, *names: str) -> bool:
    return user.is_authenticated and user.groups.filter(name__in=names).exists()


def is_coordinator(user) -> bool:
    """The coordinator sees and changes everything; so does a superuser."""
    return user.is_active and (user.is_superuser or _in_group(user, COORDINATOR))


def is_enterprise_staff(user) -> bool:
    return user.is_active and _in_group(user, ENTERPRISE_STAFF)


def staffed_enterprise_ids(user) -> set[int]:
    """The enterprises whose page, places and placements the person may keep up to date."""
    if not user.is_authenticated:
        return set()
    return set(Enterprise.objects.staffed_by(user).values_list("pk", flat=True))


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
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True  # the usual case, answered without a query
    return is_mfa_enabled(request.user, [Authenticator.Type.TOTP])


def role_description(user) -> str:
    """What the person is in the network, in a sentence's words: for the invitation mail.

    E.g. "samordnare", "företagspersonal för Värmekällan i Väsby", "handläggare på
    Arbetsförmedlingen".
    """
    parts = []
    groups = {group.name for group in user.groups.all()}
    if user.is_superuser or COORDINATOR in groups:
        parts.append(_("samordnare"))
    if ENTERPRISE_STAFF in groups:
        names = [enterprise.name for enterprise in Enterprise.objects.staffed_by(user)]
        parts.append(
            _("företagspersonal för %(enterprises)s") % {"enterprises": _join(names)}
            if names
            else _("företagspersonal")
        )
    if CASE_OFFICER in groups:
        link = getattr(user, "case_officer", None)
        parts.append(
            _("handläggare på %(organisation)s") % {"organisation": link.organisation}
            if link
            else _("handläggare")
        )
    return _join(parts)


def _join(words: list[str]) -> str:
    """ "a", "a och b", "a, b och c"."""
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}
