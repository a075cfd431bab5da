"""The report's words as written: a chart label is not TeX math, and the 2022 report reads as
its source document (tests/data/iop-rapport-2022.txt) does."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from asfnet.seed import seed_network
from enterprises.models import Municipality
from reports.charts import Series, bar_chart
from reports.models import AnnualReport
from reports.pdf import render_pdf
from tests.reports.test_report_pdf import body_text, normalise

NAME = "Kommun $\\foo{$"

# Every test in a savepoint of the module's transaction (module_db), which holds the seeded
# network once a test has asked for it.
pytestmark = pytest.mark.django_db


def test_a_label_with_dollars_and_backslashes_is_drawn_as_text():
    svg = bar_chart(
        chart_id="t",
        title="Platser",
        categories=[NAME, "Sollentuna"],
        series=[Series("Platser", [3, 4])],
    )
    assert "Kommun $\\foo{$" in svg


@pytest.mark.django_db
def test_the_report_shows_a_municipality_named_like_tex(client):
    seed_network()
    Municipality.objects.filter(pk=Municipality.objects.order_by("pk").first().pk).update(name=NAME)

    page = client.get("/rapporter/2022/")

    assert page.status_code == 200
    assert "Kommun $\\foo{$" in page.text
    text = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(render_pdf(AnnualReport.objects.get(year=2022)).content)
        ).pages
    )
    assert "Kommun $\\foo{$" in text


# --- The 2022 report in the source document's own words ---------------------------------------

DOCUMENT = Path(__file__).resolve().parents[1] / "data" / "iop-rapport-2022.txt"
# The one liberty the report takes with the document's words: the programme the document
# writes "MIA Vidare" and "MIA-Vidare" is one name. Dashes are otherwise as written.
SAME_NAME = {"MIA Vidare": "MIA-Vidare"}


def same_name(text: str) -> str:
    for variant, name in SAME_NAME.items():
        text = text.replace(variant, name)
    return text


def as_text(html: str) -> str:
    """What a reader reads: no tags, entities decoded, the table's invisible word joiners
    gone, runs of whitespace one space."""
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u2060", "")
    return " ".join(text.split())


def document_lines() -> list[str]:
    return [line.strip() for line in DOCUMENT.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seeded(module_db) -> str:
    """The seeded report's page, seeded and read once for the module (module_db)."""
    seed_network()
    return Client().get("/rapporter/2022/").text


_pdf_text: dict[str, str] = {}


@pytest.fixture
def seeded_pdf_text(seeded) -> str:
    if "2022" not in _pdf_text:
        report = AnnualReport.objects.get(year=2022)
        # Without the running header and page numbers, words broken at a line's end joined.
        _pdf_text["2022"] = normalise(body_text(render_pdf(report).content))
    return _pdf_text["2022"]


def test_each_point_is_headed_as_the_document_heads_it(seeded, seeded_pdf_text):
    headings = [line for line in document_lines() if re.match(r"Punkt(en)? \d+: ", line)]
    assert headings[0].startswith("Punkt 3: ") and headings[1].startswith("Punkten 1: ")

    page_headings = [as_text(h) for h in re.findall(r"<h4>(.*?)</h4>", seeded, re.DOTALL)]
    assert page_headings == headings
    for heading in headings:
        assert heading in seeded_pdf_text


def test_the_two_lists_under_punkten_5_are_two_lists(seeded, seeded_pdf_text):
    start = seeded.index("Punkten 5: ")
    point = seeded[start : seeded.index("</section>", start)]
    lists = re.findall(r'<ul class="report-list">(.*?)</ul>', point, re.DOTALL)
    assert [len(re.findall(r"<li>", items)) for items in lists] == [1, 1]
    assert "Kvalitetssäkring av ASF:s arbetsträningsverksamhet" in lists[0]
    assert "I ASF:s grundstruktur" in lists[1]
    assert "• I ASF:s grundstruktur finns ett demokratiskt arbetssätt" in seeded_pdf_text


def test_the_webinars_theme_is_in_italics_as_in_the_document(seeded, seeded_pdf_text):
    theme = (
        "Framgångsrik arbetsträning – berättelser från deltagare, utförare (ASF) och beställare."
    )
    assert f"*{theme}*" in DOCUMENT.read_text(encoding="utf-8")

    assert f"temat: <em>{theme}</em>" in seeded
    assert f"temat: {theme}" in seeded_pdf_text
    assert "*" not in seeded_pdf_text


def test_the_activities_and_texts_read_as_the_document_writes_them(seeded, seeded_pdf_text):
    lines = document_lines()
    texts = lines[lines.index("Bakgrund") : lines.index("2022-10-19")]
    page = same_name(as_text(seeded))
    pdf = same_name(seeded_pdf_text)
    for line in texts:
        if not line or line.startswith("Område "):  # "Område 1 - " is written "Område 1 – "
            continue
        written = same_name(line.removeprefix("- ").replace("*", ""))
        assert written in page, written
        assert normalise(written) in pdf, written
    # Outside the table, the document's spellings stay as they are.
    assert "Ett exempel är att MIA Vidare har flest deltagare" in as_text(seeded)
    assert "HOPPET-Rätt stöd för mig" in as_text(seeded)
    assert "HOPPET – Rätt stöd för mig" in as_text(seeded)


def test_the_table_writes_the_programmes_name_one_way(seeded, seeded_pdf_text):
    table_lines = [line for line in document_lines() if "\t" in line]
    in_document = sum(line.count("MIA Vidare") + line.count("MIA-Vidare") for line in table_lines)
    # The document's table writes it both ways.
    assert any("MIA Vidare" in line for line in table_lines)
    assert any("MIA-Vidare" in line for line in table_lines)

    network = re.search(r'<section class="report-network".*?</section>', seeded, re.DOTALL)[0]
    table = as_text(network)
    assert "MIA Vidare" not in table
    assert table.count("MIA-Vidare") == in_document == 6
    pdf_table = seeded_pdf_text[seeded_pdf_text.index("Avtal för arbetsträningsplatser") :]
    assert "MIA Vidare" not in pdf_table.replace("\u2060", "")
    assert pdf_table.replace("\u2060", "").count("MIA-Vidare") == in_document
