"""The report's closing table, rebuilt from the data, against the document's own table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from asfnet.seed import seed_network
from enterprises.models import Enterprise, EnterpriseAlias, Municipality
from placements.models import Agreement, Organisation
from reports.network_table import NetworkTableRow, network_table
from tests.factories import (
    AgreementFactory,
    EnterpriseFactory,
    EnterpriseGroupFactory,
    LegalEntityFactory,
    OrganisationFactory,
    UnitFactory,
)

DOCUMENT = Path(__file__).resolve().parents[1] / "data" / "iop-rapport-2022.txt"
TABLE_HEADER = "Kommun\tOrganisation\tStart år\tAvtal för arbetsträningsplatser"
# The enterprise whose agreements the subcontracts in the table are under ("till M29").
PRIME_CONTRACTOR = "M29 Socialt företagscenter"
# The one slip in the table that the portal does not reproduce: a comma after the first of
# the café's units ("- Café Nyfiket, - Kulturcafé - Sigtuna Hantverkshus").
DOCUMENT_TYPOS = {"Café Nyfiket, -": "Café Nyfiket -"}


def normalise(text: str) -> str:
    """The liberties the rebuilt table may take with the document's text, and no others: any
    dash counts as a space ("Sigtuna kommun – X" = "Sigtuna kommun - X", "MIA Vidare" =
    "MIA-Vidare"), runs of whitespace are one space, and IOP is IoP.
    """
    for dash in "-–—":
        text = text.replace(dash, " ")
    return " ".join("IoP" if word == "IOP" else word for word in text.split())


@dataclass(frozen=True)
class Row:
    """A row of the table as compared: every text normalised."""

    municipalities: str
    organisation: str  # the name lines and the units, as one line
    group_note: str
    start_year: int | None
    agreements: tuple[tuple[str, tuple[str, ...]], ...]  # (bullet, nested bullets)


# --- The document's table -------------------------------------------------------------------


class OrganisationCell(HTMLParser):
    """The organisation cell: plain text, and the group note in <i>...</i>."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.plain: list[str] = []
        self.italic: list[str] = []
        self._in_italic = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "i":
            self._in_italic = True

    def handle_endtag(self, tag):
        if tag == "i":
            self._in_italic = False

    def handle_data(self, data):
        (self.italic if self._in_italic else self.plain).append(data)


@dataclass
class Bullet:
    text: str
    nested: str = ""


class AgreementsCell(HTMLParser):
    """The agreements cell: a <ul> whose items are marked "•", and a nested <ul> whose items
    are marked "- ". The document has no <li> and closes no <ul>, so a nested list holds the
    rest of the cell and belongs to the bullet before it.
    """

    def __init__(self, html: str) -> None:
        super().__init__()
        self.bullets: list[Bullet] = []
        self._depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "ul":
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "ul":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth == 1:
            self.bullets += [Bullet(part.strip()) for part in data.split("•") if part.strip()]
        elif self._depth > 1:
            self.bullets[-1].nested += data


def split_nested(text: str, labels: list[str]) -> tuple[str, ...]:
    """Split a run of "- " bullets into its items. Their dashes cannot be told from the dashes
    inside the items ("- Sigtuna kommun - Äldre- och ..."), but every item is an agreement of
    the prime contractor, which the document lists in the contractor's own row: take the
    longest of those labels that the rest of the run starts with, until nothing is left.
    """
    rest = normalise(text)
    known = sorted({normalise(label) for label in labels}, key=len, reverse=True)
    items = []
    while rest:
        label = next((k for k in known if rest == k or rest.startswith(k + " ")), None)
        assert label, f"{rest!r} does not start with an agreement of {PRIME_CONTRACTOR}"
        items.append(label)
        rest = rest[len(label) :].strip()
    return tuple(items)


