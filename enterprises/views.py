"""The public storefront: the network, its enterprises and what they sell.

The directory's filters are in filters.py, the JSON-LD for search engines in
structured_data.py, the contact form in contact.py.

Every page reads in a fixed number of queries, however many enterprises there are, and is
cached for anonymous visitors (accounts/pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Model, Prefetch, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from accounts.pages import cache_public_page

from .filters import DirectoryFilter
from .models import (
    Enterprise,
    EnterpriseAlias,
    EnterpriseQuerySet,
    Municipality,
    NetworkProfile,
    ServiceCategory,
    Unit,
)
from .offer import offer
from .sitemaps import SITEMAPS
from .structured_data import enterprise_description, enterprise_json_ld, network_json_ld

# ---------------------------------------------------------------------------------------------
# The storefront
# ---------------------------------------------------------------------------------------------


# How much the home page, /tjanster/ and one page of /foretag/ show.
HOME_CARDS = 12
HOME_SELLERS = 6
SERVICES_SELLERS = 12
DIRECTORY_PAGE_SIZE = 24
PAGE_PARAMETER = "sida"


@require_safe
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    network = NetworkProfile.for_request(request)
    # A selection, with links on: the page weighs the same for 8 enterprises as for 1,000.
    enterprises = list(
        Enterprise.objects.published()
        .for_cards()
        .annotate(total=Window(Count("pk")))
        .order_by("name")[:HOME_CARDS]
    )
    categories, others = offer(HOME_SELLERS)
    return render(
        request,
        "enterprises/home.html",
        {
            "enterprises": enterprises,
            "enterprise_count": enterprises[0].total if enterprises else 0,
            "offer": categories,
            "others": others,
            "json_ld": network_json_ld(request, network, enterprises),
        },
    )


@require_safe
@cache_public_page
def directory(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilter.from_params(
        request.GET,
        municipalities=list(Municipality.objects.all()),
        categories=list(ServiceCategory.objects.all()),
    )
    found = filters.apply(Enterprise.objects.published().for_cards())
    page = Paginator(found, DIRECTORY_PAGE_SIZE).get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "enterprises/directory.html",
        {
            "filters": filters,
            "enterprises": list(page),
            "page": page,
            "page_links": _page_links(filters.path(), page),
            # Nothing found: what the network does sell, to choose from instead.
            "suggestions": [] if page.paginator.count else _categories_on_sale(),
            # The list as a link to share: only the filters in use, cleaned.
            "page_path": filters.path(),
            "page_title": _("Företagen i nätverket"),
            "page_description": _(
                "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby och Sigtuna. "
                "Sök på namn eller visa företagen i en kommun eller med en viss tjänst."
            ),
        },
    )


@require_safe
@cache_public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    enterprise = _enterprise_page_queryset().filter(slug=slug).first()
    if enterprise is None:
        # Old addresses (a former name, another spelling) lead to the page as it is now.
        alias = (
            EnterpriseAlias.objects.filter(slug=slug, enterprise__published=True)
            .select_related("enterprise")
            .first()
        )
        if alias is None:
            raise Http404(_("Det finns inget företag med den adressen."))
        return redirect(alias.enterprise, permanent=True)

    network = NetworkProfile.for_request(request)
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            **_training_offer(enterprise),
            "page_title": enterprise.name,
            "page_description": enterprise_description(enterprise),
            "og_type": "business.business",
            "og_image": enterprise.image.url if enterprise.image else "",
            "json_ld": enterprise_json_ld(request, network, enterprise),
        },
    )


@require_safe
@cache_public_page
def services(request: HttpRequest) -> HttpResponse:
    categories, others = offer(SERVICES_SELLERS)
    return render(
        request,
        "enterprises/services.html",
        {
            "offer": categories,
            "others": others,
            "page_title": _("Det här säljer vi"),
            "page_description": _(
                "Allt som nätverkets företag säljer, ordnat efter tjänst, med vem som gör det."
            ),
        },
    )


# The real texts of these pages are written in their templates (by the i18n work).
@method_decorator([require_safe, cache_public_page], name="dispatch")
class AboutView(TemplateView):
    template_name = "enterprises/about.html"
    extra_context = {
        "page_title": gettext_lazy("Om nätverket"),
        "page_description": gettext_lazy(
            "Vad ett arbetsintegrerande socialt företag är, vilka företag som är med i "
            "nätverket och partnerskapet som stöder dem."
        ),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enterprises"] = list(Enterprise.objects.published().for_cards())
        return context


@method_decorator([require_safe, cache_public_page], name="dispatch")
class AccessibilityView(TemplateView):
    template_name = "enterprises/accessibility.html"
    extra_context = {
        "page_title": gettext_lazy("Tillgänglighet"),
        "page_description": gettext_lazy(
            "Hur tillgänglig webbplatsen är, vad vi inte har kontrollerat ännu och hur du "
            "rapporterar brister."
        ),
    }


@method_decorator([require_safe, cache_public_page], name="dispatch")
class PrivacyView(TemplateView):
    template_name = "enterprises/privacy.html"
    extra_context = {
        "page_title": gettext_lazy("Så hanterar vi personuppgifter"),
        "page_description": gettext_lazy(
            "Vilka personuppgifter webbplatsen sparar, varför och hur länge, och vilka "
            "rättigheter du har."
        ),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = settings.INQUIRY_RETENTION_DAYS
        months, rest = divmod(days * 12, 365)
        context["inquiry_retention_days"] = days
        # 730 days read better as 24 months; a period that is no whole number of months
        # is given in days.
        context["inquiry_retention_months"] = None if rest else months
        context["participant_code_retention_years"] = settings.PARTICIPANT_CODE_RETENTION_YEARS
        return context


# ---------------------------------------------------------------------------------------------
# For search engines
# ---------------------------------------------------------------------------------------------


@require_safe
@cache_public_page
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    sitemaps = {name: section(domain=request.get_host()) for name, section in SITEMAPS.items()}
    return sitemap(request, sitemaps=sitemaps)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /", "Disallow: /admin/"]
    for prefix in ("", "/en"):  # the English pages live under /en/
        lines += [f"Disallow: {prefix}/konto/", f"Disallow: {prefix}/platser/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


@dataclass
class PageLink:
    number: int | None  # None: the pages left out between (…)
    url: str = ""
    current: bool = False


def _page_links(path: str, page) -> dict:
    """Links to the pages of the directory's list, the filters kept: the first and last page,
    two on each side of this one, and the previous and the next."""
    joiner = "&" if "?" in path else "?"

    def url(number: int) -> str:
        return path if number == 1 else f"{path}{joiner}{PAGE_PARAMETER}={number}"

    paginator = page.paginator
    return {
        "pages": [
            PageLink(None)
            if number == paginator.ELLIPSIS
            else PageLink(number, url(number), number == page.number)
            for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ],
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


def _categories_on_sale() -> list[ServiceCategory]:
    """The service categories that at least one published enterprise sells, in their order."""
    return list(ServiceCategory.objects.filter(enterprises__published=True).distinct())


def _enterprise_page_queryset() -> EnterpriseQuerySet:
    return (
        Enterprise.objects.published()
        .select_related("group")
        .prefetch_related(
            "municipalities",
            "service_categories",
            "adaptations",
            "aliases",
            Prefetch("units", queryset=Unit.objects.select_related("municipality")),
        )
    )


def _training_offer(enterprise: Enterprise) -> dict:
    """What the enterprise offers as work training: the open places' types and adaptations,
    whether a seat is free, and who may place participants here.

    Read through the reverse relations the placements app adds to Enterprise, whose managers
    carry its QuerySet vocabulary, so this app does not import the one above it. One
    enterprise, so a query per relation is as many as a prefetch would make.
    """
    places = list(
        enterprise.training_places.open()
        .with_free_seats()
        .prefetch_related("placement_types", "adaptations")
        .order_by("title")
    )
    agreements = (
        enterprise.agreements.valid_on(timezone.localdate())
        .placing()
        .select_related(
            "counterparty", "prime_agreement__counterparty", "prime_agreement__enterprise"
        )
        .prefetch_related("programmes", "prime_agreement__programmes")
        .order_by("order", "pk")
    )
    placement_types = _unique(kind for place in places for kind in place.placement_types.all())
    adaptations = _unique(
        [
            *enterprise.adaptations.all(),
            *(adaptation for place in places for adaptation in place.adaptations.all()),
        ]
    )
    return {
        "placement_types": placement_types,
        "adaptations": sorted(adaptations, key=lambda adaptation: adaptation.name),
        "has_free_seats": any(place.free_seats > 0 for place in places),
        "referrers": _referrers(agreements),
    }


@dataclass
class Referrer:
    """An organisation that may place participants at the enterprise, and how."""

    organisation: Model  # a placements Organisation
    programmes: list = field(default_factory=list)
    # The enterprises whose agreements this one works under as a subcontractor.
    through: list[Enterprise] = field(default_factory=list)
    direct: bool = False


def _referrers(agreements) -> list[Referrer]:
    referrers: dict[int, Referrer] = {}
    for agreement in agreements:
        organisation = agreement.referrer
        if organisation is None:
            continue
        referrer = referrers.setdefault(organisation.pk, Referrer(organisation))
        prime = agreement.prime_agreement
        if prime is None:
            referrer.direct = True
            programmes = agreement.programmes.all()
        else:
            referrer.through = _unique([*referrer.through, prime.enterprise])
            programmes = prime.programmes.all()
        referrer.programmes = _unique([*referrer.programmes, *programmes])
    return list(referrers.values())


def _unique(items) -> list:
    seen: dict[int, object] = {}
    for item in items:
        seen.setdefault(item.pk, item)
    return list(seen.values())
