"""The one home of the rules that span rows, and of the writes that send mail.

A place is never overbooked and never has fewer seats than active placements; a placement
needs an agreement between its referrer and the place's enterprise; one open request per
participant and place; only an undecided request is decided, and an accept is undone only
within ACCEPT_UNDO_WINDOW; mail goes out only after the decision is committed and a failing
mail server never undoes a decision.

Every door calls these functions: the /platser/ pages, the admin (its forms' clean() for the
message at the field, save_model/save_formset/actions for the write), the demo data and the
commands. The writes lock the place they count (select_for_update) and check again. A refusal
is a PlacementError with a Swedish message and, where it has one, the field it concerns.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from accounts.pages import invalidate_pages
from accounts.personal_data import normalise_participant_code
from accounts.roles import COORDINATOR, is_case_officer, is_enterprise_staff
from background.models import OutboxMail
from enterprises.models import Enterprise, NetworkProfile

from .models import (
    ACCEPT_UNDO_WINDOW,
    REMINDER_LINK_MAX_AGE,
    REMINDER_TOKEN_SALT,
    Agreement,
    CaseOfficer,
    Organisation,
    Placement,
    PlacementRequest,
    PlacementType,
    PlaceReminder,
    Programme,
    StalePlacesDigest,
    TrainingPlace,
)
from .working_days import working_days_between

logger = logging.getLogger(__name__)


class PlacementError(Exception):
    """A rule of placements refused the action; the message is for the user, in Swedish.

    `field` names the form field the message belongs to, where there is one: forms and the
    admin show the message there (None: above the form).
    """

    def __init__(self, message: str, *, code: str = "refused", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class PlaceNotAvailable(PlacementError):
    """The organisation has no agreement in force that covers the place, or it is paused."""


class PlaceFull(PlacementError):
    """Every seat of the place is taken."""


class RequestAlreadyDecided(PlacementError):
    """The request has been answered already (or withdrawn)."""


class AcceptUndoRefused(PlacementError):
    """The accept cannot be undone: not accepted, too late, or not by this person.

    Codes: "not_accepted", "not_allowed", "too_late", "placement_ended".
    """


class ReminderLinkRefused(PlacementError):
    """A reminder's confirmation link that is tampered with, expired, used or out of date."""


# --- Training places ------------------------------------------------------------------------


def training_place_check(*, place: TrainingPlace, capacity: int) -> None:
    """A place never has fewer seats than it has active placements."""
    if place.pk is None:
        return
    active = Placement.objects.filter(place=place.pk).active().count()
    if capacity < active:
        raise PlacementError(
            ngettext(
                "Platsen har %(active)d pågående placering, så antalet platser kan inte vara "
                "färre än %(active)d. Avsluta en placering först.",
                "Platsen har %(active)d pågående placeringar, så antalet platser kan inte vara "
                "färre än %(active)d. Avsluta en placering först.",
                active,
            )
            % {"active": active},
            code="capacity_below_active",
            field="capacity",
        )


@transaction.atomic
def training_place_save(*, place: TrainingPlace, by=None) -> TrainingPlace:
    """Save a place; its row locked while its placements are counted."""
    if place.pk is not None:
        TrainingPlace.objects.select_for_update().filter(pk=place.pk).first()
        training_place_check(place=place, capacity=place.capacity)
    place.full_clean()
    place.save()
    return place


def training_places_confirm(*, places, by=None) -> int:
    """Someone confirmed today that the places' details are right; returns how many."""
    count = TrainingPlace.objects.filter(pk__in=places.values("pk")).update(
        last_confirmed_on=timezone.localdate(), updated_at=timezone.now()
    )
    invalidate_pages()  # update() sends no signals; the lists show the date
    return count


# --- Keeping places up to date: reminders, the one-click link, the weekly digest -----------


