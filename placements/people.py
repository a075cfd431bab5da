"""Who enterprise staff may see among the case officers: those they deal with.

A case officer's name and address are shown to the staff of an enterprise whose agreements
include the officer's organisation, or who have had a request or placement from the officer.
The coordinator sees everyone.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.roles import is_coordinator

from .models import Agreement, Placement, PlacementRequest


def case_officers_seen_by(user) -> QuerySet:
    """The users who are case officers and whom `user` deals with (all for the coordinator)."""
    officers = get_user_model().objects.filter(case_officer__isnull=False)
    if is_coordinator(user):
        return officers
    enterprises = user.enterprises.values("pk") if user.is_authenticated else []
    agreed = Agreement.objects.filter(
        enterprise__in=enterprises, counterparty=OuterRef("case_officer__organisation")
    )
    asked = PlacementRequest.objects.filter(
        place__enterprise__in=enterprises, case_officer=OuterRef("pk")
    )
    placed = Placement.objects.filter(
        place__enterprise__in=enterprises, case_officer=OuterRef("pk")
    )
    return officers.filter(Q(Exists(agreed)) | Q(Exists(asked)) | Q(Exists(placed)))
