from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _pdfs_in_a_temporary_storage(settings, tmp_path):
    # The rendered PDFs of a test go to its own folder, not to var/reports/.
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "reports"},
        },
    }
