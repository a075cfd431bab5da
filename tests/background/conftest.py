from __future__ import annotations

import pytest


@pytest.fixture
def database_queue(settings):
    """The real queue (django-tasks-db), as in production: tasks wait for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
