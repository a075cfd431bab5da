"""Nasty values in the admin: every add and change form, as the coordinator (and, for the
models enterprise staff work with, as staff), and every list's search, sort, page and filter
parameters.

A form starts from what the page renders (for a change form: the object as it is, which
the admin accepts unchanged) and gets some of its fields replaced. Whatever comes in: no
server error, nothing written unless the admin accepted the form, and what it saved passes
the model's own validation.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from hypothesis import given, settings
from hypothesis import strategies as st

from .checks import assert_markup_escaped
from .conftest import examples
from .htmlforms import fuzzed_submissions, main_form
from .invariants import (
    assert_no_server_error,
    assert_nothing_saved_unless_success,
    is_redirect,
    isolated_example,
    recorded_writes,
)
from .strategies import params, raw_query_strings

pytestmark = pytest.mark.django_db

REGISTRY = {
    model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
}
# Left to superusers: Django's and allauth's own models (tests/admin).
SUPERUSER_ONLY = {"sites.site", "account.emailaddress", "mfa.authenticator"}
# The network has one profile row, which the coordinator changes but never adds.
NO_ADD = {"enterprises.networkprofile"}
# The worker's records: read, never written through a form (background/admin.py).
NO_FORMS = {"background.outboxmail", "background.jobrun", "background.workerheartbeat"}
# The models at the heart of the portal: fuzzed with more examples than the rest.
MAIN = [
    "enterprises.enterprise",
    "placements.trainingplace",
    "placements.placement",
    "placements.placementrequest",
    "placements.agreement",
]
# What enterprise staff may do with them (tests/platser/test_authorization_matrix.py).
STAFF_FORMS = [
    ("placements.trainingplace", "add"),
    ("placements.trainingplace", "change"),
    ("placements.placement", "add"),
    ("placements.placement", "change"),
    ("placements.placementrequest", "change"),
    ("enterprises.enterprise", "change"),
]

COORDINATOR_FORMS = [
    (label, view)
    for label in sorted(REGISTRY)
    if label not in SUPERUSER_ONLY | NO_FORMS
    for view in ("add", "change")
    if not (view == "add" and label in NO_ADD)
]


def admin_url(rows, label: str, view: str) -> str:
    app_label, model_name = label.split(".")
    base = f"/admin/{app_label}/{model_name}/"
    if view == "add":
        return base + "add/"
    model = REGISTRY[label].model
    obj = rows.get(model_name) if model_name in {"enterprise", "placement"} else None
    obj = obj or model._base_manager.order_by("pk").first()
    assert obj is not None, f"No {label} to change: add one to the rows fixture."
    return f"{base}{obj.pk}/change/"


@pytest.fixture
def page_forms():
    return {}


def fuzz_admin_form(client, send, page_forms, rows, label, view, data) -> None:
    url = admin_url(rows, label, view)
    if url not in page_forms:
        response = client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        page_forms[url] = main_form(response.content.decode())
    submission = data.draw(fuzzed_submissions(page_forms[url]), label="submission")
    with isolated_example():
        with recorded_writes() as writes:
            response = send(client, "post", url, submission)
        assert_nothing_saved_unless_success(response, writes, f"POST {url}")
    assert_markup_escaped(response, submission.values())


@pytest.mark.parametrize(("label", "view"), [form for form in COORDINATOR_FORMS if form[0] in MAIN])
@settings(max_examples=examples(0.4))
@given(data=st.data())
def test_main_forms_as_coordinator(coordinator, send, page_forms, rows, label, view, data):
    fuzz_admin_form(coordinator, send, page_forms, rows, label, view, data)


@pytest.mark.parametrize(("label", "view"), STAFF_FORMS)
@settings(max_examples=examples(0.2))
@given(data=st.data())
def test_main_forms_as_staff(staff, send, page_forms, rows, label, view, data):
    fuzz_admin_form(staff, send, page_forms, rows, label, view, data)


@pytest.mark.parametrize(
    ("label", "view"), [(lb, v) for lb, v in COORDINATOR_FORMS if lb not in MAIN]
)
@settings(max_examples=examples(0.12))
@given(data=st.data())
def test_other_forms_as_coordinator(coordinator, send, page_forms, rows, label, view, data):
    fuzz_admin_form(coordinator, send, page_forms, rows, label, view, data)


@pytest.mark.parametrize("label", [label for label, view in COORDINATOR_FORMS if view == "change"])
def test_an_unchanged_change_form_is_accepted(coordinator, send, rows, label):
    """The fuzz starts from the form as rendered: the admin must accept it as it is."""
    url = admin_url(rows, label, "change")
    form = main_form(coordinator.get(url).content.decode())
    with isolated_example():
        with recorded_writes() as writes:
            response = send(coordinator, "post", url, form.values)
        errors = response.context and response.context.get("errors")
        assert is_redirect(response), f"POST {url}: {response.status_code} {errors}"
        assert_nothing_saved_unless_success(response, writes, f"POST {url}")


# --- The lists -------------------------------------------------------------------------------


def changelist_parameters(model_admin) -> list[str]:
    """Search, sort, page, the error flag, the popup flags and every filter's parameters."""
    names = ["q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"]
    for item in model_admin.list_filter:
        field = item[0] if isinstance(item, list | tuple) else item
        if isinstance(field, type) and issubclass(field, SimpleListFilter):
            names.append(field.parameter_name)
        else:
            names += [field, f"{field}__exact", f"{field}__id__exact", f"{field}__isnull"]
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names


def fuzz_changelist(client, send, label: str, data) -> None:
    app_label, model_name = label.split(".")
    url = f"/admin/{app_label}/{model_name}/"
    names = changelist_parameters(REGISTRY[label])
    if data.draw(st.booleans(), label="raw"):
        query = data.draw(raw_query_strings(names), label="query string")
        args, extra, sent = (url, None), {"QUERY_STRING": query}, [query]
    else:
        query = data.draw(params(names), label="params")
        args, extra = (url, query), {}
        sent = [value for values in query.values() for value in values]
    with isolated_example(), recorded_writes() as writes:
        response = send(client, "get", *args, **extra)
    assert_no_server_error(response, f"GET {url}")
    assert not writes.tables, f"GET {url} wrote to {writes}"
    assert_markup_escaped(response, sent)


# Lists with a date hierarchy or filters of their own get every example.
RICH_LISTS = sorted(
    label
    for label, model_admin in REGISTRY.items()
    if label not in SUPERUSER_ONLY and (model_admin.date_hierarchy or label in MAIN)
)


@pytest.mark.parametrize("label", RICH_LISTS)
@settings(max_examples=examples(0.4))
@given(data=st.data())
def test_rich_list_parameters(coordinator, send, rows, label, data):
    fuzz_changelist(coordinator, send, label, data)


OTHER_LISTS = sorted(set(REGISTRY) - SUPERUSER_ONLY - set(RICH_LISTS))


@pytest.mark.parametrize("label", OTHER_LISTS)
@settings(max_examples=examples(0.2))
@given(data=st.data())
def test_list_parameters(coordinator, send, rows, label, data):
    fuzz_changelist(coordinator, send, label, data)


@pytest.mark.parametrize("label", ["placements.trainingplace", "placements.placement"])
@settings(max_examples=examples(0.2))
@given(data=st.data())
def test_list_parameters_as_staff(staff, send, rows, label, data):
    fuzz_changelist(staff, send, label, data)
