"""The admin site: titled with the network's name, entered through the portal's one login, and
only with two-factor authentication."""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.admin import GuardedInputAdmin, guarded
from accounts.roles import has_second_factor
from enterprises.models import NetworkProfile

from .worklist import worklist


class NetworkAdminSite(admin.AdminSite):
    """Titled with the network's name once NetworkProfile has its row, else "ASF-nätverket".

    The profile is looked up once per request (NetworkProfile.for_request). Everyone who works
    here (the coordinator, enterprise staff, superusers) logs in through allauth at /konto/,
    with its rate limits, and needs two-factor authentication before any admin page opens.
    """

    site_header = _("ASF-nätverket")
    site_title = _("ASF-nätverket")
    index_title = _("Administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin registered here, the project's and those of Django and allauth, with
        accounts.admin.GuardedInputAdmin mixed in: tampered input in a list's parameters or a
        form's choices is answered with the admin's own error, never a server error.
        """
        admin_class = guarded(admin_class or admin.ModelAdmin, GuardedInputAdmin)
        super().register(model_or_iterable, admin_class, **options)

    def each_context(self, request):
        context = super().each_context(request)
        if profile := NetworkProfile.for_request(request):
            context["site_header"] = profile.name
            context["site_title"] = profile.short_name or profile.name
        return context

    # --- Logging in ---------------------------------------------------------------------------

    def login(self, request, extra_context=None):
        """One login for the whole portal, with one rate limit: allauth's, at /konto/login/."""
        next_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        if request.user.is_authenticated:
            # Logged in, but not someone who works in the admin (a case officer): sending them
            # to the login page would send them straight back here.
            return TemplateResponse(request, "admin/no_access.html", status=403)
        return redirect_to_login(next_url, reverse("account_login"), REDIRECT_FIELD_NAME)

    def admin_view(self, view, cacheable=False):
        """Every admin page, also the autocomplete answers, needs a second factor."""
        protected = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if any("\x00" in value for name, values in request.GET.lists() for value in values):
                # No one types NUL; PostgreSQL cannot compare text with it (a server error).
                return HttpResponseBadRequest(
                    _(
                        "Adressen innehåller ett otillåtet tecken (NUL). Ta bort det och "
                        "försök igen."
                    )
                )
            if (
                self.has_permission(request)
                and not has_second_factor(request)
                and request.path != reverse("admin:logout", current_app=self.name)
            ):
                return self.second_factor_required(request)
            return protected(request, *args, **kwargs)

        return update_wrapper(never_cache(inner), protected)

    def second_factor_required(self, request):
        messages.warning(
            request,
            _(
                "Administrationen kräver tvåstegsverifiering. Lägg in en app för engångskoder "
                "på din telefon och skriv in koden den visar, så kommer du sedan in. Koden "
                "skyddar uppgifterna om företagen och deltagarna om någon får tag i ditt "
                "lösenord."
            ),
        )
        return redirect("mfa_activate_totp")

    # --- The start page and the groups of lists -----------------------------------------------

    def index(self, request, extra_context=None):
        """A worklist (asfnet.worklist) above the lists, grouped by task."""
        context = {**worklist(self, request), **(extra_context or {})}
        if profile := NetworkProfile.for_request(request):
            name = profile.short_name or profile.name
            context.setdefault("title", _("Administration av %(name)s") % {"name": name})
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        """The lists grouped by what the coordinator does with them, not by app.

        The start page and the navigation beside every list show these groups; an app's own
        page (/admin/<app>/) keeps Django's grouping by app. A model that MODEL_PLACES does
        not name lands under "Inställningar" with its own name.
        """
        if app_label is not None:
            return super().get_app_list(request, app_label)
        groups = {
            key: {
                "name": name,
                "app_label": key,
                "app_url": reverse("admin:index", current_app=self.name) + f"#{key}",
                "has_module_perms": True,
                "models": [],
            }
            for key, name in TASK_GROUPS
        }
        for app in super().get_app_list(request):
            for model in app["models"]:
                key, name = MODEL_PLACES.get(
                    model["model"]._meta.label, (SETTINGS_GROUP, model["name"])
                )
                groups[key]["models"].append({**model, "name": name})
        order = {label: index for index, label in enumerate(MODEL_PLACES)}
        for group in groups.values():
            group["models"].sort(key=lambda model: order.get(model["model"]._meta.label, 999))
        return [group for group in groups.values() if group["models"]]


# The admin's lists by task, in the order the coordinator meets them: (key, heading). The key
# is the group's anchor and CSS class ("app-<key>").
SETTINGS_GROUP = "installningar"
TASK_GROUPS = [
    ("kontakt", _("Förfrågningar och kontakt")),
    ("platser", _("Platser och placeringar")),
    ("foretagen", _("Företagen")),
    ("arsrapporten", _("Årsrapporten")),
    (SETTINGS_GROUP, _("Inställningar")),
]
# Each model's group and its name in the list, in order within the group.
MODEL_PLACES = {
    "enterprises.Inquiry": ("kontakt", _("Förfrågningar från kontaktformuläret")),
    "placements.PlacementRequest": ("kontakt", _("Förfrågningar om plats")),
    "enterprises.NetworkProfile": ("kontakt", _("Nätverkets uppgifter")),
    "placements.TrainingPlace": ("platser", _("Arbetsträningsplatser")),
    "placements.Placement": ("platser", _("Placeringar")),
    "placements.Agreement": ("platser", _("Avtal")),
    "placements.Organisation": ("platser", _("Organisationer")),
    "placements.Programme": ("platser", _("Insatser")),
    "placements.CaseOfficer": ("platser", _("Handläggare")),
    "placements.PlacementType": ("platser", _("Placeringstyper")),
    "enterprises.Enterprise": ("foretagen", _("Företag")),
    "enterprises.Unit": ("foretagen", _("Enheter och arbetsplatser")),
    "enterprises.EnterpriseAlias": ("foretagen", _("Företagens andra namn")),
    "enterprises.EnterpriseGroup": ("foretagen", _("Företagsgrupper")),
    "enterprises.ServiceCategory": ("foretagen", _("Tjänstekategorier")),
    "enterprises.Adaptation": ("foretagen", _("Anpassningar")),
    "enterprises.Municipality": ("foretagen", _("Kommuner")),
    "reports.AnnualReport": ("arsrapporten", _("Årsrapporter")),
    "reports.Activity": ("arsrapporten", _("Aktiviteter")),
    "reports.ReportSection": ("arsrapporten", _("Rapporternas textavsnitt")),
    "reports.Signatory": ("arsrapporten", _("Undertecknare")),
    "reports.Strategy": ("arsrapporten", _("Strategier")),
    "reports.StrategyArea": ("arsrapporten", _("Strategins områden")),
    "reports.StrategyPoint": ("arsrapporten", _("Strategins punkter")),
    "asfnet.User": (SETTINGS_GROUP, _("Användare")),
    "auth.Group": (SETTINGS_GROUP, _("Roller och behörigheter")),
    "enterprises.LegalEntity": (SETTINGS_GROUP, _("Juridiska personer och organisationsnummer")),
    "background.OutboxMail": (SETTINGS_GROUP, _("Utgående e-post")),
    "background.WorkerHeartbeat": (SETTINGS_GROUP, _("Bakgrundsarbetare")),
    "background.JobRun": (SETTINGS_GROUP, _("Schemalagda jobb")),
    "sites.Site": (SETTINGS_GROUP, _("Webbplatsens adress")),
    "account.EmailAddress": (SETTINGS_GROUP, _("E-postadresser för inloggning")),
    "mfa.Authenticator": (SETTINGS_GROUP, _("Tvåstegsverifieringar")),
}
