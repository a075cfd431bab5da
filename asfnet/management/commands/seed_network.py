from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from asfnet.seed import seed_network
from reports.versions import versions_freeze_unversioned


class Command(BaseCommand):
    help = _(
        "Läser in nätverket ur IoP-rapporten 2022: företagen, avtalen, strategin, årets "
        "aktiviteter och rapportens texter. Skapar bara det som saknas; det som finns lämnas "
        "orört."
    )

    def handle(self, *args, **options) -> None:
        result = seed_network()
        # The seeded 2022 report is published: as version 1 of it, frozen (reports/versions.py).
        versions_freeze_unversioned()
        if result.total:
            self.stdout.write(self.style.SUCCESS(result.summary()))
        else:
            self.stdout.write(result.summary())
