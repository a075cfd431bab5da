"""The coordinator's admin for the strategy, the year's activities and the annual report."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import ScopedHistoryAdmin

from . import services, versions
from .markup import MARKUP_HELP
from .models import (
    Activity,
    AnnualReport,
    ReportSection,
    ReportVersion,
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


class ReportVersionInline(admin.TabularInline):
    """The published versions: made by publishing, never edited."""

    model = ReportVersion
    fields = ["number", "published_at", "published_by", "change_note", "links"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Publicerade versioner")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("report", "published_by")

    @admin.display(description=_("visa"))
    def links(self, version: ReportVersion) -> str:
        kwargs = {"year": version.report.year, "number": version.number}
        return format_html(
            '<a href="{}">{}</a>, <a href="{}">PDF</a>',
            reverse("reports:version", kwargs=kwargs),
            _("webbsida"),
            reverse("reports:version_pdf", kwargs=kwargs),
        )


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("Vad har ändrats?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "Visas bredvid versionerna på rapportens sida, t.ex. ”Rättat antalet platser i "
            "tabellen”. Behövs inte första gången."
        ),
    )


@admin.register(AnnualReport)
class AnnualReportAdmin(MarkupHelpMixin, ScopedHistoryAdmin):
    markup_fields = ("activities_intro",)
    list_display = ["year", "title", "date", "published"]
    list_filter = ["published"]
    search_fields = ["title"]
    autocomplete_fields = [
        "strategy",
        "parties",
        "complementary_enterprises",
        "complementary_organisations",
    ]
    readonly_fields = ["published", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["year", "title", "date", "published"],
                "description": _(
                    "Publicera med knappen ”Publicera” ovan. Det som publiceras fryses som en "
                    "version: rapporten ändras inte när uppgifterna ändras, förrän du publicerar "
                    "en ny version."
                ),
            },
        ),
        (_("Partnerskapet"), {"fields": ["parties", "strategy"]}),
        (
            _("Innehåll som hämtas från uppgifterna"),
            {
                "fields": [
                    "activities_intro",
                    "table_year",
                    "show_statistics",
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
    inlines = [ReportSectionInline, SignatoryInline, ReportVersionInline]
    actions = ["render_pdfs_again"]

    def get_urls(self):
        from django.urls import path

        def view(function):
            return self.admin_site.admin_view(function)

        own = [
            path(
                "<path:object_id>/publicera/",
                view(self.publish_view),
                name="reports_annualreport_publish",
            ),
            path(
                "<path:object_id>/nasta-ar/",
                view(self.next_year_view),
                name="reports_annualreport_next_year",
            ),
        ]
        return own + super().get_urls()

    def _report_to_change(self, request, object_id) -> AnnualReport:
        report = self.get_object(request, unquote(object_id))
        if report is None:
            raise Http404
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        return report

    def _confirm_page(self, request, report, **context):
        return TemplateResponse(
            request,
            "admin/reports/annualreport/confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "report": report,
                **context,
            },
        )

    def publish_view(self, request, object_id):
        """Publish the report as a new version (or withdraw it): reports/versions.py."""
        report = self._report_to_change(request, object_id)
        latest = versions.latest_version(report)
        form = PublishForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and "withdraw" in request.POST and report.published:
            versions.report_withdraw(report=report)
            self.message_user(
                request,
                _("Rapporten för %(year)s är inte längre publicerad. Versionerna finns kvar.")
                % {"year": report.year},
                messages.SUCCESS,
            )
            return redirect("admin:reports_annualreport_change", report.pk)
        if request.method == "POST" and form.is_valid():
            try:
                version = versions.report_publish(
                    report=report, by=request.user, change_note=form.cleaned_data["change_note"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _(
                        "Rapporten för %(year)s är publicerad som version %(number)s. PDF:en är "
                        "klar om någon minut."
                    )
                    % {"year": report.year, "number": version.number},
                    messages.SUCCESS,
                )
                return redirect("admin:reports_annualreport_change", report.pk)
        if latest is None:
            explanation = [
                _(
                    "Rapporten publiceras som den ser ut nu, med dagens uppgifter om företag, "
                    "avtal, aktiviteter och statistik. Den blir version 1 och ändras inte "
                    "därefter, även om uppgifterna ändras."
                )
            ]
        else:
            explanation = [
                _(
                    "Rapporten är publicerad som version %(number)s (%(date)s). Publicerar du "
                    "nu blir det version %(next)s, med texterna och uppgifterna som de är i "
                    "dag. Version %(number)s finns kvar och visas i listan över versioner."
                )
                % {
                    "number": latest.number,
                    "date": date_format(latest.published_at, "Y-m-d"),
                    "next": latest.number + 1,
                },
            ]
            form.fields["change_note"].required = True
        return self._confirm_page(
            request,
            report,
            title=_("Publicera rapporten för %(year)s") % {"year": report.year},
            explanation=explanation,
            form=form,
            button=_("Publicera"),
            secondary_button=_("Avpublicera") if report.published else None,
        )

    def next_year_view(self, request, object_id):
        """A draft for the following year, copied from this report."""
        report = self._report_to_change(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = forms.Form(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                new = versions.report_copy_to_next_year(report=report)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _(
                        "Ett utkast för %(year)s är skapat med texterna, avsnitten, "
                        "undertecknarna och inställningarna från %(previous)s. Skriv årets "
                        "texter och publicera när det är klart."
                    )
                    % {"year": new.year, "previous": report.year},
                    messages.SUCCESS,
                )
                return redirect("admin:reports_annualreport_change", new.pk)
        return self._confirm_page(
            request,
            report,
            title=_("Skapa rapport för %(year)s") % {"year": report.year + 1},
            explanation=[
                _(
                    "Ett utkast för %(year)s skapas med titeln, avsnitten och deras texter, "
                    "undertecknarna, parterna och inställningarna från rapporten för "
                    "%(previous)s. Aktiviteterna, tabellen över företagen och statistiken "
                    "hämtas från uppgifterna för %(year)s."
                )
                % {"year": report.year + 1, "previous": report.year}
            ],
            form=form,
            button=_("Skapa utkastet"),
        )

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
class ReportSectionAdmin(MarkupHelpMixin, ScopedHistoryAdmin):
    markup_fields = ("body",)
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
