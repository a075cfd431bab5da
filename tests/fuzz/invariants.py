"""What must hold after any request, however bad its input: no server error, and either
nothing was written or only whole, valid objects were saved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

# Every request may touch its session; that is no change a form made.
IGNORED_TABLES = {"django_session"}
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Rows whose validity the project's models define (full_clean), checked after a save.
VALIDATED_APPS = {"enterprises", "placements", "reports"}


@dataclass
class Writes:
    tables: set[str] = field(default_factory=set)

    def models(self) -> list:
        by_table = {model._meta.db_table: model for model in apps.get_models()}
        return [by_table[table] for table in sorted(self.tables) if table in by_table]

    def __str__(self) -> str:
        return ", ".join(sorted(self.tables)) or "nothing"


@contextmanager
def recorded_writes() -> Iterator[Writes]:
    """The tables written to inside the block (INSERT, UPDATE, DELETE), sessions aside."""
    writes = Writes()
    with CaptureQueriesContext(connection) as captured:
        yield writes
    for query in captured.captured_queries:
        if (match := _WRITE.match(query["sql"])) and match[1] not in IGNORED_TABLES:
            writes.tables.add(match[1])


def assert_saved_objects_are_whole(writes: Writes) -> None:
    """Every row of a table the request wrote to passes its model's own validation.

    The tables of a test are small, so all their rows are checked, not only the new ones.
    """
    for model in writes.models():
        # The history (django-simple-history) records what was saved, valid or not.
        if model._meta.app_label in VALIDATED_APPS and not model.__name__.startswith("Historical"):
            for obj in model._base_manager.all():
                obj.full_clean()


def is_redirect(response) -> bool:
    return response.status_code in {301, 302, 303}


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def assert_nothing_saved_unless_success(response, writes: Writes, what: str) -> None:
    """A form that did not succeed (no redirect) wrote nothing; what a success wrote is whole."""
    assert_no_server_error(response, what)
    if is_redirect(response):
        assert_saved_objects_are_whole(writes)
    else:
        assert not writes.tables, f"{what} answered {response.status_code} but wrote to {writes}"


@contextmanager
def isolated_example():
    """One example: its own savepoint, rolled back after, with a fresh cache (rate limits,
    cached pages), an empty outbox and Swedish active, so examples do not see each other."""
    cache.clear()
    mail.outbox = []
    translation.activate("sv")
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        translation.activate("sv")
