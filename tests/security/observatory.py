"""The MDN HTTP Observatory's score, computed from the headers of one scan.

A small re-implementation of the published scoring table
(https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring, rules as in
github.com/mdn/mdn-http-observatory, src/analyzer/tests/ and src/grader/charts.js): every site
starts at 100; the penalties (negative modifiers) are taken first, and only if that leaves 90
or more are the bonuses added. The highest possible score is 145.

What a scan is, here: the final HTTPS response of a page (its headers and HTML), every
Set-Cookie seen on the way, the chain of URLs followed from http://, and the answer to a request
carrying an Origin header (CORS). What is left out: <meta http-equiv> policies (the portal sends
headers only), the HSTS preload list (a flag), and certificate checks (the test client's HTTPS
counts as valid).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

BASELINE = 100
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
SIX_MONTHS = 15_552_000  # the Observatory's "white lie" for 15768000

# Expectation -> modifier (src/grader/charts.js, SCORE_TABLE).
MODIFIERS: dict[str, int] = {
    # Content Security Policy
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "csp-not-implemented-but-reporting-enabled": -25,
    # Cookies
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    # Cross-origin resource sharing
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    # Redirection
    "redirection-to-https": 0,
    "redirection-not-needed-no-http": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    # Referrer-Policy
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    # Strict-Transport-Security
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "hsts-not-implemented-no-https": -20,
    # Subresource Integrity
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    # X-Content-Type-Options
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    # X-Frame-Options
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    # Cross-Origin-Resource-Policy
    "cross-origin-resource-policy-implemented-with-same-origin": 10,
    "cross-origin-resource-policy-implemented-with-same-site": 10,
    "cross-origin-resource-policy-implemented-with-cross-origin": 0,
    "cross-origin-resource-policy-not-implemented": 0,
    "cross-origin-resource-policy-header-invalid": -5,
}

GRADES = [
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
    (0, "F"),
]


class Headers:
    """Response headers, case-insensitive, every value of a repeated header kept."""

    def __init__(self, headers: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        items = headers.items() if isinstance(headers, Mapping) else headers
        self._values: dict[str, list[str]] = {}
        for name, value in items:
            self._values.setdefault(name.lower(), []).append(value)

    def all(self, name: str) -> list[str]:
        return self._values.get(name.lower(), [])

    def first(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None


@dataclass
class Scan:
    """What the Observatory fetches for one page."""

    url: str = "https://example.org/"
    headers: Headers = field(default_factory=Headers)
    html: str = ""
    # Every Set-Cookie value seen during the scan (the Observatory's cookie jar).
    cookies: Sequence[str] = ()
    # The URLs followed from http://host/path to the end; None: the site has no plain HTTP.
    redirects: Sequence[str] | None = None
    # The headers of the answer to a request that carried `Origin: cors_origin`.
    cors_headers: Headers | None = None
    cors_origin: str = "https://http-observatory.security.mozilla.org"
    hsts_preloaded: bool = False


@dataclass
class Result:
    score: int
    grade: str
    tests: dict[str, str]  # test name -> expectation

    def describe(self) -> str:
        return "\n".join(
            f"{MODIFIERS[expectation]:+4d} {name}: {expectation}"
            for name, expectation in self.tests.items()
        )


def observatory_score(scan: Scan) -> Result:
    csp_result, csp = content_security_policy(scan)
    hsts = strict_transport_security(scan)
    tests = {
        "content-security-policy": csp_result,
        "cookies": cookies(scan, hsts_passes=hsts in HSTS_PASSING),
        "cross-origin-resource-sharing": cross_origin_resource_sharing(scan),
        "redirection": redirection(scan),
        "referrer-policy": referrer_policy(scan),
        "strict-transport-security": hsts,
        "subresource-integrity": subresource_integrity(scan),
        "x-content-type-options": x_content_type_options(scan),
        "x-frame-options": x_frame_options(scan, csp),
        "cross-origin-resource-policy": cross_origin_resource_policy(scan),
    }
    modifiers = [MODIFIERS[expectation] for expectation in tests.values()]
    score = BASELINE + sum(m for m in modifiers if m < 0)
    if score >= MINIMUM_SCORE_FOR_EXTRA_CREDIT:
        score += sum(m for m in modifiers if m > 0)
    score = max(score, 0)
    grade = next(letter for floor, letter in GRADES if min(score - score % 5, 100) >= floor)
    return Result(score=score, grade=grade, tests=tests)


# --- Content Security Policy -------------------------------------------------------------

DANGEROUSLY_BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*"}
DANGEROUSLY_BROAD |= {"https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
ALLOWED_DUPLICATES = {"report-uri", "report-to"}


class InvalidPolicy(ValueError):
    pass


def parse_csp(policies: Sequence[str]) -> dict[str, set[str]]:
    """Directive -> sources. A source has to be in every policy to count (the strictest wins)."""
    result: dict[str, set[str]] = {}
    for index, policy in enumerate(policies):
        policy = re.sub(r"[\r\n]", "", policy).strip()
        if len(policy) < len("img-src") - 1:
            raise InvalidPolicy(policy)
        seen: set[str] = set()
        for entry in policy.split(";"):
            parts = entry.strip().split()
            if not parts:
                continue
            directive, sources = parts[0].lower(), {s.lower() for s in parts[1:]}
            if directive in seen and directive not in ALLOWED_DUPLICATES:
                # Browsers use the first; the Observatory calls it invalid so that people notice.
                raise InvalidPolicy(f"duplicate {directive}")
            seen.add(directive)
            if not sources and directive.endswith("-src"):
                sources = {"'none'"}
            if index > 0 and directive in result:
                sources = (result[directive] & sources) or {"'none'"}
            result.setdefault(directive, set())
            result[directive] = sources
    return result


def content_security_policy(scan: Scan) -> tuple[str, dict[str, set[str]]]:
    raw = scan.headers.all("Content-Security-Policy")
    policies = [p.strip() for value in raw for p in value.split(",")]
    if not policies:
        if scan.headers.first("Content-Security-Policy-Report-Only"):
            return "csp-not-implemented-but-reporting-enabled", {}
        return "csp-not-implemented", {}
    try:
        csp = parse_csp(policies)
    except InvalidPolicy:
        return "csp-header-invalid", {}
    if not csp:
        return "csp-not-implemented", {}

    def sources(*directives: str) -> set[str]:
        for directive in directives:
            if directive in csp:
                return set(csp[directive])
        return {"*"}

    object_src = sources("object-src", "default-src")
    script_src = sources("script-src", "default-src")
    style_src = sources("style-src", "default-src")
    for source_list in (script_src, style_src):
        if any(s.startswith(NONCES_HASHES) for s in source_list):
            source_list.discard("'unsafe-inline'")  # ignored by browsers that know nonces

    result = None
    if "'strict-dynamic'" in script_src:
        if any(s.startswith(NONCES_HASHES) for s in script_src):
            script_src = {
                s
                for s in script_src
                if not any(s.startswith(b) for b in DANGEROUSLY_BROAD)
                and s not in {"'self'", "'unsafe-inline'"}
            }
        else:
            result = "csp-header-invalid"

    passive = {"img-src", "media-src"}
    active_sources = [
        s for d, values in csp.items() if d not in passive | {"script-src"} for s in values
    ]
    active_sources += list(script_src)
    passive_sources = [s for d in passive for s in csp.get(d, csp.get("default-src", set()))]
    https = scan.url.startswith("https:")

    def first(expectation: str) -> None:
        nonlocal result
        if result is None:
            result = expectation

    if script_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE) or object_src & DANGEROUSLY_BROAD:
        first("csp-implemented-with-unsafe-inline")
    if https and any(s.startswith(("http:", "ftp:")) for s in active_sources):
        first("csp-implemented-with-insecure-scheme")
    if "'unsafe-eval'" in script_src | style_src:
        first("csp-implemented-with-unsafe-eval")
    if https and any(s.startswith(("http:", "ftp:")) for s in passive_sources):
        first("csp-implemented-with-insecure-scheme-in-passive-content-only")
    if style_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE):
        first("csp-implemented-with-unsafe-inline-in-style-src-only")
    if csp.get("default-src") == {"'none'"}:
        first("csp-implemented-with-no-unsafe-default-src-none")
    first("csp-implemented-with-no-unsafe")
    return result, csp


# --- Cookies --------------------------------------------------------------------------------

COOKIE_BADNESS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


@dataclass
class Cookie:
    name: str
    secure: bool = False
    httponly: bool = False
    samesite: str | None = None
    expired: bool = False


def parse_set_cookie(value: str, *, over_https: bool) -> Cookie:
    name_value, *attributes = value.split(";")
    cookie = Cookie(name=name_value.split("=", 1)[0].strip())
    for attribute in attributes:
        key, _, arg = attribute.strip().partition("=")
        key, arg = key.strip().lower(), arg.strip()
        if key == "secure":
            cookie.secure = over_https  # a Secure cookie is not stored from plain HTTP
        elif key == "httponly":
            cookie.httponly = True
        elif key == "samesite":
            cookie.samesite = arg.lower() or None
        elif key == "max-age" and re.fullmatch(r"-?\d+", arg):
            cookie.expired = int(arg) <= 0
        elif key == "expires":
            with contextlib.suppress(TypeError, ValueError):
                cookie.expired = parsedate_to_datetime(arg) <= datetime.now(UTC)
    return cookie


def _worse(candidate: str, current: str | None) -> str:
    if current is None or COOKIE_BADNESS.index(candidate) > COOKIE_BADNESS.index(current):
        return candidate
    return current


def cookies(scan: Scan, *, hsts_passes: bool) -> str:
    result = None
    for raw in scan.cookies:
        for attribute in raw.split(";")[1:]:
            key, _, arg = attribute.strip().partition("=")
            if key.strip().lower() == "samesite" and arg.strip().lower() not in {
                "lax",
                "strict",
                "none",
            }:
                result = _worse("cookies-samesite-flag-invalid", result)

    # The jar: the last Set-Cookie of a name wins; deleted (expired) cookies are gone.
    jar: dict[str, Cookie] = {}
    for raw in scan.cookies:
        cookie = parse_set_cookie(raw, over_https=scan.url.startswith("https:"))
        jar[cookie.name] = cookie
    live = [cookie for cookie in jar.values() if not cookie.expired]
    if not live:
        return "cookies-not-found"

    missing_samesite = False
    for cookie in live:
        name = cookie.name.lower()
        session = "login" in name or "sess" in name
        anticsrf = "csrf" in name
        if not cookie.secure and cookie.samesite == "none":
            result = _worse("cookies-samesite-flag-invalid", result)
        if not cookie.secure:
            result = _worse(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts_passes
                else "cookies-without-secure-flag",
                result,
            )
        if anticsrf and not cookie.samesite:
            result = _worse("cookies-anticsrf-without-samesite-flag", result)
        if session and not cookie.secure:
            result = _worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts_passes
                else "cookies-session-without-secure-flag",
                result,
            )
        if session and not cookie.httponly:
            result = _worse("cookies-session-without-httponly-flag", result)
        missing_samesite |= not cookie.samesite
    if result:
        return result
    if missing_samesite:
        return "cookies-secure-with-httponly-sessions"
    return "cookies-secure-with-httponly-sessions-and-samesite"


# --- The other tests --------------------------------------------------------------------------


def cross_origin_resource_sharing(scan: Scan) -> str:
    headers = scan.cors_headers
    allow_origin = headers.first("Access-Control-Allow-Origin") if headers else None
    if not allow_origin:
        return "cross-origin-resource-sharing-not-implemented"
    allow_origin = allow_origin[:256].strip().lower()
    credentials = (headers.first("Access-Control-Allow-Credentials") or "").strip().lower()
    if allow_origin == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    if allow_origin == scan.cors_origin.lower() and credentials == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def redirection(scan: Scan) -> str:
    if scan.redirects is None:
        return "redirection-not-needed-no-http"
    chain = [urlsplit(url) for url in scan.redirects]
    if len(chain) < 2:
        return "redirection-missing"
    if chain[-1].scheme != "https":
        return "redirection-not-to-https"
    if chain[1].scheme != "https":
        return "redirection-not-to-https-on-initial-redirection"
    if chain[1].hostname != chain[0].hostname:
        return "redirection-off-host-from-http"
    return "redirection-to-https"


REFERRER_PRIVATE = [
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
]
REFERRER_UNSAFE = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]


def referrer_policy(scan: Scan) -> str:
    values = scan.headers.all("Referrer-Policy")
    if not values:
        return "referrer-policy-not-implemented"
    # The last policy a browser understands is the one it uses.
    known = [
        v.strip().lower()
        for v in ", ".join(values).split(",")
        if v.strip().lower() in REFERRER_PRIVATE + REFERRER_UNSAFE
    ]
    policy = known[-1] if known else ""
    if policy in REFERRER_PRIVATE:
        return "referrer-policy-private"
    if policy in REFERRER_UNSAFE:
        return "referrer-policy-unsafe"
    return "referrer-policy-header-invalid"


HSTS_PASSING = {"hsts-implemented-max-age-at-least-six-months", "hsts-preloaded"}


def strict_transport_security(scan: Scan) -> str:
    if not scan.url.startswith("https:"):
        return "hsts-not-implemented-no-https"
    if scan.hsts_preloaded:
        return "hsts-preloaded"
    header = scan.headers.first("Strict-Transport-Security")
    if header is None:
        return "hsts-not-implemented"
    header = header[:1024]
    if "," in header:
        return "hsts-header-invalid"  # set more than once
    max_age = None
    for parameter in (p.strip().lower() for p in header.split(";")):
        if parameter.startswith("max-age="):
            match = re.match(r"\s*(\d+)", parameter[8:128])
            max_age = int(match.group(1)) if match else None
    if max_age is None:
        return "hsts-header-invalid"
    if max_age < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months"
    return "hsts-implemented-max-age-at-least-six-months"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def _site(hostname: str) -> str:
    # The registrable domain, near enough for the portal's hosts (no public suffix list here).
    return ".".join((hostname or "").split(".")[-2:])


SRI_BADNESS = [
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
    "sri-not-implemented-response-not-html",
]


def subresource_integrity(scan: Scan) -> str:
    mime = (scan.headers.first("Content-Type") or "").split(";")[0].strip().lower()
    if mime and mime not in {"text/html", "application/xhtml+xml"}:
        return "sri-not-implemented-response-not-html"
    parser = _Scripts()
    parser.feed(scan.html)
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    page = urlsplit(scan.url)
    result = None
    foreign = False

    def worse(candidate: str) -> None:
        nonlocal result
        if result is None or SRI_BADNESS.index(candidate) > SRI_BADNESS.index(result):
            result = candidate

    for script in parser.scripts:
        src = script.get("src")
        if not src:
            continue
        integrity = script.get("integrity")
        protocol_relative = bool(re.match(r"^//[^/]", src))
        absolute = bool(re.match(r"^https?://", src))
        relative = not protocol_relative and not absolute
        same_site = (
            protocol_relative or relative or _site(urlsplit(src).hostname) == _site(page.hostname)
        )
        secure_origin = relative or (same_site and not protocol_relative)
        secure_scheme = (absolute and src.startswith("https://")) or (
            relative and page.scheme == "https"
        )
        if not secure_origin:
            foreign = True
            if integrity and not secure_scheme:
                worse("sri-implemented-but-external-scripts-not-loaded-securely")
            elif not integrity and secure_scheme:
                worse("sri-not-implemented-but-external-scripts-loaded-securely")
            elif not integrity:
                worse("sri-not-implemented-and-external-scripts-not-loaded-securely")
        elif integrity and secure_scheme and result is None:
            result = "sri-implemented-and-all-scripts-loaded-securely"
    if result:
        return result
    if foreign:
        return "sri-implemented-and-external-scripts-loaded-securely"
    return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"


def x_content_type_options(scan: Scan) -> str:
    header = scan.headers.first("X-Content-Type-Options")
    if header is None:
        return "x-content-type-options-not-implemented"
    if header[:256].strip().lower() == "nosniff":
        return "x-content-type-options-nosniff"
    return "x-content-type-options-header-invalid"


def x_frame_options(scan: Scan, csp: Mapping[str, set[str]]) -> str:
    if "frame-ancestors" in csp:
        return "x-frame-options-implemented-via-csp"
    header = scan.headers.first("X-Frame-Options")
    if header is None:
        return "x-frame-options-not-implemented"
    value = header[:1024].strip().lower()
    if value in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from"):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid"


def cross_origin_resource_policy(scan: Scan) -> str:
    header = scan.headers.first("Cross-Origin-Resource-Policy")
    if not header:
        return "cross-origin-resource-policy-not-implemented"
    return {
        "same-site": "cross-origin-resource-policy-implemented-with-same-site",
        "same-origin": "cross-origin-resource-policy-implemented-with-same-origin",
        "cross-origin": "cross-origin-resource-policy-implemented-with-cross-origin",
    }.get(header[:256].strip().lower(), "cross-origin-resource-policy-header-invalid")
