"""The table that closes the annual report: the network's enterprises and their agreements.

The 2022 report ends with "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby och
Sigtuna 2021", columns Kommun | Organisation | Start år | Avtal för arbetsträningsplatser.
`network_table(year=...)` rebuilds it from the data for any year, in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, EnterpriseAlias, LegalEntity, Municipality, Unit
from placements.models import Agreement


@dataclass(frozen=True)
class AgreementLine:
    """A bullet of the agreements column, with the bullets nested under it."""

    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkTableRow:
    enterprise: Enterprise
    municipalities: str  # "Sigtuna & Upplands Väsby"
    # The organisation's lines: its name with any former name, "M29 Fastighetservice (tidigare
    # Service i Sigtuna)"; or, for an enterprise made of several legal entities, one line per
    # entity with its legal form, "GGG - Allservice för Seniorer EK".
    organisation: tuple[str, ...]
    units: tuple[str, ...]  # listed under the organisation: "Café Nyfiket", "Kulturcafé", ...
    group_note: str  # "(En del av M29 Gruppen)", or ""
    start_year: int | None
    agreements: tuple[AgreementLine, ...]


def network_table(*, year: int) -> list[NetworkTableRow]:
    """The published enterprises that had started by `year` (or whose start is unknown), with
    the agreements in force at some time during that year.

    Rows come in the order the enterprises were entered (there is no field to order them by),
    which for the seeded network is the order of the 2021 table.
    """
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    agreements = (
        Agreement.objects.filter(_in_force(first_day, last_day))
        .select_related(
            "counterparty", "prime_agreement__enterprise", "prime_agreement__counterparty"
        )
        .order_by("order", "pk")
    )
    enterprises = (
        Enterprise.objects.published()
        .filter(Q(start_year__isnull=True) | Q(start_year__lte=year))
        .select_related("group")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
            Prefetch(
                "aliases",
                queryset=EnterpriseAlias.objects.filter(kind=EnterpriseAlias.Kind.FORMER).order_by(
                    "pk"
                ),
                to_attr="former_names",
            ),
            Prefetch("legal_entities", queryset=LegalEntity.objects.order_by("pk")),
            Prefetch("units", queryset=Unit.objects.order_by("pk")),
            Prefetch("agreements", queryset=agreements, to_attr="agreements_in_force"),
        )
        .order_by("pk")
    )
    return [_row(enterprise) for enterprise in enterprises]


def _in_force(first_day: datetime.date, last_day: datetime.date) -> Q:
    """In force some day between the two dates; a subcontract's prime agreement too."""

    def overlaps(prefix: str = "") -> Q:
        return (
            Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": last_day})
        ) & (
            Q(**{f"{prefix}valid_until__isnull": True})
            | Q(**{f"{prefix}valid_until__gte": first_day})
        )

    return overlaps() & (Q(prime_agreement__isnull=True) | overlaps("prime_agreement__"))


def _row(enterprise: Enterprise) -> NetworkTableRow:
    legal_entities = enterprise.legal_entities.all()
    if len(legal_entities) > 1:
        organisation = [f"{entity.name} {entity.legal_form}" for entity in legal_entities]
    else:
        organisation = [enterprise.name]
    if enterprise.former_names:
        former = ", ".join(alias.name for alias in enterprise.former_names)
        organisation[-1] += " " + _("(tidigare %(names)s)") % {"names": former}
    group = enterprise.group
    return NetworkTableRow(
        enterprise=enterprise,
        municipalities=_joined([m.name for m in enterprise.municipalities.all()]),
        organisation=tuple(organisation),
        units=tuple(unit.name for unit in enterprise.units.all()),
        group_note=_("(En del av %(group)s)") % {"group": group.name} if group else "",
        start_year=enterprise.start_year,
        agreements=_agreement_lines(enterprise.agreements_in_force),
    )


def _joined(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s & %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _agreement_lines(agreements: list[Agreement]) -> tuple[AgreementLine, ...]:
    """One line per agreement, except that subcontracts under the same contractor share one:
    "Underleverantör till M29 för avtalet" with the prime agreements nested under it. A lone
    subcontract is one line, as its label writes it.
    """
    primes_by_contractor: dict[int, list[Agreement]] = {}
    for agreement in agreements:
        if agreement.prime_agreement_id:
            prime = agreement.prime_agreement
            primes_by_contractor.setdefault(prime.enterprise_id, []).append(prime)

    lines = []
    for agreement in agreements:
        if not agreement.prime_agreement_id:
            lines.append(AgreementLine(agreement.label))
            continue
        contractor = agreement.prime_agreement.enterprise
        primes = primes_by_contractor.pop(contractor.pk, None)
        if primes is None:  # listed with the contractor's first subcontract
            continue
        if len(primes) == 1:
            lines.append(AgreementLine(agreement.label))
        else:
            heading = _("Underleverantör till %(contractor)s för avtalet") % {
                "contractor": contractor.contract_name
            }
            lines.append(AgreementLine(heading, items=tuple(prime.label for prime in primes)))
    return tuple(lines)
