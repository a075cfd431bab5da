"""The annual report's PDF: the 2022 report reproduces the source document, and it is a real
document (pages, page numbers, metadata, embedded fonts, bookmarks, tags, tables over pages).
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import subprocess
from pathlib import Path

import pydyf
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from asfnet.seed import seed_network
from reports import pdf
from reports.models import AnnualReport
from reports.pdf import render_article, render_pdf, render_print_html
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    AnnualReportFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StrategyAreaFactory,
    StrategyPointFactory,
    TrainingPlaceFactory,
)
from tests.reports.conftest import long_network
from tests.reports.pdf_structure import TaggedPdf, check_content_tagged_or_artifact

DOCUMENT = Path(__file__).resolve().parents[1] / "data" / "iop-rapport-2022.txt"
TITLE = (
    "Rapport av Idéburet och Offentligt Partnerskap (IoP) om stöd och utveckling av "
    "arbetsintegrerande sociala företag (ASF)"
)
PAGE_NUMBER = re.compile(r"^Sida \d+ av \d+$")


# --- Reading the PDF ------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def pdf_pages(content: bytes) -> tuple[str, ...]:
    """The text of each page (read once per PDF: several tests read the same one)."""
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def body_text(content: bytes) -> str:
    """The text of every page without what WeasyPrint draws after a page's content: the
    list bullets, the running header and the page number. A paragraph that goes on to the
    next page then reads as one.
    """
    pages = []
    for text in pdf_pages(content):
        lines = text.splitlines()
        while lines and (lines[-1].strip() in {"•", TITLE} or PAGE_NUMBER.match(lines[-1].strip())):
            lines.pop()
        pages.append("\n".join(lines))
    return "\n".join(pages)


def normalise(text: str) -> str:
    """What text extraction changes and nothing else: line breaks and runs of whitespace are
    one space, and a line broken after a hyphen ("Sollentuna-\\nUpplands") joins again. The
    same is done to the document, which writes both "Sollentuna-Upplands" and "Sollentuna-
    Upplands".
    """
    text = " ".join(text.split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def assert_in_order(pieces: list[str], text: str) -> None:
    position = 0
    for index, piece in enumerate(pieces):
        found = text.find(piece, position)
        assert found >= 0, (
            f"Piece {index} of the document is not in the PDF after the pieces before it:\n"
            f"  {piece!r}\n"
            f"The PDF from there on reads:\n  {text[position : position + 400]!r}"
        )
        position = found + len(piece)


# --- Reading the document -------------------------------------------------------------------

# The document writes this two ways; the portal writes it one way, as the rest of the
# document does: "Område 2 – " (areas 2 and 3). A point is named as the document names it
# ("Punkt 3:" in area 1, "Punkten 1:" elsewhere: StrategyPoint.label).
DOCUMENT_VARIANTS = {"Område 1 - ": "Område 1 – "}
# The table's one slip ("- Café Nyfiket, - Kulturcafé"), and the programme the table writes
# both "MIA Vidare" and "MIA-Vidare": the portal's table writes it one way, as it is named.
TABLE_TYPOS = {"Café Nyfiket,": "Café Nyfiket"}


def table_pieces(line: str) -> list[str]:
    """A row of the table: its cells' texts without the markup (tags, the "•" and "- "
    bullets); each cell's parts in order.
    """
    pieces = []
    for cell in line.split("\t"):
        for segment in re.split(r"<[^>]+>", cell):
            for item in re.split(r"•| - ", segment):
                item = item.strip()
                if not item:
                    continue
                item = TABLE_TYPOS.get(item, item)
                pieces.append(item.replace("MIA Vidare", "MIA-Vidare"))
    return pieces


def document_pieces() -> list[str]:
    """Every line of the document that is data, in its order."""
    pieces = []
    for line in DOCUMENT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if "\t" in line:
            pieces += table_pieces(line)
        elif line.startswith("- "):  # an activity: the bullet and the *italics* are markup
            pieces.append(line[2:].replace("*", ""))
        else:
            for variant, written in DOCUMENT_VARIANTS.items():
                line = line.replace(variant, written)
            pieces.append(line)
    return [normalise(piece) for piece in pieces]


_rendered: dict[int, bytes] = {}


@pytest.fixture
def seeded_pdf(db) -> bytes:
    """The 2022 report's PDF after seed_network, rendered once for this module's tests."""
    if 2022 not in _rendered:
        seed_network()
        _rendered[2022] = render_pdf(AnnualReport.objects.get(year=2022)).content
    return _rendered[2022]


# --- Fidelity to the source document --------------------------------------------------------


def test_the_document_is_read_into_its_headings_bullets_signatures_and_table_rows():
    # Guards the reading below: a reader that found nothing would make the next test pass.
    pieces = document_pieces()
    assert pieces[0] == TITLE
    for expected in [
        "Bakgrund",
        "Organisation",
        "Aktiviteter under 2022",
        "Område 1 – Kunskap om arbetsmarknadens förutsättningar efter pandemin.",
        "Punkten 1: Mobilisera ASF:en för att aktivt delta i aktiviteter för det lokala "
        "näringslivet.",
        "Medverkat på Sigtuna näringslivsgala",
        "Ökad förankring",
        "2022-10-19",
        "Oskar Rommel, Ordförande SKOOPI Stockholm",
        "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby och Sigtuna 2021",
        "Avtal för arbetsträningsplatser",
        "Naturlig hälsa & utbildning i Mälardalen",
        "Café Nyfiket",
        "IF – Ideell förening",
    ]:
        assert expected in pieces
    assert pieces.count("AF om arbetsträningsplatser") == 6
    assert [p for p in pieces if p.isdigit() and len(p) == 4 and p != "2021"] == [
        "2015",
        "2009",
        "2015",
        "2017",
        "2015",
        "2019",
        "2012",
        "2016",
    ]


def test_the_2022_pdf_has_every_line_of_the_document_in_its_order(seeded_pdf):
    assert_in_order(document_pieces(), normalise(body_text(seeded_pdf)))


def test_the_2022_pdf_lists_the_table_rows_in_the_documents_order(seeded_pdf):
    text = normalise(body_text(seeded_pdf))
    table = text[text.index("Arbetsintegrerande sociala företag i Sollentuna") :]
    rows = [
        ("Sigtuna", "M29 Socialt företagscenter", "2015"),
        ("Sigtuna & Upplands Väsby", "M29 Fastighetservice (tidigare Service i Sigtuna)", "2009"),
        ("Sigtuna", "M29 Café, Textil & Hantverk", "2015"),
        ("Sigtuna & Upplands Väsby", "GGG - Allservice för Seniorer EK", "2017"),
        ("Sigtuna", "Love & Hope Secondhand i Märsta", "2015"),
        ("Upplands Väsby", "Naturlig hälsa & utbildning i Mälardalen", "2019"),
        ("Upplands Väsby", "Värmekällan i Väsby", "2012"),
        ("Sollentuna", "Livskraft", "2016"),
    ]
    assert_in_order([f"{m} {name}" for m, name, _year in rows], table)
    for municipality, name, year in rows:
        assert re.search(rf"{re.escape(municipality)} {re.escape(name)}.*? {year} ", table)


def test_the_2022_pdf_lists_the_members_under_organisation(seeded_pdf):
    text = normalise(body_text(seeded_pdf))
    start = text.index("Nätverkets medlemmar 2022")
    members = text[start : text.index("Aktiviteter under", start)]
    assert "Värmekällan i Väsby (Upplands Väsby)" in members
    assert "GGG Allservice för Seniorer (Sigtuna, Upplands Väsby)" in members
    assert members.count("(") == 8


def test_the_2022_pdf_marks_each_list_item_with_its_bullet_or_dash(seeded_pdf):
    # The PDF writes its bullets as text (report.html): each item must still have one.
    text = normalise(body_text(seeded_pdf))
    activities = [
        normalise(line.strip()[2:].replace("*", ""))
        for line in DOCUMENT.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    ]
    assert len(activities) == 23
    for activity in activities:
        assert f"• {activity}" in text
    assert "• Värmekällan i Väsby (Upplands Väsby)" in text  # the member list
    table = text[text.index("Arbetsintegrerande sociala företag i Sollentuna") :]
    assert table.count("• AF om arbetsträningsplatser") == 6
    assert "– Café Nyfiket – Kulturcafé – Sigtuna Hantverkshus" in table  # units
    assert "• Underleverantör till M29 för avtalet – Sigtuna kommun –" in table


def test_the_2022_pdf_has_no_statistics_as_the_document_has_none(seeded_pdf):
    # The seeded report does not show statistics (AnnualReport.show_statistics).
    text = normalise(body_text(seeded_pdf))
    assert "Statistik 2022" not in text
    assert "Inga placeringar registrerades under 2022." not in text
    assert "Figur" not in text


# --- A real document ------------------------------------------------------------------------


def test_the_pdf_has_pages_numbered_sida_n_av_n(seeded_pdf):
    pages = pdf_pages(seeded_pdf)
    count = len(pages)
    assert count > 1
    assert "Sida 1 av " in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in text


def test_pages_after_the_first_carry_the_reports_title_as_running_header(seeded_pdf):
    first, *others = pdf_pages(seeded_pdf)
    assert all(TITLE in " ".join(text.split()) for text in others)
    # The first page shows the title once, as its heading, not again above it.
    assert " ".join(first.split()).count(TITLE) == 1


def test_the_pdf_is_a4_with_title_author_language_and_date(seeded_pdf):
    reader = PdfReader(io.BytesIO(seeded_pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == (
        "Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna, SKOOPI Stockholm"
    )
    assert reader.metadata.creation_date.date() == datetime.date(2022, 10, 19)
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_the_pdf_embeds_its_fonts(seeded_pdf):
    reader = PdfReader(io.BytesIO(seeded_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font_program = font["/DescendantFonts"][0].get_object()
            else:
                font_program = font
            fonts[str(font["/BaseFont"])] = font_program["/FontDescriptor"].get_object()
    assert fonts
    assert all("/FontFile2" in descriptor for descriptor in fonts.values()), fonts.keys()
    # Subsets of the report's own copies of DejaVu Sans (static/fonts/), named after the
    # stylesheet's family ("ABCDEF+Report-Sans-Bold"), never a font of the machine; the
    # italic (the group notes, "(En del av M29 Gruppen)") is DejaVu's own oblique face, whose
    # glyphs lean, not the regular face with a flag.
    names = {name.split("+")[-1]: descriptor for name, descriptor in fonts.items()}
    assert set(names) <= {
        "Report-Sans",
        "Report-Sans-Bold",
        "Report-Sans-Italic",
        "Report-Sans-BoldItalic",
    }
    assert slant(names["Report-Sans-Italic"]) < -5
    assert slant(names["Report-Sans"]) == 0


def slant(descriptor) -> float:
    """The italic angle the embedded font program itself declares (its post table)."""
    program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    return program["post"].italicAngle


def test_the_pdf_has_a_bookmark_for_each_heading(seeded_pdf):
    reader = PdfReader(io.BytesIO(seeded_pdf))

    def titles(outline) -> list:
        return [titles(item) if isinstance(item, list) else item.title for item in outline]

    top, sections, *_ = titles(reader.outline)
    assert top == TITLE
    assert [s for s in sections if isinstance(s, str)] == [
        "Bakgrund",
        "Organisation",
        "Aktiviteter under 2022",
        "Framtida utvecklingsområden",
        "Avslutning",
        "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby och Sigtuna 2021",
    ]
    activities = sections[sections.index("Aktiviteter under 2022") + 1]
    assert activities[0] == "Område 1 – Kunskap om arbetsmarknadens förutsättningar efter pandemin."
    future = sections[sections.index("Framtida utvecklingsområden") + 1]
    assert future == [
        "Ökad samordning och kundanpassning",
        "Kvalitetssäkring",
        "Fler ASF",
        "Breddad verksamhet",
        "Ökad förankring",
    ]


def test_the_pdf_is_tagged_for_assistive_technology(seeded_pdf):
    root = PdfReader(io.BytesIO(seeded_pdf)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_the_same_html_gives_the_same_pdf(db):
    # What lets the tests render each HTML once (tests/conftest.py, _each_pdf_rendered_once).
    seed_network()
    html = render_print_html(AnnualReport.objects.get(year=2022))
    render = pdf.pdf_from_html.uncached

    first, second = render(html), render(html)

    assert first.content == second.content
    assert first.pages == second.pages > 1


@pytest.mark.django_db
def test_a_table_over_several_pages_repeats_its_header_and_never_splits_a_row():
    names = long_network()
    report = AnnualReportFactory(year=2022, table_year=2021)

    pages = [" ".join(text.split()) for text in pdf_pages(render_pdf(report).content)]

    table_pages = [text for text in pages if "Testföretaget nummer" in text]
    assert len(table_pages) > 1
    for text in table_pages:
        assert "Kommun Organisation Start år Avtal för arbetsträningsplatser" in text
    for number, name in enumerate(names, start=1):
        on = [text for text in pages if name in text]
        assert len(on) == 1, f"{name} is on {len(on)} pages"
        assert f"Avtal C för företag {number:02d} om arbetsträningsplatser" in on[0]


def structure_elements(reader: PdfReader) -> list[DictionaryObject]:
    """The tagged PDF's structure elements in reading order."""
    found = []

    def visit(kids) -> None:
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                found.append(kid)
                if "/K" in kid:
                    visit(kid["/K"])

    visit(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


@pytest.mark.django_db
def test_a_long_activity_list_is_listed_under_each_point_and_tagged_on_its_pages():
    area = StrategyAreaFactory(number=1, title="Området")
    first = StrategyPointFactory(area=area, number=1, text="Den första punkten.")
    second = StrategyPointFactory(area=area, number=2, text="Den andra punkten.")
    for number in range(1, 121):
        ActivityFactory(
            year=2022,
            order=number,
            points=[first, second] if number % 2 else [first],
            text=f"Aktivitet nummer {number:03d} under året.",
        )
    report = AnnualReportFactory(year=2022, strategy=area.strategy)

    content = render_pdf(report).content

    # Every activity under each of its points, in order: 120 under the first, the 60 odd
    # ones again under the second.
    text = normalise(body_text(content))
    under_first = text[text.index("Punkt 1: Den första punkten.") : text.index("Punkt 2:")]
    under_second = text[text.index("Punkt 2: Den andra punkten.") :]
    assert_in_order([f"• Aktivitet nummer {n:03d} under året." for n in range(1, 121)], under_first)
    assert_in_order(
        [f"• Aktivitet nummer {n:03d} under året." for n in range(1, 121, 2)], under_second
    )
    assert under_second.count("• Aktivitet nummer") == 60

    # The tags name the page each list item is on: the pages that show an activity, in order.
    reader = PdfReader(io.BytesIO(content))
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    elements = structure_elements(reader)
    assert all(e.raw_get("/Pg").idnum in page_numbers for e in elements if "/Pg" in e)
    tagged = TaggedPdf(content)
    items = [
        page
        for item in tagged.elements("LI")
        if "Aktivitet nummer" in tagged.text_of(item)
        for page in sorted({p for e in item.walk() for p, _m in e.mcids})
    ]
    showing = [
        n for n, page in enumerate(reader.pages) if "Aktivitet nummer" in page.extract_text()
    ]
    assert len(showing) > 2
    assert items == sorted(items)
    assert sorted(set(items)) == showing


def test_the_page_references_follow_the_pages_as_they_are_added():
    # reports.pdf builds pydyf's page references once per page count, not at every read.
    pdf = pydyf.PDF()
    numbers = []
    for _page in range(3):
        page = pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference})
        pdf.add_page(page)
        numbers.append(page.number)
        assert pdf.page_references == tuple(f"{n} 0 R".encode() for n in numbers)
    assert pdf.page_references is pdf.page_references


