"""The network's one contact form, at /kontakt/: buying from an enterprise, work training,
membership or anything else. Storing, mailing and rate-limiting are in services.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.client import client_address
from accounts.pages import cache_public_page

from .forms import InquiryForm
from .models import NetworkProfile
from .services import InquiryRateLimited, inquiry_submit


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """The network's one contact form: POST, then a redirect to the receipt."""
    if request.method != "POST":
        return _empty_form(request)
    response = _submitted(request)
    add_never_cache_headers(response)
    return response


@cache_public_page
def _empty_form(request: HttpRequest) -> HttpResponse:
    """The form as the link asked for it (?amne=, ?foretag=, ?tjanst=), from the page cache:
    only its CSRF token is each visitor's own (accounts/pages.py)."""
    form = InquiryForm(initial=InquiryForm.initial_from_query(request.GET))
    return _contact_page(request, form)


def _submitted(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST)
    if form.is_from_a_bot():
        # The same receipt as everyone gets, so a bot learns nothing; nothing is stored.
        return redirect("enterprises:contact_done")
    if not form.is_valid():
        return _contact_page(request, form, status=400)
    try:
        inquiry_submit(
            **form.inquiry_data(),
            ip=client_address(request),
            base_url=request.build_absolute_uri("/"),
        )
    except InquiryRateLimited:
        form.add_error(None, _rate_limited_message(NetworkProfile.for_request(request)))
        return _contact_page(request, form, status=429)
    return redirect("enterprises:contact_done")


@require_safe
@never_cache
def contact_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "enterprises/contact_done.html",
        {"page_title": _("Tack för ditt meddelande")},
    )


def _contact_page(request: HttpRequest, form: InquiryForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "page_title": _("Kontakta oss"),
        "page_description": _(
            "Ett formulär för allt: köpa något av nätverkets företag, arbetsträning, "
            "medlemskap eller en annan fråga. Vi svarar inom två arbetsdagar."
        ),
    }
    return render(request, "enterprises/contact.html", context, status=status)


def _rate_limited_message(network: NetworkProfile | None) -> str:
    if network is None:
        return _(
            "Vi har fått många meddelanden från din uppkoppling den senaste timmen. "
            "Vänta en stund och försök sedan igen."
        )
    return _(
        "Vi har fått många meddelanden från din uppkoppling den senaste timmen. "
        "Vänta en stund och försök sedan igen, eller ring oss på %(phone)s."
    ) % {"phone": network.phone}
