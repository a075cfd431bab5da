"""What the storefront tells search engines and link previews: schema.org JSON-LD for the
network and each enterprise, and an enterprise's short description.

Built from what the pages have already fetched (prefetched municipalities, units and other
names), so it costs no query of its own.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import Enterprise, NetworkProfile, Unit
from .templatetags.storefront import tel_uri


def enterprise_description(enterprise: Enterprise) -> str:
    """A sentence or two about the enterprise, for the meta description and JSON-LD."""
    text = enterprise.summary or enterprise.description or enterprise.services_text
    if not text:
        return _("%(name)s är ett arbetsintegrerande socialt företag i ASF-nätverket.") % {
            "name": enterprise.name
        }
    return Truncator(" ".join(text.split())).chars(200)


def network_json_ld(
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
    areas = {m.pk: m for enterprise in enterprises for m in enterprise.municipalities.all()}
    data["areaServed"] = [{"@type": "City", "name": m.name} for m in areas.values()]
    data["member"] = [
        {
            "@type": "Organization",
            "name": enterprise.name,
            "url": request.build_absolute_uri(enterprise.get_absolute_url()),
        }
        for enterprise in enterprises
    ]
    return data


def enterprise_json_ld(
    request: HttpRequest, network: NetworkProfile | None, enterprise: Enterprise
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": enterprise.name,
        "url": request.build_absolute_uri(enterprise.get_absolute_url()),
        "description": enterprise_description(enterprise),
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


def _phone(number: str) -> str:
    return tel_uri(number).removeprefix("tel:")


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