# --- What the pages look like ----------------------------------------------------------------

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "report-2022"


@pytest.mark.django_db
def test_the_2022_report_is_written_as_page_images_to_look_at(media_storage, logo_png):
    # Kept in var/screenshots/report-2022/ (git-ignored) for a person to look at each page.
    seed_network()
    report = AnnualReport.objects.get(year=2022)
    report.parties.order_by("pk").first().logo.save("logo.png", ContentFile(logo_png))
    rendered = render_pdf(report)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("page-*.png"):
        old.unlink()
    (SCREENSHOTS / "report-2022.pdf").write_bytes(rendered.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(SCREENSHOTS / "report-2022.pdf"), "page"],
        cwd=SCREENSHOTS,
        check=True,
    )
    assert len(list(SCREENSHOTS.glob("page-*.png"))) == rendered.pages


@pytest.mark.django_db
def test_the_cover_names_the_parties_with_their_logos_and_the_complementary_actors(
    media_storage, logo_png
):
    seed_network()
    report = AnnualReport.objects.get(year=2022)
    party = report.parties.order_by("pk").first()
    party.logo.save("logo.png", ContentFile(logo_png))
    content = render_pdf(report).content

    cover = " ".join(pdf_pages(content)[0].split())
    assert cover.startswith(TITLE)
    assert "Årsrapport 2022" in cover
    assert "Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna" in cover
    assert "SKOOPI Stockholm" in cover
    assert "med M29 Socialt företagscenter och Tanke & Handling som kompletterande aktörer" in cover
    assert "19 oktober 2022" in cover
    # The article (what a published version stores) carries the logo itself, not a media URL.
    article = render_article(report)
    assert 'src="data:image/png;base64,' in article
    assert settings.MEDIA_URL not in article
    # The logo is in the PDF as an image on the cover, from the HTML's data: URI.
    first = PdfReader(io.BytesIO(content)).pages[0]
    images = first.images
    assert len(images) == 1
    assert images[0].image.size == (120, 60)


