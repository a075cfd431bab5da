"""Writes that span models or send mail: placement requests, their answers, ending a placement.

The views check who may do what (the querysets' of_case_officer / decidable_by / managed_by) and
validate the input; these functions keep the rules that must hold whoever calls them: a place
is never overbooked, only a decided-on request changes, mail goes out only after the decision
is committed and a failing mail server never undoes a decision.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from urllib.parse import urljoin

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from enterprises.models import NetworkProfile
from enterprises.roles import COORDINATOR

from .models import (
    Agreement,
    CaseOfficer,
    Placement,
    PlacementRequest,
    PlacementType,
    TrainingPlace,
)

logger = logging.getLogger(__name__)


class PlacementError(Exception):
    """A rule of placements refused the action; the message is for the user, in Swedish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlaceNotAvailable(PlacementError):
    """The case officer's organisation has no agreement in force that covers the place."""


class PlaceFull(PlacementError):
    """Every seat of the place is taken."""


class RequestAlreadyDecided(PlacementError):
    """The request has been answered already (or withdrawn)."""


# --- Requests -------------------------------------------------------------------------------


@transaction.atomic
def placement_request_create(
    *,
    place: TrainingPlace,
    case_officer,
    participant_code: str,
    placement_type: PlacementType,
    wished_start_on: datetime.date,
    extent_percent: int,
    note: str = "",
) -> PlacementRequest:
    """Store a case officer's request for a seat and tell the enterprise and the coordinator."""
    link = CaseOfficer.objects.filter(user=case_officer).select_related("organisation").first()
    if link is None:
        raise PlaceNotAvailable(
            _(
                "Ditt konto är inte kopplat till någon organisation. Be samordnaren koppla "
                "kontot till din organisation."
            )
        )
    if not TrainingPlace.objects.available_to(link.organisation).filter(pk=place.pk).exists():
        raise PlaceNotAvailable(
            _(
                "%(organisation)s har inget avtal som gäller i dag med %(enterprise)s, så du "
                "kan inte fråga efter en plats här."
            )
            % {"organisation": link.organisation, "enterprise": place.enterprise}
        )
    if place.status != TrainingPlace.Status.OPEN:
        raise PlacementError(_("Platsen är pausad och tar inte emot förfrågningar just nu."))
    if not place.placement_types.filter(pk=placement_type.pk).exists():
        raise PlacementError(_("Platsen erbjuder inte den placeringstypen."))

    request = PlacementRequest(
        place=place,
        case_officer=case_officer,
        referrer=link.organisation,
        programme=link.programme,
        participant_code=participant_code.strip().upper(),
        placement_type=placement_type,
        wished_start_on=wished_start_on,
        extent_percent=extent_percent,
        note=note.strip(),
    )
    request.full_clean()
    request.save()
    _mail_after_commit(
        recipients=_enterprise_and_coordinator_addresses(place),
        template="new_request",
        context={"request": request, "place": place},
    )
    return request


@transaction.atomic
def placement_request_accept(*, request: PlacementRequest, by) -> Placement:
    """Turn the request into a placement, if a seat is free; the case officer is told.

    The place's row is locked first, so two people accepting the last seat at the same moment
    are served one after the other and the second is refused.
    """
    place = (
        TrainingPlace.objects.select_for_update()
        .select_related("enterprise")
        .get(pk=request.place_id)
    )
    request = _lock_undecided(request)
    occupied = Placement.objects.filter(place=place).active().count()
    if occupied >= place.capacity:
        raise PlaceFull(
            ngettext(
                "Platsen är full: den enda platsen är tagen.",
                "Platsen är full: alla %(capacity)d platser är tagna.",
                place.capacity,
            )
            % {"capacity": place.capacity}
            + " "
            + _("Sätt förfrågan på väntelistan, eller avsluta en placering först.")
        )
    agreement = _covering_agreement(request, place)
    if agreement is None:
        raise PlaceNotAvailable(
            _(
                "%(organisation)s har inget avtal som gäller i dag med %(enterprise)s, så "
                "förfrågan kan inte antas."
            )
            % {"organisation": request.referrer, "enterprise": place.enterprise}
        )

    placement = Placement(
        place=place,
        participant_code=request.participant_code,
        placement_type=request.placement_type,
        referrer=request.referrer,
        programme=request.programme,
        agreement=agreement,
        case_officer=request.case_officer,
        started_on=request.wished_start_on,
        extent_percent=request.extent_percent,
    )
    placement.full_clean()
    placement.save()
    _decide(request, status=PlacementRequest.Status.ACCEPTED, by=by, placement=placement)
    _mail_case_officer(request, template="request_accepted")
    return placement


@transaction.atomic
def placement_request_decline(*, request: PlacementRequest, by, reason: str) -> PlacementRequest:
    """Say no, with a reason the case officer reads."""
    reason = reason.strip()
    if not reason:
        raise PlacementError(_("Skriv varför förfrågan avböjs."))
    request = _lock_undecided(request)
    request.decline_reason = reason
    _decide(request, status=PlacementRequest.Status.DECLINED, by=by)
    _mail_case_officer(request, template="request_declined")
    return request


