"""Reading the public pages the way a visitor (or a search engine) does."""

from __future__ import annotations

import html as html_module
import json
import re


def between(html: str, start: str, end: str) -> str:
    """The part of the page from the first `start` to the next `end` (e.g. the header)."""
    begin = html.index(start)
    return html[begin : html.index(end, begin) + len(end)]


def header(html: str) -> str:
    return between(html, "<header", "</header>")


def footer(html: str) -> str:
    return between(html, "<footer", "</footer>")


def main(html: str) -> str:
    return between(html, "<main", "</main>")


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(block) for block in blocks]


def meta(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def text(html: str) -> str:
    """The page's words as read: without tags and runs of white space ("A , B" is "A, B")."""
    words = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([,.:;)])", r"\1", words)