def training_place_reminders_send(*, today: datetime.date | None = None) -> int:
    """Ask the staff of each enterprise to confirm its places last confirmed 45 or more days
    ago (TrainingPlaceQuerySet.due_for_reminder); returns how many places they were asked about.

    One mail per staff member and enterprise lists its places, each with a link that confirms
    it in one click and one to edit it in the admin. A PlaceReminder per place and date is
    stored with the mail, so a second run (the same day or later) asks about none of them
    again. An enterprise without staff gets no mail: the coordinator's digest lists its places
    once they are flagged.
    """
    today = today or timezone.localdate()
    due = (
        TrainingPlace.objects.due_for_reminder(today)
        .select_related("enterprise")
        .order_by("enterprise__name", "enterprise_id", "title", "pk")
    )
    by_enterprise: dict[int, list[TrainingPlace]] = {}
    for place in due:
        by_enterprise.setdefault(place.enterprise_id, []).append(place)
    asked = 0
    for places in by_enterprise.values():
        enterprise = places[0].enterprise
        staff = _staff_addresses(enterprise)
        if not staff:
            continue
        with transaction.atomic():
            reminders = [r for place in places if (r := _remind_once(place)) is not None]
            if not reminders:
                continue
            _mail(
                recipients=staff,
                template="place_reminder",
                context={
                    "enterprise": enterprise,
                    "items": [
                        {
                            "place": reminder.place,
                            "days": (today - reminder.confirmed_on).days,
                            "confirm_url": _site_url("placements:place_confirm", reminder.token),
                            "edit_url": _site_url(
                                "admin:placements_trainingplace_change", reminder.place_id
                            ),
                        }
                        for reminder in reminders
                    ],
                    "link_days": REMINDER_LINK_MAX_AGE.days,
                },
            )
        asked += len(reminders)
    return asked


def _remind_once(place: TrainingPlace) -> PlaceReminder | None:
    """The place's reminder for its current confirmation, new; None if one exists already."""
    try:
        with transaction.atomic():
            return PlaceReminder.objects.create(place=place, confirmed_on=place.last_confirmed_on)
    except IntegrityError:
        return None  # another run got there first


