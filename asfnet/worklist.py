"""The admin's start page as a worklist: what is waiting for the person who opens it.

The coordinator sees the new contact messages, the requests for a place that wait for a
decision, the places nobody has confirmed for a while, this year's annual report with what it
still lacks, and the latest changes in the admin. Enterprise staff see their enterprises,
their waiting requests and their places to confirm. Each part is there only for someone who
may open its list, and counts only the rows that list shows them (the model admin's own
queryset), so a count never promises rows the list then hides.

A fixed number of queries whatever the data: each part is one or two queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.admin import sees_every_enterprise
from enterprises.models import Enterprise, Inquiry
from placements.models import CONFIRMATION_MAX_AGE_DAYS, PlacementRequest, TrainingPlace
from reports.models import Activity, AnnualReport, Signatory, StrategyArea

# How many rows a part lists before it links to the rest.
SHOWN = 5
RECENT_CHANGES = 10


@dataclass
class Part:
    """One part of the worklist: a heading, a count, a few rows and the list they come from."""

    key: str
    heading: str
    count: int
    summary: str
    url: str
    link_text: str
    rows: list[Any] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


@dataclass
class ReportState:
    """This year's report, or the draft the coordinator is writing, and what it still lacks."""

    report: AnnualReport | None
    year: int
    change_url: str = ""
    create_url: str = ""
    create_text: str = ""
    areas_without_activities: list[StrategyArea] = field(default_factory=list)
    activities_url: str = ""
    add_activity_url: str = ""
    publish_url: str = ""

    @property
    def lacks_signatories(self) -> bool:
        return self.report is not None and not self.report.has_signatories

    @property
    def is_complete(self) -> bool:
        return (
            self.report is not None
            and self.report.published
            and not self.areas_without_activities
            and not self.lacks_signatories
        )


@dataclass
class Change:
    entry: LogEntry
    who: str
    what: str
    url: str


# The lists the worklist reads, each through its model admin (its scope and permissions).
_MODELS = (Inquiry, PlacementRequest, TrainingPlace, Enterprise, AnnualReport)


def worklist(site, request) -> dict:
    """The start page's context for the person asking: only the parts they may open."""
    admins = {
        model: site.get_model_admin(model) if site.is_registered(model) else None
        for model in _MODELS
    }
    may_view = {
        model: model_admin is not None and model_admin.has_view_permission(request)
        for model, model_admin in admins.items()
    }
    coordinator = sees_every_enterprise(request.user)
    parts = []
    if may_view[Inquiry]:
        parts.append(_new_inquiries(site, request, admins[Inquiry]))
    if may_view[PlacementRequest]:
        parts.append(_waiting_requests(site, request, admins[PlacementRequest]))
    if may_view[TrainingPlace]:
        parts.append(_places_to_confirm(site, request, admins[TrainingPlace]))
    return {
        "worklist": parts,
        "worklist_enterprises": (
            _own_enterprises(site, request, admins[Enterprise])
            if may_view[Enterprise] and not coordinator
            else None
        ),
        "worklist_report": _annual_report(site) if may_view[AnnualReport] else None,
        "worklist_changes": _recent_changes(site, request, everyone=coordinator),
        "worklist_changes_everyone": coordinator,
    }


def _changelist(site, model, query: str = "") -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=site.name)
    return f"{url}?{query}" if query else url


def _change(site, obj) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk], current_app=site.name
    )


def _new_inquiries(site, request, model_admin) -> Part:
    new = model_admin.get_queryset(request).filter(status=Inquiry.Status.NEW)
    count = new.count()
    rows = [
        {"inquiry": inquiry, "url": _change(site, inquiry)}
        for inquiry in new.select_related("enterprise").order_by("created_at")[:SHOWN]
    ]
    return Part(
        key="inquiries",
        heading=_("Nya meddelanden från kontaktformuläret"),
        count=count,
        summary=(
            ngettext(
                "%(count)d meddelande har ingen öppnat ännu.",
                "%(count)d meddelanden har ingen öppnat ännu.",
                count,
            )
            % {"count": count}
            if count
            else _("Inga nya meddelanden.")
        ),
        url=_changelist(site, Inquiry, f"status__exact={Inquiry.Status.NEW}"),
        link_text=_("Visa alla nya meddelanden"),
        rows=rows,
    )


