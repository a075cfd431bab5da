"""The case officers' training-place browser, their requests, and the enterprises' answers.

Who may see what is decided in one place, the querysets in models.py (of_case_officer,
decidable_by, managed_by) and the role checks beside them; the views only fetch through them,
so a tampered id of someone else's request or placement is a 404.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.csv_export import csv_response
from accounts.pages import PAGE_TIMEOUT, cached_for_audience, generation
from accounts.roles import (
    CASE_OFFICER,
    has_second_factor,
    is_case_officer,
    is_coordinator,
    is_enterprise_staff,
    requires_two_factor,
)

from . import services
from .filters import TrainingPlaceFilter
from .forms import DeclineForm, PlacementEndForm, PlacementRequestForm
from .models import (
    ACCEPT_UNDO_WINDOW,
    CaseOfficer,
    Placement,
    PlacementRequest,
    TrainingPlace,
)
from .tables import (
    EXPORT_HEADER,
    ORDER_FIELD,
    PAGE_FIELD,
    PER_PAGE,
    PageByKeysPaginator,
    TrainingPlaceTable,
    export_rows,
)

# --- Who may come in ------------------------------------------------------------------------


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "placements/forbidden.html", {"message": message}, status=403)


def _role_required(allowed: Callable[[object], bool], message: str):
    """Login first (anonymous users go to the login page), then the role, else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not allowed(request.user):
                return _forbidden(request, message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _may_browse(user) -> bool:
    # A case officer's link to their organisation first: one query that also checks the role,
    # and the page reads the link anyway (kept on the user object for the request).
    return _case_officer_link(user) is not None or is_coordinator(user) or is_case_officer(user)


def _may_decide(user) -> bool:
    return is_coordinator(user) or is_enterprise_staff(user)


browser_required = _role_required(
    _may_browse,
    gettext_lazy(
        "Arbetsträningsplatserna är till för handläggare och nätverkets samordnare. "
        "Behöver du komma åt dem? Kontakta samordnaren."
    ),
)
case_officer_required = _role_required(
    is_case_officer,
    gettext_lazy(
        "Den här sidan är till för handläggare. Behöver du komma åt den? Kontakta samordnaren."
    ),
)
_decider_role_required = _role_required(
    _may_decide,
    gettext_lazy(
        "Den här sidan är till för personalen på företagen och för nätverkets samordnare."
    ),
)


def decider_required(view):
    """Enterprise staff and the coordinator, logged in with two factors as in the admin.

    These pages show and change the same requests and placements as the admin does, so they
    ask for the same second factor (accounts.roles.has_second_factor); without one the
    person is sent to set up their authenticator app, as the admin sends them.
    """

    @_decider_role_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if requires_two_factor(request.user) and not has_second_factor(request):
            messages.warning(
                request,
                _(
                    "Förfrågningarna och placeringarna kräver tvåstegsverifiering. Lägg in en "
                    "app för engångskoder på din telefon och skriv in koden den visar, så "
                    "kommer du sedan in. Koden skyddar uppgifterna om deltagarna om någon får "
                    "tag i ditt lösenord."
                ),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapped


def _case_officer_link(user) -> CaseOfficer | None:
    """The case officer's link to their organisation; None for anyone else.

    is_case_officer and the link in one query: the role check and the link are read on every
    page of the browser.
    """
    if not (user.is_active and user.is_authenticated):
        return None
    if "_case_officer_link" not in user.__dict__:  # request.user lives for one request
        user.__dict__["_case_officer_link"] = (
            CaseOfficer.objects.filter(user=user, user__groups__name=CASE_OFFICER)
            .select_related("organisation")
            .order_by()
            .first()
        )
    return user.__dict__["_case_officer_link"]


# --- The training-place browser -------------------------------------------------------------


def _listed_places():
    """What the table shows (tables.TrainingPlaceTable), and nothing more: a place's
    adaptations and agreements are on its own page, so the list does not read them."""
    return (
        TrainingPlace.objects.with_free_seats()
        .select_related("enterprise", "unit__municipality")
        .prefetch_related("placement_types", "enterprise__municipalities")
    )


def _filtered_places(request: HttpRequest, link: CaseOfficer | None) -> TrainingPlaceFilter:
    return TrainingPlaceFilter(
        request.GET,
        queryset=_listed_places(),
        organisation=link.organisation if link else None,
    )


def _requested_order(request: HttpRequest, table: TrainingPlaceTable) -> list[str]:
    """The sort keys in the URL that name a sortable column; anything else is ignored."""
    sortable = {column.name for column in table.columns.iterorderable()}
    return [key for key in request.GET.getlist(ORDER_FIELD) if key.removeprefix("-") in sortable]


def _table_html(request: HttpRequest, link: CaseOfficer | None, place_filter) -> str:
    """The table of places and its page links, rendered once per list and organisation.

    Busy case officers open the same lists again and again. The HTML is cached under the pages'
    generation key, which every save of a place, placement or agreement renews, so free seats
    are never stale; only "today" (agreements' dates, last confirmed) may lag by PAGE_TIMEOUT.
    """
    key = (
        "placements:table:"
        + hashlib.sha256(
            repr(
                [
                    generation(),
                    get_language(),
                    link.organisation_id if link else None,
                    sorted(request.GET.lists()),
                ]
            ).encode()
        ).hexdigest()
    )
    html = cache.get(key)
    if html is not None:
        return html
    table = TrainingPlaceTable(place_filter.qs)
    table.order_by = _requested_order(request, table)
    # The page size is fixed: a per_page in the URL would let one request load every place.
    pages = {
        "paginator_class": PageByKeysPaginator,
        "per_page": PER_PAGE,
        "records": _listed_places(),
    }
    try:
        table.paginate(page=request.GET.get(PAGE_FIELD) or 1, **pages)
    except PageNotAnInteger:
        table.paginate(page=1, **pages)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, **pages)
    html = render_to_string(table.template_name, {"table": table}, request=request)
    cache.set(key, html, timeout=PAGE_TIMEOUT)
    return html


@browser_required
def place_list(request: HttpRequest) -> HttpResponse:
    """The list is the same for every case officer of an organisation (their agreements): it
    is kept per organisation and URL, and only the person's frame is rendered per request."""
    link = _case_officer_link(request.user)
    audience = f"organisation:{link.organisation_id}" if link else f"user:{request.user.pk}"
    return cached_for_audience(request, audience, lambda: _place_list(request, link))


def _place_list(request: HttpRequest, link: CaseOfficer | None) -> HttpResponse:
    place_filter = _filtered_places(request, link)
    table_html = _table_html(request, link, place_filter)
    invalid = not place_filter.is_valid()
    return render(
        request,
        "placements/place_list.html",
        {
            "filter": place_filter,
            "table_html": table_html,
            "case_officer": link,
            "invalid_filters": invalid,
        },
        status=400 if invalid else 200,
    )


@browser_required
def place_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV for Excel (see accounts.csv_export).

    The whole list is read with the list's filters and order, in a fixed number of queries
    (see tables.export_rows).
    """
    link = _case_officer_link(request.user)
    table = TrainingPlaceTable(_filtered_places(request, link).qs)
    table.order_by = _requested_order(request, table)
    # The place pages sit right under the list: /platser/ + <id>/.
    list_url = request.build_absolute_uri(reverse("placements:list"))

    return csv_response(
        filename=f"arbetstraningsplatser-{timezone.localdate().isoformat()}.csv",
        header=EXPORT_HEADER,
        rows=export_rows(table.data.data, place_url=lambda pk: f"{list_url}{pk}/"),
    )


@browser_required
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(TrainingPlace.objects.with_free_seats().for_listing(), pk=pk)
    link = _case_officer_link(request.user)
    return render(
        request,
        "placements/place_detail.html",
        {
            "place": place,
            "case_officer": link,
            "refusal": _request_refusal(place, link, request.user),
        },
    )


def _request_refusal(place: TrainingPlace, link: CaseOfficer | None, user) -> str:
    """Why this user cannot ask for a seat at this place; empty when they can."""
    try:
        services.placement_request_check(place=place, case_officer=user, link=link)
    except services.PlacementError as refusal:
        return refusal.message
    return ""


@browser_required
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(TrainingPlace.objects.with_free_seats().for_listing(), pk=pk)
    link = _case_officer_link(request.user)
    if refusal := _request_refusal(place, link, request.user):
        return _forbidden(request, refusal)

    data = request.POST if request.method == "POST" else None
    form = PlacementRequestForm(data, place=place, case_officer=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.placement_request_create(
                    place=place, case_officer=request.user, link=link, **form.cleaned_data
                )
            except services.PlacementError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Förfrågan om en plats på %(place)s är skickad till %(enterprise)s. "
                        "Du får e-post när de har svarat."
                    )
                    % {"place": place.title, "enterprise": place.enterprise},
                )
                return redirect("placements:my_requests")
        return render(
            request, "placements/request_form.html", {"place": place, "form": form}, status=400
        )
    return render(request, "placements/request_form.html", {"place": place, "form": form})


@case_officer_required
def my_requests(request: HttpRequest) -> HttpResponse:
    requests = list(
        PlacementRequest.objects.of_case_officer(request.user)
        .select_related("place__enterprise", "placement_type")
        .order_by("-created_at", "-pk")
    )
    today = timezone.localdate()
    for placement_request in requests:
        pending = placement_request.status == PlacementRequest.Status.PENDING
        placement_request.waiting_days = (
            placement_request.working_days_waiting(today) if pending else None
        )
    return render(request, "placements/my_requests.html", {"requests": requests})


# --- Confirming a place from a reminder mail ------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def place_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a reminder mail (services.training_place_reminders_send), without login:
    the signed token names the reminder and is the authority.

    A GET only shows the place and one button, because mail scanners and link previews open
    links: the POST of that button (with its CSRF token) confirms, once.
    """
    try:
        if request.method == "POST":
            reminder = services.place_reminder_confirm(token=token)
            response = render(request, "placements/place_confirmed.html", {"place": reminder.place})
        else:
            reminder = services.place_reminder_check(token=token)
            response = render(
                request,
                "placements/place_confirm.html",
                {"place": reminder.place, "reminder": reminder},
            )
    except services.ReminderLinkRefused as refusal:
        response = render(
            request,
            "placements/place_confirm_refused.html",
            {"message": refusal.message},
            status=404 if refusal.code == "invalid" else 410,
        )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- The enterprises' answers ---------------------------------------------------------------


@decider_required
def decision_list(request: HttpRequest) -> HttpResponse:
    requests = (
        PlacementRequest.objects.decidable_by(request.user)
        .select_related("place__enterprise", "placement_type", "referrer", "case_officer")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "placements/decision_list.html",
        {
            "undecided": requests.undecided(),
            "decided": requests.exclude(status__in=_UNDECIDED)[:RECENT_DECISIONS],
            "recent_decisions": RECENT_DECISIONS,
            "sees_all": is_coordinator(request.user),
        },
    )


_UNDECIDED = [PlacementRequest.Status.PENDING, PlacementRequest.Status.WAITLISTED]
RECENT_DECISIONS = 50


def _decidable(request: HttpRequest, pk: int) -> PlacementRequest:
    return get_object_or_404(
        PlacementRequest.objects.decidable_by(request.user).select_related(
            "place__enterprise",
            "place__unit",
            "placement_type",
            "referrer",
            "programme",
            "case_officer",
            "decided_by",
            "placement",
        ),
        pk=pk,
    )


def _decision_page(
    request: HttpRequest,
    placement_request: PlacementRequest,
    *,
    decline_form: DeclineForm | None = None,
    error: str = "",
    confirming: bool = False,
    status: int = 200,
) -> HttpResponse:
    place = (
        TrainingPlace.objects.with_free_seats()
        .select_related("enterprise")
        .get(pk=placement_request.place_id)
    )
    return render(
        request,
        "placements/decision.html",
        {
            "req": placement_request,
            "place": place,
            "decline_form": decline_form or DeclineForm(),
            "error": error,
            "undecided": placement_request.status in _UNDECIDED,
            "confirming": confirming,
            "confirmed_field": ACCEPT_CONFIRMED_FIELD,
            "confirmed_value": ACCEPT_CONFIRMED,
            "undo_until": _undo_until(placement_request, request.user),
            "undo_minutes": int(ACCEPT_UNDO_WINDOW.total_seconds() // 60),
        },
        status=status,
    )


def _undo_until(placement_request: PlacementRequest, user) -> datetime.datetime | None:
    """Until when this user may undo the request's accept; None if they may not (now)."""
    if placement_request.status != PlacementRequest.Status.ACCEPTED:
        return None
    try:
        services.placement_request_accept_undo_check(request=placement_request, by=user)
    except services.AcceptUndoRefused:
        return None
    return placement_request.accept_undoable_until


@decider_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_page(request, _decidable(request, pk))


# The decision page's button only asks: "Ja, anta" on the next page posts this field and
# accepts. For a few minutes after, the accept can be undone (request_accept_undo).
ACCEPT_CONFIRMED_FIELD = "bekrafta"
ACCEPT_CONFIRMED = "ja"


@require_POST
@decider_required
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (what accepting does, "Ja, anta" or "Tillbaka"), then accept."""
    answer = request.POST.get(ACCEPT_CONFIRMED_FIELD)
    if answer != ACCEPT_CONFIRMED:
        placement_request = _decidable(request, pk)
        if placement_request.status not in _UNDECIDED:
            return _decision_page(
                request,
                placement_request,
                error=_("Förfrågan är redan besvarad: %(status)s.")
                % {"status": placement_request.get_status_display().lower()},
                status=409,
            )
        unreadable = answer is not None
        return _decision_page(
            request,
            placement_request,
            confirming=True,
            error=_(
                "Svaret gick inte att läsa och förfrågan är inte antagen. Välj ”Ja, anta” "
                "eller ”Tillbaka”."
            )
            if unreadable
            else "",
            status=400 if unreadable else 200,
        )
    return _answer(
        request,
        pk,
        services.placement_request_accept,
        done=_("Förfrågan för %(code)s är antagen och platsen är bokad. Handläggaren får e-post."),
    )


@require_POST
@decider_required
def request_accept_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision page's "Ångra antagningen": the request back as it was before the accept,
    within ACCEPT_UNDO_WINDOW; a refusal is shown on the request's page, changing nothing."""
    placement_request = _decidable(request, pk)
    try:
        undone = services.placement_request_accept_undo(request=placement_request, by=request.user)
    except services.AcceptUndoRefused as refusal:
        if refusal.code == "not_allowed":
            return _forbidden(request, refusal.message)
        return _decision_page(request, placement_request, error=refusal.message, status=409)
    if undone.request.status == PlacementRequest.Status.WAITLISTED:
        back = _("Antagningen av %(code)s är ångrad och förfrågan står på väntelistan igen.")
    else:
        back = _("Antagningen av %(code)s är ångrad och förfrågan väntar på svar igen.")
    said = [
        back % {"code": placement_request.participant_code},
        _("Placeringen är borttagen och platsen är ledig."),
    ]
    if undone.withdrawal_mailed:
        said.append(
            _(
                "Handläggaren hade fått e-post om antagningen och får nu e-post om att den "
                "är ångrad."
            )
        )
    elif undone.accepted_mail_stopped:
        said.append(_("E-posten till handläggaren om antagningen hann inte skickas och stoppades."))
    messages.success(request, " ".join(said))
    return redirect("placements:decision", pk=pk)


@require_POST
@decider_required
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        services.placement_request_decline,
        done=_("Förfrågan för %(code)s är avböjd. Handläggaren får e-post med skälet."),
        form=DeclineForm(request.POST),
    )


@require_POST
@decider_required
def request_waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        services.placement_request_waitlist,
        done=_("Förfrågan för %(code)s står på väntelistan. Handläggaren får e-post."),
    )


