"""The directory's search: what a buyer types, matched against everything an enterprise is
known by and sells.

What is searched, per enterprise: its name, short name and other names (EnterpriseAlias); its
units (name and description); its summary, description and what it sells in its own words;
its service categories (name and description); and the titles of its training places. The
translated texts (enterprises/translation.py) are searched in every language.

How a query matches, on every database:

- The text is split into words, and every word must match somewhere (in any order).
  One-letter words ("i") are left out when there are other words.
- A word matches the start of a word in the texts: "städ" finds "städning". Case does not
  matter, nor å, ä, ö or é typed as a, a, o, e ("stadning", "cafe").
- A word with a common Swedish ending is also tried without it ("textilier" finds "textil").
- SYNONYMS adds, for what buyers type, the words the texts use ("lunch" finds the café
  category).

On PostgreSQL a word also matches through full-text search with the Swedish configuration
(word forms: "caféer", "städningen") and through trigram word similarity (pg_trgm, for typos:
"fastighetskötel"). On SQLite (`make run`) the prefix match above is all there is.

The hits are ranked: a word as the buyer typed it counts more than a synonym, and a word in
the name or another name more than one elsewhere; on PostgreSQL the full-text rank is added
(a hit by similarity alone comes last). Ties go by name. Everything is one query, however
many enterprises there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Greatest

from .models import Enterprise, EnterpriseQuerySet

# What buyers type that the enterprises' texts do not say, and the words they say it with.
# Keys and words are matched like any search word (case, å/ä/ö and word starts do not matter).
# Keep it short: a word here widens every search that contains it. The English words are for
# the English pages, where the enterprises' texts are still in Swedish.
SYNONYMS: dict[str, tuple[str, ...]] = {
    # Swedish
    "lunch": ("café", "catering"),
    "fika": ("café",),
    "kaffe": ("café",),
    "catering": ("café", "lunch"),
    "mat": ("café", "catering", "lunch"),
    "städ": ("städning", "fastighetsservice"),
    "flytt": ("fastighetsservice",),  # an enterprise that says "flytt" ranks above these
    "trädgård": ("fastighetsservice",),
    "loppis": ("second hand",),
    "begagnat": ("second hand",),
    "sömnad": ("textil",),
    "syr": ("textil", "sömnad"),
    "äldre": ("seniorer",),
    # English
    "cleaning": ("städning", "fastighetsservice"),
    "cafe": ("café",),
    "coffee": ("café",),
    "moving": ("flytt", "fastighetsservice"),
    "removals": ("flytt", "fastighetsservice"),
    "property": ("fastighetsservice",),
    "secondhand": ("second hand",),
    "sewing": ("textil", "sömnad"),
    "textile": ("textil",),
    "textiles": ("textil",),
    "crafts": ("hantverk",),
    "elderly": ("seniorer",),
    "seniors": ("seniorer",),
}

# Swedish endings tried off a word, longest first, leaving at least MIN_STEM letters.
ENDINGS = ("ningarna", "ningar", "ningen", "arna", "erna", "orna", "ning", "ier", "ar", "er", "or")
MIN_STEM = 4
# Trigram word similarity (0..1) at which a word counts as a typo of a word in the texts.
SIMILARITY = 0.6
# Words shorter than this are not compared by similarity: too many short words look alike.
MIN_SIMILAR_LENGTH = 4
# Each word adds to the one query; nobody describes a purchase in more (the rest is ignored).
MAX_WORDS = 6

# Letters folded to what people type without them, and punctuation that separates words.
_FOLD = {
    **dict(zip("åäáàâéèëêöóòôüúíï", "aaaaaeeeeoooouuii", strict=True)),
    **dict.fromkeys("-–/,.:;!?()[]&+*\"'”’\n\r\t", " "),
}
_FOLD_TABLE = str.maketrans(_FOLD)
_WORD = re.compile(r"[^\W_]+")  # letters and digits


def fold(text: str) -> str:
    """Lower case, without accents on the letters people leave them off, punctuation as space."""
    return text.lower().translate(_FOLD_TABLE)


@dataclass(frozen=True)
class Word:
    """One word of the query and what it may match: itself, its stem and its synonyms."""

    typed: str
    alternatives: tuple[str, ...]  # typed first; each folded, some of several words


_SYNONYMS_FOLDED = {
    fold(key): tuple(fold(word) for word in words) for key, words in SYNONYMS.items()
}


def stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def parse(text: str) -> list[Word]:
    """The query's words, each with the alternatives it may match."""
    tokens = [fold(token) for token in _WORD.findall(text.lower())]
    if len(tokens) > 1:
        tokens = [token for token in tokens if len(token) > 1] or tokens
    words = []
    for token in list(dict.fromkeys(tokens))[:MAX_WORDS]:  # each word once, in order
        stemmed = stem(token)
        alternatives = [token, stemmed]
        for key in (token, stemmed):
            alternatives += _SYNONYMS_FOLDED.get(key, ())
        words.append(Word(token, tuple(dict.fromkeys(alternatives))))
    return words


