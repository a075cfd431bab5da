"""The report's PDF is accessible for real: its structure tree, walked with pikepdf
(tests/reports/pdf_structure.py), passes the Matterhorn Protocol's checkpoints a program can
decide. Where WeasyPrint cannot do it and no sound repair exists, the test is an expected
failure naming the upstream issue.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from asfnet.seed import seed_network
from reports.models import AnnualReport
from reports.pdf import render_pdf
from tests.factories import (
    AnnualReportFactory,
)
from tests.reports import pdf_structure
from tests.reports.conftest import long_network
from tests.reports.pdf_structure import TaggedPdf

TITLE = (
    "Rapport av Idéburet och Offentligt Partnerskap (IoP) om stöd och utveckling av "
    "arbetsintegrerande sociala företag (ASF)"
)

_rendered: dict[str, bytes] = {}


@pytest.fixture
def seeded(db, media_storage, logo_png) -> TaggedPdf:
    """The 2022 report after seed_network, a party with its logo, rendered once for this
    module (in a savepoint rolled back at once: a test that also asks for `long_table` builds
    that network on an empty database, whichever of the two it rendered first)."""
    if "2022" not in _rendered:
        with transaction.atomic():
            seed_network()
            report = AnnualReport.objects.get(year=2022)
            report.parties.order_by("pk").first().logo.save("logo.png", ContentFile(logo_png))
            _rendered["2022"] = render_pdf(report).content
            transaction.set_rollback(True)
    return TaggedPdf(_rendered["2022"])


@pytest.fixture
def long_table(db) -> TaggedPdf:
    """A report whose network table (45 enterprises) runs over several pages."""
    if "long" not in _rendered:
        with transaction.atomic():  # rolled back at once, as `seeded`
            long_network()
            report = AnnualReportFactory(year=2022, table_year=2021)
            _rendered["long"] = render_pdf(report).content
            transaction.set_rollback(True)
    return TaggedPdf(_rendered["long"])


def test_the_catalog_declares_language_title_and_pdf_ua(seeded):
    assert pdf_structure.check_document(seeded, title=TITLE) == []


def test_every_piece_of_content_is_tagged_or_an_artifact(seeded):
    assert pdf_structure.check_content_tagged_or_artifact(seeded) == []


def test_the_running_header_and_page_numbers_are_artifacts_not_text_of_the_tree(seeded):
    # Lines are text boxes of their own, without the space between them: compare unspaced.
    text = "".join("".join(seeded.text_of(element).split()) for element in seeded.root.kids)
    assert "Sida1av" not in text
    # The title is in the tree as the cover's heading, once, not again above every page.
    assert text.count("".join(TITLE.split())) == 1


def test_headings_nest_without_skipping_a_level(seeded):
    assert pdf_structure.check_headings(seeded) == []
    assert len(seeded.elements("H1")) == 1


def test_header_cells_have_a_scope_and_headers_name_existing_cells(seeded, long_table):
    for tagged in (seeded, long_table):
        assert tagged.elements("TH")
        assert pdf_structure.check_tables(tagged) == []
    scopes = {seeded.text_of(th): str(th.attribute("/Scope")) for th in seeded.elements("TH")}
    assert scopes["Kommun"] == "/Column"
    assert scopes["Livskraft"] == "/Row"


def test_figures_have_an_alternative_text(seeded):
    # The parties' logos on the cover.
    assert seeded.elements("Figure")
    assert pdf_structure.check_figures(seeded) == []


def test_links_are_tagged_and_described(seeded):
    assert any(page.obj.get("/Annots") for page in seeded.pages)  # the contents' links
    assert pdf_structure.check_annotations(seeded) == []


def test_list_items_have_their_bullet_as_label_and_a_body(seeded, long_table):
    for tagged in (seeded, long_table):
        assert pdf_structure.check_lists(tagged) == []
    items = seeded.elements("LI")
    assert len(items) > 40  # the members, the activities, the table's agreements and units
    labels = {
        seeded.text_of(kid).strip() for item in items for kid in item.kids if kid.tag == "Lbl"
    }
    assert labels == {"•", "–"}
    # The label is cut out of the item's text, not repeated in its body.
    member = next(i for i in items if "Värmekällan i Väsby (Upplands Väsby)" in seeded.text_of(i))
    body = next(kid for kid in member.kids if kid.tag == "LBody")
    assert seeded.text_of(body) == "Värmekällan i Väsby (Upplands Väsby)"


@pytest.mark.xfail(
    strict=True,
    reason="WeasyPrint https://github.com/Kozea/WeasyPrint/issues/2903: the tag tree is built "
    "page by page, so a table over three pages is three Table elements",
)
def test_a_table_over_several_pages_is_one_table_element_with_one_row_per_row(long_table):
    tables = [t for t in long_table.elements("Table") if "Testföretaget" in long_table.text_of(t)]
    assert len({page for t in tables for e in t.walk() for page, _m in e.mcids}) > 1
    assert len(tables) == 1
    assert len(pdf_structure.table_rows(long_table, tables[0])) == 1 + 45


def test_structure_types_are_standard_and_fonts_embedded_with_unicode(seeded, long_table):
    for tagged in (seeded, long_table):
        assert pdf_structure.check_structure_types(tagged) == []
        assert pdf_structure.check_fonts(tagged) == []
