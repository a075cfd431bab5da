"""The coordinator's register extract and erasure per participant code, in the admin.

Reached from the placements' list (PlacementAdmin.get_urls): only the coordinator, and like
every admin page only after two-factor login (asfnet.admin_site.admin_view). The code is
posted, never put in the address, so it does not end up in access logs or the browser history.
"""

from __future__ import annotations

import json
import logging
import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin import sees_every_enterprise

from .models import Placement
from .privacy import ERASED_CODE, erase_participant_code, normalise_code, register_extract

logger = logging.getLogger(__name__)

TEMPLATE = "admin/privacy/register_extract.html"
CONFIRM_TEMPLATE = "admin/privacy/confirm_erasure.html"


class ParticipantCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Deltagarkod"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"aria-describedby": "id_code_helptext", "autocomplete": "off"}
        ),
        help_text=gettext_lazy(
            "Som den skrevs in, t.ex. AF-0042. Stora och små bokstäver är lika."
        ),
        error_messages={
            "required": gettext_lazy("Skriv deltagarkoden du söker."),
            "max_length": gettext_lazy("En deltagarkod har högst 20 tecken."),
        },
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code == ERASED_CODE:
            raise forms.ValidationError(
                _("%(code)s står för deltagarkoder som redan är raderade och kan inte sökas på.")
                % {"code": ERASED_CODE}
            )
        return code


def register_extract_view(model_admin, request):
    """Search a code; show, download (JSON) or erase what the portal holds about it."""
    # The coordinator (and a superuser): whoever sees every enterprise.
    if not sees_every_enterprise(request.user):
        raise PermissionDenied
    opts = Placement._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Registerutdrag och radering"),
        "opts": opts,
        "app_label": opts.app_label,
        "erased_code": ERASED_CODE,
    }
    form = ParticipantCodeForm(request.POST if request.method == "POST" else None)
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, TEMPLATE, context, status=200)

    code = form.cleaned_data["code"]
    action = request.POST.get("action", "search")
    extract = register_extract(code)
    context.update(code=code, extract=extract)
    if extract.is_empty:
        context["not_found"] = True
        return TemplateResponse(request, TEMPLATE, context)
    if action == "download":
        return _download(request, extract)
    if action == "erase":
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)
    if action == "confirm_erase":
        erased = erase_participant_code(code)
        logger.info(
            "Participant code erased by user %s: %d placements, %d requests, %d history rows",
            request.user.pk,
            erased.placements,
            erased.requests,
            erased.history,
        )
        messages.success(
            request,
            _(
                "Deltagarkoden %(code)s är raderad (placeringar: %(placements)d, "
                "förfrågningar: %(requests)d, versioner i historiken: %(history)d). "
                "Placeringarna finns kvar utan kod, så statistiken ändras inte."
            )
            % {
                "code": code,
                "placements": erased.placements,
                "requests": erased.requests,
                "history": erased.history,
            },
        )
        url = reverse(
            "admin:placements_placement_register_extract", current_app=model_admin.admin_site.name
        )
        return HttpResponseRedirect(url)
    return TemplateResponse(request, TEMPLATE, context)


def _download(request, extract) -> HttpResponse:
    logger.info("Register extract downloaded by user %s", request.user.pk)
    body = json.dumps(extract.as_data(), ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    name = re.sub(r"[^A-Za-z0-9-]", "_", extract.code)
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{name}.json"'
    return response
