"""The Observatory scoring (tests/security/observatory.py) against header sets worked by hand."""

from __future__ import annotations

import pytest

from tests.security.observatory import Headers, Scan, observatory_score

GOOD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
GOOD_COOKIES = [
    "sessionid=abc; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax; Secure",
    "csrftoken=def; HttpOnly; Max-Age=31449600; Path=/; SameSite=Lax; Secure",
]


def good_headers(**changes: str | None) -> Headers:
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": GOOD_CSP,
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            headers.pop(name)
        else:
            headers[name] = value
    return Headers(headers)


def good_scan(**kwargs) -> Scan:
    defaults = {
        "url": "https://asf.example.org/",
        "headers": good_headers(),
        "html": "<!doctype html><title>x</title><p>Hej</p>",
        "cookies": GOOD_COOKIES,
        "redirects": ["http://asf.example.org/", "https://asf.example.org/"],
    }
    return Scan(**(defaults | kwargs))


def test_no_headers_at_all_scores_30_a_d():
    # CSP -25, HSTS -20, X-Content-Type-Options -5, X-Frame-Options -20; nothing else counts.
    result = observatory_score(Scan(url="https://example.org/"))
    assert result.score == 30
    assert result.grade == "D"
    assert result.tests["content-security-policy"] == "csp-not-implemented"
    assert result.tests["x-frame-options"] == "x-frame-options-not-implemented"


def test_plain_http_site_without_headers_scores_10():
    # As above, and HSTS cannot be set without HTTPS (-20), no redirection to HTTPS (-20).
    result = observatory_score(Scan(url="http://example.org/", redirects=["http://example.org/"]))
    assert result.tests["redirection"] == "redirection-missing"
    assert result.tests["strict-transport-security"] == "hsts-not-implemented-no-https"
    assert result.score == 10
    assert result.grade == "F"


def test_good_headers_earn_every_bonus_but_preload_and_sri():
    # 100 + CSP default-src 'none' 10 + cookies 5 + Referrer-Policy 5 + frame-ancestors 5 + CORP 10
    result = observatory_score(good_scan())
    assert result.score == 135, result.describe()
    assert result.grade == "A+"


def test_the_maximum_is_145():
    html = '<script src="/static/app.js" integrity="sha384-abc" crossorigin="anonymous"></script>'
    result = observatory_score(good_scan(html=html, hsts_preloaded=True))
    assert result.tests["subresource-integrity"] == (
        "sri-implemented-and-all-scripts-loaded-securely"
    )
    assert result.score == 145


def test_bonuses_count_only_from_90():
    # Without HSTS (-20): 80, and the 35 points of bonus are withheld.
    result = observatory_score(good_scan(headers=good_headers(Strict_Transport_Security=None)))
    assert result.score == 80
    assert result.grade == "B+"


@pytest.mark.parametrize(
    ("csp", "expectation", "score"),
    [
        (GOOD_CSP, "csp-implemented-with-no-unsafe-default-src-none", 135),
        (
            "default-src 'self'; frame-ancestors 'none'",
            "csp-implemented-with-no-unsafe",
            130,
        ),
        (
            "default-src 'none'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            "csp-implemented-with-unsafe-inline",
            80,
        ),
        (
            # A nonce makes browsers ignore 'unsafe-inline' (the fallback for old browsers).
            "default-src 'none'; script-src 'self' 'nonce-r4nd0m' 'unsafe-inline'; "
            "frame-ancestors 'none'",
            "csp-implemented-with-no-unsafe-default-src-none",
            135,
        ),
        (
            "default-src 'none'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            "csp-implemented-with-unsafe-inline-in-style-src-only",
            125,
        ),
        (
            "default-src 'none'; script-src 'self' 'unsafe-eval'; frame-ancestors 'none'",
            "csp-implemented-with-unsafe-eval",
            90 + 25,
        ),
        (
            "default-src 'none'; img-src http://images.example.org; frame-ancestors 'none'",
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            90 + 25,
        ),
        (
            "default-src 'none'; script-src https:; frame-ancestors 'none'",
            "csp-implemented-with-unsafe-inline",
            80,
        ),
        (
            # No script-src and no default-src: scripts from anywhere.
            "frame-ancestors 'none'",
            "csp-implemented-with-unsafe-inline",
            80,
        ),
        (
            "default-src 'none'; default-src 'self'",
            "csp-header-invalid",
            # -25, and X-Frame-Options falls back to the DENY header (0).
            75,
        ),
        ("default-src 'none'; script-src 'strict-dynamic'", "csp-header-invalid", 75),
    ],
)
def test_content_security_policy(csp, expectation, score):
    result = observatory_score(good_scan(headers=good_headers(Content_Security_Policy=csp)))
    assert result.tests["content-security-policy"] == expectation
    assert result.score == score, result.describe()


