"""Small helpers for the public pages' templates: links, language switch, structured data."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

from enterprises.content_language import page_language, written_in

register = template.Library()

# As django.utils.html.json_script does: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

# The Open Graph locale of each site language.
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}

# The training places for case officers are another app's page, included at /platser/.
PLACES_URL_NAME = "placements:list"
PLACES_FALLBACK_PATH = "/platser/"


@register.filter
def json_ld(data: dict) -> SafeString:
    """A schema.org JSON-LD script element for data built in Python."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


@register.filter
def tel_uri(phone: str) -> str:
    """A phone number as written in Sweden ("08-465 004 00") as a tel: link target."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+46" + digits[1:]
    return f"tel:{digits}"


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    """The absolute URL of a path on this site; of the current page by default."""
    request = context.get("request")
    if request is None:
        return path
    return request.build_absolute_uri(path or _page_path(context))


def _page_path(context) -> str:
    # The page's address without whatever was appended to it; a page that reads its query
    # string names its own address ("page_path"), e.g. the directory with its valid filters.
    return context.get("page_path") or context["request"].path


@register.simple_tag
def og_locale(language: str | None = None) -> str:
    return OG_LOCALES.get(language or get_language() or settings.LANGUAGE_CODE, "sv_SE")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each other language: code, name in that language, URL."""
    request = context.get("request")
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        path = _page_path(context) if request is not None else ""
        links.append({"code": code, "name": _own_name(code), "url": _translated(path, code)})
    return links


def _own_name(code: str) -> str:
    # A language is named in itself, so that those who need it can read the link.
    with override(code):
        return str(dict(settings.LANGUAGES)[code])


def _translated(path: str, code: str) -> str:
    translated = translate_url(path, code) if path else path
    if translated != path:
        return translated
    # A page that does not resolve (a 404) or has no other-language URL: that language's home.
    with override(code):
        return reverse("enterprises:home")


@register.simple_tag
def places_url() -> str:
    """The case officers' training places: by URL name once the route exists, else its path."""
    try:
        return reverse(PLACES_URL_NAME)
    except NoReverseMatch:
        return PLACES_FALLBACK_PATH


@register.simple_tag
def contact_url() -> str:
    """The one contact form; its route is added by the contact form's own work."""
    try:
        return reverse("enterprises:contact")
    except NoReverseMatch:
        return "/kontakt/"


@register.simple_tag
def lang_attr(row, field: str) -> str:
    """` lang="sv"` on an element showing `row.<field>` where the page is in another language and
    the text has not been translated, so it is shown (and must be read) in Swedish."""
    language = written_in(row, field)
    if language == page_language():
        return ""
    return format_html(' lang="{}"', language)
