"""Nasty values in every query parameter of the pages people open with GET: no server error,
no change in the database, no markup echoed back unescaped.

The public pages, the training-place browser with its filters, sort and page parameters and
its CSV export, the enterprises' answer pages and the reports. The admin's lists are in
test_admin.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placements.filters import TrainingPlaceFilter
from placements.tables import ORDER_FIELD, PAGE_FIELD

from .checks import assert_markup_escaped
from .conftest import examples
from .invariants import assert_no_server_error, isolated_example, recorded_writes
from .strategies import nasty_numbers, nasty_texts, params, raw_query_strings

pytestmark = pytest.mark.django_db

PLACE_FILTERS = [*TrainingPlaceFilter.base_filters, ORDER_FIELD, PAGE_FIELD, "per_page"]


@dataclass(frozen=True)
class Page:
    path: str  # "{place}" and the like are filled in from the network
    names: tuple[str, ...]  # the parameters the page reads
    who: str = "anonymous"
    english: bool = True  # also under /en/

    def __str__(self) -> str:
        return f"{self.who}:{self.path}"


PAGES = [
    Page("/", ()),
    Page("/foretag/", ("kommun", "tjanst", "q")),
    Page("/foretag/{enterprise}/", ()),
    Page("/tjanster/", ()),
    Page("/om/", ()),
    Page("/tillganglighet/", ()),
    Page("/integritet/", ()),
    Page("/kontakt/", ("amne", "foretag", "tjanst")),
    Page("/kontakt/tack/", ()),
    Page("/rapporter/", ()),
    Page("/rapporter/2022/", ()),
    Page("/rapporter/2022/statistik.csv", ()),
    Page("/rapporter/2022/v1/", ()),
    Page("/healthz", (), english=False),
    Page("/robots.txt", (), english=False),
    Page("/sitemap.xml", (), english=False),
    Page("/platser/", tuple(PLACE_FILTERS), who="officer"),
    Page("/platser/", tuple(PLACE_FILTERS), who="coordinator"),
    Page("/platser/export.csv", tuple(PLACE_FILTERS), who="officer"),
    Page("/platser/export.csv", tuple(PLACE_FILTERS), who="coordinator"),
    Page("/platser/{place}/", (), who="officer"),
    Page("/platser/{place}/forfragan/", (), who="officer"),
    Page("/platser/mina-forfragningar/", (), who="officer"),
    Page("/platser/forfragningar/", (), who="staff"),
    Page("/platser/forfragningar/{request}/", (), who="staff"),
    Page("/platser/placeringar/", (), who="staff"),
    Page("/platser/placeringar/{placement}/avsluta/", (), who="staff"),
    # What the admin's search-as-you-type fields ask.
    Page(
        "/admin/autocomplete/",
        ("term", "app_label", "model_name", "field_name", "page"),
        who="coordinator",
        english=False,
    ),
]


def fill(path: str, net) -> str:
    return path.format(
        enterprise=net["enterprise"].slug,
        place=net["place"].pk,
        request=net["request"].pk,
        placement=net["placement"].pk,
    )


@pytest.mark.parametrize("page", [page for page in PAGES if page.names], ids=str)
@given(data=st.data())
def test_query_parameters(request, net, send, page, data):
    fuzz_query(request, net, send, page, data)


# Pages that read no parameter: a few examples show that they ignore what they do not read.
@pytest.mark.parametrize("page", [page for page in PAGES if not page.names], ids=str)
@settings(max_examples=examples(0.12))
@given(data=st.data())
def test_parameters_a_page_does_not_read(request, net, send, page, data):
    fuzz_query(request, net, send, page, data)


def fuzz_query(request, net, send, page: Page, data) -> None:
    client = request.getfixturevalue(page.who)
    names = [*page.names, "utm_source", "page", "lang"]  # and some the page does not read
    path = fill(page.path, net)
    if page.english and data.draw(st.booleans(), label="english"):
        path = "/en" + path
    if data.draw(st.booleans(), label="raw"):
        query = data.draw(raw_query_strings(names), label="query string")
        args, extra, sent = (path, None), {"QUERY_STRING": query}, [query]
    else:
        query = data.draw(params(names), label="params")
        args, extra = (path, query), {}
        sent = [value for values in query.values() for value in values]
    with isolated_example(), recorded_writes() as writes:
        response = send(client, "get", *args, **extra)
    assert_no_server_error(response, f"GET {path}")
    assert not writes.tables, f"GET {path} wrote to {writes}"
    assert_markup_escaped(response, sent)


# --- Values in the path itself --------------------------------------------------------------

PATHS = [
    ("anonymous", "/foretag/{}/"),
    ("anonymous", "/rapporter/{}/"),
    ("anonymous", "/rapporter/{}/statistik.csv"),
    ("officer", "/platser/{}/"),
    ("officer", "/platser/{}/forfragan/"),
    ("anonymous", "/platser/bekrafta/{}/"),
    ("staff", "/platser/forfragningar/{}/"),
    # POST only (GET: 405); the POST with bad ids is in tests/platser/test_accept_undo.py.
    ("staff", "/platser/forfragningar/{}/angra-antagning/"),
    ("staff", "/platser/placeringar/{}/avsluta/"),
    ("anonymous", "/rapporter/{}.pdf"),
    ("anonymous", "/rapporter/2022/v{}/"),
    ("anonymous", "/rapporter/2022/v{}.pdf"),
    ("anonymous", "/konto/confirm-email/{}/"),
    ("anonymous", "/konto/password/reset/key/1-{}/"),
    ("coordinator", "/admin/r/{}/1/"),
    ("coordinator", "/admin/placements/placement/{}/change/"),
    ("staff", "/admin/placements/trainingplace/{}/change/"),
]


@pytest.mark.parametrize(("who", "template"), PATHS)
@settings(max_examples=examples(0.2))
@given(value=st.one_of(nasty_numbers, nasty_texts.filter(lambda v: len(v) < 2000)))
def test_path_values(request, net, send, who, template, value):
    client = request.getfixturevalue(who)
    path = template.format(quote(value, safe=""))
    with isolated_example(), recorded_writes() as writes:
        response = send(client, "get", path)
    assert_no_server_error(response, f"GET {path}")
    assert not writes.tables, f"GET {path} wrote to {writes}"