def test_report_only_policy_is_not_a_policy():
    headers = Headers(
        [("Content-Security-Policy-Report-Only", GOOD_CSP), ("X-Frame-Options", "DENY")]
    )
    result = observatory_score(good_scan(headers=headers))
    assert result.tests["content-security-policy"] == "csp-not-implemented-but-reporting-enabled"


@pytest.mark.parametrize(
    ("cookies", "expectation", "score"),
    [
        ([], "cookies-not-found", 130),
        (
            ["sessionid=a; HttpOnly; Path=/; Secure", "csrftoken=b; Path=/; SameSite=Lax; Secure"],
            "cookies-secure-with-httponly-sessions",
            130,
        ),
        (
            ["sessionid=a; Path=/; SameSite=Lax; Secure"],
            "cookies-session-without-httponly-flag",
            70,
        ),
        (
            # HSTS on the response: a session cookie without Secure costs 10, not 40.
            ["sessionid=a; HttpOnly; Path=/; SameSite=Lax"],
            "cookies-session-without-secure-flag-but-protected-by-hsts",
            90 + 30,
        ),
        (
            ["csrftoken=b; Path=/; Secure"],
            "cookies-anticsrf-without-samesite-flag",
            80,
        ),
        (
            ["messages=c; HttpOnly; Path=/; SameSite=Lax"],
            "cookies-without-secure-flag-but-protected-by-hsts",
            95 + 30,
        ),
        (
            ["sessionid=a; HttpOnly; Secure; SameSite=Sometimes"],
            "cookies-samesite-flag-invalid",
            80,
        ),
        (
            # Deleted on the way (an expired Set-Cookie): not in the jar any more.
            ["messages=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"],
            "cookies-not-found",
            130,
        ),
    ],
)
def test_cookies(cookies, expectation, score):
    result = observatory_score(good_scan(cookies=cookies))
    assert result.tests["cookies"] == expectation
    assert result.score == score, result.describe()


def test_session_cookie_without_secure_and_without_hsts_costs_40():
    result = observatory_score(
        good_scan(
            headers=good_headers(Strict_Transport_Security=None),
            cookies=["sessionid=a; HttpOnly; Path=/; SameSite=Lax"],
        )
    )
    assert result.tests["cookies"] == "cookies-session-without-secure-flag"
    assert result.score == 100 - 20 - 40


@pytest.mark.parametrize(
    ("policy", "expectation", "score"),
    [
        ("no-referrer", "referrer-policy-private", 135),
        ("same-origin", "referrer-policy-private", 135),
        ("unsafe-url", "referrer-policy-unsafe", 95 + 30),
        ("no-referrer, unsafe-url", "referrer-policy-unsafe", 95 + 30),
        ("unsafe-url, strict-origin", "referrer-policy-private", 135),
        ("sometimes", "referrer-policy-header-invalid", 95 + 30),
        (None, "referrer-policy-not-implemented", 130),
    ],
)
def test_referrer_policy(policy, expectation, score):
    result = observatory_score(good_scan(headers=good_headers(Referrer_Policy=policy)))
    assert result.tests["referrer-policy"] == expectation
    assert result.score == score


