"""Which language a translated text on a page is written in (enterprises/translation.py).

On an English page `enterprise.summary` shows the English text where one has been written and
the Swedish one where not; the page must say which (`lang="sv"`), or a screen reader reads the
Swedish with an English voice.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

ORIGINAL = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def page_language() -> str:
    return (get_language() or ORIGINAL).split("-")[0]


def written_in(row, field: str) -> str:
    """The language of what `row.<field>` shows in the active language: that language where a
    translation has been written, else the original (Swedish) it falls back to."""
    language = page_language()
    if language != ORIGINAL and getattr(row, f"{field}_{language}", None):
        return language
    return ORIGINAL
