"""reports/patches.py replaces pydyf's `PDF.page_references` with a cached one: these tests fail
when pydyf changes the property it replaces, and show that the replacement answers as pydyf's.
"""

from __future__ import annotations

import hashlib
import inspect

import pydyf
import weasyprint.pdf.tags
from weasyprint import HTML

from reports import patches

# pydyf's `PDF.page_references` as the patch was written for it (pydyf 0.13.0).
RECORDED_PYDYF_VERSION = "0.13.0"
RECORDED_SOURCE_SHA256 = "060bf90aad55931bc24c3575a52af9478a89916aa307e5323142663841cb7798"

SMALL_DOCUMENT = """<html lang="sv"><title>Liten rapport</title>
<h1>Rubrik</h1><ul><li>Ett</li><li>Två</li></ul>
<p style="break-before: page">Sidan två, <a href="#tre">till sidan tre</a></p>
<p id="tre" style="break-before: page">Sidan tre</p>
"""


def test_pydyfs_page_references_are_the_code_the_patch_was_written_for():
    source = inspect.getsource(patches.ORIGINAL_PAGE_REFERENCES.fget)
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert digest == RECORDED_SOURCE_SHA256, (
        f"pydyf {pydyf.__version__} changed PDF.page_references (the patch was written for "
        f"pydyf {RECORDED_PYDYF_VERSION}). Read its new code: if it caches by itself, remove "
        "reports/patches.py; else check cached_page_references against it and record the new "
        f"digest:\n{source}"
    )


def test_weasyprints_tagging_still_reads_the_page_references():
    # The reason for the patch: if WeasyPrint stops reading them per tagged box, drop it.
    assert "pdf.page_references[" in inspect.getsource(weasyprint.pdf.tags)


def test_the_patch_is_applied_at_start_up():
    assert vars(pydyf.PDF)["page_references"].fget is patches.cached_page_references


def test_the_references_are_pydyfs_as_the_pages_are_added():
    pdf = pydyf.PDF()
    for _page in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference}))
        assert pdf.page_references == patches.ORIGINAL_PAGE_REFERENCES.fget(pdf)
    assert len(pdf.page_references) == 3
    assert pdf.page_references is pdf.page_references  # built once for three pages


def test_a_tagged_pdf_is_the_same_with_pydyfs_own_references(monkeypatch):
    def render() -> tuple[bytes, list]:
        references = []
        content = HTML(string=SMALL_DOCUMENT).write_pdf(
            pdf_variant="pdf/ua-1",
            finisher=lambda document, pdf: references.append(pdf.page_references),
        )
        return content, references

    patched, patched_references = render()
    monkeypatch.setattr(pydyf.PDF, "page_references", patches.ORIGINAL_PAGE_REFERENCES)
    original, original_references = render()

    assert len(original_references[0]) == 3
    assert patched_references == original_references
    assert patched == original
