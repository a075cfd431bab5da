"""Checks shared by the fuzz tests."""

from __future__ import annotations

# Markup from strategies.SPECIAL_TEXTS that must never come back unescaped in a page.
ACTIVE_MARKUP = ["<script>alert('xss')</script>", "<img src=x onerror=alert(1)>"]


def assert_markup_escaped(response, sent) -> None:
    """No page shows what a visitor sent as live markup."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode(response.charset or "utf-8", errors="replace")
    for values in sent:
        for markup in ACTIVE_MARKUP:
            if markup in values:
                assert markup not in body, f"{markup!r} came back unescaped"
