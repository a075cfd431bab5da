"""The coordinator's admin for the strategy, the year's activities and the annual report."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import ScopedHistoryAdmin

from . import services
from .markup import MARKUP_HELP
from .models import (
    Activity,
    AnnualReport,
    ReportSection,
    Signatory,
    Strategy,
    StrategyArea,
    StrategyPoint,
)

# --- The strategy ---------------------------------------------------------------------------


class StrategyAreaInline(admin.TabularInline):
    model = StrategyArea
    fields = ["number", "title"]
    show_change_link = True  # the points are on the area's own form
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    autocomplete_fields = ["owner"]
    inlines = [StrategyAreaInline]


class StrategyPointInline(admin.TabularInline):
    model = StrategyPoint
    fields = ["number", "label", "text"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")


@admin.register(StrategyArea)
class StrategyAreaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "strategy"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]
    search_fields = ["title"]
    autocomplete_fields = ["strategy"]
    inlines = [StrategyPointInline]


@admin.register(StrategyPoint)
class StrategyPointAdmin(admin.ModelAdmin):
    list_display = ["__str__", "label", "area"]
    list_filter = ["area__strategy", "area"]
    search_fields = ["text", "label", "area__title"]
    autocomplete_fields = ["area"]
    fields = ["area", "number", "label", "text"]

    def get_queryset(self, request):
        # Also for autocomplete: a point reads "Område 1, punkt 2: ...".
        return super().get_queryset(request).select_related("area")


# --- Activities -----------------------------------------------------------------------------


class MarkupHelpMixin:
    """Says under each field in `markup_fields` how to write its markup (reports/markup.py)."""

    markup_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.markup_fields:
            formfield.help_text = MARKUP_HELP
        return formfield


@admin.register(Activity)
class ActivityAdmin(MarkupHelpMixin, admin.ModelAdmin):
    """The year's activities: filter by year, then edit them one by one or in the list."""

    list_display = ["text_start", "year", "when", "point_numbers", "people_reached", "order"]
    list_editable = ["people_reached", "order"]
    list_filter = ["year", "points__area", "enterprises"]
    search_fields = ["text", "period"]
    autocomplete_fields = ["points", "enterprises"]
    fieldsets = [
        (None, {"fields": ["year", "date", "period", "text", "order", "starts_new_list"]}),
        (_("Vad aktiviteten hör till"), {"fields": ["points", "enterprises", "people_reached"]}),
    ]
    markup_fields = ("text",)

    def get_queryset(self, request):
        points = StrategyPoint.objects.select_related("area")
        return super().get_queryset(request).prefetch_related(Prefetch("points", queryset=points))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "points":
            # The chosen points are shown by name, and a point's name includes its area.
            kwargs["queryset"] = StrategyPoint.objects.select_related("area")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("aktivitet"))
    def text_start(self, activity: Activity) -> str:
        return Truncator(activity.text).chars(80)

    @admin.display(description=_("när"), ordering="date")
    def when(self, activity: Activity) -> str:
        return activity.period or (date_format(activity.date) if activity.date else "")

    @admin.display(description=_("punkter"))
    def point_numbers(self, activity: Activity) -> str:
        # "1.2, 3.1": område and punkt, as the report numbers them.
        return ", ".join(f"{p.area.number}.{p.number}" for p in activity.points.all())


# --- The annual report ----------------------------------------------------------------------


class ReportSectionInline(MarkupHelpMixin, admin.StackedInline):
    model = ReportSection
    fields = [("heading", "level", "position", "order"), "body", "insert"]
    extra = 0
    markup_fields = ("body",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("report")


class SignatoryInline(admin.TabularInline):
    model = Signatory
    fields = ["name", "role", "organisation", "order"]
    extra = 0


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedHistoryAdmin):
    list_display = ["year", "title", "date", "published"]
    list_filter = ["published"]
    search_fields = ["title"]
    autocomplete_fields = [
        "strategy",
        "parties",
        "complementary_enterprises",
        "complementary_organisations",
    ]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["year", "title", "date", "published"]}),
        (_("Partnerskapet"), {"fields": ["parties", "strategy"]}),
        (
            _("Innehåll som hämtas från uppgifterna"),
            {
                "fields": [
                    "activities_intro",
                    "table_year",
                    "complementary_enterprises",
                    "complementary_organisations",
                ],
                "description": _(
                    "Årets aktiviteter, tabellen över företagen och statistiken skrivs inte in "
                    "här: de hämtas från aktiviteterna, företagen och placeringarna."
                ),
            },
        ),
        (_("Historik"), {"fields": ["updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [ReportSectionInline, SignatoryInline]
    actions = ["render_pdfs_again"]

    @admin.action(description=_("Skapa PDF:en på nytt"), permissions=["change"])
    def render_pdfs_again(self, request, queryset):
        """The worker renders the PDFs again (in every language); the old ones are served
        until the new ones are written."""
        enqueued = sum(
            services.report_pdfs_request(report=report, force=True) for report in queryset
        )
        if enqueued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d PDF skapas på nytt. Den är klar om någon minut.",
                    "%(count)d PDF:er skapas på nytt. De är klara om någon minut.",
                    enqueued,
                )
                % {"count": enqueued},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("PDF:erna håller redan på att skapas."), messages.WARNING)


@admin.register(ReportSection)
class ReportSectionAdmin(ScopedHistoryAdmin):
    list_display = ["heading", "report", "position", "level", "order"]
    list_filter = ["report", "position"]
    list_select_related = ["report"]
    search_fields = ["heading", "body"]
    autocomplete_fields = ["report"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "report"]
    list_filter = ["report"]
    list_select_related = ["report"]
    search_fields = ["name", "organisation"]
    autocomplete_fields = ["report"]
