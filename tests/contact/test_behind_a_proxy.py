"""Rate limits count per visitor behind reverse proxies, and a client cannot forge its way out."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.client import client_address
from asfnet.adapters import AccountAdapter
from enterprises.models import Inquiry
from enterprises.services import INQUIRY_RATE_LIMIT

from .conftest import form_data

PROXY = "10.0.0.5"


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.7", None, "192.0.2.7"),
        (0, "192.0.2.7", "198.51.100.1", "192.0.2.7"),  # no proxy: the header is the client's
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the forged entry is ignored
        (2, PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, PROXY, None, PROXY),  # straight to the app: its own address
        (2, PROXY, "198.51.100.1", PROXY),  # too few entries: not believed
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
        (1, PROXY, "[2001:db8::1]", "2001:db8::1"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_from(remote, forwarded)) == expected


def test_allauth_limits_count_by_the_same_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = request_from(PROXY, "6.6.6.6, 198.51.100.1")
    assert AccountAdapter(request).get_client_ip(request) == "198.51.100.1"


@pytest.mark.django_db
def test_behind_a_proxy_each_visitor_has_their_own_contact_limit(settings, client, network):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def send(visitor: str):
        return client.post(
            reverse("enterprises:contact"),
            form_data(),
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=visitor,
        )

    # Many visitors through the one proxy: none is refused because of the others.
    for n in range(INQUIRY_RATE_LIMIT + 3):
        assert send(f"198.51.100.{n + 1}").status_code == 302
    # One visitor who sends too many is refused, with a Swedish message.
    for _ in range(INQUIRY_RATE_LIMIT - 1):
        assert send("198.51.100.1").status_code == 302
    refused = send("198.51.100.1")
    assert refused.status_code == 429
    assert "Vi har fått många meddelanden från din uppkoppling" in refused.text
    assert Inquiry.objects.count() == 2 * INQUIRY_RATE_LIMIT + 2
