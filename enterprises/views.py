"""The public storefront: the network, its enterprises and what they sell.

Every page reads in a fixed number of queries, however many enterprises there are, and is
cached for anonymous visitors (enterprises/cache.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import TemplateView

from placements.models import Agreement, Organisation, TrainingPlace

from .cache import cache_public_page
from .forms import InquiryForm
from .models import (
    Enterprise,
    EnterpriseAlias,
    Municipality,
    NetworkProfile,
    ServiceCategory,
    Unit,
)
from .services import InquiryRateLimited, inquiry_submit
from .sitemaps import SITEMAPS
from .templatetags.storefront import tel_uri

SEARCH_MAX_LENGTH = 100


# ---------------------------------------------------------------------------------------------
# The storefront
# ---------------------------------------------------------------------------------------------


@require_safe
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    network = NetworkProfile.for_request(request)
    enterprises = list(Enterprise.objects.published().for_cards())
    offer, others = _offer_by_category(enterprises)
    return render(
        request,
        "enterprises/home.html",
        {
            "enterprises": enterprises,
            "offer": offer,
            "others": others,
            "json_ld": _network_json_ld(request, network, enterprises),
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
    enterprises = list(filters.apply(Enterprise.objects.published().for_cards()))
    return render(
        request,
        "enterprises/directory.html",
        {
            "filters": filters,
            "enterprises": enterprises,
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
            "referrers": _referrers(enterprise.placing_agreements),
            **_training_offer(enterprise),
            "page_title": enterprise.name,
            "page_description": _enterprise_description(enterprise),
            "og_type": "business.business",
            "og_image": enterprise.image.url if enterprise.image else "",
            "json_ld": _enterprise_json_ld(request, network, enterprise),
        },
    )


@require_safe
@cache_public_page
def services(request: HttpRequest) -> HttpResponse:
    enterprises = list(Enterprise.objects.published().for_cards())
    offer, others = _offer_by_category(enterprises)
    return render(
        request,
        "enterprises/services.html",
        {
            "offer": offer,
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
# The directory's filters
# ---------------------------------------------------------------------------------------------


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

    def apply(self, enterprises):
        if self.municipality:
            enterprises = enterprises.in_municipality(self.municipality)
        if self.category:
            enterprises = enterprises.in_category(self.category)
        if self.query:
            enterprises = enterprises.search(self.query)
        return enterprises


def _by_slug(options: list, slug: str):
    slug = slug.lower()
    return next((option for option in options if option.slug == slug), None)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _offer_by_category(
    enterprises: list[Enterprise],
) -> tuple[list[tuple[ServiceCategory, list[Enterprise]]], list[Enterprise]]:
    """What the network sells: each category with the enterprises behind it, and the rest.

    Built from the enterprises' prefetched categories, so it costs no query of its own.
    """
    by_category: dict[int, tuple[ServiceCategory, list[Enterprise]]] = {}
    others = []
    for enterprise in enterprises:
        categories = enterprise.service_categories.all()
        if not categories:
            others.append(enterprise)
        for category in categories:
            by_category.setdefault(category.pk, (category, []))[1].append(enterprise)
    offer = sorted(by_category.values(), key=lambda pair: (pair[0].order, pair[0].name))
    return offer, others


def _enterprise_page_queryset():
    today = timezone.localdate()
    agreements = (
        Agreement.objects.valid_on(today)
        .placing()
        .select_related(
            "counterparty", "prime_agreement__counterparty", "prime_agreement__enterprise"
        )
        .prefetch_related("programmes", "prime_agreement__programmes")
        .order_by("order", "pk")
    )
    places = (
        TrainingPlace.objects.open()
        .with_free_seats()
        .prefetch_related("placement_types", "adaptations")
        .order_by("title")
    )
    return (
        Enterprise.objects.published()
        .select_related("group")
        .prefetch_related(
            "municipalities",
            "service_categories",
            "adaptations",
            "aliases",
            Prefetch("units", queryset=Unit.objects.select_related("municipality")),
            Prefetch("training_places", queryset=places, to_attr="open_places"),
            Prefetch("agreements", queryset=agreements, to_attr="placing_agreements"),
        )
    )


def _training_offer(enterprise: Enterprise) -> dict:
    """What the open places offer: their types, the adaptations, whether a seat is free."""
    places = enterprise.open_places
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
    }


@dataclass
class Referrer:
    """An organisation that may place participants at the enterprise, and how."""

    organisation: Organisation
    programmes: list = field(default_factory=list)
    # The enterprises whose agreements this one works under as a subcontractor.
    through: list[Enterprise] = field(default_factory=list)
    direct: bool = False


def _referrers(agreements: list[Agreement]) -> list[Referrer]:
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


def _enterprise_description(enterprise: Enterprise) -> str:
    text = enterprise.summary or enterprise.description or enterprise.services_text
    if not text:
        return _("%(name)s är ett arbetsintegrerande socialt företag i ASF-nätverket.") % {
            "name": enterprise.name
        }
    return Truncator(" ".join(text.split())).chars(200)


def _phone(number: str) -> str:
    return tel_uri(number).removeprefix("tel:")


def _network_json_ld(
    request: HttpRequest, network: NetworkProfile | None, enterprises: list[Enterprise]
) -> dict:
    home_url = request.build_absolute_uri(reverse("enterprises:home"))
    data = {"@context": "https://schema.org", "@type": "Organization", "url": home_url}
    if network is not None:
        data.update(
            name=network.name,
            alternateName=network.short_name,
            description=network.tagline or network.name,
            telephone=_phone(network.phone),
            email=network.email,
            contactPoint={
                "@type": "ContactPoint",
                "contactType": "customer service",
                "telephone": _phone(network.phone),
                "email": network.email,
                "availableLanguage": ["sv", "en"],
            },
        )
    areas = _unique(m for enterprise in enterprises for m in enterprise.municipalities.all())
    data["areaServed"] = [{"@type": "City", "name": m.name} for m in areas]
    data["member"] = [
        {
            "@type": "Organization",
            "name": enterprise.name,
            "url": request.build_absolute_uri(enterprise.get_absolute_url()),
        }
        for enterprise in enterprises
    ]
    return data


def _enterprise_json_ld(
    request: HttpRequest, network: NetworkProfile | None, enterprise: Enterprise
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": enterprise.name,
        "url": request.build_absolute_uri(enterprise.get_absolute_url()),
        "description": _enterprise_description(enterprise),
    }
    aliases = [alias.name for alias in enterprise.aliases.all()]
    if aliases:
        data["alternateName"] = aliases
    phone = enterprise.phone or (network.phone if network else "")
    if phone:
        data["telephone"] = _phone(phone)
    if enterprise.email:
        data["email"] = enterprise.email
    if enterprise.website:
        data["sameAs"] = [enterprise.website]
    if enterprise.image:
        data["image"] = request.build_absolute_uri(enterprise.image.url)
    if enterprise.start_year:
        data["foundingDate"] = str(enterprise.start_year)
    addresses = [_postal_address(unit) for unit in enterprise.units.all()]
    if addresses := [address for address in addresses if address]:
        data["address"] = addresses if len(addresses) > 1 else addresses[0]
    data["areaServed"] = [
        {"@type": "City", "name": m.name} for m in enterprise.municipalities.all()
    ]
    if network is not None:
        data["memberOf"] = {
            "@type": "Organization",
            "name": network.name,
            "telephone": _phone(network.phone),
            "url": request.build_absolute_uri(reverse("enterprises:home")),
        }
    return data


def _postal_address(unit: Unit) -> dict:
    locality = unit.city or (unit.municipality.name if unit.municipality else "")
    if not (unit.street_address or unit.postal_code or locality):
        return {}
    address = {"@type": "PostalAddress", "name": unit.name, "addressCountry": "SE"}
    if unit.street_address:
        address["streetAddress"] = unit.street_address
    if unit.postal_code:
        address["postalCode"] = unit.postal_code
    if locality:
        address["addressLocality"] = locality
    return address


# The contact view goes below this line: owned by the contact form engineer.


# ---------------------------------------------------------------------------------------------
# The one contact form
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def contact(request: HttpRequest) -> HttpResponse:
    """The network's one contact form: POST, then a redirect to the receipt."""
    if request.method != "POST":
        form = InquiryForm(initial=InquiryForm.initial_from_query(request.GET))
        return _contact_page(request, form)

    form = InquiryForm(request.POST)
    if form.is_from_a_bot():
        # The same receipt as everyone gets, so a bot learns nothing; nothing is stored.
        return redirect("enterprises:contact_done")
    if not form.is_valid():
        return _contact_page(request, form, status=400)
    try:
        inquiry_submit(
            **form.inquiry_data(),
            ip=request.META.get("REMOTE_ADDR", ""),
            base_url=request.build_absolute_uri("/"),
        )
    except InquiryRateLimited:
        form.add_error(None, _rate_limited_message(NetworkProfile.for_request(request)))
        return _contact_page(request, form, status=429)
    return redirect("enterprises:contact_done")


@require_safe
@never_cache
def contact_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "enterprises/contact_done.html",
        {"page_title": _("Tack för ditt meddelande")},
    )


def _contact_page(request: HttpRequest, form: InquiryForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "page_title": _("Kontakta oss"),
        "page_description": _(
            "Ett formulär för allt: köpa något av nätverkets företag, arbetsträning, "
            "medlemskap eller en annan fråga. Vi svarar inom två arbetsdagar."
        ),
    }
    return render(request, "enterprises/contact.html", context, status=status)


def _rate_limited_message(network: NetworkProfile | None) -> str:
    if network is None:
        return _(
            "Vi har fått många meddelanden från din uppkoppling den senaste timmen. "
            "Vänta en stund och försök sedan igen."
        )
    return _(
        "Vi har fått många meddelanden från din uppkoppling den senaste timmen. "
        "Vänta en stund och försök sedan igen, eller ring oss på %(phone)s."
    ) % {"phone": network.phone}
