"""The coordinator's admin for the network, its enterprises and the contact form's inquiries."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db import models
from django.db.models import Count
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationBaseModelAdmin

from accounts.admin import EnterpriseScopedAdmin, ScopedHistoryAdmin

from .content_language import ORIGINAL as ORIGINAL_LANGUAGE
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

# --- Texts in two languages -----------------------------------------------------------------

# What a translated field's boxes are called in the admin (enterprises/translation.py).
LANGUAGE_LABELS = {"sv": _("på svenska"), "en": _("på engelska")}


class TranslatedTextsAdmin(TranslationAdmin):
    """A translated text as one box per language, named in words ("kort presentation, på
    engelska"), the English one saying what an empty box means."""

    def get_readonly_fields(self, request, obj=None):
        # modeltranslation's own does not ask the admins after it (the history's: an old
        # version is all text); it only turns a translated field into its language boxes.
        readonly = super(TranslationBaseModelAdmin, self).get_readonly_fields(request, obj)
        return list(dict.fromkeys(self.replace_orig_field(readonly)))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if field is None or original is None:
            return field
        field.label = _("%(field)s, %(language)s") % {
            "field": capfirst(original.verbose_name),
            "language": LANGUAGE_LABELS.get(db_field.language, db_field.language),
        }
        if db_field.language != ORIGINAL_LANGUAGE:
            field.help_text = _(
                "Lämna tomt så visas den svenska texten på de engelska sidorna, "
                "märkt som svenska för skärmläsare."
            )
        return field


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
class ServiceCategoryAdmin(TranslatedTextsAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Adaptation)
class AdaptationAdmin(TranslatedTextsAdmin):
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


@admin.register(Enterprise)
class EnterpriseAdmin(EnterpriseScopedAdmin, TranslatedTextsAdmin, ScopedHistoryAdmin):
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
    # placements.admin adds the enterprise's training places.
    inlines = [EnterpriseAliasInline, LegalEntityInline, UnitInline]
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
class UnitAdmin(EnterpriseScopedAdmin, TranslatedTextsAdmin):
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
class NetworkProfileAdmin(TranslatedTextsAdmin):
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
    # Fits a 1280 px window beside the admin's navigation and filters: the sender's name is the
    # link, the topic leads the message, the day received rather than the minute, and the
    # enterprise and the message wrap (static/css/admin.css).
    list_display = ["name", "received", "status", "enterprise", "message_start"]
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

    def get_changelist_form(self, request, **kwargs):
        """The status select of each row named after its row: a column header is no label."""
        form = super().get_changelist_form(request, **kwargs)

        class RowStatusForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["status"].widget.attrs["aria-label"] = _("Status för %(inquiry)s") % {
                    "inquiry": self.instance
                }

        return RowStatusForm

    @admin.display(description=_("mottagen"), ordering="created_at")
    def received(self, inquiry: Inquiry) -> str:
        return date_format(timezone.localtime(inquiry.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("meddelande"))
    def message_start(self, inquiry: Inquiry) -> str:
        # Plain text: the admin escapes it. Never mark what the public wrote as safe.
        return f"{inquiry.get_topic_display()}: {Truncator(inquiry.message).chars(80)}"

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