def search(enterprises: EnterpriseQuerySet, text: str) -> EnterpriseQuerySet:
    """The enterprises that match every word of the text, best first (see the module)."""
    words = parse(text)
    if not words:  # only punctuation: nothing can match it
        return enterprises.none()
    postgres = connection.vendor == "postgresql"
    enterprises = enterprises.alias(
        search_names=Fold(_names_text()), search_rest=Fold(_rest_text())
    )
    if postgres:
        enterprises = enterprises.alias(search_document=_document())

    rank = Value(0.0, output_field=FloatField())
    for number, word in enumerate(words):
        matches = _starts("search_names", word.alternatives) | _starts(
            "search_rest", word.alternatives
        )
        rank += _prefix_score(word)
        if postgres:
            similarity = f"search_similarity_{number}"
            enterprises = enterprises.alias(**{similarity: _similarity(word)})
            # Last, so that the database need not compute it where a word matched already.
            # Not in the rank either: a typo ranks below what was typed right.
            matches |= Q(search_document=_tsquery([word.alternatives]))
            matches |= Q(**{f"{similarity}__gte": SIMILARITY})
        enterprises = enterprises.filter(matches)

    if postgres:
        typed = _tsquery([(word.typed,) for word in words], operator="&")
        every = _tsquery([word.alternatives for word in words], operator="|")
        rank += 2 * SearchRank(F("search_document"), typed) + SearchRank(
            F("search_document"), every
        )
    return enterprises.annotate(search_rank=rank).order_by("-search_rank", "name")


# ---------------------------------------------------------------------------------------------
# The texts
# ---------------------------------------------------------------------------------------------


def _related_text(expression) -> Subquery:
    """The enterprise's related rows' texts in one string, read through Enterprise's reverse
    relations (so no import of the placements app above this one)."""
    return Subquery(
        Enterprise.objects.filter(pk=OuterRef("pk"))
        .values("pk")
        .annotate(text=StringAgg(expression, Value(" ")))
        .values("text"),
        output_field=TextField(),
    )


class Spaced(Func):
    """The parts as one text, each between spaces, a missing (NULL) part as nothing. One flat
    `||` chain: Concat() nests a function call per part, which overflows SQLite's parser at the
    number of parts searched here."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, part_params = compiler.compile(expression)
            parts.append(f"COALESCE({sql}, '')")
            params.extend(part_params)
        return "(' ' || " + " || ' ' || ".join(parts) + " || ' ')", params


def _spaced(*parts) -> Spaced:
    return Spaced(*parts)


def _aliases():
    return _related_text("aliases__name")


def _in_every_language(field: str) -> list[F]:
    """A translated field (enterprises/translation.py) in each language: a Swedish word finds
    the enterprise on the English pages too, and an English one where it has been written."""
    return [F(f"{field}_{code}") for code, _name in settings.LANGUAGES]


def _units():
    return _related_text(_spaced(F("units__name"), *_in_every_language("units__description")))


def _categories():
    return _related_text(
        _spaced(
            *_in_every_language("service_categories__name"),
            *_in_every_language("service_categories__description"),
        )
    )


def _places():
    return _related_text("training_places__title")


def _names_text() -> Spaced:
    return _spaced(F("name"), F("short_name"), _aliases())


def _rest_text() -> Spaced:
    return _spaced(
        _categories(),
        _units(),
        _places(),
        *_in_every_language("summary"),
        *_in_every_language("services_text"),
        *_in_every_language("description"),
    )


class Fold(Func):
    """fold() in SQL: lower case, a few accents off, punctuation as spaces."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's lower() knows only A-Z, and nested REPLACE()s soon overflow its parser:
        # fold() itself is registered as a function on the connection.
        _register_fold(connection)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FOLD}({sql})", params

    def as_postgresql(self, compiler, connection, **extra_context):
        # The capitals too: LOWER() leaves Å, Ä, Ö alone in a database with the C locale.
        sql, params = compiler.compile(self.source_expressions[0])
        folded = {**_FOLD, **{source.upper(): target for source, target in _FOLD.items()}}
        return (
            f"TRANSLATE(LOWER({sql}), %s, %s)",
            (*params, "".join(folded), "".join(folded.values())),
        )


