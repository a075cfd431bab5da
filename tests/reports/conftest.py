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


@pytest.fixture
def media_storage(settings, tmp_path):
    """Uploaded files (organisations' logos) in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def logo_png() -> bytes:
    """A small PNG logo (a green square)."""
    import io

    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (120, 60), (0, 110, 80)).save(output, format="PNG")
    return output.getvalue()