def _answer(
    request: HttpRequest,
    pk: int,
    decide: Callable[..., object],
    *,
    done: str,
    form: DeclineForm | None = None,
) -> HttpResponse:
    """One answer to a request: fetch it (404 if not theirs), check the form, let the service
    decide, and say what happened; a refusal (the place is full, already answered) is shown on
    the request's page."""
    placement_request = _decidable(request, pk)
    answer = {}
    if form is not None:
        if not form.is_valid():
            return _decision_page(request, placement_request, decline_form=form, status=400)
        answer = form.cleaned_data
    try:
        decide(request=placement_request, by=request.user, **answer)
    except services.PlacementError as error:
        return _decision_page(request, placement_request, error=error.message, status=409)
    messages.success(request, done % {"code": placement_request.participant_code})
    return redirect("placements:decision", pk=pk)


# --- Placements -----------------------------------------------------------------------------


@decider_required
def placement_list(request: HttpRequest) -> HttpResponse:
    placements = (
        Placement.objects.managed_by(request.user)
        .active()
        .select_related("place__enterprise", "placement_type", "referrer")
        .order_by("place__enterprise__name", "place__title", "started_on", "pk")
    )
    return render(request, "placements/placement_list.html", {"placements": placements})


@decider_required
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_object_or_404(
        Placement.objects.managed_by(request.user).select_related(
            "place__enterprise", "placement_type", "referrer"
        ),
        pk=pk,
    )
    if placement.ended_on is not None:
        return render(request, "placements/placement_ended.html", {"placement": placement})
    data = request.POST if request.method == "POST" else None
    form = PlacementEndForm(data, placement=placement)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.placement_end(placement=placement, by=request.user, **form.cleaned_data)
            except services.PlacementError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Placeringen för %(code)s är avslutad och platsen är ledig igen.")
                    % {"code": placement.participant_code},
                )
                return redirect("placements:placement_list")
        return render(
            request,
            "placements/placement_end.html",
            {"placement": placement, "form": form},
            status=400,
        )
    return render(request, "placements/placement_end.html", {"placement": placement, "form": form})
