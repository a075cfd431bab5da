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
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from accounts.admin import GuardedInputAdmin, guarded
from accounts.roles import has_second_factor
from enterprises.models import NetworkProfile
from placements.models import CONFIRMATION_MAX_AGE_DAYS, TrainingPlace


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

    # --- The start page -----------------------------------------------------------------------

    def index(self, request, extra_context=None):
        context = {**self._places_to_confirm(request), **(extra_context or {})}
        if profile := NetworkProfile.for_request(request):
            name = profile.short_name or profile.name
            context.setdefault("title", _("Administration av %(name)s") % {"name": name})
        return super().index(request, context)

    def _places_to_confirm(self, request) -> dict:
        """How many of the places the person sees nobody has confirmed for a while."""
        place_admin = self._registry.get(TrainingPlace)
        if place_admin is None or not place_admin.has_view_permission(request):
            return {}
        count = place_admin.scope(request, TrainingPlace.objects.not_recently_confirmed()).count()
        if not count:
            return {}
        url = reverse("admin:placements_trainingplace_changelist", current_app=self.name)
        return {
            "places_to_confirm": ngettext(
                "%(count)d arbetsträningsplats har inte bekräftats på %(days)d dagar.",
                "%(count)d arbetsträningsplatser har inte bekräftats på %(days)d dagar.",
                count,
            )
            % {"count": count, "days": CONFIRMATION_MAX_AGE_DAYS},
            "places_to_confirm_url": f"{url}?bekraftad=gammal",
        }
