"""The coordinator's admin for organisations, agreements, training places and placements."""

from __future__ import annotations

import copy
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import EnterpriseScopedAdmin, ScopedHistoryAdmin, sees_every_enterprise
from enterprises.admin import EnterpriseAdmin
from enterprises.models import Enterprise
from enterprises.uploads import ImageUploadField

from . import services
from .models import (
    CONFIRMATION_MAX_AGE_DAYS,
    Agreement,
    CaseOfficer,
    Organisation,
    Placement,
    PlacementRequest,
    PlacementType,
    Programme,
    TrainingPlace,
)
from .people import case_officers_seen_by


def _short_date(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- Organisations and programmes -----------------------------------------------------------


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    # The logo (on the annual report's cover) is checked and re-encoded like every upload.
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "short_name", "other_spellings"]
    autocomplete_fields = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}


# --- Agreements -----------------------------------------------------------------------------


class ValidTodayFilter(admin.SimpleListFilter):
    title = _("gäller i dag")
    parameter_name = "galler_i_dag"

    def lookups(self, request, model_admin):
        return [("ja", _("Ja")), ("nej", _("Nej"))]

    def queryset(self, request, queryset):
        in_force = Agreement.objects.valid_on(timezone.localdate()).values("pk")
        if self.value() == "ja":
            return queryset.filter(pk__in=in_force)
        if self.value() == "nej":
            return queryset.exclude(pk__in=in_force)
        return queryset


