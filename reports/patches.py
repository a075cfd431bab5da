"""The project's one patch of a library, applied at start-up (ReportsConfig.ready).

pydyf's `PDF.page_references` builds the tuple of page references ("12 0 R" for each page)
anew each time it is read, and WeasyPrint's tagging (the PDF/UA variant of the report) reads
it once per tagged box: the time grew with pages times boxes, about half a second of a 120-page
report. WeasyPrint offers no hook for this: it creates its `pydyf.PDF()` itself inside
`weasyprint.pdf.generate_pdf`, tags it there, and hands it to a `finisher` only afterwards. So
the property is replaced by one that builds the tuple once per page count.

tests/reports/test_patches.py fails when pydyf's property changes (its source is recorded by
digest), and checks that the replacement answers as the original does.
"""

from __future__ import annotations

import pydyf

# pydyf's own property, kept for the test that compares the two.
ORIGINAL_PAGE_REFERENCES = vars(pydyf.PDF).get("page_references")


def cached_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, built once per page count.

    The references depend only on the pages' object numbers, which pydyf appends to
    `pages["Kids"]` (number, 0, "R" per page) and never changes.
    """
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_report_page_references")
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = (kids, len(kids), references)
        pdf.__dict__["_report_page_references"] = cached
    return cached[2]


def apply() -> None:
    """Replace pydyf's property, once, and only while it is the property this was written for."""
    if isinstance(ORIGINAL_PAGE_REFERENCES, property) and (
        vars(pydyf.PDF)["page_references"] is ORIGINAL_PAGE_REFERENCES
    ):
        pydyf.PDF.page_references = property(cached_page_references)
