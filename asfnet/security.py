"""Security headers that Django's SecurityMiddleware does not set itself."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class CrossOriginResourcePolicyMiddleware:
    """Cross-Origin-Resource-Policy on every response (SECURE_CROSS_ORIGIN_RESOURCE_POLICY).

    With "same-origin" no other site can load the portal's pages, images or files into its
    own pages (Spectre-style leaks, hotlinked uploads). A view that sets the header keeps its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "SECURE_CROSS_ORIGIN_RESOURCE_POLICY", "")
        if policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
        return response
