"""`python manage.py render_report 2022 -o report.pdf`: the annual report's PDF, draft or not."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reports.models import AnnualReport
from reports.pdf import pdf_filename, render_pdf


class Command(BaseCommand):
    help = "Skriver årsrapporten för ett år som PDF (även ett opublicerat utkast)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Rapportens år, t.ex. 2022.")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="Filen att skriva (standard: iop-rapport-ÅÅÅÅ.pdf i aktuell katalog).",
        )
        parser.add_argument(
            "--language", default="sv", help="Språket för rapportens egna rubriker (sv)."
        )

    def handle(self, *args, year: int, output: Path | None, language: str, **options):
        try:
            report = AnnualReport.objects.get(year=year)
        except AnnualReport.DoesNotExist:
            raise CommandError(f"Det finns ingen årsrapport för {year}.") from None
        output = output or Path(pdf_filename(report))
        started = time.perf_counter()
        with translation.override(language):
            rendered = render_pdf(report)
        output.write_bytes(rendered.content)
        self.stdout.write(
            f"Skrev {output} ({rendered.pages} sidor, {len(rendered.content) // 1024} kB) "
            f"på {time.perf_counter() - started:.1f} s."
        )
