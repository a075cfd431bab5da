"""Nasty values in every form of the site outside the admin: the contact form, the account
pages, the request form, the enterprises' answers and the end of a placement.

Each example starts from the form as the page renders it (htmlforms), replaces one or more of
its fields with nasty values or leaves them out, and posts it. Whatever comes in: no server
error; a form that is not accepted writes nothing; what an accepted form saves is whole (its
model's validation passes, its mail went out, nothing hangs half-done).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.urls import resolve
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from enterprises.models import Inquiry
from placements.models import Placement, PlacementRequest
from tests.accounts.helpers import totp_code

from .checks import assert_markup_escaped
from .htmlforms import HtmlForm, forms_of, fuzzed_submissions, main_form
from .invariants import (
    Writes,
    assert_nothing_saved_unless_success,
    is_redirect,
    isolated_example,
    recorded_writes,
)

pytestmark = pytest.mark.django_db

PASSWORD = "test-lösenord-123"  # tests/factories.py
NEW_PASSWORD = "ett-nytt-lösenord-2026"


# --- What an accepted form must have done in full -------------------------------------------


def inquiry_sent(net, writes: Writes) -> None:
    if "enterprises_inquiry" not in writes.tables:
        return  # the hidden field was filled in: the receipt a bot gets, nothing stored
    inquiry = Inquiry.objects.latest("pk")
    assert inquiry.name and inquiry.message and (inquiry.email or inquiry.phone)
    assert mail.outbox, "an inquiry was stored but no mail went out"


def request_sent(net, writes: Writes) -> None:
    new = PlacementRequest.objects.exclude(pk=net["request"].pk).get()
    assert new.place == net["place"] and new.case_officer == net["officer"]
    assert new.status == PlacementRequest.Status.PENDING
    assert mail.outbox, "a request was stored but the enterprise was not told"


def request_declined(net, writes: Writes) -> None:
    declined = PlacementRequest.objects.get(pk=net["request"].pk)
    assert declined.status == PlacementRequest.Status.DECLINED
    assert declined.decline_reason.strip() and declined.decided_by and declined.decided_at
    assert mail.outbox, "the request was declined but the case officer was not told"


def request_decided(net, writes: Writes) -> None:
    decided = PlacementRequest.objects.get(pk=net["request"].pk)
    if decided.status == PlacementRequest.Status.ACCEPTED:
        assert decided.placement and decided.placement.place == net["place"]
    assert decided.decided_by and mail.outbox


def placement_ended(net, writes: Writes) -> None:
    placement = Placement.objects.get(pk=net["placement"].pk)
    assert placement.ended_on and placement.outcome


def no_rule(net, writes: Writes) -> None:
    """A form whose success saves nothing of the project's own (allauth's pages)."""


# --- The forms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormPage:
    route: str  # as in the URL configuration, for test_coverage.py
    who: str
    url: Callable[[dict], str]
    check: Callable[[dict, Writes], None] = no_rule
    action: str = ""  # the end of the form's action, where a page has several forms
    # Values that the form accepts: the fuzz then replaces some of them (partly valid input).
    valid: Callable[[dict], dict[str, str]] = lambda net: {}
    # A form that answers on the page itself (a search) rather than with a redirect.
    answers_in_page: bool = False

    def __str__(self) -> str:
        return f"{self.who}:{self.route}"


def reset_key_url(net) -> str:
    user = net["officer"]
    key = default_token_generator.make_token(user)
    return f"/konto/password/reset/key/{user_pk_to_url_str(user)}-{key}/"


def valid_inquiry(net) -> dict[str, str]:
    return {
        "topic": "buy",
        "enterprise": net["enterprise"].slug,
        "name": "Anna Andersson",
        "email": "anna@example.org",
        "message": "Vi vill beställa fika till ett möte.",
    }


def valid_request(net) -> dict[str, str]:
    return {
        "participant_code": "AF-0100",
        "placement_type": str(net["type"].pk),
        "wished_start_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "extent_percent": "50",
        "note": "Vill träna på att passa tider.",
    }


def valid_end(net) -> dict[str, str]:
    return {"ended_on": timezone.localdate().isoformat(), "outcome": Placement.Outcome.values[0]}


FORM_PAGES = [
    FormPage("kontakt/", "anonymous", lambda net: "/kontakt/", inquiry_sent, valid=valid_inquiry),
    FormPage(
        "kontakt/", "anonymous", lambda net: "/en/kontakt/", inquiry_sent, valid=valid_inquiry
    ),
    FormPage(
        "platser/<int:pk>/forfragan/",
        "officer",
        lambda net: f"/platser/{net['place'].pk}/forfragan/",
        request_sent,
        valid=valid_request,
    ),
    FormPage(
        "platser/forfragningar/<int:pk>/avboj/",
        "staff",
        lambda net: f"/platser/forfragningar/{net['request'].pk}/",
        request_declined,
        action="/avboj/",
        valid=lambda net: {"reason": "Ingen handledare i höst."},
    ),
    FormPage(
        "platser/forfragningar/<int:pk>/anta/",
        "staff",
        lambda net: f"/platser/forfragningar/{net['request'].pk}/",
        request_decided,
        action="/anta/",
        # Accepting asks first; the confirmation's "Ja, anta" posts this.
        valid=lambda net: {"bekrafta": "ja"},
    ),
    FormPage(
        "platser/forfragningar/<int:pk>/vantelista/",
        "staff",
        lambda net: f"/platser/forfragningar/{net['request'].pk}/",
        request_decided,
        action="/vantelista/",
    ),
    FormPage(
        "platser/placeringar/<int:pk>/avsluta/",
        "staff",
        lambda net: f"/platser/placeringar/{net['placement'].pk}/avsluta/",
        placement_ended,
        valid=valid_end,
    ),
    FormPage(
        "konto/login/",
        "anonymous",
        lambda net: "/konto/login/",
        valid=lambda net: {"login": net["officer"].email, "password": PASSWORD},
    ),
    FormPage(
        "konto/password/reset/",
        "anonymous",
        lambda net: "/konto/password/reset/",
        valid=lambda net: {"email": net["officer"].email},
    ),
    FormPage(
        "konto/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        "anonymous",
        reset_key_url,
        valid=lambda net: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    FormPage(
        "konto/password/change/",
        "officer",
        lambda net: "/konto/password/change/",
        valid=lambda net: {
            "oldpassword": PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    ),
    FormPage(
        "konto/email/",
        "officer",
        lambda net: "/konto/email/",
        valid=lambda net: {"email": "ny-adress@example.org", "action_add": ""},
    ),
    FormPage(
        "konto/reauthenticate/",
        "officer",
        lambda net: "/konto/reauthenticate/",
        valid=lambda net: {"password": PASSWORD},
    ),
    FormPage(
        "konto/2fa/authenticate/",
        "staff_halfway",
        lambda net: "/konto/2fa/authenticate/",
        valid=lambda net: {"code": totp_code()},
    ),
    FormPage(
        "admin/password_change/",
        "coordinator",
        lambda net: "/admin/password_change/",
        valid=lambda net: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    FormPage(
        "admin/asfnet/user/<id>/password/",
        "coordinator",
        lambda net: f"/admin/asfnet/user/{net['officer'].pk}/password/",
        valid=lambda net: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    FormPage(
        "admin/placements/placement/registerutdrag/",
        "coordinator",
        lambda net: "/admin/placements/placement/registerutdrag/",
        valid=lambda net: {"code": net["placement"].participant_code},
        answers_in_page=True,
    ),
    FormPage(
        "admin/reports/annualreport/<path:object_id>/publicera/",
        "coordinator",
        lambda net: f"/admin/reports/annualreport/{net['report'].pk}/publicera/",
        valid=lambda net: {"change_note": "Rättat antalet platser."},
    ),
    FormPage(
        "admin/reports/annualreport/<path:object_id>/nasta-ar/",
        "coordinator",
        lambda net: f"/admin/reports/annualreport/{net['report'].pk}/nasta-ar/",
    ),
    FormPage(
        "konto/2fa/reauthenticate/",
        "staff",
        lambda net: "/konto/2fa/reauthenticate/",
        valid=lambda net: {"code": totp_code()},
    ),
]


@pytest.fixture
def page_forms():
    """The forms of each page, read once per test rather than once per example."""
    return {}


def read_form(client, page: FormPage, url: str) -> tuple[HtmlForm, str]:
    """The page's form and where it posts to."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    html = response.content.decode()
    if page.action:
        (form,) = [form for form in forms_of(html) if form.action.endswith(page.action)]
    else:
        form = main_form(html)
    # A page may lead on (the reset key to an address without the key): the form posts there.
    return form, form.action or response.request["PATH_INFO"]


