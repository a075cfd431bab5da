"""Hypothesis strategies for the values nobody should send, and somebody will.

Text that is huge, empty or blank, in other scripts and directions, with emoji, combining marks
and control characters (NUL included), with markup, template syntax and SQL; numbers far
outside every column's range; dates that do not exist. Lone surrogates cannot travel in an
HTTP request as text (they cannot be encoded as UTF-8), so their place is taken by raw query
strings with percent-encoded bytes that are not UTF-8 (`raw_query_strings`).
"""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

SPECIAL_TEXTS = [
    "",
    " ",
    "   \t  ",
    "\n\n\n",
    "\r\n",
    "\x00",
    "abc\x00def",
    "\x00" * 50,
    "\x07\x08\x0b\x0c\x1b[31mröd\x1b[0m",
    "\x7f\x85\x9f",
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\u2028\u2029",  # line and paragraph separators
    "\u202eredro esrever",  # right-to-left override
    "مرحبا بالعالم",  # Arabic, right to left
    "שלום עולם",  # Hebrew
    "日本語のテキスト",
    "Ünïcödé åäö ÅÄÖ",
    "e\u0301\u0301\u0301\u0301\u0301\u0301",  # a letter under a pile of combining marks
    "Z̵̡̢̛͚̹͉̖̹̯̗̭̲̗̻̫̻͎̃̅̈́̐̓͊̓͝a̸l̷g̴o̶",
    "😀🙈👩‍👩‍👧‍👦🏳️‍🌈",
    "𝟙𝟚𝟛",  # digits that int() accepts
    "١٢٣",  # Arabic-Indic digits, which int() accepts too
    "½",
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>fet</b> & <i>kursiv</i>",
    "javascript:alert(1)",
    "{{ request }}",
    "{% debug %}",
    "%s %d %(name)s {0} {}",
    "' OR 1=1 --",
    "'; DROP TABLE enterprises_enterprise; --",
    '" OR ""="',
    "1; SELECT pg_sleep(10)",
    "%",
    "_",
    "\\",
    "\\x00",
    "../../../../etc/passwd",
    "null",
    "None",
    "undefined",
    "true",
    "[]",
    "{}",
    "a@b",
    "@",
    "x@example.org\nBcc: alla@example.org",
    '=HYPERLINK("http://example.org")',
    "AF-0042",
    "19900101-1234",  # shaped like a personal identity number
]

SPECIAL_NUMBERS = [
    "0",
    "-0",
    "-1",
    "1.5",
    "1,5",
    "1e3",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "0x10",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999999999",
    "-99999999999999999999999999999999999999",
    "1" * 5000,
]

SPECIAL_DATES = [
    "0000-00-00",
    "9999-99-99",
    "9999-12-31",
    "0001-01-01",
    "1900-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "-2024-01-01",
    "10000-01-01",
    "99999999-01-01",
    "2024-1-1",
    "01/02/2024",
    "2024-01-01T25:61:61",
    "2024-01-01 00:00:00+99:00",
    "idag",
    "i morgon",
]

# Text without lone surrogates (category Cs): an HTTP request carries text as UTF-8.
_characters = st.characters(exclude_categories=["Cs"])
_units = st.one_of(st.sampled_from(SPECIAL_TEXTS[1:]), st.text(_characters, min_size=1, max_size=5))


@st.composite
def huge_texts(draw) -> str:
    """10 000 to 100 000 characters: a unit repeated, since drawing each one is slow."""
    unit = draw(_units)
    length = draw(st.integers(10_000, 100_000))
    return (unit * (length // len(unit) + 1))[:length]


nasty_texts = st.one_of(
    st.sampled_from(SPECIAL_TEXTS),
    st.text(_characters, max_size=40),
    st.text(st.characters(categories=["Cc", "Cf", "Mn", "Zs", "Zl", "Zp"]), max_size=20),
    st.builds(
        lambda a, b: a + b, st.sampled_from(SPECIAL_TEXTS), st.text(_characters, max_size=10)
    ),
    huge_texts(),
)
nasty_numbers = st.one_of(
    st.sampled_from(SPECIAL_NUMBERS),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
nasty_dates = st.one_of(
    st.sampled_from(SPECIAL_DATES),
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(-1, 99999), st.integers(-1, 99), st.integers(-1, 99)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    ),
)
nasty_values = st.one_of(nasty_texts, nasty_numbers, nasty_dates)


# --- Query strings ---------------------------------------------------------------------------

# Percent-encoded bytes that are not UTF-8: a lone surrogate (ED A0 80), a stray continuation
# byte, a truncated sequence, overlong encodings, bytes that never occur in UTF-8.
INVALID_UTF8 = [
    "%ED%A0%80",
    "%80",
    "%C3",
    "%C3%28",
    "%E2%82",
    "%C0%AF",
    "%F8%88%80%80%80",
    "%FE%FF",
    "%FF",
    "%00",
    "%",
    "%%",
    "%zz",
    "%2",
]


def encoded(value: str) -> str:
    return quote(value, safe="")


@st.composite
def raw_query_strings(draw, names: list[str]) -> str:
    """A QUERY_STRING as a client could send it: the page's parameters, repeated, unknown,
    without `=`, with values that are not UTF-8 once decoded."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.one_of(st.sampled_from(names), st.sampled_from(INVALID_UTF8), st.just("")))
        value = draw(
            st.one_of(
                nasty_values.filter(lambda v: len(v) < 5000).map(encoded),
                st.lists(st.sampled_from(INVALID_UTF8), min_size=1, max_size=4).map("".join),
            )
        )
        parts.append(draw(st.sampled_from([f"{name}={value}", name, f"{name}=", f"={value}"])))
    separator = draw(st.sampled_from(["&", ";", "&&"]))
    return separator.join(parts)


def params(names: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    """GET parameters: some of the page's own, each with one or more nasty values."""
    return st.dictionaries(
        st.sampled_from(names),
        st.lists(nasty_values, min_size=1, max_size=3),
        min_size=1,
    )