def read_document_table() -> list[Row]:
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER) + 1
    end = lines.index("", start)
    cells = [line.split("\t") for line in lines[start:end]]
    assert all(len(row) == 4 for row in cells)

    organisations = [OrganisationCell(row[1]) for row in cells]
    agreements = [AgreementsCell(row[3]).bullets for row in cells]
    contractor = next(
        i
        for i, cell in enumerate(organisations)
        if normalise("".join(cell.plain)) == PRIME_CONTRACTOR
    )
    prime_labels = [bullet.text for bullet in agreements[contractor]]

    rows = []
    for (municipalities, _, start_year, _), organisation, bullets in zip(
        cells, organisations, agreements, strict=True
    ):
        plain = "".join(organisation.plain)
        for typo, fixed in DOCUMENT_TYPOS.items():
            plain = plain.replace(typo, fixed)
        rows.append(
            Row(
                municipalities=normalise(municipalities),
                organisation=normalise(plain),
                group_note=normalise("".join(organisation.italic)),
                start_year=int(start_year),
                agreements=tuple(
                    (
                        normalise(bullet.text),
                        split_nested(bullet.nested, prime_labels) if bullet.nested else (),
                    )
                    for bullet in bullets
                ),
            )
        )
    return rows


DOCUMENT_TABLE = read_document_table()


# --- The rebuilt table ----------------------------------------------------------------------


def comparable(row: NetworkTableRow) -> Row:
    return Row(
        municipalities=normalise(row.municipalities),
        organisation=normalise(" ".join([*row.organisation, *(f"- {u}" for u in row.units)])),
        group_note=normalise(row.group_note),
        start_year=row.start_year,
        agreements=tuple(
            (normalise(line.text), tuple(normalise(item) for item in line.items))
            for line in row.agreements
        ),
    )


# The network is seeded once for the module (module_db); each test's changes roll back.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def network(module_db):
    seed_network()


def test_the_document_table_is_read_as_eight_rows_with_nested_agreements():
    # Guards the parser: if it read nothing, every comparison below would be empty.
    assert len(DOCUMENT_TABLE) == 8
    fastighetservice = DOCUMENT_TABLE[1]
    assert fastighetservice.group_note == "(En del av M29 Gruppen)"
    assert fastighetservice.agreements[1] == (
        "Underleverantör till M29 för avtalet",
        (
            "Sigtuna kommun Försörjningsstödenheten IoP",
            "Sigtuna kommun Äldre och omsorgsförvaltningen IoP",
            "Samordningsförbundet Hoppet & MIA Vidare",
        ),
    )


def test_the_2021_table_has_the_documents_enterprises_in_its_order(network):
    rows = [comparable(row) for row in network_table(year=2021)]
    assert [row.organisation for row in rows] == [row.organisation for row in DOCUMENT_TABLE]


@pytest.mark.parametrize(
    "index",
    range(len(DOCUMENT_TABLE)),
    ids=[slugify(row.organisation)[:40] for row in DOCUMENT_TABLE],
)
def test_each_row_of_the_2021_table_reads_as_in_the_document(network, index):
    rows = network_table(year=2021)
    assert len(rows) == len(DOCUMENT_TABLE)
    assert comparable(rows[index]) == DOCUMENT_TABLE[index]


def test_the_row_keeps_its_parts_apart_for_the_layout(network):
    cafe, ggg = network_table(year=2021)[2:4]
    assert cafe.organisation == ("M29 Café, Textil & Hantverk",)
    assert cafe.units == ("Café Nyfiket", "Kulturcafé", "Sigtuna Hantverkshus")
    assert cafe.group_note == "(En del av M29 Gruppen)"
    assert ggg.organisation == (
        "GGG - Allservice för Seniorer EK",
        "GGG – Glädje, Gemenskap & Guldkant för seniorer IF",
    )
    assert ggg.group_note == ""
    assert ggg.municipalities == "Sigtuna & Upplands Väsby"
    fastighetservice = network_table(year=2021)[1]
    assert fastighetservice.organisation == ("M29 Fastighetservice (tidigare Service i Sigtuna)",)
    assert fastighetservice.enterprise.slug == "m29-fastighetservice"


# --- Which enterprises and agreements a year's table shows ----------------------------------


def test_enterprises_that_started_after_the_year_are_left_out(network):
    assert [row.enterprise.name for row in network_table(year=2014)] == [
        "M29 Fastighetservice",
        "Värmekällan i Väsby",
    ]
    assert len(network_table(year=2015)) == 5


def test_an_enterprise_with_an_unknown_start_year_is_listed(network):
    EnterpriseFactory(name="Nystartat ASF", start_year=None)
    assert network_table(year=2021)[-1].enterprise.name == "Nystartat ASF"