@pytest.mark.parametrize(
    ("hsts", "expectation", "score"),
    [
        ("max-age=15552000", "hsts-implemented-max-age-at-least-six-months", 135),
        (
            "max-age=86400; includeSubDomains",
            "hsts-implemented-max-age-less-than-six-months",
            90 + 35,
        ),
        ("includeSubDomains", "hsts-header-invalid", 80),
        ("max-age=31536000, max-age=31536000", "hsts-header-invalid", 80),
    ],
)
def test_strict_transport_security(hsts, expectation, score):
    result = observatory_score(good_scan(headers=good_headers(Strict_Transport_Security=hsts)))
    assert result.tests["strict-transport-security"] == expectation
    assert result.score == score


SRI_NONE = "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"


@pytest.mark.parametrize(
    ("html", "expectation", "score"),
    [
        ('<script src="/static/admin/js/core.js"></script>', SRI_NONE, 135),
        (
            '<script src="https://cdn.example.net/x.js"></script>',
            "sri-not-implemented-but-external-scripts-loaded-securely",
            95 + 35,
        ),
        (
            '<script src="https://cdn.example.net/x.js" integrity="sha384-x"></script>',
            "sri-implemented-and-external-scripts-loaded-securely",
            140,
        ),
        (
            '<script src="http://cdn.example.net/x.js"></script>',
            "sri-not-implemented-and-external-scripts-not-loaded-securely",
            50,
        ),
        (
            '<script src="//cdn.example.net/x.js" integrity="sha384-x"></script>',
            "sri-implemented-but-external-scripts-not-loaded-securely",
            80,
        ),
        ('<script type="application/json">{}</script>', SRI_NONE, 135),
    ],
)
def test_subresource_integrity(html, expectation, score):
    result = observatory_score(good_scan(html=html))
    assert result.tests["subresource-integrity"] == expectation
    assert result.score == score


def test_x_frame_options_without_frame_ancestors():
    csp = "default-src 'none'"
    assert (
        observatory_score(good_scan(headers=good_headers(Content_Security_Policy=csp))).tests[
            "x-frame-options"
        ]
        == "x-frame-options-sameorigin-or-deny"
    )
    result = observatory_score(
        good_scan(headers=good_headers(Content_Security_Policy=csp, X_Frame_Options=None))
    )
    assert result.tests["x-frame-options"] == "x-frame-options-not-implemented"
    assert result.score == 80


def test_missing_nosniff_costs_5():
    result = observatory_score(good_scan(headers=good_headers(X_Content_Type_Options=None)))
    assert result.score == 95 + 35
    result = observatory_score(good_scan(headers=good_headers(X_Content_Type_Options="sniff")))
    assert result.tests["x-content-type-options"] == "x-content-type-options-header-invalid"


@pytest.mark.parametrize(
    ("corp", "score"),
    [("same-site", 135), ("cross-origin", 125), (None, 125), ("everyone", 95 + 25)],
)
def test_cross_origin_resource_policy(corp, score):
    result = observatory_score(good_scan(headers=good_headers(Cross_Origin_Resource_Policy=corp)))
    assert result.score == score


@pytest.mark.parametrize(
    ("redirects", "expectation", "score"),
    [
        (None, "redirection-not-needed-no-http", 135),
        (
            ["http://a.example.org/", "https://b.example.org/"],
            "redirection-off-host-from-http",
            95 + 35,
        ),
        (
            ["http://a.example.org/", "http://www.a.example.org/", "https://www.a.example.org/"],
            "redirection-not-to-https-on-initial-redirection",
            90 + 35,
        ),
        (["http://a.example.org/", "http://b.example.org/"], "redirection-not-to-https", 80),
    ],
)
def test_redirection(redirects, expectation, score):
    result = observatory_score(good_scan(redirects=redirects))
    assert result.tests["redirection"] == expectation
    assert result.score == score


def test_cors_that_reflects_the_origin_with_credentials_costs_50():
    origin = "https://http-observatory.security.mozilla.org"
    reflecting = Headers(
        {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true"}
    )
    result = observatory_score(good_scan(cors_headers=reflecting))
    assert result.tests["cross-origin-resource-sharing"] == (
        "cross-origin-resource-sharing-implemented-with-universal-access"
    )
    assert result.score == 50
    public = Headers({"Access-Control-Allow-Origin": "*"})
    assert observatory_score(good_scan(cors_headers=public)).score == 135
