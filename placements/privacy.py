"""What the portal holds about one participant code, its erasure, and the retention periods.

A placement and a placement request carry a pseudonymous participant code, and their change
history (django-simple-history) copies it. Erasing a code, by request or because the retention
period has passed, replaces it everywhere with ERASED_CODE: the rows stay, so the annual
reports' figures (reports.statistics counts placements, never codes) do not change.
Every function here runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from background.models import OutboxMail
from enterprises.models import Inquiry

from .models import Placement, PlacementRequest

# What an erased code reads: passes validate_participant_code, so an old placement can still
# be corrected in the admin, and says what happened to the code.
ERASED_CODE = "RADERAD"

HistoricalPlacement = Placement.history.model
HistoricalPlacementRequest = PlacementRequest.history.model


def normalise_code(code: str) -> str:
    """As the forms store a code: without surrounding spaces, in capitals."""
    return code.strip().upper()


# --- Register extract ---------------------------------------------------------------------


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _str(value) -> str | None:
    return str(value) if value is not None else None


def _placement_fields(placement) -> dict:
    """One placement, or one historical version of it, as plain values."""
    return {
        "deltagarkod": placement.participant_code,
        "arbetsträningsplats": _str(placement.place),
        "placeringstyp": _str(placement.placement_type),
        "remittent": _str(placement.referrer),
        "insats": _str(placement.programme),
        "avtal": _str(placement.agreement),
        "handläggare": placement.case_officer.email if placement.case_officer else None,
        "startdatum": _date(placement.started_on),
        "planerat_slutdatum": _date(placement.planned_end_on),
        "avslutad": _date(placement.ended_on),
        "omfattning_procent": placement.extent_percent,
        "utfall": placement.get_outcome_display() if placement.outcome else "",
    }


def _request_fields(request) -> dict:
    """One placement request, or one historical version of it, as plain values."""
    return {
        "deltagarkod": request.participant_code,
        "arbetsträningsplats": _str(request.place),
        "placeringstyp": _str(request.placement_type),
        "remittent": _str(request.referrer),
        "insats": _str(request.programme),
        "handläggare": request.case_officer.email if request.case_officer else None,
        "önskat_startdatum": _date(request.wished_start_on),
        "omfattning_procent": request.extent_percent,
        "vad_deltagaren_vill_träna_på": request.note,
        "status": request.get_status_display(),
        "skäl_till_avböjande": request.decline_reason,
    }


def _history_fields(record) -> dict:
    return {
        "version": record.history_id,
        "tidpunkt": record.history_date.isoformat(),
        "händelse": {"+": "skapad", "~": "ändrad", "-": "borttagen"}[record.history_type],
        "ändrad_av": record.history_user.email if record.history_user else None,
    }


_PLACEMENT_RELATED = [
    "place__enterprise",
    "placement_type",
    "referrer",
    "programme",
    "agreement__enterprise",
    "agreement__counterparty",
    "agreement__prime_agreement__enterprise",
    "agreement__prime_agreement__counterparty",
    "case_officer",
]
_REQUEST_RELATED = [
    "place__enterprise",
    "placement_type",
    "referrer",
    "programme",
    "case_officer",
]


@dataclass
class Extract:
    """Everything the portal holds about one participant code."""

    code: str
    placements: list[Placement]
    requests: list[PlacementRequest]
    placement_history: list
    request_history: list

    @property
    def is_empty(self) -> bool:
        return not (
            self.placements or self.requests or self.placement_history or self.request_history
        )

    @property
    def counts(self) -> dict[str, int]:
        return {
            "placements": len(self.placements),
            "requests": len(self.requests),
            "history": len(self.placement_history) + len(self.request_history),
        }

    def as_data(self) -> dict:
        """The register extract as JSON-ready data, with Swedish keys for the participant."""
        return {
            "deltagarkod": self.code,
            "utdrag_gjort": timezone.localtime().isoformat(timespec="seconds"),
            "portal": "ASF-nätverket",
            "placeringar": [
                {"id": placement.pk, **_placement_fields(placement)}
                for placement in self.placements
            ],
            "förfrågningar_om_plats": [
                {
                    "id": request.pk,
                    "inskickad": request.created_at.isoformat(),
                    "placering_id": request.placement_id,
                    **_request_fields(request),
                }
                for request in self.requests
            ],
            "ändringshistorik": {
                "placeringar": [
                    {
                        "placering_id": record.id,
                        **_history_fields(record),
                        **_placement_fields(record),
                    }
                    for record in self.placement_history
                ],
                "förfrågningar_om_plats": [
                    {
                        "förfrågan_id": record.id,
                        **_history_fields(record),
                        **_request_fields(record),
                    }
                    for record in self.request_history
                ],
            },
        }


def _placement_ids(code: str) -> set[int]:
    """The placements that carry the code now or in an earlier version, deleted ones too."""
    now = Placement.objects.filter(participant_code=code).values_list("pk", flat=True)
    before = HistoricalPlacement.objects.filter(participant_code=code).values_list("id", flat=True)
    return {*now, *before}


def _request_ids(code: str) -> set[int]:
    now = PlacementRequest.objects.filter(participant_code=code).values_list("pk", flat=True)
    before = HistoricalPlacementRequest.objects.filter(participant_code=code).values_list(
        "id", flat=True
    )
    return {*now, *before}


def register_extract(code: str) -> Extract:
    """What the portal holds about the code: placements, requests and their history."""
    code = normalise_code(code)
    if code == ERASED_CODE:
        return Extract(code, [], [], [], [])
    placement_ids, request_ids = _placement_ids(code), _request_ids(code)
    return Extract(
        code=code,
        placements=list(
            Placement.objects.filter(pk__in=placement_ids)
            .select_related(*_PLACEMENT_RELATED)
            .order_by("started_on", "pk")
        ),
        requests=list(
            PlacementRequest.objects.filter(pk__in=request_ids)
            .select_related(*_REQUEST_RELATED)
            .order_by("created_at", "pk")
        ),
        placement_history=list(
            HistoricalPlacement.objects.filter(id__in=placement_ids)
            .select_related("history_user", *_PLACEMENT_RELATED)
            .order_by("history_date", "history_id")
        ),
        request_history=list(
            HistoricalPlacementRequest.objects.filter(id__in=request_ids)
            .select_related("history_user", *_REQUEST_RELATED)
            .order_by("history_date", "history_id")
        ),
    )


@dataclass
class Erased:
    placements: int
    requests: int
    history: int

    @property
    def total(self) -> int:
        return self.placements + self.requests + self.history


def erase_participant_code(code: str) -> Erased:
    """Remove the code from placements, requests and their history; the rows stay.

    What the case officer wrote about the participant in a request (the note, a reason for
    declining) goes too. Placements keep their place, dates, extent and outcome, so the
    statistics stay as they were.
    """
    code = normalise_code(code)
    if code == ERASED_CODE:
        return Erased(0, 0, 0)
    with transaction.atomic():
        placement_ids, request_ids = _placement_ids(code), _request_ids(code)
        history = HistoricalPlacement.objects.filter(id__in=placement_ids).update(
            participant_code=ERASED_CODE
        )
        history += HistoricalPlacementRequest.objects.filter(id__in=request_ids).update(
            participant_code=ERASED_CODE, note="", decline_reason=""
        )
        placements = Placement.objects.filter(pk__in=placement_ids).update(
            participant_code=ERASED_CODE
        )
        requests = PlacementRequest.objects.filter(pk__in=request_ids).update(
            participant_code=ERASED_CODE, note="", decline_reason=""
        )
        _scrub_admin_log([str(pk) for pk in placement_ids], [str(pk) for pk in request_ids])
        _scrub_outbox(code)
    return Erased(placements, requests, history)


def _scrub_admin_log(placement_ids, request_ids) -> None:
    """The admin's log names each row it records (object_repr, e.g. "AF-0001 – Kafé"): the
    entries of the erased rows are named as erased. One UPDATE per model."""
    for model, ids in ((Placement, placement_ids), (PlacementRequest, request_ids)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).exclude(object_repr=ERASED_CODE).update(object_repr=ERASED_CODE)


def _scrub_outbox(code: str) -> None:
    """Mail about the participant, waiting or recently sent, keeps no copy of the code."""

    def scrub(value):
        if isinstance(value, str):
            return value.replace(code, ERASED_CODE)
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        return value

    mails = OutboxMail.objects.annotate(text=Cast("message", TextField())).filter(
        Q(subject__contains=code) | Q(text__contains=code)
    )
    for mail in mails:
        mail.subject = scrub(mail.subject)
        mail.message = scrub(mail.message)
        mail.save(update_fields=["subject", "message"])


# --- Retention ----------------------------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


@dataclass
class Purged:
    placements: int
    requests: int
    history: int
    inquiries: int
    code_cutoff: datetime.date
    inquiry_cutoff: datetime.datetime


def purge_expired(now: datetime.datetime | None = None) -> Purged:
    """Apply the retention periods of the settings; running it again changes nothing.

    - Placements that ended before PARTICIPANT_CODE_RETENTION_YEARS ago lose their participant
      code, and so do their requests and every version of both in the history. So do
      requests that never became a placement and were sent in before then, and the history
      of placements and requests deleted before then.
    - Inquiries from the contact form received more than INQUIRY_RETENTION_DAYS ago are
      deleted.

    Eight queries, whatever the number of rows: bulk updates with subqueries, one delete, and
    the admin log's entries of erased rows named as erased.
    """
    now = now or timezone.now()
    code_cutoff = years_before(timezone.localdate(now), settings.PARTICIPANT_CODE_RETENTION_YEARS)
    code_cutoff_time = timezone.make_aware(
        datetime.datetime.combine(code_cutoff, datetime.time.min)
    )
    inquiry_cutoff = now - datetime.timedelta(days=settings.INQUIRY_RETENTION_DAYS)

    expired_placements = Placement.objects.filter(ended_on__lt=code_cutoff).values("pk")
    expired_requests = PlacementRequest.objects.filter(
        Q(placement__in=expired_placements)
        | Q(placement__isnull=True, created_at__lt=code_cutoff_time)
    ).values("pk")
    not_erased = ~Q(participant_code=ERASED_CODE)
    with transaction.atomic():
        history = HistoricalPlacement.objects.filter(
            not_erased,
            Q(id__in=expired_placements)
            | Q(ended_on__lt=code_cutoff)
            | (Q(history_date__lt=code_cutoff_time) & ~Q(id__in=Placement.objects.values("pk"))),
        ).update(participant_code=ERASED_CODE)
        history += HistoricalPlacementRequest.objects.filter(
            not_erased,
            Q(id__in=expired_requests)
            | (
                Q(history_date__lt=code_cutoff_time)
                & ~Q(id__in=PlacementRequest.objects.values("pk"))
            ),
        ).update(participant_code=ERASED_CODE, note="", decline_reason="")
        # The requests before the placements: they are found through the placements' dates,
        # which the update below does not touch, but keep the order of the history above.
        requests = PlacementRequest.objects.filter(not_erased, pk__in=expired_requests).update(
            participant_code=ERASED_CODE, note="", decline_reason=""
        )
        placements = Placement.objects.filter(not_erased, ended_on__lt=code_cutoff).update(
            participant_code=ERASED_CODE
        )
        inquiries, _by_model = Inquiry.objects.filter(created_at__lt=inquiry_cutoff).delete()
        _scrub_admin_log(
            HistoricalPlacement.objects.filter(participant_code=ERASED_CODE)
            .annotate(row=Cast("id", CharField()))
            .values("row"),
            HistoricalPlacementRequest.objects.filter(participant_code=ERASED_CODE)
            .annotate(row=Cast("id", CharField()))
            .values("row"),
        )
    return Purged(placements, requests, history, inquiries, code_cutoff, inquiry_cutoff)