SQLITE_FOLD = "asfnet_fold"


def _register_fold(connection) -> None:
    # Registering again replaces the function, at no noticeable cost.
    connection.ensure_connection()
    connection.connection.create_function(SQLITE_FOLD, 1, _fold_or_none, deterministic=True)


def _fold_or_none(text: str | None) -> str | None:
    return None if text is None else fold(text)


# ---------------------------------------------------------------------------------------------
# Ranking and PostgreSQL's full-text search and similarity
# ---------------------------------------------------------------------------------------------


def _starts(field: str, alternatives: tuple[str, ...]) -> Q:
    """A word of the folded text starts with one of the alternatives. They hold only letters,
    digits and single spaces (see parse()), so the pattern needs no escaping."""
    return Q(**{f"{field}__regex": " (" + "|".join(alternatives) + ")"})


def _prefix_score(word: Word) -> Case:
    """How well a word matched by prefix: as typed before a synonym, in a name before the
    rest."""
    return Case(
        When(_starts("search_names", word.alternatives[:1]), then=Value(4.0)),
        When(_starts("search_rest", word.alternatives[:1]), then=Value(3.0)),
        When(_starts("search_names", word.alternatives), then=Value(2.0)),
        When(_starts("search_rest", word.alternatives), then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _document() -> SearchVector:
    """The Swedish full-text document: names weigh most, then what is sold, then the rest."""

    def vector(expression, weight: str) -> SearchVector:
        return SearchVector(expression, config="swedish", weight=weight)

    return (
        vector("name", "A")
        + vector("short_name", "A")
        + vector(_aliases(), "A")
        + vector(_categories(), "B")
        + vector(_places(), "B")
        + vector(_spaced(*_in_every_language("summary")), "B")
        + vector(_spaced(*_in_every_language("services_text")), "B")
        + vector(_units(), "B")
        + vector(_spaced(*_in_every_language("description")), "C")
    )


def _tsquery(groups: list[tuple[str, ...]], operator: str = "&") -> SearchQuery:
    """A raw tsquery with prefix matching (`word:*`) built only from letters and digits, so
    nothing a visitor types is read as tsquery syntax. Each group is a set of alternatives
    (OR); the groups are joined with `operator`; an alternative of several words needs them all.
    """
    parts = []
    for alternatives in groups:
        options = []
        for alternative in alternatives:
            tokens = _WORD.findall(alternative)
            if tokens:
                options.append("(" + " & ".join(f"{token}:*" for token in tokens) + ")")
        if options:
            parts.append("(" + " | ".join(options) + ")")
    return SearchQuery(f" {operator} ".join(parts), search_type="raw", config="swedish")


def _similarity(word: Word):
    """The best trigram word similarity of the word as typed, or its stem, in the enterprise's
    texts. Not of the synonyms: they are the texts' own words, which nobody mistyped."""
    text = _spaced(F("search_names"), F("search_rest"))
    scores = [
        TrigramWordSimilarity(Value(alternative), text)
        for alternative in dict.fromkeys([word.typed, stem(word.typed)])
        if len(alternative) >= MIN_SIMILAR_LENGTH
    ]
    if not scores:
        return Value(0.0, output_field=FloatField())
    if len(scores) == 1:
        return scores[0]
    return Greatest(*scores, output_field=FloatField())
