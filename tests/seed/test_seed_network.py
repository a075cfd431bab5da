"""`manage.py seed_network` loads the source document (tests/data/iop-rapport-2022.txt)."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalChanges

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF
from enterprises.models import (
    Enterprise,
    EnterpriseAlias,
    EnterpriseGroup,
    LegalEntity,
    Municipality,
    NetworkProfile,
    ServiceCategory,
    Unit,
)
from placements.models import Agreement, Organisation, PlacementType, Programme
from reports.models import (
    Activity,
    AnnualReport,
    ReportSection,
    Signatory,
    Strategy,
    StrategyArea,
    StrategyPoint,
)

DOCUMENT = Path(__file__).resolve().parents[1] / "data" / "iop-rapport-2022.txt"
M29 = "M29 Socialt företagscenter"
SEEDED_APPS = ("enterprises", "placements", "reports")

# Every test in a savepoint of the module's transaction (module_db), so none sees another's
# changes to the shared run.
pytestmark = pytest.mark.django_db


def run_seed_network() -> str:
    out = StringIO()
    call_command("seed_network", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def network(module_db) -> str:
    """One run on the empty database for the module's tests (each test's changes roll back);
    the tests of a run on a database that is not empty are in test_seed_on_existing_rows.py."""
    return run_seed_network()


# --- Reading the document -------------------------------------------------------------------


def document_paragraphs() -> list[str]:
    text = DOCUMENT.read_text(encoding="utf-8")
    return [paragraph.strip() for paragraph in text.split("\n\n") if paragraph.strip()]


def document_activities() -> dict[tuple[int, int], list[str]]:
    """The bullets of "Aktiviteter under 2022" by (area, point), without "- "; the asterisks
    of the document's one italic are the report's markup for it too (reports/markup.py).
    """
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    start = lines.index("Aktiviteter under 2022")
    end = lines.index("Framtida utvecklingsområden")
    bullets: dict[tuple[int, int], list[str]] = {}
    area = point = 0
    for line in lines[start:end]:
        if line.startswith("Område "):
            area = int(line.split()[1])
        elif line.startswith("Punkt"):  # "Punkt 3:" and "Punkten 1:"
            point = int(line.split()[1].rstrip(":"))
        elif line.startswith("- "):
            bullets.setdefault((area, point), []).append(line[2:])
    return bullets


def document_point_labels() -> dict[tuple[int, int], str]:
    """How the document names each point: "Punkt 3" under Område 1, "Punkten 1" elsewhere."""
    labels: dict[tuple[int, int], str] = {}
    area = 0
    for paragraph in document_paragraphs():
        if paragraph.startswith("Område "):
            area = int(paragraph.split()[1])
        elif paragraph.startswith("Punkt"):
            label = paragraph.split(": ", 1)[0]
            labels[(area, int(label.split()[1]))] = label
    return labels


def document_list_starts() -> list[str]:
    """The activities that start a list of their own: a bullet after a blank line that
    follows another bullet ("Punkten 5" has two lists of one bullet each).
    """
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    return [
        line[2:]
        for before, blank, line in zip(lines, lines[1:], lines[2:], strict=False)
        if before.startswith("- ") and not blank.strip() and line.startswith("- ")
    ]


def document_strategy() -> tuple[dict[int, str], dict[tuple[int, int], str]]:
    """Area titles by number, and point texts by (area, point), as the document writes them."""
    titles: dict[int, str] = {}
    points: dict[tuple[int, int], str] = {}
    area = 0
    for paragraph in document_paragraphs():
        if paragraph.startswith("Område "):
            _word, number, _dash, title = paragraph.split(" ", 3)  # "Område 1 - Kunskap ..."
            area = int(number)
            titles[area] = title
        elif paragraph.startswith("Punkt"):
            label, text = paragraph.split(": ", 1)
            points[(area, int(label.split()[1]))] = text
    return titles, points


def document_section_bodies(headings: list[str]) -> dict[str, str]:
    """The paragraphs under each heading up to the next heading (or the activities, or the
    date before the signatures), joined by blank lines.
    """
    paragraphs = document_paragraphs()
    stops = {*headings, "Aktiviteter under 2022", "2022-10-19"}
    bodies = {}
    for heading in headings:
        start = paragraphs.index(heading) + 1
        end = start
        while paragraphs[end] not in stops:
            end += 1
        bodies[heading] = "\n\n".join(paragraphs[start:end])
    return bodies


# --- What a run creates ---------------------------------------------------------------------


def test_it_creates_the_documents_network_once(network):
    counts = {
        Municipality: 3,
        EnterpriseGroup: 1,
        ServiceCategory: 6,
        PlacementType: 4,
        Organisation: 9,
        Programme: 2,
        Enterprise: 8,
        EnterpriseAlias: 3,
        LegalEntity: 2,
        Unit: 3,
        Agreement: 20,
        Strategy: 1,
        StrategyArea: 3,
        StrategyPoint: 7,
        Activity: 23,
        AnnualReport: 1,
        ReportSection: 9,
        Signatory: 3,
        NetworkProfile: 1,
    }
    assert {model: model.objects.count() for model in counts} == counts


def test_it_says_in_swedish_what_it_created(network):
    assert network == (
        "Skapade 3 kommuner, 1 företagsgrupp, 6 tjänstekategorier, 4 placeringstyper, "
        "9 organisationer, 2 insatser, 8 företag, 3 andra namn, 2 juridiska personer, "
        "3 enheter, 20 avtal, 1 strategi, 3 områden, 7 punkter, 23 aktiviteter, 1 årsrapport, "
        "9 avsnitt, 3 undertecknare och nätverkets uppgifter.\n"
    )


def test_it_creates_the_role_groups(network):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        COORDINATOR,
        ENTERPRISE_STAFF,
        CASE_OFFICER,
    }


def test_every_row_it_creates_passes_the_admins_validation(network):
    for label in SEEDED_APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges):
                continue  # the change history: written by django-simple-history, not typed in
            for row in model.objects.all():
                row.full_clean()


# --- The enterprises ------------------------------------------------------------------------


def test_it_loads_the_enterprises_of_the_2021_table(network):
    enterprises = Enterprise.objects.order_by("pk")
    assert [
        (
            e.name,
            e.slug,
            [m.name for m in e.municipalities.order_by("name")],
            e.start_year,
            e.group.name if e.group else None,
            e.published,
        )
        for e in enterprises
    ] == [
        (M29, "m29-socialt-foretagscenter", ["Sigtuna"], 2015, "M29 Gruppen", True),
        (
            "M29 Fastighetservice",
            "m29-fastighetservice",
            ["Sigtuna", "Upplands Väsby"],
            2009,
            "M29 Gruppen",
            True,
        ),
        (
            "M29 Café, Textil & Hantverk",
            "m29-cafe-textil-hantverk",
            ["Sigtuna"],
            2015,
            "M29 Gruppen",
            True,
        ),
        (
            "GGG Allservice för Seniorer",
            "ggg-allservice-for-seniorer",
            ["Sigtuna", "Upplands Väsby"],
            2017,
            None,
            True,
        ),
        (
            "Love & Hope Secondhand i Märsta",
            "love-hope-secondhand-i-marsta",
            ["Sigtuna"],
            2015,
            None,
            True,
        ),
        (
            "Naturlig hälsa & utbildning i Mälardalen",
            "naturlig-halsa-utbildning-i-malardalen",
            ["Upplands Väsby"],
            2019,
            None,
            True,
        ),
        ("Värmekällan i Väsby", "varmekallan-i-vasby", ["Upplands Väsby"], 2012, None, True),
        ("Livskraft", "livskraft", ["Sollentuna"], 2016, None, True),
    ]
    assert Enterprise.objects.get(short_name="M29").name == M29


def test_ggg_is_an_economic_and_a_non_profit_association(network):
    ggg = Enterprise.objects.get(slug="ggg-allservice-for-seniorer")
    assert list(
        ggg.legal_entities.order_by("pk").values_list("name", "legal_form", "organisation_number")
    ) == [
        ("GGG - Allservice för Seniorer", "EK", ""),
        ("GGG – Glädje, Gemenskap & Guldkant för seniorer", "IF", ""),
    ]


def test_the_cafe_has_its_three_units_in_sigtuna_without_addresses(network):
    cafe = Enterprise.objects.get(slug="m29-cafe-textil-hantverk")
    assert [
        (unit.name, unit.municipality.name, unit.address) for unit in cafe.units.order_by("pk")
    ] == [
        ("Café Nyfiket", "Sigtuna", ""),
        ("Kulturcafé", "Sigtuna", ""),
        ("Sigtuna Hantverkshus", "Sigtuna", ""),
    ]
    assert Unit.objects.exclude(enterprise=cafe).count() == 0


def test_former_names_and_other_spellings_lead_to_their_enterprise(network):
    aliases = EnterpriseAlias.objects.select_related("enterprise").order_by("pk")
    assert [(a.name, a.kind, a.slug, a.enterprise.name) for a in aliases] == [
        ("Service i Sigtuna", "former", "service-i-sigtuna", "M29 Fastighetservice"),
        (
            "Love & Hope Second Hand Store",
            "spelling",
            "love-hope-second-hand-store",
            "Love & Hope Secondhand i Märsta",
        ),
        (
            "Naturlighälsa & Utbildning",
            "spelling",
            "naturlighalsa-utbildning",
            "Naturlig hälsa & utbildning i Mälardalen",
        ),
    ]


def test_enterprises_sell_what_their_names_say(network):
    categories = {
        e.name: [c.name for c in e.service_categories.order_by("order")]
        for e in Enterprise.objects.all()
    }
    assert categories == {
        M29: [],
        "M29 Fastighetservice": ["Fastighetsservice"],
        "M29 Café, Textil & Hantverk": ["Café och catering", "Textil och hantverk"],
        "GGG Allservice för Seniorer": ["Tjänster för seniorer"],
        "Love & Hope Secondhand i Märsta": ["Second hand"],
        "Naturlig hälsa & utbildning i Mälardalen": ["Hälsa och utbildning"],
        "Värmekällan i Väsby": [],
        "Livskraft": [],
    }
    assert list(ServiceCategory.objects.values_list("name", "slug")) == [
        ("Café och catering", "cafe-och-catering"),
        ("Fastighetsservice", "fastighetsservice"),
        ("Textil och hantverk", "textil-och-hantverk"),
        ("Second hand", "second-hand"),
        ("Tjänster för seniorer", "tjanster-for-seniorer"),
        ("Hälsa och utbildning", "halsa-och-utbildning"),
    ]


def test_placement_types_come_in_order_with_their_codes(network):
    assert list(PlacementType.objects.values_list("name", "code")) == [
        ("Arbetsträning", "AT"),
        ("Förstärkt arbetsträning", "FAT"),
        ("Arbetsprövning", "AP"),
        ("Arbetsrehabilitering", "AR"),
    ]


# --- Organisations, programmes, agreements --------------------------------------------------


def test_organisations_have_their_kinds_and_parents(network):
    rows = Organisation.objects.select_related("parent").order_by("pk")
    assert [(o.name, o.short_name, o.kind, o.parent.name if o.parent else None) for o in rows] == [
        ("Arbetsförmedlingen", "AF", "state_agency", None),
        ("Sigtuna kommun", "", "municipal_department", None),
        (
            "Sigtuna kommun - Försörjningsstödenheten",
            "",
            "municipal_department",
            "Sigtuna kommun",
        ),
        (
            "Sigtuna kommun - Äldre- och omsorgsförvaltningen",
            "",
            "municipal_department",
            "Sigtuna kommun",
        ),
        ("Sigtuna kommuns dagliga verksamhet", "", "municipal_department", "Sigtuna kommun"),
        (
            "Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna",
            "Samordningsförbundet",
            "coordination_association",
            None,
        ),
        ("SKOOPI Stockholm", "", "interest_organisation", None),
        ("Coompanion", "", "advisory", None),
        ("Tanke & Handling", "", "other", None),
    ]


def test_the_coordination_association_runs_hoppet_and_mia_vidare(network):
    rows = Programme.objects.select_related("organisation").order_by("pk")
    assert [(p.name, p.short_name, p.other_spellings, p.organisation.short_name) for p in rows] == [
        (
            "Hoppet - Rätt stöd för mig",
            "Hoppet",
            "HOPPET-Rätt stöd för mig, HOPPET – Rätt stöd för mig",
            "Samordningsförbundet",
        ),
        ("MIA-Vidare", "MIA-Vidare", "MIA Vidare", "Samordningsförbundet"),
    ]


def agreements_of(name: str) -> list[tuple]:
    agreements = Agreement.objects.filter(enterprise__name=name).order_by("order")
    return [
        (
            a.kind,
            a.label,
            a.counterparty.name if a.counterparty else None,
            sorted(a.programmes.values_list("short_name", flat=True)),
        )
        for a in agreements
    ]


def test_m29_holds_the_agreements_the_others_work_under(network):
    assert agreements_of(M29) == [
        ("af_training", "AF om arbetsträningsplatser", "Arbetsförmedlingen", []),
        (
            "iop",
            "Sigtuna kommun – Försörjningsstödenheten IoP",
            "Sigtuna kommun - Försörjningsstödenheten",
            [],
        ),
        (
            "iop",
            "Sigtuna kommun - Äldre- och omsorgsförvaltningen IOP",
            "Sigtuna kommun - Äldre- och omsorgsförvaltningen",
            [],
        ),
        (
            "programme",
            "Samordningsförbundet – Hoppet & MIA-Vidare",
            "Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna",
            ["Hoppet", "MIA-Vidare"],
        ),
    ]


@pytest.mark.parametrize(
    ("enterprise", "primes"),
    [
        (
            "M29 Fastighetservice",
            [
                "Sigtuna kommun – Försörjningsstödenheten IoP",
                "Sigtuna kommun - Äldre- och omsorgsförvaltningen IOP",
                "Samordningsförbundet – Hoppet & MIA-Vidare",
            ],
        ),
        (
            "M29 Café, Textil & Hantverk",
            [
                "Sigtuna kommun – Försörjningsstödenheten IoP",
                "Sigtuna kommun - Äldre- och omsorgsförvaltningen IOP",
                "Samordningsförbundet – Hoppet & MIA-Vidare",
            ],
        ),
        ("Love & Hope Secondhand i Märsta", ["Sigtuna kommun – Försörjningsstödenheten IoP"]),
        (
            "Naturlig hälsa & utbildning i Mälardalen",
            ["Samordningsförbundet – Hoppet & MIA-Vidare"],
        ),
        ("Livskraft", ["Samordningsförbundet – Hoppet & MIA-Vidare"]),
    ],
)
def test_subcontractors_work_under_m29s_agreements(network, enterprise, primes):
    subcontracts = Agreement.objects.filter(
        enterprise__name=enterprise, kind=Agreement.Kind.SUBCONTRACT
    ).order_by("order")
    assert [(s.title, s.counterparty, s.prime_agreement.enterprise.name) for s in subcontracts] == [
        ("", None, M29)
    ] * len(primes)
    assert [s.prime_agreement.title for s in subcontracts] == primes
    assert [s.label for s in subcontracts] == [
        f"Underleverantör till M29 för avtalet {prime}" for prime in primes
    ]
    # A subcontract takes its prime agreement's counterparty as the referrer.
    assert [s.referrer for s in subcontracts] == [
        s.prime_agreement.counterparty for s in subcontracts
    ]


def test_the_other_enterprises_have_their_own_agreements(network):
    af = ("af_training", "AF om arbetsträningsplatser", "Arbetsförmedlingen", [])
    subcontracts = {
        name: Agreement.objects.filter(enterprise__name=name, kind="subcontract").count()
        for name in ("M29 Fastighetservice", "M29 Café, Textil & Hantverk")
    }
    assert subcontracts == {"M29 Fastighetservice": 3, "M29 Café, Textil & Hantverk": 3}
    assert agreements_of("GGG Allservice för Seniorer") == [af]
    assert agreements_of("Värmekällan i Väsby") == [
        af,
        (
            "programme",
            # The document's table writes "MIA Vidare" here and "MIA-Vidare" in M29's row:
            # the portal's table writes the programme's name one way.
            "Samordningsförbundet – Hoppet & MIA-Vidare",
            "Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna",
            ["Hoppet", "MIA-Vidare"],
        ),
    ]
    love_and_hope = agreements_of("Love & Hope Secondhand i Märsta")
    assert love_and_hope[0] == af
    assert love_and_hope[2] == (
        "collaboration",
        "Samarbetar med Sigtuna kommuns dagliga verksamhet",
        "Sigtuna kommuns dagliga verksamhet",
        [],
    )
    assert Agreement.objects.exclude(valid_from=None, valid_until=None).count() == 0


def test_love_and_hopes_collaboration_does_not_let_anyone_place_participants(network):
    love_and_hope = Enterprise.objects.get(slug="love-hope-secondhand-i-marsta")
    placing = Agreement.objects.filter(enterprise=love_and_hope).placing()
    assert Agreement.Kind.COLLABORATION not in placing.values_list("kind", flat=True)
    assert love_and_hope.agreements.count() == placing.count() + 1


# --- Strategy and activities ----------------------------------------------------------------


def test_the_strategy_has_the_areas_and_points_the_document_names(network):
    strategy = Strategy.objects.get()
    assert strategy.name == "Strategi för hållbar etablering i arbete och studier"
    assert strategy.owner.short_name == "Samordningsförbundet"
    titles, points = document_strategy()
    assert {area.number: area.title for area in strategy.areas.all()} == titles
    assert {
        (point.area.number, point.number): point.text
        for point in StrategyPoint.objects.select_related("area")
    } == points
    assert sorted(points) == [(1, 3), (2, 1), (2, 2), (2, 3), (3, 2), (3, 3), (3, 5)]


def test_each_point_is_labelled_as_the_document_writes_it(network):
    labels = {
        (point.area.number, point.number): point.label
        for point in StrategyPoint.objects.select_related("area")
    }
    assert labels == document_point_labels()
    assert labels[(1, 3)] == "Punkt 3"
    assert labels[(2, 1)] == "Punkten 1"


def test_an_activity_starts_a_new_list_where_the_document_does(network):
    starting = list(Activity.objects.filter(starts_new_list=True).values_list("text", flat=True))
    assert starting == document_list_starts()
    assert len(starting) == 1 and starting[0].startswith("I ASF:s grundstruktur")


def test_the_documents_italic_is_written_in_the_reports_markup(network):
    webinar = Activity.objects.get(text__contains="Ett välbesökt webinarium")
    assert webinar.text.endswith(
        ": *Framgångsrik arbetsträning – berättelser från deltagare, utförare (ASF) och "
        "beställare.*"
    )


def test_the_2022_report_has_no_statistics_as_the_document_has_none(network):
    assert not AnnualReport.objects.get(year=2022).show_statistics


def test_every_activity_of_2022_is_under_its_point_as_the_document_writes_it(network):
    activities = {
        (point.area.number, point.number): list(
            point.activities.filter(year=2022).order_by("order").values_list("text", flat=True)
        )
        for point in StrategyPoint.objects.select_related("area")
    }
    assert activities == document_activities()


def test_the_years_activities_come_in_the_documents_order(network):
    in_order = [text for bullets in document_activities().values() for text in bullets]
    assert list(Activity.objects.of_year(2022).values_list("text", flat=True)) == in_order
    assert all(activity.points.count() == 1 for activity in Activity.objects.all())


# --- The report -----------------------------------------------------------------------------


def test_the_2022_report_has_the_documents_title_date_and_parties(network):
    report = AnnualReport.objects.get(year=2022)
    paragraphs = document_paragraphs()
    assert report.title == paragraphs[0]
    assert report.date == datetime.date(2022, 10, 19)
    assert report.table_year == 2021
    assert report.published
    assert report.strategy == Strategy.objects.get()
    assert report.activities_intro == paragraphs[paragraphs.index("Aktiviteter under 2022") + 1]
    assert sorted(report.parties.values_list("name", flat=True)) == [
        "SKOOPI Stockholm",
        "Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna",
    ]
    assert [e.name for e in report.complementary_enterprises.all()] == [M29]
    assert [o.name for o in report.complementary_organisations.all()] == ["Tanke & Handling"]


def test_the_reports_sections_have_the_documents_headings_and_texts(network):
    report = AnnualReport.objects.get(year=2022)
    sections = list(report.sections.order_by("order"))
    assert [(s.heading, s.level, s.position) for s in sections] == [
        ("Bakgrund", 1, "before"),
        ("Organisation", 1, "before"),
        ("Framtida utvecklingsområden", 1, "after"),
        ("Ökad samordning och kundanpassning", 2, "after"),
        ("Kvalitetssäkring", 2, "after"),
        ("Fler ASF", 2, "after"),
        ("Breddad verksamhet", 2, "after"),
        ("Ökad förankring", 2, "after"),
        ("Avslutning", 1, "after"),
    ]
    bodies = document_section_bodies([s.heading for s in sections])
    assert {s.heading: s.body for s in sections} == bodies
    assert bodies["Framtida utvecklingsområden"] == ""
    assert bodies["Breddad verksamhet"].count("\n\n") == 1


def test_the_report_is_signed_as_the_document_is(network):
    signatories = AnnualReport.objects.get(year=2022).signatories.order_by("order")
    assert [(s.name, s.role, s.organisation) for s in signatories] == [
        ("Oskar Rommel", "Ordförande", "SKOOPI Stockholm"),
        ("Bo Blideman", "", "Tanke & Handling"),
        ("Karina Johansson", "", M29),
    ]


def test_the_network_has_one_phone_number_and_one_web_address(network):
    profile = NetworkProfile.current()
    assert NetworkProfile.objects.count() == 1
    assert profile.name == "ASF Nätverket Sollentuna – Upplands Väsby – Sigtuna"
    assert profile.short_name == "ASF-nätverket"
    # From the range 08-465 004 00 - 99 that PTS keeps for fiction.
    assert profile.phone == "08-465 004 00"
    assert profile.phone_uri == "tel:+46846500400"
    assert profile.email == "info@example.org"
    assert profile.website == "https://asf-natverket.example.org/"
    assert profile.coordinator_name == "Karina Johansson"
    assert profile.coordinator_email == "samordnare@example.org"
    assert profile.coordinator_enterprise.name == M29
    assert profile.tagline


# --- Running it again -----------------------------------------------------------------------


def snapshot() -> dict[str, list[dict]]:
    """Every row of the seeded apps and the role groups, every field (updated_at too)."""
    models = [
        model for label in SEEDED_APPS for model in apps.get_app_config(label).get_models()
    ] + [Group]
    return {
        model._meta.label: serializers.serialize("python", model._default_manager.order_by("pk"))
        for model in models
    }


def test_a_second_run_writes_nothing(network):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        output = run_seed_network()

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert snapshot() == before
    assert len(before["enterprises.Enterprise"]) == 8
    assert output == "Inget att göra: nätverket finns redan.\n"


def test_the_coordinators_edits_survive_a_second_run(network):
    profile = NetworkProfile.current()
    profile.phone = "08-123 456 78"
    profile.save()
    livskraft = Enterprise.objects.get(slug="livskraft")
    livskraft.name = "Livskraft i Sollentuna"
    livskraft.save()
    livskraft.municipalities.clear()
    elderly_care = Agreement.objects.get(title__endswith="omsorgsförvaltningen IOP")
    elderly_care.title = "Sigtuna kommun – Äldre- och omsorgsförvaltningen IoP"
    elderly_care.save()
    activity = Activity.objects.get(text="Foldern om ASF:en har uppdaterats.")
    activity.text = "Foldern om ASF:en har uppdaterats och tryckts."
    activity.save()
    section = ReportSection.objects.get(heading="Avslutning")
    section.delete()

    output = run_seed_network()

    assert output == "Inget att göra: nätverket finns redan.\n"
    assert NetworkProfile.current().phone == "08-123 456 78"
    livskraft.refresh_from_db()
    assert livskraft.name == "Livskraft i Sollentuna"
    assert livskraft.municipalities.count() == 0
    elderly_care.refresh_from_db()
    assert elderly_care.title == "Sigtuna kommun – Äldre- och omsorgsförvaltningen IoP"
    assert (Enterprise.objects.count(), Agreement.objects.count(), Activity.objects.count()) == (
        8,
        20,
        23,
    )
    assert Activity.objects.filter(text__startswith="Foldern").get().text.endswith("tryckts.")
    assert not ReportSection.objects.filter(heading="Avslutning").exists()


def test_a_missing_row_with_a_natural_key_is_created_again(network):
    EnterpriseAlias.objects.get(name="Service i Sigtuna").delete()
    Unit.objects.get(name="Kulturcafé").delete()

    output = run_seed_network()

    assert output == "Skapade 1 annat namn och 1 enhet.\n"
    assert EnterpriseAlias.objects.get(name="Service i Sigtuna").enterprise.slug == (
        "m29-fastighetservice"
    )
    assert Unit.objects.filter(name="Kulturcafé", enterprise__slug="m29-cafe-textil-hantverk")
