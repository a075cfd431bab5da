"""Every URL of the project is fuzzed, or says here why there is nothing to fuzz.

The URLs come from the URL configuration (as in tests/platser/test_authorization_matrix.py),
so a new page with a form or with parameters fails `test_every_url_is_fuzzed_or_exempt`
until it gets an entry in the fuzz tests or a reason below.
"""

from __future__ import annotations

import re

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from . import test_admin, test_forms, test_get_pages
from .test_admin import NO_FORMS, SUPERUSER_ONLY


def walk(patterns, prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


# As resolve() reports them: without the "^" of regular-expression patterns.
ROUTES = {re.sub(r"(^|/)\^", r"\1", route) for route in walk(get_resolver().url_patterns)}

NO_INPUT = "takes no parameter and has no form"
EXEMPT = {
    "admin/": NO_INPUT,
    "admin/login/": "leads to konto/login/, which is fuzzed",
    "admin/logout/": "a POST without fields",
    "admin/password_change/done/": NO_INPUT,
    "admin/jsi18n/": NO_INPUT,
    "admin/enterprises/networkprofile/add/": "the one profile row is never added: a 403",
    "admin/(?P<url>.*)$": "the admin's catch-all, a 404",
    "konto/logout/": "a POST without fields",
    "konto/inactive/": NO_INPUT,
    "konto/signup/": "sign-up is closed (asfnet.adapters): the page has no form",
    "konto/reauthenticate/code/": "codes by mail are off: a 403",
    "konto/reauthenticate/code/confirm/": "codes by mail are off: a 403",
    "konto/login/code/confirm/": "codes by mail are off: it leads on",
    "konto/confirm-email/": NO_INPUT,
    "konto/password/set/": "every account has a password: it leads on",
    "konto/password/reset/done/": NO_INPUT,
    "konto/password/reset/key/done/": NO_INPUT,
    "konto/2fa/": NO_INPUT,
    "konto/2fa/totp/activate/": "asks for konto/2fa/reauthenticate/ (fuzzed) first",
    "konto/2fa/totp/deactivate/": "asks for konto/2fa/reauthenticate/ (fuzzed) first",
    "konto/2fa/recovery-codes/": "recovery codes are not offered: a 404",
    "konto/2fa/recovery-codes/generate/": "asks for konto/2fa/reauthenticate/ (fuzzed) first",
    "konto/2fa/recovery-codes/download/": "recovery codes are not offered: a 404",
    "media/(?P<path>.+)$": "uploads, served by the development server only",
}


def exemption(route: str) -> str | None:
    if route in EXEMPT:
        return EXEMPT[route]
    if route.startswith("admin/(?P<app_label>"):
        return NO_INPUT  # an app's list of models
    if any(route.startswith(f"admin/{label.replace('.', '/')}/") for label in SUPERUSER_ONLY):
        return "left to superusers (tests/admin)"
    worker_record = any(route.startswith(f"admin/{lb.replace('.', '/')}/") for lb in NO_FORMS)
    if worker_record and route.endswith(("/add/", "/change/")):
        return "the worker's records: no add, a change page without fields (background/admin.py)"
    if route.startswith("admin/") and route.endswith("/<path:object_id>/delete/"):
        return "a confirmation without fields of its own"
    if route.startswith("admin/") and "/history/" in route:
        return NO_INPUT  # the history of a row, and one version in it (django-simple-history)
    if route.startswith("admin/") and route.endswith("/<path:object_id>/"):
        return "leads on to the change form, which is fuzzed"
    return None


def route_of(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return f"(no route for {path})"


def fuzzed_routes() -> set[str]:
    ids = {"enterprise": "alfa", "place": 1, "request": 1, "placement": 1}
    routes = {route_of(page.path.format(**ids)) for page in test_get_pages.PAGES}
    routes |= {route_of(template.format("1")) for _, template in test_get_pages.PATHS}
    routes |= {page.route for page in test_forms.FORM_PAGES}
    for label, view in test_admin.COORDINATOR_FORMS:
        app_label, model_name = label.split(".")
        object_part = "add/" if view == "add" else "<path:object_id>/change/"
        routes.add(f"admin/{app_label}/{model_name}/{object_part}")
    for label in [*test_admin.RICH_LISTS, *test_admin.OTHER_LISTS]:
        app_label, model_name = label.split(".")
        routes.add(f"admin/{app_label}/{model_name}/")
    return routes


def test_every_url_is_fuzzed_or_exempt():
    fuzzed = fuzzed_routes()
    missing = sorted(route for route in ROUTES if route not in fuzzed and not exemption(route))
    assert missing == [], (
        "These URLs are not fuzzed: add them to tests/fuzz (test_get_pages.PAGES or PATHS, "
        "test_forms.FORM_PAGES, test_admin) or say in EXEMPT why they take no input."
    )


def test_the_fuzzed_and_exempt_urls_exist():
    # A guard against the lists going stale, or the walk breaking.
    assert fuzzed_routes() - ROUTES == set()
    assert set(EXEMPT) - ROUTES == set()
    assert "platser/<int:pk>/forfragan/" in ROUTES and len(ROUTES) > 100


def test_the_admin_models_of_the_superuser_are_the_only_ones_left_out():
    left_out = {label for label in test_admin.REGISTRY if label in test_admin.SUPERUSER_ONLY}
    assert left_out == {"sites.site", "account.emailaddress", "mfa.authenticator"}