def place_reminder_check(*, token: str) -> PlaceReminder:
    """The reminder a confirmation link names, if the link still confirms; else refused.

    Reads only: the link's page (a GET, which mail scanners open too) changes nothing.
    """
    try:
        pk = signing.loads(token, salt=REMINDER_TOKEN_SALT, max_age=REMINDER_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ReminderLinkRefused(
            _(
                "Länken har gått ut: den gällde i %(days)d dagar. Logga in och bekräfta "
                "platsen i administrationen i stället."
            )
            % {"days": REMINDER_LINK_MAX_AGE.days},
            code="expired",
        ) from error
    except signing.BadSignature as error:
        raise _invalid_link() from error
    reminder = (
        PlaceReminder.objects.select_related("place__enterprise", "place__unit")
        .filter(pk=pk)
        .first()
    )
    if reminder is None:  # the place was deleted, and its reminders with it
        raise _invalid_link()
    return _usable(reminder)


@transaction.atomic
def place_reminder_confirm(*, token: str) -> PlaceReminder:
    """Confirm the place a reminder's link names, once: the link is the authority, no login.

    The reminder's row is locked while it is checked and marked as used, so a double click
    confirms once. Through training_places_confirm, so the cached pages show the new date.
    """
    reminder = place_reminder_check(token=token)
    reminder = _usable(
        PlaceReminder.objects.select_for_update(of=("self",))
        .select_related("place__enterprise", "place__unit")
        .get(pk=reminder.pk)
    )
    training_places_confirm(places=TrainingPlace.objects.filter(pk=reminder.place_id))
    reminder.used_at = timezone.now()
    reminder.save(update_fields=["used_at"])
    reminder.place.refresh_from_db(fields=["last_confirmed_on", "updated_at"])
    logger.info("Place %s confirmed with reminder %s", reminder.place_id, reminder.pk)
    return reminder


def _invalid_link() -> ReminderLinkRefused:
    return ReminderLinkRefused(
        _(
            "Länken fungerar inte. Kopiera hela länken från e-postmeddelandet, eller logga in "
            "och bekräfta platsen i administrationen."
        ),
        code="invalid",
    )


def _usable(reminder: PlaceReminder) -> PlaceReminder:
    if reminder.used_at is not None:
        raise ReminderLinkRefused(
            _("Länken är redan använd: uppgifterna bekräftades %(date)s. Den behövs inte mer.")
            % {"date": _swedish_date(timezone.localdate(reminder.used_at))},
            code="used",
        )
    confirmed = reminder.place.last_confirmed_on
    if confirmed != reminder.confirmed_on:
        raise ReminderLinkRefused(
            _(
                "Någon har redan bekräftat platsen %(date)s, så länken behövs inte längre. "
                "Ingenting ändrades."
            )
            % {"date": _swedish_date(confirmed) if confirmed else "–"},
            code="confirmed_since",
        )
    return reminder


def stale_places_digest_send(*, today: datetime.date | None = None) -> int:
    """The coordinator's weekly list of open places not confirmed for more than 60 days (or
    never), per enterprise; returns how many it lists. Once per ISO week (StalePlacesDigest),
    whatever runs it; no mail when every place is confirmed."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    places = list(
        TrainingPlace.objects.open()
        .not_recently_confirmed(today)
        .select_related("enterprise")
        .order_by("enterprise__name", "enterprise_id", "title", "pk")
    )
    with transaction.atomic():
        _digest, created = StalePlacesDigest.objects.get_or_create(
            week=f"{year}-W{week:02d}", defaults={"place_count": len(places)}
        )
        if not created or not places:
            return 0
        staffed = set(
            get_user_model()
            .objects.filter(
                is_active=True, enterprises__in={place.enterprise_id for place in places}
            )
            .values_list("enterprises", flat=True)
        )
        groups: dict[int, dict] = {}
        for place in places:
            group = groups.setdefault(
                place.enterprise_id,
                {
                    "enterprise": place.enterprise,
                    "has_staff": place.enterprise_id in staffed,
                    "items": [],
                },
            )
            group["items"].append(
                {
                    "place": place,
                    "days": (
                        (today - place.last_confirmed_on).days if place.last_confirmed_on else None
                    ),
                    "edit_url": _site_url("admin:placements_trainingplace_change", place.pk),
                }
            )
        _mail(
            recipients=_coordinator_addresses(),
            template="stale_places_digest",
            context={
                "groups": list(groups.values()),
                "count": len(places),
                "list_url": _site_url("admin:placements_trainingplace_changelist")
                + "?bekraftad=gammal",
            },
        )
    return len(places)


# --- Requests waiting for an answer -----------------------------------------------------------

# Working days (placements.working_days) after the day a request was sent.
REQUEST_REMINDER_WORKING_DAYS = 3  # the enterprise's staff are reminded
REQUEST_COORDINATOR_WORKING_DAYS = 5  # the coordinator is told


def placement_request_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind about pending requests: the enterprise's staff once a request has waited 3
    working days, the coordinator once it has waited 5. Each at most once per request
    (staff_reminded_at, coordinator_told_at, set with the mail in one transaction)."""
    today = today or timezone.localdate()
    # A request needs at least as many calendar days as working days: read only those.
    latest_sent = datetime.datetime.combine(
        today - datetime.timedelta(days=REQUEST_REMINDER_WORKING_DAYS - 1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    waiting = (
        PlacementRequest.objects.pending()
        .filter(created_at__lt=latest_sent)
        .filter(Q(staff_reminded_at__isnull=True) | Q(coordinator_told_at__isnull=True))
        .select_related("place__enterprise", "referrer", "placement_type")
        .order_by("created_at", "pk")
    )
    done = {"staff_reminded": 0, "coordinator_told": 0}
    for request in waiting:
        days = working_days_between(request.sent_on, today)
        context = {"request": request, "place": request.place, "days": days}
        staff = _staff_addresses(request.place.enterprise)
        remind = days >= REQUEST_REMINDER_WORKING_DAYS and request.staff_reminded_at is None
        if remind and staff:
            with transaction.atomic():
                if _mark_once(request, "staff_reminded_at"):
                    _mail(recipients=staff, template="request_reminder", context=context)
                    done["staff_reminded"] += 1
        tell = days >= REQUEST_COORDINATOR_WORKING_DAYS and request.coordinator_told_at is None
        if tell:
            with transaction.atomic():
                if _mark_once(request, "coordinator_told_at"):
                    _mail(
                        recipients=_coordinator_addresses(),
                        template="request_overdue",
                        context={**context, "has_staff": bool(staff)},
                    )
                    done["coordinator_told"] += 1
    return done


def _mark_once(request: PlacementRequest, field: str) -> bool:
    """Record now in the field unless it is set or the request was answered meanwhile.

    An update, not a save: the request's history records answers, not reminders. The caller
    sends the mail in the same transaction, so the mark and the mail exist together."""
    return bool(
        PlacementRequest.objects.filter(
            pk=request.pk, status=PlacementRequest.Status.PENDING, **{f"{field}__isnull": True}
        ).update(**{field: timezone.now()})
    )


# --- Placements -----------------------------------------------------------------------------


def _placing_agreements(
    *, place: TrainingPlace, referrer: Organisation, on: Iterable[datetime.date]
):
    """The placing agreements between the place's enterprise and the referrer that are in
    force today or on one of the dates."""
    in_force = Agreement.objects.valid_on(timezone.localdate())
    for date in on:
        in_force |= Agreement.objects.valid_on(date)
    return (
        in_force.placing()
        .for_referrer(referrer)
        .filter(enterprise=place.enterprise_id)
        .order_by("order", "pk")
    )


def covering_agreement(
    *,
    place: TrainingPlace,
    referrer: Organisation,
    programme: Programme | None = None,
    on: Iterable[datetime.date] = (),
) -> Agreement | None:
    """A placing agreement between the place's enterprise and the referrer, in force today or
    on one of the given dates (a placement's start). One that names the programme wins."""
    agreements = _placing_agreements(place=place, referrer=referrer, on=on)
    if programme is not None:
        for_programme = agreements.filter(programmes=programme.pk).first()
        if for_programme is not None:
            return for_programme
    return agreements.first()


def _no_agreement(referrer, place: TrainingPlace, *, field: str | None = None) -> PlaceNotAvailable:
    return PlaceNotAvailable(
        _(
            "%(organisation)s har inget avtal som gäller i dag med %(enterprise)s, så deltagare "
            "från %(organisation)s kan inte placeras där."
        )
        % {"organisation": referrer, "enterprise": place.enterprise},
        code="no_agreement",
        field=field,
    )


def _place_full(place: TrainingPlace, *, waitlist_hint: bool = False) -> PlaceFull:
    full = ngettext(
        "Platsen är full: den enda platsen är tagen.",
        "Platsen är full: alla %(capacity)d platser är tagna.",
        place.capacity,
    ) % {"capacity": place.capacity}
    hint = (
        _("Sätt förfrågan på väntelistan, eller avsluta en placering först.")
        if waitlist_hint
        else _("Avsluta en placering först, eller välj en annan plats.")
    )
    return PlaceFull(f"{full} {hint}", code="place_full", field="place")


def placement_check(*, placement: Placement, waitlist_hint: bool = False) -> None:
    """The rules a placement must keep whoever saves it: a free seat and an agreement.

    A seat: an active placement that is new on its place (added, moved there, or reopened)
    needs one. An agreement: an active placement that is new, or whose place or referrer
    changes, needs a placing agreement between the referrer and the place's enterprise in
    force on its start date or today; an agreement chosen by hand must be such a one. A change
    of anything else (the extent, a date) of a placement whose agreement has since run out is
    not refused. Read without locks: placement_save checks again under the place's lock.
    """
    place = placement.place
    before = (
        Placement.objects.filter(pk=placement.pk)
        .values("place_id", "referrer_id", "agreement_id", "ended_on")
        .first()
        if placement.pk
        else None
    )
    active = placement.ended_on is None
    new_here = before is None or before["place_id"] != place.pk
    takes_a_seat = active and (new_here or before["ended_on"] is not None)
    if takes_a_seat:
        occupied = Placement.objects.filter(place=place.pk).active().exclude(pk=placement.pk)
        if occupied.count() >= place.capacity:
            raise _place_full(place, waitlist_hint=waitlist_hint)

    on = [placement.started_on] if placement.started_on else []
    new_referrer = new_here or before["referrer_id"] != placement.referrer_id
    if takes_a_seat or (active and new_referrer):
        covering = covering_agreement(
            place=place, referrer=placement.referrer, programme=placement.programme, on=on
        )
        if covering is None:
            raise _no_agreement(placement.referrer, place, field="referrer")
    chosen = placement.agreement_id
    chosen_now = chosen and (new_referrer or before["agreement_id"] != chosen)
    if chosen_now and not (
        _placing_agreements(place=place, referrer=placement.referrer, on=on)
        .filter(pk=chosen)
        .exists()
    ):
        raise PlaceNotAvailable(
            _("Avtalet gäller inte mellan %(organisation)s och %(enterprise)s.")
            % {"organisation": placement.referrer, "enterprise": place.enterprise},
            code="wrong_agreement",
            field="agreement",
        )


@transaction.atomic
def placement_save(*, placement: Placement, by=None) -> Placement:
    """Save a placement made or changed by hand (the admin): the place locked, rules checked.

    Without an agreement chosen, the placement gets the one that covers it, if there is one
    (an ended placement may be recorded after its agreement ran out).
    """
    TrainingPlace.objects.select_for_update().filter(pk=placement.place_id).first()
    placement.full_clean()
    placement_check(placement=placement)
    if placement.agreement_id is None:
        placement.agreement = covering_agreement(
            place=placement.place,
            referrer=placement.referrer,
            programme=placement.programme,
            on=[placement.started_on],
        )
    placement.save()
    return placement


# --- Requests -------------------------------------------------------------------------------


def placement_request_check(
    *, place: TrainingPlace, case_officer, link=None, referrer: Organisation | None = None
) -> CaseOfficer:
    """May this person ask for a seat at this place? Their organisation link, or refused.

    `link`: the person's CaseOfficer row when the caller has it already. `referrer`: another
    organisation than the case officer's own, when the coordinator records a request for it
    in the admin; it needs its own agreement.
    """
    if not is_case_officer(case_officer):
        raise PlaceNotAvailable(_("Bara handläggare kan fråga efter en plats."), code="no_role")
    if link is None:
        link = CaseOfficer.objects.filter(user=case_officer).select_related("organisation").first()
    if link is None:
        raise PlaceNotAvailable(
            _(
                "Ditt konto är inte kopplat till någon organisation. Be samordnaren koppla "
                "kontot till din organisation, så kan du fråga efter platser."
            ),
            code="no_organisation",
        )
    if not TrainingPlace.objects.available_to(link.organisation).filter(pk=place.pk).exists():
        raise _no_agreement(link.organisation, place)
    other_referrer = referrer is not None and referrer != link.organisation
    if other_referrer and covering_agreement(place=place, referrer=referrer) is None:
        raise _no_agreement(referrer, place, field="referrer")
    if place.status != TrainingPlace.Status.OPEN:
        raise PlaceNotAvailable(
            _("Platsen är pausad och tar inte emot förfrågningar just nu."), code="paused"
        )
    return link


def placement_request_check_details(
    *,
    place: TrainingPlace,
    participant_code: str,
    placement_type: PlacementType | None,
    wished_start_on: datetime.date | None,
    exclude_pk: int | None = None,
) -> None:
    """What a new request must say: a type the place offers, a start not in the past, and no
    second open request for the same participant at the same place."""
    if (
        placement_type is not None
        and not place.placement_types.filter(pk=placement_type.pk).exists()
    ):
        raise PlacementError(
            _("Välj en av de placeringstyper som platsen erbjuder."),
            code="type_not_offered",
            field="placement_type",
        )
    if wished_start_on is not None and wished_start_on < timezone.localdate():
        raise PlacementError(
            _("Startdatumet kan inte ligga bakåt i tiden."),
            code="start_in_past",
            field="wished_start_on",
        )
    code = normalise_participant_code(participant_code)
    open_requests = PlacementRequest.objects.undecided().filter(
        place=place.pk, participant_code=code
    )
    if code and open_requests.exclude(pk=exclude_pk).exists():
        raise PlacementError(
            _("Det finns redan en obesvarad förfrågan om den här platsen för deltagaren."),
            code="duplicate_request",
            field="participant_code",
        )


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
    referrer: Organisation | None = None,
    programme: Programme | None = None,
    link: CaseOfficer | None = None,
    notify: bool = True,
) -> PlacementRequest:
    """Store a case officer's request for a seat and tell the enterprise and the coordinator.

    The place's row is locked while the rules are checked, so two identical requests sent at
    the same moment cannot both be stored. The referrer and programme are the case officer's
    own unless the coordinator records a request for them in the admin.
    """
    place = TrainingPlace.objects.select_for_update().select_related("enterprise").get(pk=place.pk)
    link = placement_request_check(
        place=place, case_officer=case_officer, link=link, referrer=referrer
    )
    placement_request_check_details(
        place=place,
        participant_code=participant_code,
        placement_type=placement_type,
        wished_start_on=wished_start_on,
    )

    request = PlacementRequest(
        place=place,
        case_officer=case_officer,
        referrer=referrer or link.organisation,
        programme=programme if referrer is not None else link.programme,
        participant_code=normalise_participant_code(participant_code),
        placement_type=placement_type,
        wished_start_on=wished_start_on,
        extent_percent=extent_percent,
        note=note.strip(),
    )
    request.full_clean()
    request.save()
    if not notify:  # the demo data: nobody to tell
        return request
    _mail(
        recipients=_enterprise_and_coordinator_addresses(place),
        template="new_request",
        context={"request": request, "place": place},
    )
    return request


# The header of the mail that tells the case officer a request was accepted.
ACCEPTED_MAIL_HEADER = "X-ASF-Accepted-Request"
# The undo's line in the request's change history; stored, like the rest of it, in Swedish.
ACCEPT_UNDONE_REASON = "Antagningen ångrad"


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
    placement = Placement(
        place=place,
        participant_code=request.participant_code,
        placement_type=request.placement_type,
        referrer=request.referrer,
        programme=request.programme,
        agreement=covering_agreement(
            place=place,
            referrer=request.referrer,
            programme=request.programme,
            on=[request.wished_start_on],
        ),
        case_officer=request.case_officer,
        started_on=request.wished_start_on,
        extent_percent=request.extent_percent,
    )
    placement_check(placement=placement, waitlist_hint=True)
    placement.full_clean()
    placement.save()
    _decide(request, status=PlacementRequest.Status.ACCEPTED, by=by, placement=placement)
    _mail_case_officer(
        request,
        template="request_accepted",
        # Names the request, so an undo finds this mail in the outbox (_accepted_mails).
        headers={ACCEPTED_MAIL_HEADER: str(request.pk)},
    )
    return placement


def placement_request_accept_undo_check(
    *, request: PlacementRequest, by, now: datetime.datetime | None = None
) -> None:
    """May this person undo the accept now? Nothing, or refused (AcceptUndoRefused).

    Within ACCEPT_UNDO_WINDOW of the accept, by the person who accepted or by the staff of the
    place's enterprise, and only while the placement has not been ended.
    """
    if request.status != PlacementRequest.Status.ACCEPTED:
        raise AcceptUndoRefused(
            _("Förfrågan är inte antagen (den är %(status)s), så det finns inget att ångra.")
            % {"status": request.get_status_display().lower()},
            code="not_accepted",
        )
    if by.pk != request.decided_by_id and not _is_staff_of(by, request.place.enterprise_id):
        raise AcceptUndoRefused(
            _(
                "Bara den som antog förfrågan och personalen på %(enterprise)s kan ångra "
                "antagningen."
            )
            % {"enterprise": request.place.enterprise},
            code="not_allowed",
        )
    if (now or timezone.now()) > request.accept_undoable_until:
        minutes = int(ACCEPT_UNDO_WINDOW.total_seconds() // 60)
        raise AcceptUndoRefused(
            ngettext(
                "Antagningen kan inte ångras längre: det går bara inom %(minutes)d minut efter "
                "att förfrågan antogs. Ingenting har ändrats. Ska deltagaren inte börja, "
                "avsluta placeringen under Pågående placeringar.",
                "Antagningen kan inte ångras längre: det går bara inom %(minutes)d minuter efter "
                "att förfrågan antogs. Ingenting har ändrats. Ska deltagaren inte börja, "
                "avsluta placeringen under Pågående placeringar.",
                minutes,
            )
            % {"minutes": minutes},
            code="too_late",
        )
    if request.placement is not None and request.placement.ended_on is not None:
        raise AcceptUndoRefused(
            _("Placeringen är redan avslutad, så antagningen går inte att ångra."),
            code="placement_ended",
        )


@dataclass(frozen=True)
class AcceptUndone:
    """What undoing an accept did about the case officer's mail."""

    request: PlacementRequest
    # The mail saying "accepted" had gone (or was going): a second mail says it is undone.
    withdrawal_mailed: bool
    # The mail saying "accepted" still waited in the outbox: it was taken out, never sent.
    accepted_mail_stopped: bool


@transaction.atomic
def placement_request_accept_undo(*, request: PlacementRequest, by) -> AcceptUndone:
    """Put an accepted request back as it was before the accept, within ACCEPT_UNDO_WINDOW.

    The request gets back the status, decider and time it had (pending, or wait-listed by
    someone), as its change history recorded them; the placement the accept made is deleted,
    so its seat is free. The mail that said "accepted" is taken out of the outbox if it has
    not gone yet; if it has, the case officer is told that the acceptance was withdrawn. The
    change history records the undo, with who undid it.
    """
    request = (
        PlacementRequest.objects.select_for_update(of=("self",))
        .select_related("place__enterprise", "case_officer")
        .get(pk=request.pk)
    )
    if request.placement_id is not None:
        # Locked before the check, so nobody ends it between the check and the delete.
        request.placement = Placement.objects.select_for_update().get(pk=request.placement_id)
    placement_request_accept_undo_check(request=request, by=by)
    placement = request.placement

    # The accept is the last change of status (an accepted request is answered), so the
    # request's latest version that is not accepted is how it was just before.
    before = (
        request.history.exclude(status=PlacementRequest.Status.ACCEPTED)
        .order_by("-history_date", "-history_id")
        .values("status", "decided_by_id", "decided_at")
        .first()
    ) or {"status": PlacementRequest.Status.PENDING, "decided_by_id": None, "decided_at": None}
    request.status = before["status"]
    request.decided_by_id = before["decided_by_id"]
    request.decided_at = before["decided_at"]
    request.placement = None
    request._history_user = by
    request._change_reason = ACCEPT_UNDONE_REASON
    request.save(update_fields=["status", "decided_by", "decided_at", "placement"])
    placement._history_user = by
    placement.delete()

    stopped = told = False
    for mail in _accepted_mails(request, since=placement.created_at):
        if mail.status in (OutboxMail.Status.PENDING, OutboxMail.Status.FAILED):
            mail.delete()
            stopped = True
        else:
            # Sent, or being sent right now: it cannot be called back.
            told = True
    if told:
        _mail_case_officer(request, template="accept_undone", folder="placements/emails")
    logger.info("Accept of request %s undone by user %s", request.pk, getattr(by, "pk", None))
    return AcceptUndone(request=request, withdrawal_mailed=told, accepted_mail_stopped=stopped)


def _accepted_mails(request: PlacementRequest, *, since: datetime.datetime) -> list[OutboxMail]:
    """The outbox's mails, locked, that told of the request's accept made at `since`."""
    return list(
        OutboxMail.objects.select_for_update()
        .filter(
            created_at__gte=since, **{f"message__headers__{ACCEPTED_MAIL_HEADER}": str(request.pk)}
        )
        .order_by("pk")
    )


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
def placement_request_waitlist(
    *, request: PlacementRequest, by, notify: bool = True
) -> PlacementRequest:
    """Put the request on the waiting list; it can still be accepted or declined later."""
    request = _lock_undecided(request)
    if request.status == PlacementRequest.Status.WAITLISTED:
        raise RequestAlreadyDecided(_("Förfrågan står redan på väntelistan."))
    _decide(request, status=PlacementRequest.Status.WAITLISTED, by=by)
    if notify:
        _mail_case_officer(request, template="request_waitlisted")
    return request


# --- Placements -----------------------------------------------------------------------------


@transaction.atomic
def placement_end(*, placement: Placement, ended_on: datetime.date, outcome: str, by) -> Placement:
    """Record the last day and the outcome; the seat is free again from then on."""
    placement = Placement.objects.select_for_update().filter(pk=placement.pk).first()
    if placement is None:  # its accept was undone a moment ago
        raise PlacementError(_("Placeringen finns inte längre: antagningen har ångrats."))
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


def _is_staff_of(user, enterprise_id: int) -> bool:
    return (
        is_enterprise_staff(user)
        and Enterprise.objects.staffed_by(user).filter(pk=enterprise_id).exists()
    )


def _enterprise_and_coordinator_addresses(place: TrainingPlace) -> list[str]:
    """The enterprise's staff, and the coordinator (_coordinator_addresses)."""
    return _unique([*_staff_addresses(place.enterprise), *_coordinator_addresses()])


def _staff_addresses(enterprise) -> list[str]:
    return _unique(enterprise.staff.filter(is_active=True).values_list("email", flat=True))


def _coordinator_addresses() -> list[str]:
    """The network's coordinator address if set, else every active member of the coordinator
    group."""
    network = NetworkProfile.current()
    if network and network.coordinator_email:
        return [network.coordinator_email]
    return _unique(
        get_user_model()
        .objects.filter(is_active=True, groups__name=COORDINATOR)
        .values_list("email", flat=True)
    )


def _site_url(name: str, *args) -> str:
    """The page's full address, as mail needs it (in Swedish: mail is read outside the site)."""
    network = NetworkProfile.current()
    with override("sv"):
        return urljoin(network.website if network else "", reverse(name, args=args))


def _swedish_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _mail_case_officer(
    request: PlacementRequest,
    *,
    template: str,
    headers: dict[str, str] | None = None,
    folder: str = "emails/placements",
) -> None:
    _mail(
        recipients=[request.case_officer.email],
        template=template,
        context={"request": request, "place": request.place},
        headers=headers,
        folder=folder,
    )


def _mail(
    *,
    recipients: list[str],
    template: str,
    context: dict,
    headers: dict[str, str] | None = None,
    folder: str = "emails/placements",
) -> None:
    """Put the mails in the outbox, in the transaction of the decision (background/outbox.py).

    One message per recipient, so no one sees who else was told. The worker delivers them;
    a failing mail server delays a mail and never undoes what was decided.
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
        }
        if "request" in context:
            context["decision_url"] = urljoin(
                site, reverse("placements:decision", args=[context["request"].pk])
            )
        subject = render_to_string(f"{folder}/{template}_subject.txt", context, using="text")
        body = render_to_string(f"{folder}/{template}.txt", context, using="text")
    subject = " ".join(subject.split())
    messages = [
        EmailMessage(subject=subject, body=body, to=[address], headers=headers)
        for address in recipients
    ]
    mailers.default.send_messages(messages)


def _unique(addresses: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for address in addresses:
        if address:
            seen.setdefault(address.lower(), None)
    return list(seen)
