from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from asfnet.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Återställer databasen från en säkerhetskopia. Allt nuvarande innehåll ersätts."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Säkerhetskopian som ska läsas in")
        parser.add_argument(
            "--yes", action="store_true", help="Fråga inte: ersätt databasens innehåll direkt."
        )

    def handle(self, *args, file, yes=False, **options):
        path = Path(file)
        if not yes:
            answer = input(f"Allt i databasen ersätts med innehållet i {path}. Fortsätt? [j/N] ")
            if answer.strip().lower() not in {"j", "ja", "y", "yes"}:
                raise CommandError("Avbrutet: inget ändrades.")
        try:
            database_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Databasen är återställd från {path}.")
