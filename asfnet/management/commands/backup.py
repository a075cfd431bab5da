from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from asfnet.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Skriver en säkerhetskopia av databasen (pg_dump på PostgreSQL, SQLite:s backup-API)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Fil att skriva (standard: var/backups/...)")

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        path = (
            Path(output)
            if output
            else (
                Path(settings.VAR_DIR) / "backups" / f"asfnet-{timezone.now():%Y%m%d-%H%M%S}.backup"
            )
        )
        try:
            database_backup(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Säkerhetskopian är skriven: {path}")