@pytest.mark.parametrize("page", FORM_PAGES, ids=str)
def test_the_fuzz_starts_from_a_form_that_is_accepted(request, net, send, page):
    """Else the fuzz would only ever try forms that fail, and the checks of a success never run."""
    client = request.getfixturevalue(page.who)
    form, target = read_form(client, page, page.url(net))
    submission = {**form.values, **{name: [value] for name, value in page.valid(net).items()}}
    with isolated_example():
        with recorded_writes() as writes:
            response = send(client, "post", target, submission, REMOTE_ADDR="192.0.2.10")
        assert_nothing_saved_unless_success(response, writes, f"POST {target}")
        if page.answers_in_page:
            assert response.status_code == 200
        else:
            assert is_redirect(response), response.content.decode()[:3000]
            page.check(net, writes)


@pytest.mark.parametrize("page", FORM_PAGES, ids=str)
@given(data=st.data())
def test_form(request, net, send, page_forms, page, data):
    client = request.getfixturevalue(page.who)
    url = page.url(net)
    if url not in page_forms:
        page_forms[url] = read_form(client, page, url)
        # The route this entry claims to fuzz (tests/fuzz/test_coverage.py) is where it posts.
        with translation.override("sv"):
            assert resolve(page_forms[url][1].removeprefix("/en")).route == page.route
    form, target = page_forms[url]
    submission = data.draw(fuzzed_submissions(form, page.valid(net)), label="submission")
    with isolated_example():
        with recorded_writes() as writes:
            response = send(client, "post", target, submission, REMOTE_ADDR="192.0.2.10")
        assert_nothing_saved_unless_success(response, writes, f"POST {target}")
        if is_redirect(response):
            page.check(net, writes)
    assert_markup_escaped(response, submission.values())