class SubcontractForm(forms.ModelForm):
    """A row under a prime agreement: always a subcontract, with no counterparty of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = Agreement.Kind.SUBCONTRACT

    def clean(self):
        cleaned_data = super().clean()
        prime, enterprise = cleaned_data.get("prime_agreement"), cleaned_data.get("enterprise")
        # The model says this on the prime agreement, a hidden field in this row: say it here.
        if prime and enterprise and prime.enterprise_id == enterprise.pk:
            self.add_error(
                "enterprise",
                _("Underleverantören måste vara ett annat företag än huvudavtalets."),
            )
        return cleaned_data


class SubcontractInline(EnterpriseScopedAdmin, admin.TabularInline):
    """The enterprises that work under this agreement as subcontractors."""

    model = Agreement
    fk_name = "prime_agreement"
    form = SubcontractForm
    fields = ["enterprise", "valid_from", "valid_until"]
    autocomplete_fields = ["enterprise"]
    show_change_link = True
    extra = 0
    verbose_name = _("underleverantör")
    verbose_name_plural = _("underleverantörer under avtalet")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "enterprise", "prime_agreement__enterprise", "prime_agreement__counterparty"
            )
        )


@admin.register(Agreement)
class AgreementAdmin(EnterpriseScopedAdmin, ScopedHistoryAdmin):
    # Enterprise staff may look at their own enterprises' agreements, and no one else's.
    list_display = ["enterprise", "label", "kind", "effective_counterparty", "validity"]
    list_display_links = ["enterprise", "label"]
    list_filter = [ValidTodayFilter, "kind", ("counterparty", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        "enterprise__name",
        "enterprise__short_name",
        "title",
        "counterparty__name",
        "prime_agreement__enterprise__name",
    ]
    search_help_text = _("Sök på företag, benämning eller motpart.")
    autocomplete_fields = ["enterprise", "counterparty", "prime_agreement", "programmes"]
    fieldsets = [
        (None, {"fields": ["enterprise", "kind", "title"]}),
        (
            _("Vem som får placera deltagare"),
            {
                "fields": ["counterparty", "prime_agreement", "programmes"],
                "description": _(
                    "Ett avtal har en motpart. Ett underleverantörsavtal har i stället ett "
                    "huvudavtal och tar dess motpart."
                ),
            },
        ),
        (_("Giltighet"), {"fields": ["valid_from", "valid_until"]}),
        (None, {"fields": ["order", "notes"]}),
    ]
    inlines = [SubcontractInline]

    def get_queryset(self, request):
        # Also for autocomplete: a subcontract's name is built from its prime agreement.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "enterprise",
                "counterparty",
                "prime_agreement__enterprise",
                "prime_agreement__counterparty",
            )
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Choosing a prime agreement: a subcontract cannot be one.
        if request.GET.get("field_name") == "prime_agreement":
            queryset = queryset.exclude(kind=Agreement.Kind.SUBCONTRACT)
        return queryset, may_have_duplicates

    def get_inlines(self, request, obj):
        # Subcontractors sit under a saved agreement that is not itself a subcontract.
        if obj is None or obj.kind == Agreement.Kind.SUBCONTRACT:
            return []
        return super().get_inlines(request, obj)

    @admin.display(description=_("avtal"))
    def label(self, agreement: Agreement) -> str:
        return agreement.label

    @admin.display(description=_("motpart"))
    def effective_counterparty(self, agreement: Agreement) -> Organisation | None:
        # A subcontract works for its prime agreement's counterparty.
        return agreement.referrer

    @admin.display(description=_("giltighet"), ordering="valid_from")
    def validity(self, agreement: Agreement) -> str:
        start, end = agreement.valid_from, agreement.valid_until
        if start and end:
            return f"{_short_date(start)} – {_short_date(end)}"
        if start:
            return _("från %(date)s") % {"date": _short_date(start)}
        if end:
            return _("till och med %(date)s") % {"date": _short_date(end)}
        return _("tills vidare")


# --- Training places ------------------------------------------------------------------------


@admin.register(PlacementType)
class PlacementTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


class FreeSeatsFilter(admin.SimpleListFilter):
    title = _("lediga platser")
    parameter_name = "lediga"

    def lookups(self, request, model_admin):
        return [("ja", _("Har lediga platser")), ("nej", _("Fullbelagd"))]

    def queryset(self, request, queryset):
        # free_seats is annotated by TrainingPlaceAdmin.get_queryset.
        if self.value() == "ja":
            return queryset.filter(free_seats__gt=0)
        if self.value() == "nej":
            return queryset.filter(free_seats__lte=0)
        return queryset


class ConfirmationFilter(admin.SimpleListFilter):
    title = _("senast bekräftad")
    parameter_name = "bekraftad"

    def lookups(self, request, model_admin):
        return [
            (
                "gammal",
                _("För mer än %(days)d dagar sedan, eller aldrig")
                % {"days": CONFIRMATION_MAX_AGE_DAYS},
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "gammal":
            return queryset.not_recently_confirmed()
        return queryset


class ServiceCheckedForm(forms.ModelForm):
    """A form whose rules live in placements.services: clean() asks them (check_with_service)
    and shows a refusal at its field."""

    refusal = None  # set by RefusalShownAgain when the save itself was refused

    def clean(self):
        cleaned_data = super().clean()
        if self.refusal is not None:
            self.add_error(self.refusal.field, self.refusal.message)
        elif not self.errors:  # the fields' own errors first
            try:
                self.check_with_service(cleaned_data)
            except services.PlacementError as error:
                self.add_error(error.field, error.message)
        return cleaned_data

    def check_with_service(self, cleaned_data: dict) -> None:
        raise NotImplementedError


class TrainingPlaceForm(ServiceCheckedForm):
    """A place never gets fewer seats than it has active placements (placements.services)."""

    def check_with_service(self, cleaned_data):
        capacity = cleaned_data.get("capacity")
        if capacity is not None:
            services.training_place_check(place=self.instance, capacity=capacity)


class RefusalShownAgain:
    """A ModelAdmin whose save may be refused by placements.services under its lock.

    The form's clean() asks the service first and shows its message at the field. Between
    that and the save someone else may have taken the last seat: the service refuses, the
    whole save is rolled back, and the form is shown again, where clean() now gives the
    reason.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.PlacementError as refusal:
            request.placement_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if refusal := getattr(request, "placement_refusal", None):
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form


