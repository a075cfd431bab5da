"""What the network sells, a few sellers per category: the home page and /tjanster/ show a
selection and link on to the directory, so their weight does not grow with the network."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from .models import Enterprise, ServiceCategory


@dataclass
class Sellers:
    """The first sellers of a category (by name) and how many more there are."""

    category: ServiceCategory | None  # None: the enterprises that have chosen no category
    enterprises: list[Enterprise]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.enterprises)


def offer(limit: int) -> tuple[list[Sellers], Sellers | None]:
    """Each category that a published enterprise sells, in the categories' order, with its
    first `limit` sellers; then the published enterprises without a category. Two queries,
    whatever the number of enterprises."""
    through = Enterprise.service_categories.through
    rows = (
        through.objects.filter(enterprise__published=True)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("servicecategory_id"), order_by=F("enterprise__name")
            ),
            total=Window(Count("pk"), partition_by=F("servicecategory_id")),
        )
        .filter(rank__lte=limit)
        .select_related("enterprise", "servicecategory")
    )
    by_category: dict[int, Sellers] = {}
    for row in rows:
        sellers = by_category.setdefault(
            row.servicecategory_id, Sellers(row.servicecategory, [], row.total)
        )
        sellers.enterprises.append(row.enterprise)
    for sellers in by_category.values():
        sellers.enterprises.sort(key=lambda enterprise: enterprise.name)
    categories = sorted(
        by_category.values(), key=lambda sellers: (sellers.category.order, sellers.category.name)
    )

    without = list(
        Enterprise.objects.published()
        .filter(service_categories=None)
        .annotate(total=Window(Count("pk")))
        .order_by("name")[:limit]
    )
    others = Sellers(None, without, without[0].total) if without else None
    return categories, others
