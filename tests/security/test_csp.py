"""The Content-Security-Policy header, and pages with nothing inline for it to block."""

from __future__ import annotations

import contextlib
import io
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch

from enterprises.models import Enterprise
from tests.admin.helpers import admin_url

# The network is seeded once for the module (module_db); each test's changes roll back.
pytestmark = pytest.mark.django_db

DATA_SCRIPTS = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """What a strict CSP blocks: inline scripts and styles, style attributes, event handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        executable = attributes.get("type") not in DATA_SCRIPTS
        if tag == "script" and "src" not in attributes and executable and "nonce" not in attributes:
            self.found.append("<script> without src")
        if tag == "style" and "nonce" not in attributes:
            self.found.append("<style>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_policy_allows_nothing_inline(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part.split()}
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]  # no nonce: no page asked for one
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_the_checker_finds_inline_code():
    assert inline_code('<p style="color:red" onclick="x()">') == [
        "<p style='color:red'>",
        "<p onclick='x()'>",
    ]
    assert inline_code("<script>alert(1)</script><style>p{}</style>") == [
        "<script> without src",
        "<style>",
    ]
    assert inline_code('<script src="/static/a.js"></script><a href="/">') == []


@pytest.fixture(scope="module")
def network(module_db):
    call_command("seed_network", stdout=io.StringIO())


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/foretag/",
        "/tjanster/",
        "/kontakt/",
        "/om/",
        "/tillganglighet/",
        "/integritet/",
        "/rapporter/",
        "/rapporter/2022/",
        "/konto/login/",
        "/konto/password/reset/",
        "/en/",
    ],
)
def test_public_pages_have_nothing_inline(client, network, path):
    response = client.get(path)
    assert response.status_code == 200
    assert inline_code(response.text) == [], path


def test_an_enterprise_page_has_nothing_inline(client, network):
    enterprise = Enterprise.objects.filter(published=True).first()
    response = client.get(enterprise.get_absolute_url())
    assert response.status_code == 200
    assert inline_code(response.text) == []


def admin_pages():
    """Every registered model's list, add form, and one object's change form and history."""
    pages = ["/admin/"]
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                pages.append(admin_url(model, view))
    return pages


def test_every_admin_page_has_nothing_inline(coordinator_client, network):
    checked = 0
    for path in admin_pages():
        response = coordinator_client.get(path)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, path
        assert inline_code(response.text) == [], path
        checked += 1
    for model in admin.site._registry:
        obj = model._default_manager.first()
        if obj is None:
            continue
        for view in ("change", "history"):
            try:
                path = admin_url(obj, view)
            except NoReverseMatch:
                continue
            response = coordinator_client.get(path)
            if response.status_code in (302, 403):
                continue
            assert response.status_code == 200, path
            assert inline_code(response.text) == [], path
            checked += 1
    assert checked > 30
