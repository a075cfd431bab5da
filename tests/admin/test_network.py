"""The network's one profile row, and the admin titled with its name."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import NetworkProfile
from tests import factories
from tests.admin.helpers import admin_url


def test_the_profile_can_be_added_while_there_is_none(coordinator_client):
    response = coordinator_client.get(admin_url(NetworkProfile))
    assert admin_url(NetworkProfile, "add") in response.text
    assert coordinator_client.get(admin_url(NetworkProfile, "add")).status_code == 200


def test_a_second_profile_cannot_be_added(coordinator_client):
    factories.NetworkProfileFactory()

    listing = coordinator_client.get(admin_url(NetworkProfile))
    form = coordinator_client.get(admin_url(NetworkProfile, "add"))
    post = coordinator_client.post(
        admin_url(NetworkProfile, "add"),
        {
            "name": "Ett andra nätverk",
            "short_name": "Andra",
            "phone": "08-465 004 01",
            "email": "andra@example.org",
            "website": "https://andra.example.org/",
        },
    )

    assert admin_url(NetworkProfile, "add") not in listing.text
    assert form.status_code == 403
    assert post.status_code == 403
    assert NetworkProfile.objects.count() == 1


def test_the_profile_cannot_be_deleted(coordinator_client):
    profile = factories.NetworkProfileFactory()

    response = coordinator_client.post(admin_url(profile, "delete"), {"post": "yes"})

    assert response.status_code == 403
    assert NetworkProfile.objects.filter(pk=profile.pk).exists()


def test_the_profile_can_be_changed(coordinator_client):
    profile = factories.NetworkProfileFactory()
    data = {
        "name": profile.name,
        "short_name": profile.short_name,
        "phone": "08-123 456 78",
        "email": profile.email,
        "website": profile.website,
    }

    response = coordinator_client.post(admin_url(profile, "change"), data)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.phone == "08-123 456 78"


def test_the_admin_is_titled_with_the_network_name(coordinator_client):
    factories.NetworkProfileFactory(
        name="ASF Nätverket Sollentuna – Upplands Väsby – Sigtuna", short_name="ASF-nätverket"
    )

    response = coordinator_client.get("/admin/")

    assert (
        '<div id="site-name"><a href="/admin/">'
        "ASF Nätverket Sollentuna – Upplands Väsby – Sigtuna</a></div>"
    ) in response.text
    assert "<title>Administration av ASF-nätverket | ASF-nätverket</title>" in response.text


def test_every_admin_page_shows_the_network_name(coordinator_client):
    factories.NetworkProfileFactory(name="Testnätverket för ASF", short_name="Testnätverket")

    response = coordinator_client.get(admin_url(NetworkProfile))

    assert '<a href="/admin/">Testnätverket för ASF</a>' in response.text
    assert "| Testnätverket</title>" in response.text


def test_without_a_profile_the_admin_is_titled_asf_natverket(coordinator_client):
    response = coordinator_client.get("/admin/")

    assert '<div id="site-name"><a href="/admin/">ASF-nätverket</a></div>' in response.text


def test_the_network_is_looked_up_once_by_the_admin_on_a_page(coordinator_client):
    factories.NetworkProfileFactory()

    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get("/admin/")

    assert response.status_code == 200
    lookups = [q["sql"] for q in queries if "enterprises_networkprofile" in q["sql"]]
    # The admin's header, its "only one profile" rule and the templates' context processor
    # share one lookup per request (NetworkProfile.for_request).
    assert len(lookups) == 1