@pytest.mark.django_db
def test_a_logo_whose_file_is_missing_is_left_out_without_an_error(media_storage):
    seed_network()
    report = AnnualReport.objects.get(year=2022)
    party = report.parties.order_by("pk").first()
    party.logo.name = "organisations/gone.png"
    party.save()

    content = render_pdf(report).content

    assert "Samordningsförbundet Sollentuna" in pdf_pages(content)[0]
    assert not PdfReader(io.BytesIO(content)).pages[0].images


def test_the_contents_give_each_part_its_page(seeded_pdf):
    pages = [" ".join(text.split()) for text in pdf_pages(seeded_pdf)]
    contents = pages[1]
    assert contents.startswith("Innehåll") or "Innehåll" in contents
    for heading in ["Bakgrund", "Avslutning", "Aktiviteter under 2022"]:
        found = re.search(rf"{re.escape(heading)} \.+ ?(\d+)", contents)
        assert found, heading
        page = int(found[1])
        assert heading in pages[page - 1]
        assert all(heading not in text for text in pages[2 : page - 1])


@pytest.mark.django_db
def test_a_draft_says_utkast_on_every_page_and_a_published_report_nowhere():
    report = AnnualReportFactory(year=2022, table_year=2021, published=False)
    content = render_pdf(report).content
    draft = pdf_pages(content)
    assert len(draft) > 1
    assert all("Utkast" in text for text in draft)
    # In the page's margin: an artifact, like the page numbers, not text of the document.
    assert check_content_tagged_or_artifact(TaggedPdf(content)) == []
    report.published = True
    report.save()
    assert not any("Utkast" in text for text in pdf_pages(render_pdf(report).content))


