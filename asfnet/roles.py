"""The three roles as Django groups with permissions.

Which enterprises a staff member may edit, and which organisation a case officer works for,
are links beside what they link to (Enterprise.staff, placements.CaseOfficer); the groups
only say what kind of thing a person may do.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

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
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    coordinator.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["asfnet", "auth", "enterprises", "placements", "reports"]
        )
    )
    staff, _ = Group.objects.get_or_create(name=ENTERPRISE_STAFF)
    staff.permissions.set(_permissions(_STAFF_PERMISSIONS))
    case_officer, _ = Group.objects.get_or_create(name=CASE_OFFICER)
    case_officer.permissions.set(_permissions(_CASE_OFFICER_PERMISSIONS))
    return {COORDINATOR: coordinator, ENTERPRISE_STAFF: staff, CASE_OFFICER: case_officer}
