"""pg_trgm for the directory's search (enterprises/search.py): trigram word similarity finds
words typed with a letter wrong or missing.

CreateExtension does nothing on a database that is not PostgreSQL, so SQLite (`make run`)
migrates past it; the search does without similarity there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_enterprise_history")]

    operations = [TrigramExtension()]
