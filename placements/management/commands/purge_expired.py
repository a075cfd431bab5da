"""python manage.py purge_expired: the retention periods of the settings, safe to run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.formats import date_format

from placements.privacy import purge_expired


class Command(BaseCommand):
    help = (
        "Tar bort deltagarkoden från placeringar som avslutades för mer än "
        "PARTICIPANT_CODE_RETENTION_YEARS år sedan (och från deras förfrågningar och historik) "
        "och raderar meddelanden från kontaktformuläret som är äldre än INQUIRY_RETENTION_DAYS "
        "dagar. Kan köras varje dag: en andra körning ändrar ingenting."
    )

    def handle(self, *args, **options):
        purged = purge_expired()
        self.stdout.write(
            f"Deltagarkoder (placeringar avslutade före "
            f"{date_format(purged.code_cutoff, 'Y-m-d')}, "
            f"{settings.PARTICIPANT_CODE_RETENTION_YEARS} år): "
            f"rensade ur placeringar: {purged.placements}, förfrågningar: {purged.requests}, "
            f"versioner i historiken: {purged.history}."
        )
        self.stdout.write(
            f"Meddelanden från kontaktformuläret äldre än {settings.INQUIRY_RETENTION_DAYS} "
            f"dagar: raderade: {purged.inquiries}."
        )
