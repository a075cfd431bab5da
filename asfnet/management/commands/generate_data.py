from __future__ import annotations

import argparse
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from asfnet.generate import (
    Volume,
    synthetic_data_delete,
    synthetic_data_exists,
    synthetic_data_generate,
)


def count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


class Command(BaseCommand):
    help = (
        "Skapar syntetiska data i stor mängd för prestandatester, samma data för samma --seed. "
        "Allt är påhittat: företag ”Syntetiskt företag 0001”, kortnamn syn-..., deltagarkoder "
        "SYN-000001, adresser @example.org."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enterprises", type=count, default=100, help="Antal företag.")
        parser.add_argument("--places", type=count, default=1000, help="Antal platser.")
        parser.add_argument("--placements", type=count, default=10000, help="Antal placeringar.")
        parser.add_argument("--activities", type=count, default=200, help="Antal aktiviteter.")
        parser.add_argument("--requests", type=count, default=100, help="Antal förfrågningar.")
        parser.add_argument("--seed", type=int, default=1, help="Slumpfrö (standard 1).")
        parser.add_argument(
            "--year",
            type=int,
            default=2022,
            help="Aktiviteternas år; placeringarna ligger "
            "under det året och de två före (standard 2022).",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Ta först bort syntetiska data från en tidigare körning.",
        )

    def handle(self, *args, **options) -> None:
        try:
            volume = Volume(
                enterprises=options["enterprises"],
                places=options["places"],
                placements=options["placements"],
                activities=options["activities"],
                requests=options["requests"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not 2002 <= options["year"] <= 2100:
            raise CommandError(_("Året måste ligga mellan 2002 och 2100."))

        started = time.monotonic()
        if options["flush"]:
            self.stdout.write(_("Tar bort syntetiska data från en tidigare körning ..."))
            synthetic_data_delete()
        elif synthetic_data_exists():
            raise CommandError(
                _(
                    "Databasen har redan syntetiska data. Kör med --flush för att ta bort dem "
                    "först, eller använd en tom databas."
                )
            )

        synthetic_data_generate(
            volume=volume, seed=options["seed"], year=options["year"], progress=self.progress
        )
        # Fresh statistics for the query planner, and on PostgreSQL the visibility map a
        # production database has once autovacuum came by (index-only scans: the free seats of
        # 10,000 places are counted in 10 ms rather than 30): without them the benchmarks
        # measure plans no running portal has. (VACUUM cannot run in a transaction: within
        # one, as in the tests, the statistics only.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(_("Klart på %(seconds).1f sekunder.") % {"seconds": elapsed})
        )

    def progress(self, label: str, done: int, total: int) -> None:
        self.stdout.write(f"{label}: {done}/{total}")
        self.stdout.flush()