@admin.register(TrainingPlace)
class TrainingPlaceAdmin(RefusalShownAgain, EnterpriseScopedAdmin, ScopedHistoryAdmin):
    form = TrainingPlaceForm
    list_display = [
        "title",
        "enterprise",
        "unit_name",
        "capacity",
        "free_seats",
        "status",
        "confirmed",
    ]
    list_filter = [
        "status",
        FreeSeatsFilter,
        ConfirmationFilter,
        "placement_types",
        "service_category",
        "enterprise__municipalities",
    ]
    search_fields = ["title", "tasks", "enterprise__name", "unit__name"]
    search_help_text = _("Sök på benämning, arbetsuppgifter, företag eller enhet.")
    autocomplete_fields = ["enterprise", "unit", "service_category"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["confirm"]
    fieldsets = [
        (None, {"fields": ["enterprise", "unit", "title", "tasks", "service_category"]}),
        (
            _("Platser och tider"),
            {"fields": ["placement_types", "capacity", "hours_min", "hours_max", "adaptations"]},
        ),
        (None, {"fields": ["status", "last_confirmed_on"]}),
        (_("Historik"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # Also for autocomplete: a place reads "Kafébiträde, M29 ...". The model's ordering
        # spelled out: a query with a COUNT drops it, and autocomplete pages would shuffle.
        return (
            super()
            .get_queryset(request)
            .with_free_seats()
            .select_related("enterprise", "unit")
            .order_by(*TrainingPlace._meta.ordering)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in {"placement_types", "adaptations"}:
            kwargs["widget"] = CheckboxSelectMultiple  # short lists: tick what applies
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user  # as SimpleHistoryAdmin does
        services.training_place_save(place=obj, by=request.user)

    @admin.display(description=_("enhet"), ordering="unit__name")
    def unit_name(self, place: TrainingPlace) -> str:
        return place.unit.name if place.unit else ""

    @admin.display(description=_("lediga platser"), ordering="free_seats")
    def free_seats(self, place: TrainingPlace) -> int:
        return place.free_seat_count

    @admin.display(description=_("senast bekräftad"), ordering="last_confirmed_on")
    def confirmed(self, place: TrainingPlace) -> str:
        """The date, and in words (not colour alone) when the place needs confirming."""
        if place.is_recently_confirmed:
            return _short_date(place.last_confirmed_on)
        when = _short_date(place.last_confirmed_on) if place.last_confirmed_on else _("aldrig")
        return format_html(
            '{} <strong class="needs-confirming">{}</strong>',
            when,
            _("behöver bekräftas"),
        )

    @admin.action(
        description=_("Bekräfta att uppgifterna stämmer"),
        permissions=["change"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def confirm(self, request, queryset):
        # The queryset is the list's, so enterprise staff confirm only their own places.
        count = services.training_places_confirm(places=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d arbetsträningsplats bekräftades i dag.",
                "%(count)d arbetsträningsplatser bekräftades i dag.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# --- Placements and requests ----------------------------------------------------------------


class ActiveFilter(admin.SimpleListFilter):
    title = _("pågår")
    parameter_name = "pagar"

    def lookups(self, request, model_admin):
        return [("ja", _("Pågående")), ("nej", _("Avslutade"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "nej":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class PlacementForm(ServiceCheckedForm):
    """The rules of placements.services (a free seat, an agreement), shown at their fields."""

    def check_with_service(self, cleaned_data):
        placement = copy.copy(self.instance)  # the instance itself is saved only if valid
        for name, value in cleaned_data.items():
            setattr(placement, name, value)
        services.placement_check(placement=placement)


@admin.register(Placement)
class PlacementAdmin(RefusalShownAgain, EnterpriseScopedAdmin, ScopedHistoryAdmin):
    form = PlacementForm
    enterprise_lookup = "place__enterprise"
    list_display = ["participant_code", "place", "referrer", "started_on", "ended_on", "outcome"]
    list_filter = [ActiveFilter, "outcome", "placement_type", "referrer"]
    date_hierarchy = "started_on"
    search_fields = ["participant_code", "place__title", "place__enterprise__name"]
    search_help_text = _("Sök på deltagarkod, plats eller företag.")
    autocomplete_fields = ["place", "referrer", "programme", "agreement", "case_officer"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["participant_code", "placement_type", "extent_percent"]}),
        (
            _("Plats och remittent"),
            {"fields": ["place", "referrer", "programme", "agreement", "case_officer"]},
        ),
        (_("Tid"), {"fields": ["started_on", "planned_end_on", "ended_on", "outcome"]}),
        (_("Historik"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    # A link to the register extract (placements.privacy_admin) for the coordinator.
    change_list_template = "admin/privacy/placement_change_list.html"

    def get_urls(self):
        from django.urls import path

        from .privacy_admin import register_extract_view

        view = self.admin_site.admin_view(lambda request: register_extract_view(self, request))
        own = [path("registerutdrag/", view, name="placements_placement_register_extract")]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        context = {"may_extract": sees_every_enterprise(request.user), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_queryset(self, request):
        # Also for autocomplete: a placement reads "AF-0042 – Kafébiträde, M29 ...".
        return super().get_queryset(request).select_related("place__enterprise", "referrer")

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user  # as SimpleHistoryAdmin does
        services.placement_save(placement=obj, by=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "case_officer" and not sees_every_enterprise(request.user):
            # Enterprise staff do not search the users: they choose among the case officers
            # they deal with (placements/people.py), never every officer's address.
            kwargs["queryset"] = case_officers_seen_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# A new status is a decision, made by the same services as on /platser/forfragningar/: the
# place locked so it is never overbooked, the placement made, who and when recorded, the case
# officer mailed.
DECISIONS = {
    PlacementRequest.Status.ACCEPTED: services.placement_request_accept,
    PlacementRequest.Status.DECLINED: services.placement_request_decline,
    PlacementRequest.Status.WAITLISTED: services.placement_request_waitlist,
}
DECISION_FIELDS = {"status", "decline_reason"}


class PlacementRequestForm(forms.ModelForm):
    # What the service said when it refused the decision at save time (see
    # PlacementRequestAdmin.changeform_view); shown at the status field.
    refusal = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            # The status as the form showed it goes back with the form, so a status that was
            # left alone is not taken for a decision when someone answered in the meantime.
            self.fields["status"].show_hidden_initial = True

    def clean(self):
        cleaned_data = super().clean()
        if "status" not in self.fields:
            # A new request, recorded by the coordinator: the rules of a case officer's request
            # (placements.services), at their fields; it is answered once it is saved.
            self._check_new(cleaned_data)
            return cleaned_data
        if self.refusal:
            self.add_error("status", self.refusal)
            return cleaned_data
        status = cleaned_data.get("status")
        decides = "status" in self.changed_data
        declining = decides and status == PlacementRequest.Status.DECLINED
        if decides and status not in DECISIONS:
            self.add_error(
                "status",
                _("En förfrågan kan antas, avböjas eller sättas på väntelistan, inget annat."),
            )
        elif declining and not cleaned_data.get("decline_reason", "").strip():
            self.add_error("decline_reason", _("Skriv varför förfrågan avböjs."))
        if "decline_reason" in self.changed_data and not declining:
            # The reason goes to the case officer with the decision, never on its own.
            self.add_error(
                "decline_reason",
                _("Skälet skrivs när förfrågan avböjs: välj status Avböjd, eller töm fältet."),
            )
        return cleaned_data

    def _check_new(self, cleaned_data: dict) -> None:
        place, officer = cleaned_data.get("place"), cleaned_data.get("case_officer")
        if self.errors or place is None or officer is None:
            return
        try:
            services.placement_request_check_details(
                place=place,
                participant_code=cleaned_data.get("participant_code", ""),
                placement_type=cleaned_data.get("placement_type"),
                wished_start_on=cleaned_data.get("wished_start_on"),
            )
            services.placement_request_check(
                place=place, case_officer=officer, referrer=cleaned_data.get("referrer")
            )
        except services.PlacementError as error:
            self.add_error(error.field or "case_officer", error.message)


@admin.register(PlacementRequest)
class PlacementRequestAdmin(EnterpriseScopedAdmin, ScopedHistoryAdmin):
    form = PlacementRequestForm
    enterprise_lookup = "place__enterprise"
    # What the case officer asked for stays as they asked it: the enterprise answers it.
    coordinator_fields = [
        "place",
        "participant_code",
        "placement_type",
        "wished_start_on",
        "extent_percent",
        "note",
        "case_officer",
        "referrer",
        "programme",
    ]
    list_display = [
        "participant_code",
        "place",
        "referrer",
        "case_officer",
        "wished_start_on",
        "status",
        "created_at",
    ]
    list_filter = ["status", "placement_type", "referrer"]
    list_select_related = ["place__enterprise", "referrer", "case_officer"]
    date_hierarchy = "created_at"
    search_fields = ["participant_code", "place__title", "place__enterprise__name"]
    search_help_text = _("Sök på deltagarkod, plats eller företag.")
    autocomplete_fields = ["place", "case_officer", "referrer", "programme"]
    # Set by the decision (placements.services), never typed in.
    readonly_fields = ["created_at", "decided_by", "decided_at", "placement"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "place",
                    "participant_code",
                    "placement_type",
                    "wished_start_on",
                    "extent_percent",
                    "note",
                ]
            },
        ),
        (_("Från"), {"fields": ["case_officer", "referrer", "programme", "created_at"]}),
        (
            _("Beslut"),
            {"fields": ["status", "decline_reason", "decided_by", "decided_at", "placement"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            # A new request waits for an answer; it is answered once it is saved.
            readonly += ["status", "decline_reason"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if refusal := getattr(request, "placement_refusal", ""):
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.PlacementError as refusal:
            # The service refused the decision as it was saved (the last seat taken, the
            # request answered meanwhile): the whole save was rolled back. The form again,
            # with the reason at the status field.
            request.placement_refusal = refusal.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Saves only what was changed in the form; a new status through placements.services.

        Only the changed fields, so that an answer given on /platser/ while the form was open
        is not overwritten with the old status.
        """
        if not change:
            created = services.placement_request_create(
                place=obj.place,
                case_officer=obj.case_officer,
                participant_code=obj.participant_code,
                placement_type=obj.placement_type,
                wished_start_on=obj.wished_start_on,
                extent_percent=obj.extent_percent,
                note=obj.note,
                referrer=obj.referrer,
                programme=obj.programme,
            )
            obj.__dict__.update(created.__dict__)  # the admin logs and redirects with obj
            return
        obj._history_user = request.user  # as SimpleHistoryAdmin does
        fields = [name for name in form.changed_data if name not in DECISION_FIELDS]
        if fields:
            obj.save(update_fields=fields)
        if "status" in form.changed_data:
            decide = DECISIONS[obj.status]  # the form allows no other status
            answer = {}
            if obj.status == PlacementRequest.Status.DECLINED:
                answer = {"reason": form.cleaned_data["decline_reason"]}
            decide(request=obj, by=request.user, **answer)
            obj.refresh_from_db()


@admin.register(CaseOfficer)
class CaseOfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "programme"]
    list_filter = ["organisation"]
    list_select_related = ["user", "organisation", "programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation", "programme"]


# --- The enterprise's places on its own page ------------------------------------------------


class TrainingPlaceInline(EnterpriseScopedAdmin, admin.TabularInline):
    """The enterprise's places at a glance; everything else on the place's own form."""

    model = TrainingPlace
    form = TrainingPlaceForm
    fields = ["title", "unit_name", "capacity", "free_seats", "status", "last_confirmed_on"]
    readonly_fields = ["unit_name", "free_seats", "last_confirmed_on"]
    show_change_link = True
    can_delete = False  # on the place's own page, where its placements are in view
    extra = 0
    # Adds a link to the full "add" form under the table (a place needs more than fits in a row).
    template = "admin/enterprises/enterprise/training_place_inline.html"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_free_seats().select_related("enterprise", "unit")

    @admin.display(description=_("enhet"))
    def unit_name(self, place: TrainingPlace) -> str:
        return place.unit.name if place.unit else ""

    @admin.display(description=_("lediga platser"))
    def free_seats(self, place: TrainingPlace) -> int:
        return place.free_seat_count


# The enterprises app knows nothing of training places: its admin gets them here.
admin.site.unregister(Enterprise)


@admin.register(Enterprise)
class EnterpriseWithPlacesAdmin(EnterpriseAdmin):
    inlines = [*EnterpriseAdmin.inlines, TrainingPlaceInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not TrainingPlace:
            return super().save_formset(request, form, formset, change)
        # A place's seats changed in the table go through the same rule as on its own page.
        for place in formset.save(commit=False):
            place._history_user = request.user
            services.training_place_save(place=place, by=request.user)
        formset.save_m2m()
        return None