@transaction.atomic
def placement_request_waitlist(*, request: PlacementRequest, by) -> PlacementRequest:
    """Put the request on the waiting list; it can still be accepted or declined later."""
    request = _lock_undecided(request)
    if request.status == PlacementRequest.Status.WAITLISTED:
        raise RequestAlreadyDecided(_("Förfrågan står redan på väntelistan."))
    _decide(request, status=PlacementRequest.Status.WAITLISTED, by=by)
    _mail_case_officer(request, template="request_waitlisted")
    return request


# --- Placements -----------------------------------------------------------------------------


@transaction.atomic
def placement_end(*, placement: Placement, ended_on: datetime.date, outcome: str, by) -> Placement:
    """Record the last day and the outcome; the seat is free again from then on."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.ended_on is not None:
        raise PlacementError(_("Placeringen är redan avslutad."))
    if outcome not in Placement.Outcome.values:
        raise PlacementError(_("Välj ett utfall i listan."))
    placement.ended_on = ended_on
    placement.outcome = outcome
    placement.full_clean()
    placement.save(update_fields=["ended_on", "outcome", "updated_at"])
    logger.info("Placement %s ended by user %s", placement.pk, getattr(by, "pk", None))
    return placement


# --- Helpers --------------------------------------------------------------------------------


def _lock_undecided(request: PlacementRequest) -> PlacementRequest:
    """The request's current row, locked; refused unless it still waits for an answer."""
    # of=("self",): PostgreSQL would otherwise lock every joined row too, the place included.
    request = (
        PlacementRequest.objects.select_for_update(of=("self",))
        .select_related("place__enterprise", "case_officer", "referrer", "placement_type")
        .get(pk=request.pk)
    )
    if request.status not in (
        PlacementRequest.Status.PENDING,
        PlacementRequest.Status.WAITLISTED,
    ):
        raise RequestAlreadyDecided(
            _("Förfrågan är redan besvarad: %(status)s.")
            % {"status": request.get_status_display().lower()}
        )
    return request


def _decide(request: PlacementRequest, *, status: str, by, placement=None) -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    if placement is not None:
        request.placement = placement
    request.save(
        update_fields=["status", "decided_by", "decided_at", "placement", "decline_reason"]
    )


def _covering_agreement(request: PlacementRequest, place: TrainingPlace) -> Agreement | None:
    """A placing agreement in force today between the enterprise and the referrer.

    One that names the request's programme is preferred.
    """
    agreements = (
        Agreement.objects.valid_on(timezone.localdate())
        .placing()
        .for_referrer(request.referrer)
        .filter(enterprise=place.enterprise_id)
        .order_by("order", "pk")
    )
    if request.programme_id:
        for_programme = agreements.filter(programmes=request.programme_id).first()
        if for_programme is not None:
            return for_programme
    return agreements.first()


def _enterprise_and_coordinator_addresses(place: TrainingPlace) -> list[str]:
    """The enterprise's staff, and the coordinator: the network's coordinator address if set,
    else every active member of the coordinator group."""
    staff = place.enterprise.staff.filter(is_active=True).values_list("email", flat=True)
    network = NetworkProfile.current()
    if network and network.coordinator_email:
        coordinators: Iterable[str] = [network.coordinator_email]
    else:
        coordinators = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=COORDINATOR)
            .values_list("email", flat=True)
        )
    return _unique([*staff, *coordinators])


def _mail_case_officer(request: PlacementRequest, *, template: str) -> None:
    _mail_after_commit(
        recipients=[request.case_officer.email],
        template=template,
        context={"request": request, "place": request.place},
    )


def _mail_after_commit(*, recipients: list[str], template: str, context: dict) -> None:
    """Render now (the objects are at hand), send once the transaction has committed.

    One message per recipient, so no one sees who else was told. A failing mail server is
    logged and never undoes what was decided.
    """
    recipients = _unique(recipients)
    if not recipients:
        return
    # Mail is read outside the portal, so it is written in the site's language (Swedish),
    # whatever language the sender's page was in.
    network = NetworkProfile.current()
    site = network.website if network else ""
    with override("sv"):
        context = {
            **context,
            "network": network,
            "my_requests_url": urljoin(site, reverse("placements:my_requests")),
            "decision_url": urljoin(
                site, reverse("placements:decision", args=[context["request"].pk])
            ),
        }
        subject = render_to_string(f"emails/placements/{template}_subject.txt", context)
        body = render_to_string(f"emails/placements/{template}.txt", context)
    subject = " ".join(subject.split())
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in recipients]

    def send() -> None:
        try:
            mailers.default.send_messages(messages)
        except Exception:
            logger.exception("Could not send %s mail to %d recipients", template, len(messages))

    transaction.on_commit(send)


def _unique(addresses: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for address in addresses:
        if address:
            seen.setdefault(address.lower(), None)
    return list(seen)
