"""The sitemap: the storefront's fixed pages and every published enterprise, in both languages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from .models import Enterprise


class StorefrontSitemap(Sitemap):
    """Locations on the host the sitemap was asked for.

    Django's sitemaps take the domain from the Site row, which nobody keeps up to date here;
    the request's host is checked against ALLOWED_HOSTS, so it is the address people use.
    """

    i18n = True
    alternates = True
    x_default = True

    def __init__(self, domain: str | None = None) -> None:
        self.domain = domain

    def get_domain(self, site=None) -> str:
        return self.domain or super().get_domain(site)


class StaticPagesSitemap(StorefrontSitemap):
    changefreq = "monthly"

    names = [
        "enterprises:home",
        "enterprises:directory",
        "enterprises:services",
        "enterprises:contact",
        "enterprises:about",
        "enterprises:accessibility",
        "enterprises:privacy",
    ]

    def items(self) -> list[str]:
        return [name for name in self.names if _exists(name)]

    def location(self, item: str) -> str:
        return reverse(item)


class EnterpriseSitemap(StorefrontSitemap):
    changefreq = "weekly"

    def items(self):
        return Enterprise.objects.published().order_by("name")

    def lastmod(self, enterprise: Enterprise):
        return enterprise.updated_at


def _exists(url_name: str) -> bool:
    # The contact page is another engineer's: list it once its route exists.
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


SITEMAPS = {"pages": StaticPagesSitemap, "enterprises": EnterpriseSitemap}
