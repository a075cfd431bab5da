from __future__ import annotations

import pytest

from tests.factories import (
    AgreementFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
)


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


def long_network(size: int = 45) -> list[str]:
    """`size` enterprises with three agreements each: a network table over several pages.
    Returns the enterprises' names in the table's order."""
    municipality = MunicipalityFactory(name="Sigtuna")
    counterparty = OrganisationFactory(name="Arbetsförmedlingen")
    names = []
    for number in range(1, size + 1):
        enterprise = EnterpriseFactory(
            name=f"Testföretaget nummer {number:02d}",
            start_year=2010,
            municipalities=[municipality],
        )
        for kind in ("A", "B", "C"):
            AgreementFactory(
                enterprise=enterprise,
                counterparty=counterparty,
                title=f"Avtal {kind} för företag {number:02d} om arbetsträningsplatser",
            )
        names.append(enterprise.name)
    return names