def _waiting_requests(site, request, model_admin) -> Part:
    waiting = model_admin.get_queryset(request).undecided()
    count = waiting.count()
    today = timezone.localdate()
    rows = [
        {
            "request": placement_request,
            "url": _change(site, placement_request),
            "days": placement_request.working_days_waiting(today),
        }
        for placement_request in waiting.select_related("place__enterprise").order_by(
            "created_at", "pk"
        )[:SHOWN]
    ]
    statuses = ",".join([PlacementRequest.Status.PENDING, PlacementRequest.Status.WAITLISTED])
    return Part(
        key="requests",
        heading=_("Förfrågningar om plats som väntar på beslut"),
        count=count,
        summary=(
            ngettext(
                "%(count)d förfrågan väntar på svar. Den som väntat längst står först.",
                "%(count)d förfrågningar väntar på svar. Den som väntat längst står först.",
                count,
            )
            % {"count": count}
            if count
            else _("Ingen förfrågan väntar på svar.")
        ),
        url=_changelist(site, PlacementRequest, f"status__in={statuses}"),
        link_text=_("Visa alla förfrågningar som väntar"),
        rows=rows,
    )


def _places_to_confirm(site, request, model_admin) -> Part:
    count = model_admin.scope(request, TrainingPlace.objects.not_recently_confirmed()).count()
    return Part(
        key="places",
        heading=_("Platser som behöver bekräftas"),
        count=count,
        summary=(
            ngettext(
                "%(count)d arbetsträningsplats har inte bekräftats på %(days)d dagar.",
                "%(count)d arbetsträningsplatser har inte bekräftats på %(days)d dagar.",
                count,
            )
            % {"count": count, "days": CONFIRMATION_MAX_AGE_DAYS}
            if count
            else _("Alla platser är bekräftade de senaste %(days)d dagarna.")
            % {"days": CONFIRMATION_MAX_AGE_DAYS}
        ),
        url=_changelist(site, TrainingPlace, "bekraftad=gammal"),
        link_text=_("Visa platserna som behöver bekräftas"),
    )


def _own_enterprises(site, request, model_admin) -> list[dict]:
    return [
        {"enterprise": enterprise, "url": _change(site, enterprise)}
        for enterprise in model_admin.get_queryset(request).order_by("name")
    ]


def _annual_report(site, today: datetime.date | None = None) -> ReportState:
    """This year's report; else the latest draft; else how to start the next one."""
    year = (today or timezone.localdate()).year
    report = (
        AnnualReport.objects.filter(Q(year=year) | Q(published=False))
        .annotate(
            this_year=Case(When(year=year, then=Value(1)), default=Value(0)),
            has_signatories=Exists(Signatory.objects.filter(report=OuterRef("pk"))),
        )
        .order_by("-this_year", "-year")
        .first()
    )
    if report is None:
        state = ReportState(report=None, year=year)
        latest = AnnualReport.objects.order_by("-year").only("pk", "year").first()
        if latest is not None and latest.year == year - 1:
            # Last year's report copied forward: its texts, sections and signatories.
            state.create_url = reverse(
                "admin:reports_annualreport_next_year", args=[latest.pk], current_app=site.name
            )
        elif latest is None or latest.year < year:
            # No report of last year to start from: this year's from an empty form.
            add = reverse("admin:reports_annualreport_add", current_app=site.name)
            state.create_url = f"{add}?year={year}"
        if state.create_url:
            state.create_text = _("Skapa rapport för %(year)s") % {"year": year}
        return state

    state = ReportState(
        report=report,
        year=report.year,
        change_url=_change(site, report),
        activities_url=_changelist(site, Activity, f"year={report.year}"),
        add_activity_url=reverse("admin:reports_activity_add", current_app=site.name),
        publish_url=reverse(
            "admin:reports_annualreport_publish", args=[report.pk], current_app=site.name
        ),
    )
    if report.strategy_id:
        activities = Activity.objects.filter(year=report.year, points__area=OuterRef("pk"))
        state.areas_without_activities = list(
            StrategyArea.objects.filter(strategy_id=report.strategy_id)
            .exclude(Exists(activities))
            .order_by("number")
        )
    return state


def _recent_changes(site, request, *, everyone: bool) -> list[Change]:
    """The last changes made in the admin: everyone's for the coordinator, else one's own."""
    entries = LogEntry.objects.select_related("user", "content_type").order_by("-action_time")
    if not everyone:
        entries = entries.filter(user=request.user)
    changes = []
    for entry in entries[:RECENT_CHANGES]:
        if entry.is_addition():
            what = _("lade till")
        elif entry.is_deletion():
            what = _("tog bort")
        else:
            what = _("ändrade")
        who = entry.user.get_full_name() or entry.user.email
        url = "" if entry.is_deletion() else (entry.get_admin_url() or "")
        changes.append(Change(entry=entry, who=who, what=what, url=url))
    return changes
