"""Who is asking: the visitor's address, the one every rate limit counts by.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's, so every visitor would share one
limit. Each trusted proxy appends the address it received from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT = n the visitor is the n-th entry from the right; anything further left
was written by the client and is not believed. allauth's login limits (asfnet.adapters) and
the contact form's limit both call `client_address`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The visitor's IP address as the trusted proxies saw it, else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if trusted > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted:
            candidate = _clean(forwarded[-trusted])
            if candidate:
                return candidate
    return _clean(remote) or "unknown"


def _clean(address: str) -> str:
    """A valid IP address (an IPv6 one without its brackets or zone), or ""."""
    address = address.strip().removeprefix("[").split("]")[0]
    try:
        return str(ipaddress.ip_address(address.split("%")[0]))
    except ValueError:
        return ""
