"""The coordinator's admin for the network, its enterprises and the contact form's inquiries."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from placements.models import TrainingPlace

from .models import (
    Adaptation,
    Enterprise,
    EnterpriseAlias,
    EnterpriseGroup,
    Inquiry,
    LegalEntity,
    Municipality,
    NetworkProfile,
    ServiceCategory,
    Unit,
)
from .uploads import ImageUploadField

# --- Who sees which enterprises -------------------------------------------------------------


def sees_every_enterprise(user) -> bool:
    """Whoever may add enterprises manages the whole network: the coordinator, a superuser.

    Anyone else in the admin, enterprise staff, sees only the enterprises they are staff of
    (Enterprise.staff) and what hangs on them. A permission rather than a group name, so that
    the apps need not know the project's roles (enterprises.roles gives the coordinator every
    permission of this app, enterprise staff not this one).
    """
    return user.has_perm("enterprises.add_enterprise")


class EnterpriseScopedAdmin:
    """Limits a ModelAdmin or inline to the request user's enterprises, unless they see all.

    The rows of the list, the objects reachable by URL (Django's change, delete and history
    views fetch through get_queryset, so another enterprise's object is "not found"), the
    choices of every drop-down that points at a scoped model and the answers of the
    autocomplete view (which asks the target model's admin for its queryset) all go through
    `scope`.

    enterprise_lookup: the path from the model to its Enterprise; "" for Enterprise itself.
    coordinator_fields: fields only the coordinator may change; read-only for everyone else.
    """

    enterprise_lookup = "enterprise"
    coordinator_fields: Sequence[str] = ()

    def scope(self, request, queryset: QuerySet) -> QuerySet:
        if sees_every_enterprise(request.user):
            return queryset
        staffed = Enterprise.objects.staffed_by(request.user).values("pk")
        # A subquery, not a join: counts annotated on the queryset stay right.
        lookup = f"{self.enterprise_lookup}__in" if self.enterprise_lookup else "pk__in"
        return queryset.filter(**{lookup: staffed})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def _scoped_choices(self, request, db_field) -> QuerySet | None:
        target = self.admin_site._registry.get(db_field.related_model)
        if isinstance(target, EnterpriseScopedAdmin):
            return target.scope(request, db_field.related_model._default_manager.all())
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and not sees_every_enterprise(request.user):
            choices = self._scoped_choices(request, db_field)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and not sees_every_enterprise(request.user):
            choices = self._scoped_choices(request, db_field)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        # The autocomplete view answers only those who may view the target model in the
        # admin; for the others the field is a plain drop-down with the scoped choices.
        return [
            name
            for name in super().get_autocomplete_fields(request)
            if self._may_search(request, self.model._meta.get_field(name).related_model)
        ]

    def _may_search(self, request, model) -> bool:
        target = self.admin_site._registry.get(model)
        return target is not None and target.has_view_permission(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not sees_every_enterprise(request.user):
            readonly += [name for name in self.coordinator_fields if name not in readonly]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only field cannot be filled in from another one (and the admin would fail).
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            name: sources
            for name, sources in super().get_prepopulated_fields(request, obj).items()
            if name not in readonly
        }


class ReadableChanges(HistoricalRecordContextHelper):
    """A change in the history as a person reads it: "Arbete", not "work"; "–", not None."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return _("Ja") if value else _("Nej")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """The change history (django-simple-history): who changed what and when.

    The coordinator sees the history of every object, also of deleted ones. Anyone else sees
    the history of the objects they may see (get_queryset: for enterprise staff, their own
    enterprises'); another enterprise's object is "not found", as on its change page, and
    its history is never read. Looking at one old version is for the coordinator only, and
    nobody reverts from the history: changes go through the change form and its checks.
    """

    object_history_template = "admin/privacy/object_history.html"
    object_history_list_template = "admin/privacy/object_history_list.html"

    def _valid_pk(self, model, value) -> bool:
        try:
            model._meta.pk.to_python(value)
        except (ValidationError, ValueError, TypeError):
            return False
        return True

    def history_view(self, request, object_id, extra_context=None):
        found = self.get_object(request, unquote(object_id)) is not None
        if not found and (
            not sees_every_enterprise(request.user) or not self._valid_pk(self.model, object_id)
        ):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        context = {
            "may_view_versions": sees_every_enterprise(request.user),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("Historik för %(object)s") % {"object": obj}

    def history_form_view_title(self, request, obj):
        return _("Tidigare version av %(object)s") % {"object": obj}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET" or not sees_every_enterprise(request.user):
            raise PermissionDenied
        history_model = self.model.history.model
        if not (
            self._valid_pk(self.model, unquote(object_id))
            and self._valid_pk(history_model, version_id)
        ):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        request.showing_old_version = True  # get_readonly_fields: every field, as text
        # With every field as text nothing fills in another (a slug from the name); simple-history
        # reads the attribute, so this request gets a copy of the admin without it.
        shown = copy.copy(self)
        shown.prepopulated_fields = {}
        return super(ScopedHistoryAdmin, shown).history_form_view(
            request, unquote(object_id), version_id, extra_context
        )

    def get_readonly_fields(self, request, obj=None):
        """On an old version's page every field is text: it can only be read, not reverted."""
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "showing_old_version", False):
            opts = self.model._meta
            readonly += [
                field.name
                for field in [*opts.concrete_fields, *opts.many_to_many]
                if field.editable and field.name not in readonly
            ]
        return readonly

    def revert_disabled(self, request, obj=None):
        return True


# --- Vocabularies ---------------------------------------------------------------------------


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(EnterpriseGroup)
class EnterpriseGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "enterprise_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enterprise_count=Count("enterprises"))

    @admin.display(description=_("antal företag"), ordering="enterprise_count")
    def enterprise_count(self, group: EnterpriseGroup) -> int:
        return group.enterprise_count


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Adaptation)
class AdaptationAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# --- The enterprises ------------------------------------------------------------------------


class EnterpriseAliasInline(EnterpriseScopedAdmin, admin.TabularInline):
    model = EnterpriseAlias
    fields = ["name", "kind", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


class LegalEntityInline(EnterpriseScopedAdmin, admin.TabularInline):
    model = LegalEntity
    fields = ["name", "legal_form", "organisation_number"]
    extra = 0


class UnitInline(EnterpriseScopedAdmin, admin.TabularInline):
    model = Unit
    fields = ["name", "street_address", "postal_code", "city", "municipality"]
    autocomplete_fields = ["municipality"]
    show_change_link = True  # the description is on the unit's own form
    extra = 0


class TrainingPlaceInline(EnterpriseScopedAdmin, admin.TabularInline):
    """The enterprise's places at a glance; everything else on the place's own form."""

    model = TrainingPlace
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


@admin.register(Enterprise)
class EnterpriseAdmin(EnterpriseScopedAdmin, ScopedHistoryAdmin):
    enterprise_lookup = ""
    # The enterprise's place in the network is the coordinator's to decide.
    coordinator_fields = ["slug", "group", "published", "staff"]
    list_display = [
        "name",
        "municipality_names",
        "group",
        "start_year",
        "published",
        "place_count",
    ]
    list_filter = ["municipalities", "group", "service_categories", "published"]
    list_select_related = ["group"]
    search_fields = ["name", "short_name", "aliases__name"]
    search_help_text = _("Sök på namn, kort namn eller tidigare namn.")
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["group", "municipalities", "staff"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "slug",
                    "group",
                    "municipalities",
                    "start_year",
                    "published",
                ]
            },
        ),
        (
            _("Presentation"),
            {"fields": ["summary", "description", "image", "image_alt", "film_url"]},
        ),
        (_("Det här säljer företaget"), {"fields": ["service_categories", "services_text"]}),
        (_("Arbetsträning"), {"fields": ["training_text", "adaptations"]}),
        (_("Kontakt"), {"fields": ["contact_person", "phone", "email", "website"]}),
        (_("Vem får uppdatera företaget"), {"fields": ["staff"]}),
        (_("Historik"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [EnterpriseAliasInline, LegalEntityInline, UnitInline, TrainingPlaceInline]
    # Uploaded images are checked and re-encoded before they are stored (enterprises/uploads.py).
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # distinct: a filter on municipalities or categories joins more rows per enterprise.
            .annotate(place_count=Count("training_places", distinct=True))
            .prefetch_related("municipalities")
            # Spelled out: a query with a COUNT drops the model's ordering (autocomplete pages).
            .order_by(*Enterprise._meta.ordering)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        short_lists = {"service_categories", "adaptations"}
        if db_field.name not in self.get_autocomplete_fields(request):
            short_lists.add("municipalities")  # for staff, who do not search municipalities
        if db_field.name in short_lists:
            kwargs["widget"] = CheckboxSelectMultiple  # short lists: tick what applies
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("kommuner"))
    def municipality_names(self, enterprise: Enterprise) -> str:
        return ", ".join(m.name for m in enterprise.municipalities.all())

    @admin.display(description=_("arbetsträningsplatser"), ordering="place_count")
    def place_count(self, enterprise: Enterprise) -> int:
        return enterprise.place_count


@admin.register(EnterpriseAlias)
class EnterpriseAliasAdmin(EnterpriseScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "enterprise"]
    list_filter = ["kind"]
    list_select_related = ["enterprise"]
    search_fields = ["name", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LegalEntity)
class LegalEntityAdmin(EnterpriseScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "legal_form", "organisation_number", "enterprise"]
    list_filter = ["legal_form"]
    list_select_related = ["enterprise"]
    search_fields = ["name", "organisation_number", "enterprise__name"]
    autocomplete_fields = ["enterprise"]


@admin.register(Unit)
class UnitAdmin(EnterpriseScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "enterprise", "address", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "city", "enterprise__name"]
    autocomplete_fields = ["enterprise", "municipality"]

    def get_queryset(self, request):
        # Also for autocomplete: a unit reads "Café Nyfiket (M29 ...)".
        return super().get_queryset(request).select_related("enterprise", "municipality")

    @admin.display(description=_("adress"))
    def address(self, unit: Unit) -> str:
        return unit.address


# --- The network ----------------------------------------------------------------------------


@admin.register(NetworkProfile)
class NetworkProfileAdmin(admin.ModelAdmin):
    """One row: the network's one phone number and one web address. Never a second, never none."""

    list_display = ["name", "phone", "email", "website"]
    autocomplete_fields = ["coordinator_enterprise"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "tagline"]}),
        (_("Så når man nätverket"), {"fields": ["phone", "email", "website"]}),
        (
            _("Samordnare"),
            {"fields": ["coordinator_name", "coordinator_email", "coordinator_enterprise"]},
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and NetworkProfile.for_request(request) is None

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["topic", "name", "created_at", "status", "message_start", "enterprise"]
    list_editable = ["status"]
    list_filter = ["status", "topic", "service_category"]
    list_select_related = ["enterprise"]
    date_hierarchy = "created_at"
    search_fields = ["name", "email", "phone", "message"]
    search_help_text = _("Sök på avsändarens namn, e-post, telefon eller meddelandet.")
    autocomplete_fields = ["enterprise", "service_category"]
    actions = ["mark_answered"]
    fieldsets = [
        (
            _("Förfrågan"),
            {"fields": ["topic", "enterprise", "service_category", "message", "created_at"]},
        ),
        (_("Avsändare"), {"fields": ["name", "email", "phone"]}),
        (_("Handläggning"), {"fields": ["status", "notes"]}),
    ]
    # What the sender wrote stays as they wrote it; the coordinator keeps notes beside it.
    sender_fields = ["topic", "enterprise", "service_category", "message", "name", "email", "phone"]

    def get_readonly_fields(self, request, obj=None):
        return ["created_at", *(self.sender_fields if obj else [])]

    @admin.display(description=_("meddelande"))
    def message_start(self, inquiry: Inquiry) -> str:
        # Plain text: the admin escapes it. Never mark what the public wrote as safe.
        return Truncator(inquiry.message).chars(80)

    @admin.action(
        description=_("Markera som besvarade"),
        permissions=["change"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def mark_answered(self, request, queryset):
        count = queryset.filter(status__in=[Inquiry.Status.NEW, Inquiry.Status.IN_PROGRESS]).update(
            status=Inquiry.Status.ANSWERED, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d förfrågan markerades som besvarad.",
                "%(count)d förfrågningar markerades som besvarade.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