@pytest.mark.django_db
def test_names_in_the_table_are_not_broken_inside_a_word():
    municipality = MunicipalityFactory(name="Sigtuna")
    counterparty = OrganisationFactory(name="Samordningsförbundet")
    enterprise = EnterpriseFactory(
        name="Allservice för Seniorer i Sigtuna EK", start_year=2017, municipalities=[municipality]
    )
    AgreementFactory(
        enterprise=enterprise,
        counterparty=counterparty,
        title="Samordningsförbundet – Hoppet & MIA-Vidare och Arbetsträning-Plus",
    )
    report = AnnualReportFactory(year=2022, table_year=2021)

    lines = [
        line.strip() for text in pdf_pages(render_pdf(report).content) for line in text.splitlines()
    ]

    assert not any(line.endswith(("MIA-", "Arbetsträning-")) for line in lines), lines
    assert "EK" not in lines


@pytest.mark.django_db
def test_a_long_statistics_table_has_its_totals_once_after_its_last_row(time_machine):
    # WeasyPrint repeats a table's footer at the foot of every page: the PDF has it once.
    time_machine.move_to(datetime.datetime(2022, 6, 15, 12, tzinfo=datetime.UTC), tick=False)
    municipality = MunicipalityFactory(name="Sigtuna")
    for number in range(1, 91):
        enterprise = EnterpriseFactory(
            name=f"Statistikföretaget nummer {number:02d}", municipalities=[municipality]
        )
        TrainingPlaceFactory(enterprise=enterprise, capacity=2)
    time_machine.move_to(datetime.datetime(2023, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
    report = AnnualReportFactory(year=2022, table_year=2021, show_statistics=True)

    pages = [" ".join(text.split()) for text in pdf_pages(render_pdf(report).content)]

    showing = [n for n, text in enumerate(pages) if "Statistikföretaget nummer" in text]
    assert len(showing) > 1  # the table runs over pages
    assert [n for n in showing if "Totalt 90 " in pages[n]] == [showing[-1]]
    last = pages[showing[-1]]
    assert last.index("Statistikföretaget nummer 90") < last.index("Totalt 90 180")
