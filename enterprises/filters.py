"""The directory's filters: municipality, service and a search text, read from plain GET
parameters so that a filtered list is a link to share."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import search
from .models import EnterpriseQuerySet, Municipality, ServiceCategory

SEARCH_MAX_LENGTH = 100


def clean_search_text(value: str, limit: int = SEARCH_MAX_LENGTH) -> str:
    """What a visitor typed, without control characters and runs of spaces, at most `limit`."""
    printable = "".join(ch for ch in value if not unicodedata.category(ch).startswith("C"))
    return " ".join(printable.split())[:limit]


@dataclass
class DirectoryFilter:
    """The directory's filters, read from plain GET parameters so a filtered list is a link.

    Values that match nothing are ignored, and `notices` says so in words.
    """

    municipalities: list[Municipality]
    categories: list[ServiceCategory]
    municipality: Municipality | None = None
    category: ServiceCategory | None = None
    query: str = ""
    notices: list[str] = field(default_factory=list)

    MUNICIPALITY = "kommun"
    CATEGORY = "tjanst"
    QUERY = "q"

    @classmethod
    def from_params(
        cls,
        params: QueryDict,
        *,
        municipalities: list[Municipality],
        categories: list[ServiceCategory],
    ) -> DirectoryFilter:
        filters = cls(municipalities=municipalities, categories=categories)
        raw_query = params.get(cls.QUERY, "")
        filters.query = clean_search_text(raw_query)
        if len(" ".join(raw_query.split())) > SEARCH_MAX_LENGTH:
            filters.notices.append(
                _("Sökordet var långt, så vi sökte bara på de första %(count)s tecknen.")
                % {"count": SEARCH_MAX_LENGTH}
            )

        municipality_slug = clean_search_text(params.get(cls.MUNICIPALITY, ""))
        if municipality_slug:
            filters.municipality = _by_slug(municipalities, municipality_slug)
            if filters.municipality is None:
                filters.notices.append(
                    _(
                        "Vi hittade ingen kommun som heter ”%(value)s”, "
                        "så den filtreringen används inte."
                    )
                    % {"value": municipality_slug}
                )

        category_slug = clean_search_text(params.get(cls.CATEGORY, ""))
        if category_slug:
            filters.category = _by_slug(categories, category_slug)
            if filters.category is None:
                filters.notices.append(
                    _(
                        "Vi hittade ingen tjänst som heter ”%(value)s”, "
                        "så den filtreringen används inte."
                    )
                    % {"value": category_slug}
                )
        return filters

    @property
    def is_active(self) -> bool:
        return bool(self.municipality or self.category or self.query)

    def path(self) -> str:
        params = {
            self.MUNICIPALITY: self.municipality.slug if self.municipality else "",
            self.CATEGORY: self.category.slug if self.category else "",
            self.QUERY: self.query,
        }
        query_string = urlencode({name: value for name, value in params.items() if value})
        return reverse("enterprises:directory") + (f"?{query_string}" if query_string else "")

    def apply(self, enterprises: EnterpriseQuerySet) -> EnterpriseQuerySet:
        if self.municipality:
            enterprises = enterprises.in_municipality(self.municipality)
        if self.category:
            enterprises = enterprises.in_category(self.category)
        if self.query:
            enterprises = search.search(enterprises, self.query)
        return enterprises


def _by_slug(options: list, slug: str):
    slug = slug.lower()
    return next((option for option in options if option.slug == slug), None)
