"""Fixtures for the contact form: the network, an enterprise to write to, a way to post."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

SENDER_IP = "192.0.2.10"  # a documentation address (RFC 5737)


def form_data(**overrides: str) -> dict[str, str]:
    """What a person fills in: a purchase question with an email address."""
    return {
        "topic": "buy",
        "enterprise": "",
        "service_category": "",
        "name": "Anna Andersson",
        "email": "anna@example.org",
        "phone": "",
        "message": "Vi vill beställa fika till ett möte för 20 personer.",
        "website": "",
        **overrides,
    }


@pytest.fixture(autouse=True)
def _swedish_before_and_after():
    # A request to /en/ leaves English active in the test's thread (LocaleMiddleware activates
    # it, nothing deactivates it), which changes reverse() and the admin for the next test.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def network(db):
    return factories.NetworkProfileFactory(
        phone="08-465 004 17",
        email="info@example.org",
        coordinator_email="samordnare@example.org",
    )


@pytest.fixture
def enterprise(db):
    return factories.EnterpriseFactory(
        name="Värmekällan i Väsby", slug="varmekallan-i-vasby", email="info@varmekallan.example"
    )


@pytest.fixture
def category(db):
    return factories.ServiceCategoryFactory(name="Café och catering", slug="cafe-och-catering")


@pytest.fixture
def post_contact(client, django_capture_on_commit_callbacks):
    """POST the contact form as one client; mail goes out when the test's transaction
    would have committed, as it does after the real request's commit."""

    def post(*, ip: str = SENDER_IP, url: str | None = None, follow: bool = False, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                url or reverse("enterprises:contact"),
                form_data(**fields),
                REMOTE_ADDR=ip,
                follow=follow,
            )

    return post
