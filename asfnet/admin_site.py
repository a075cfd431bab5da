"""The admin site, titled with the network's own name from NetworkProfile."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprises.models import NetworkProfile


class NetworkAdminSite(admin.AdminSite):
    """Titled with the network's name once NetworkProfile has its row, else "ASF-nätverket".

    The profile is looked up once per request (NetworkProfile.for_request).
    """

    site_header = _("ASF-nätverket")
    site_title = _("ASF-nätverket")
    index_title = _("Administration")

    def each_context(self, request):
        context = super().each_context(request)
        if profile := NetworkProfile.for_request(request):
            context["site_header"] = profile.name
            context["site_title"] = profile.short_name or profile.name
        return context

    def index(self, request, extra_context=None):
        if profile := NetworkProfile.for_request(request):
            name = profile.short_name or profile.name
            extra_context = {
                "title": _("Administration av %(name)s") % {"name": name},
                **(extra_context or {}),
            }
        return super().index(request, extra_context)