def test_unpublished_enterprises_are_left_out(network):
    Enterprise.objects.filter(slug="livskraft").update(published=False)
    names = [row.enterprise.name for row in network_table(year=2021)]
    assert "Livskraft" not in names
    assert len(names) == 7


def test_agreements_not_in_force_during_the_year_are_left_out(network):
    elderly_care = Agreement.objects.get(
        title="Sigtuna kommun - Äldre- och omsorgsförvaltningen IOP"
    )
    elderly_care.valid_until = datetime.date(2020, 12, 31)
    elderly_care.save()
    Agreement.objects.filter(
        enterprise__slug="varmekallan-i-vasby", kind=Agreement.Kind.AF_TRAINING
    ).update(valid_from=datetime.date(2022, 1, 1))

    rows_2021 = {row.enterprise.slug: row for row in network_table(year=2021)}
    m29 = [line.text for line in rows_2021["m29-socialt-foretagscenter"].agreements]
    assert "Sigtuna kommun - Äldre- och omsorgsförvaltningen IOP" not in m29
    assert len(m29) == 3
    # The subcontract under the ended agreement goes with it.
    assert rows_2021["m29-fastighetservice"].agreements[1].items == (
        "Sigtuna kommun – Försörjningsstödenheten IoP",
        "Samordningsförbundet – Hoppet & MIA-Vidare",
    )
    assert [line.text for line in rows_2021["varmekallan-i-vasby"].agreements] == [
        "Samordningsförbundet – Hoppet & MIA-Vidare"
    ]

    rows_2020 = {row.enterprise.slug: row for row in network_table(year=2020)}
    assert len(rows_2020["m29-socialt-foretagscenter"].agreements) == 4
    assert len(rows_2020["m29-fastighetservice"].agreements[1].items) == 3
    assert len(rows_2020["varmekallan-i-vasby"].agreements) == 1


def test_an_agreement_that_ends_during_the_year_is_still_in_that_years_table(network):
    Agreement.objects.filter(enterprise__slug="livskraft").update(
        valid_until=datetime.date(2021, 3, 31)
    )
    rows = {row.enterprise.slug: row for row in network_table(year=2021)}
    assert len(rows["livskraft"].agreements) == 1
    assert {row.enterprise.slug: row for row in network_table(year=2022)}[
        "livskraft"
    ].agreements == ()


# --- Queries --------------------------------------------------------------------------------


def add_enterprises(count: int) -> None:
    """Enterprises with everything the table shows, so that a lazy lookup would show."""
    af = Organisation.objects.get(short_name="AF")
    primes = list(Agreement.objects.filter(enterprise__short_name="M29").order_by("order")[1:3])
    municipalities = list(Municipality.objects.all())
    group = EnterpriseGroupFactory()
    for _ in range(count):
        enterprise = EnterpriseFactory(municipalities=municipalities[:2], group=group)
        EnterpriseAlias.objects.create(
            enterprise=enterprise,
            name=f"Förr {enterprise.name}",
            kind=EnterpriseAlias.Kind.FORMER,
            slug=slugify(f"forr {enterprise.name}"),
        )
        LegalEntityFactory(enterprise=enterprise, name=f"{enterprise.name} ek. för.")
        LegalEntityFactory(enterprise=enterprise, name=f"{enterprise.name} ideell förening")
        UnitFactory(enterprise=enterprise)
        AgreementFactory(enterprise=enterprise, counterparty=af)
        AgreementFactory(enterprise=enterprise, title="", counterparty=OrganisationFactory())
        for prime in primes:
            AgreementFactory(
                enterprise=enterprise,
                kind=Agreement.Kind.SUBCONTRACT,
                title="",
                counterparty=None,
                prime_agreement=prime,
            )


def test_the_table_takes_as_many_queries_for_48_enterprises_as_for_8(
    network, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as seeded:
        assert len(network_table(year=2021)) == 8
    add_enterprises(40)

    with django_assert_max_num_queries(len(seeded.captured_queries)):
        rows = network_table(year=2021)

    assert len(rows) == 48
    last = rows[-1]
    assert len(last.organisation) == 2
    assert last.organisation[-1].endswith(")")
    assert last.units and last.group_note
    assert [len(line.items) for line in last.agreements] == [0, 0, 2]
    assert last.agreements[1].text.startswith("Testorganisation")
