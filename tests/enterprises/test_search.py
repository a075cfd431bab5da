"""What buyers type into /foretag/?q=, and what they must find on the seeded network.

The network is the one `make setup` loads: `seed_network()` (the enterprises, their other
names, units and service categories) and the demo's training places, with a few texts typed
in as an enterprise would (TYPED_IN). Each row of the tables names the enterprises a query
must find; the first hit must be one of them; `never` names enterprises it must not find. The
hit rate is printed (pytest -s) and every miss fails the test, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import connection

from asfnet.demo import demo_content_load
from asfnet.seed import seed_network
from enterprises import search
from enterprises.models import Enterprise
from tests.storefront.helpers import main, text

M29 = "M29 Socialt företagscenter"
PROPERTY = "M29 Fastighetservice"
CAFE = "M29 Café, Textil & Hantverk"
GGG = "GGG Allservice för Seniorer"
LOVE_AND_HOPE = "Love & Hope Secondhand i Märsta"
HEALTH = "Naturlig hälsa & utbildning i Mälardalen"
VARMEKALLAN = "Värmekällan i Väsby"
LIVSKRAFT = "Livskraft"

# Texts as an enterprise would type them in the admin (the seed has none).
TYPED_IN = {
    VARMEKALLAN: {"summary": "Second hand-butik och café med hembakat i Upplands Väsby."},
    LIVSKRAFT: {"services_text": "Friskvård och promenadgrupper i Sollentuna."},
    PROPERTY: {
        "services_text": "Trappstädning, kontorsstädning, flyttstädning och snöskottning.",
    },
}


@dataclass(frozen=True)
class Row:
    query: str
    finds: tuple[str, ...]
    never: tuple[str, ...] = ()
    # Set only where SQLite's simpler search cannot find what PostgreSQL does, with the reason.
    postgresql_only: str = ""


SWEDISH = [
    # The queries, and the form's own example.
    Row("lunch", (CAFE, VARMEKALLAN, LIVSKRAFT), never=(PROPERTY, GGG)),
    Row("catering", (CAFE, VARMEKALLAN, LIVSKRAFT), never=(PROPERTY,)),
    Row("fika", (CAFE, VARMEKALLAN), never=(PROPERTY,)),
    Row("städ", (PROPERTY,), never=(CAFE, LOVE_AND_HOPE)),
    Row("städning", (PROPERTY,), never=(CAFE,)),
    Row("flytt", (PROPERTY,), never=(CAFE,)),
    # Word forms and misspellings.
    Row("stadning", (PROPERTY,), never=(CAFE,)),
    Row("Städningen", (PROPERTY,)),
    Row("cafe", (CAFE, VARMEKALLAN), never=(PROPERTY,)),
    Row("caféer", (CAFE, VARMEKALLAN)),
    Row("kaffe", (CAFE, VARMEKALLAN)),
    Row("secondhand", (LOVE_AND_HOPE, VARMEKALLAN), never=(PROPERTY,)),
    Row("second hand", (LOVE_AND_HOPE, VARMEKALLAN)),
    Row("loppis", (LOVE_AND_HOPE,)),
    Row("textilier", (CAFE,), never=(PROPERTY,)),
    Row(
        "fastighetskötsel",  # "fastighetsskötsel" less an s
        (PROPERTY,),
        never=(CAFE,),
        postgresql_only="a letter missing inside the word: only trigram similarity finds it",
    ),
    Row(
        "fastighetsskötel",
        (PROPERTY,),
        postgresql_only="a letter missing inside the word: only trigram similarity finds it",
    ),
    Row(
        "vaktmästare",
        (VARMEKALLAN,),
        postgresql_only="the place says 'Vaktmästeri': only trigram similarity bridges the ending",
    ),
    # Names, other names, units, places, categories.
    Row("värmekällan", (VARMEKALLAN,)),
    Row("varmekallan", (VARMEKALLAN,)),
    Row("Service i Sigtuna", (PROPERTY,)),  # the former name
    Row("naturlighälsa", (HEALTH,)),  # another spelling
    Row("Café Nyfiket", (CAFE,)),  # a unit
    Row("hantverkshus", (CAFE,)),
    Row("kök", (LIVSKRAFT,)),  # a training place: "Köket: förberedelser och lunch"
    Row("reception", (M29,)),
    Row("seniorer", (GGG,)),
    Row("hemservice", (GGG,)),
    Row("hälsa", (HEALTH,)),
    Row("m29", (M29, PROPERTY, CAFE)),
    Row("märsta", (LOVE_AND_HOPE,)),
    # Typed-in descriptions.
    Row("hembakat", (VARMEKALLAN,)),
    Row("friskvård", (LIVSKRAFT,)),
    Row("snöskottning", (PROPERTY,)),
    Row("kontorsstädning", (PROPERTY,)),
    Row("flyttstädning", (PROPERTY,)),
    # Several words: every one must match.
    Row("café sigtuna", (CAFE,)),
    Row("second hand väsby", (VARMEKALLAN,), never=(LOVE_AND_HOPE,)),
]

ENGLISH = [
    Row("cleaning", (PROPERTY,), never=(CAFE,)),
    Row("cafe", (CAFE, VARMEKALLAN), never=(PROPERTY,)),
    Row("coffee", (CAFE, VARMEKALLAN)),
    Row("catering", (CAFE, VARMEKALLAN, LIVSKRAFT)),
    Row("lunch", (CAFE, VARMEKALLAN, LIVSKRAFT)),
    Row("moving", (PROPERTY,), never=(CAFE,)),
    Row("second hand", (LOVE_AND_HOPE, VARMEKALLAN)),
    Row("secondhand", (LOVE_AND_HOPE, VARMEKALLAN)),
    Row("sewing", (CAFE,), never=(PROPERTY,)),
    Row("textile", (CAFE,)),
    Row("textiles", (CAFE,)),
    Row("elderly", (GGG,)),
]

# Queries that must find nothing, so that the page can say so and help.
NOTHING = ["helikopter", "rymdresor", "zzz", "x"]


# The network is seeded once for the module (module_db); each test's changes roll back.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded_network(module_db):
    seed_network()
    demo_content_load()
    for name, fields in TYPED_IN.items():
        Enterprise.objects.filter(name=name).update(**fields)


def listed(response) -> list[str]:
    """The enterprises on the page, in the order shown."""
    cards = main(response.text).split('<article class="card">')[1:]
    return [text(card.split("</h3>")[0]) for card in cards]


def run_table(client, prefix: str, rows: list[Row]) -> None:
    postgresql = connection.vendor == "postgresql"
    hits, misses, checks = 0, [], 0
    for row in rows:
        if row.postgresql_only and not postgresql:
            continue
        found = listed(client.get(f"{prefix}/foretag/", {"q": row.query}))
        for name in row.finds:
            checks += 1
            if name in found:
                hits += 1
            else:
                misses.append(f"{row.query!r} did not find {name} (found {found})")
        if found and found[0] not in row.finds:
            misses.append(f"{row.query!r} put {found[0]} first (found {found})")
        misses += [f"{row.query!r} found {name}" for name in row.never if name in found]
    print(
        f"\n{prefix or '/sv'} on {connection.vendor}: {hits} of {checks} expected hits "
        f"({hits / checks:.0%}), {len(misses)} misses"
    )
    assert misses == []


def test_buyers_queries_find_the_enterprises_that_sell_it(client, seeded_network):
    run_table(client, "", SWEDISH)


def test_english_words_find_them_on_the_english_pages(client, seeded_network):
    run_table(client, "/en", ENGLISH)


@pytest.mark.parametrize("query", NOTHING)
def test_a_query_about_nothing_the_network_does_finds_nothing(client, seeded_network, query):
    response = client.get("/foretag/", {"q": query})

    assert listed(response) == []
    assert "0 företag" in text(main(response.text))


def test_only_published_enterprises_are_found(client, seeded_network):
    Enterprise.objects.filter(name=PROPERTY).update(published=False)

    assert listed(client.get("/foretag/", {"q": "städ"})) == []
    assert set(listed(client.get("/foretag/", {"q": "m29"}))) == {M29, CAFE}


def test_a_word_in_the_name_ranks_above_the_same_word_elsewhere(client, seeded_network):
    found = listed(client.get("/foretag/", {"q": "café"}))

    # "Café" in its name; Värmekällan has it in a summary and a place's title.
    assert found == [CAFE, VARMEKALLAN]


def test_capitals_and_accents_do_not_matter(client, seeded_network):
    Enterprise.objects.filter(name=LIVSKRAFT).update(summary="ÅTERBRUK OCH LAGNING AV MÖBLER")

    for query in ["återbruk", "aterbruk", "ÅTERBRUK", "mobler", "Möbler"]:
        assert listed(client.get("/foretag/", {"q": query})) == [LIVSKRAFT], query


def test_an_enterprise_that_says_flytt_comes_before_the_property_services(client, seeded_network):
    Enterprise.objects.filter(name=PROPERTY).update(services_text="")
    Enterprise.objects.filter(name=LIVSKRAFT).update(services_text="Flytthjälp och transporter.")

    found = listed(client.get("/foretag/", {"q": "flytt"}))

    assert found == [LIVSKRAFT, PROPERTY]


def test_the_search_text_cannot_inject_tsquery_or_regex_syntax(client, seeded_network):
    for query in ["städ:* | !", "café & (", "second|hand", ".*", "\\", "'; --", "a:*b"]:
        response = client.get("/foretag/", {"q": query})
        assert response.status_code == 200, query
    assert listed(client.get("/foretag/", {"q": ".*"})) == []


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Städningen", [("stadningen", "stad", "stadning", "fastighetsservice")]),
        ("textilier", [("textilier", "textil")]),
        ("service i sig", [("service",), ("sig",)]),
        ("i", [("i",)]),
        ("lunch lunch", [("lunch", "cafe", "catering")]),
        ("second-hand", [("second",), ("hand",)]),
        # At most six words, the first six.
        (
            "ett två tre fyra fem sex sju åtta",
            [("ett",), ("tva",), ("tre",), ("fyra",), ("fem",), ("sex",)],
        ),
    ],
)
def test_a_query_is_read_as_words_with_their_stems_and_synonyms(typed, words):
    assert [word.alternatives for word in search.parse(typed)] == words


def test_the_synonyms_point_at_words_the_search_can_match():
    for key, words in search.SYNONYMS.items():
        assert key == key.lower() and words, key
        for word in words:
            assert re.fullmatch(r"[^\W_]+( [^\W_]+)*", word), word
