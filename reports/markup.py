"""The small markup of the report's own texts, and `render_markup()` that makes HTML of it.

The coordinator writes a section's text, the introduction to the activities and each
activity's text as plain text with a little markup (the admin shows MARKUP_HELP):

- a blank line starts a new paragraph; a single line break stays a line break;
- *kursiv* and **fet**;
- lines that start with "- " are a bullet list (lines "1. ", "2. ", ... a numbered one);
- [text](https://...) is a link (http, https and mailto only).

Nothing else: no raw HTML, headings, quotes or code blocks (what would be one stays text),
and no images (one's markup is at most a link to it). markdown-it-py parses (its "commonmark"
preset with only these rules), then nh3 keeps only the tags above, so the result is safe to
show whatever was typed. Plain text renders as Django's `linebreaks` filter made it, so texts
written before the markup existed look the same.

In the PDF (`pdf=True`) a list item starts with its bullet ("•") or number as text, as the
report's other lists do (see templates/reports/includes/document.html).
"""

from __future__ import annotations

from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

MARKUP_HELP = _(
    "Tom rad mellan stycken. *kursiv*, **fet**, rader som börjar med ”- ” blir en punktlista, "
    "[text](https://exempel.se) blir en länk."
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The report's stylesheet styles its lists by this class, in the page and the PDF alike.
LIST_CLASS = {"ul": {"class": "report-list"}, "ol": {"class": "report-list"}}

# Everything the commonmark preset knows but the report's texts do not use.
DISABLED_RULES = [
    "code",
    "fence",
    "blockquote",
    "hr",
    "reference",
    "html_block",
    "heading",
    "lheading",
    "backticks",
    "image",
    "autolink",
    "html_inline",
    "entity",
]
PDF_BULLET = "•\u00a0\u00a0"  # as document.html writes "•&nbsp;&nbsp;"


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(DISABLED_RULES)
    # A line break as the `linebreaks` filter writes it: "<br>", not "<br />\n".
    parser.add_render_rule("softbreak", lambda *args: "<br>")
    parser.add_render_rule("hardbreak", lambda *args: "<br>")
    return parser


def render_markup(text: str, *, pdf: bool = False, item: bool = False) -> SafeString:
    """The text as safe HTML: paragraphs, line breaks, emphasis, lists and links.

    `item=True` for a text inside a list item (an activity): its first paragraph is written
    without <p>, as a tight list writes its items, so that it starts on the bullet's line.
    """
    if not text:
        return SafeString("")
    parser = _parser()
    tokens = parser.parse(text)
    if item and tokens and tokens[0].type == "paragraph_open":
        closing = next(t for t in tokens if t.type == "paragraph_close" and t.level == 0)
        tokens[0].hidden = closing.hidden = True
    if pdf:
        _write_list_markers(tokens)
    html = parser.renderer.render(tokens, parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values=LIST_CLASS,
    )
    return mark_safe(cleaned.strip())  # noqa: S308 - nh3 let only the tags above through


def _write_list_markers(tokens: list[Token]) -> None:
    """Start each list item's first line with its bullet or number, as text."""
    numbers: list[int | None] = []  # per open list: the next number, or None for bullets
    for index, token in enumerate(tokens):
        if token.type == "bullet_list_open":
            numbers.append(None)
        elif token.type == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif token.type == "list_item_open":
            number = numbers[-1]
            marker = PDF_BULLET if number is None else f"{number}.\u00a0\u00a0"
            if number is not None:
                numbers[-1] = number + 1
            # An item's text is a paragraph (hidden in a tight list); an empty item has none.
            following = tokens[index + 1 : index + 3]
            if [t.type for t in following] == ["paragraph_open", "inline"]:
                text = Token("text", "", 0)
                text.content = marker
                following[1].children.insert(0, text)
