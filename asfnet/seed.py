"""The network as the source document describes it, and `seed_network()` that loads it.

The source is the partnership's IoP report of 2022-10-19 (a copy is in
tests/data/iop-rapport-2022.txt): the table of the enterprises of 2021 at its end, the
parties, the strategy's points with the activities of 2022, and the report's own texts. Texts
keep the document's spelling, variants included ("MIA Vidare" beside "MIA-Vidare", "IOP"
beside "IoP"), so that the annual report can reproduce the document; only inside the closing
table, which writes the programme both ways, is it one way, "MIA-Vidare", as the programme is
named. The one italic of the document is written in the report's markup (reports/markup.py).
Only the service categories, the placement type codes and the network's contact details are
not in it.

Loading creates what is missing and changes nothing that exists, because the coordinator owns
the data once it is in the database:

- rows are looked up by their natural keys (a name or slug; an enterprise and the name of its
  unit; an agreement's enterprise, kind and counterparty or prime agreement) and created only
  when nothing matches;
- the relations of a row (municipalities, categories, programmes, parties, an activity's
  points) are set only when this run creates the row;
- lists without a natural key (the activities of a point in a year, a report's sections and
  signatories) are created only while they are empty.

So a second run writes nothing, and a row the coordinator deleted comes back on the next run.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import ensure_roles
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

# ---------------------------------------------------------------------------------------------
# The data
# ---------------------------------------------------------------------------------------------

SOLLENTUNA = "Sollentuna"
UPPLANDS_VASBY = "Upplands Väsby"
SIGTUNA = "Sigtuna"
MUNICIPALITIES = (SOLLENTUNA, UPPLANDS_VASBY, SIGTUNA)

M29_GROUP = "M29 Gruppen"
ENTERPRISE_GROUPS = (M29_GROUP,)

# Not in the document: what buyers look for, in the order the storefront lists it.
CAFE = "Café och catering"
PROPERTY = "Fastighetsservice"
TEXTILE = "Textil och hantverk"
SECOND_HAND = "Second hand"
SENIORS = "Tjänster för seniorer"
HEALTH = "Hälsa och utbildning"
SERVICE_CATEGORIES = (CAFE, PROPERTY, TEXTILE, SECOND_HAND, SENIORS, HEALTH)
# The same, on the English pages (the coordinator edits them in the admin).
SERVICE_CATEGORIES_EN = {
    CAFE: "Café and catering",
    PROPERTY: "Property services",
    TEXTILE: "Textiles and crafts",
    SECOND_HAND: "Second hand",
    SENIORS: "Services for seniors",
    HEALTH: "Health and education",
}

# (name, code); the document names AT and FAT, the other two only in words.
PLACEMENT_TYPES = (
    ("Arbetsträning", "AT"),
    ("Förstärkt arbetsträning", "FAT"),
    ("Arbetsprövning", "AP"),
    ("Arbetsrehabilitering", "AR"),
)

AF = "Arbetsförmedlingen"
SIGTUNA_MUNICIPALITY = "Sigtuna kommun"
SOCIAL_ASSISTANCE = "Sigtuna kommun - Försörjningsstödenheten"
ELDERLY_CARE = "Sigtuna kommun - Äldre- och omsorgsförvaltningen"
DAILY_ACTIVITIES = "Sigtuna kommuns dagliga verksamhet"
COORDINATION_ASSOCIATION = "Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna"
SKOOPI = "SKOOPI Stockholm"
COOMPANION = "Coompanion"
TANKE_OCH_HANDLING = "Tanke & Handling"


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: Organisation.Kind
    short_name: str = ""
    parent: str = ""


ORGANISATIONS = (
    OrganisationData(AF, Organisation.Kind.STATE_AGENCY, short_name="AF"),
    OrganisationData(SIGTUNA_MUNICIPALITY, Organisation.Kind.MUNICIPAL_DEPARTMENT),
    OrganisationData(
        SOCIAL_ASSISTANCE, Organisation.Kind.MUNICIPAL_DEPARTMENT, parent=SIGTUNA_MUNICIPALITY
    ),
    OrganisationData(
        ELDERLY_CARE, Organisation.Kind.MUNICIPAL_DEPARTMENT, parent=SIGTUNA_MUNICIPALITY
    ),
    OrganisationData(
        DAILY_ACTIVITIES, Organisation.Kind.MUNICIPAL_DEPARTMENT, parent=SIGTUNA_MUNICIPALITY
    ),
    OrganisationData(
        COORDINATION_ASSOCIATION,
        Organisation.Kind.COORDINATION_ASSOCIATION,
        short_name="Samordningsförbundet",
    ),
    OrganisationData(SKOOPI, Organisation.Kind.INTEREST_ORGANISATION),
    OrganisationData(COOMPANION, Organisation.Kind.ADVISORY),
    # The document calls it a complementary actor and says no more.
    OrganisationData(TANKE_OCH_HANDLING, Organisation.Kind.OTHER),
)

HOPPET = "Hoppet - Rätt stöd för mig"
MIA_VIDARE = "MIA-Vidare"


@dataclass(frozen=True)
class ProgrammeData:
    name: str
    short_name: str
    organisation: str
    other_spellings: str = ""


PROGRAMMES = (
    ProgrammeData(
        HOPPET,
        "Hoppet",
        COORDINATION_ASSOCIATION,
        other_spellings="HOPPET-Rätt stöd för mig, HOPPET – Rätt stöd för mig",
    ),
    ProgrammeData(MIA_VIDARE, "MIA-Vidare", COORDINATION_ASSOCIATION, other_spellings="MIA Vidare"),
)

M29 = "M29 Socialt företagscenter"


@dataclass(frozen=True)
class AgreementData:
    """A bullet of the table's agreements column.

    A subcontract names its prime agreement as (enterprise, title) and has no title or
    counterparty of its own: its text is built from the prime agreement.
    """

    kind: Agreement.Kind
    title: str = ""
    counterparty: str = ""
    programmes: tuple[str, ...] = ()
    prime: tuple[str, str] | None = None


AF_TRAINING = AgreementData(
    Agreement.Kind.AF_TRAINING, "AF om arbetsträningsplatser", counterparty=AF
)
M29_SOCIAL_ASSISTANCE = AgreementData(
    Agreement.Kind.IOP,
    "Sigtuna kommun – Försörjningsstödenheten IoP",
    counterparty=SOCIAL_ASSISTANCE,
)
M29_ELDERLY_CARE = AgreementData(
    Agreement.Kind.IOP,
    "Sigtuna kommun - Äldre- och omsorgsförvaltningen IOP",
    counterparty=ELDERLY_CARE,
)
M29_PROGRAMMES = AgreementData(
    Agreement.Kind.PROGRAMME,
    "Samordningsförbundet – Hoppet & MIA-Vidare",
    counterparty=COORDINATION_ASSOCIATION,
    programmes=(HOPPET, MIA_VIDARE),
)


def _under_m29(prime: AgreementData) -> AgreementData:
    return AgreementData(Agreement.Kind.SUBCONTRACT, prime=(M29, prime.title))


@dataclass(frozen=True)
class EnterpriseData:
    name: str
    municipalities: tuple[str, ...]
    start_year: int
    agreements: tuple[AgreementData, ...]
    short_name: str = ""
    group: str = ""
    former_names: tuple[str, ...] = ()
    other_spellings: tuple[str, ...] = ()
    legal_entities: tuple[tuple[str, LegalEntity.LegalForm], ...] = ()  # (name, form)
    units: tuple[tuple[str, str], ...] = ()  # (name, municipality); no addresses are known
    service_categories: tuple[str, ...] = ()


# In the order of the table "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby och
# Sigtuna 2021": the annual report lists the enterprises in the order they were entered.
ENTERPRISES = (
    EnterpriseData(
        M29,
        short_name="M29",
        group=M29_GROUP,
        municipalities=(SIGTUNA,),
        start_year=2015,
        agreements=(AF_TRAINING, M29_SOCIAL_ASSISTANCE, M29_ELDERLY_CARE, M29_PROGRAMMES),
    ),
    EnterpriseData(
        "M29 Fastighetservice",
        group=M29_GROUP,
        municipalities=(SIGTUNA, UPPLANDS_VASBY),
        start_year=2009,
        former_names=("Service i Sigtuna",),
        service_categories=(PROPERTY,),
        agreements=(
            AF_TRAINING,
            _under_m29(M29_SOCIAL_ASSISTANCE),
            _under_m29(M29_ELDERLY_CARE),
            _under_m29(M29_PROGRAMMES),
        ),
    ),
    EnterpriseData(
        "M29 Café, Textil & Hantverk",
        group=M29_GROUP,
        municipalities=(SIGTUNA,),
        start_year=2015,
        units=(
            ("Café Nyfiket", SIGTUNA),
            ("Kulturcafé", SIGTUNA),
            ("Sigtuna Hantverkshus", SIGTUNA),
        ),
        service_categories=(CAFE, TEXTILE),
        agreements=(
            AF_TRAINING,
            _under_m29(M29_SOCIAL_ASSISTANCE),
            _under_m29(M29_ELDERLY_CARE),
            _under_m29(M29_PROGRAMMES),
        ),
    ),
    EnterpriseData(
        "GGG Allservice för Seniorer",
        municipalities=(SIGTUNA, UPPLANDS_VASBY),
        start_year=2017,
        legal_entities=(
            ("GGG - Allservice för Seniorer", LegalEntity.LegalForm.ECONOMIC_ASSOCIATION),
            (
                "GGG – Glädje, Gemenskap & Guldkant för seniorer",
                LegalEntity.LegalForm.NON_PROFIT_ASSOCIATION,
            ),
        ),
        service_categories=(SENIORS,),
        agreements=(AF_TRAINING,),
    ),
    EnterpriseData(
        "Love & Hope Secondhand i Märsta",
        municipalities=(SIGTUNA,),
        start_year=2015,
        other_spellings=("Love & Hope Second Hand Store",),
        service_categories=(SECOND_HAND,),
        agreements=(
            AF_TRAINING,
            _under_m29(M29_SOCIAL_ASSISTANCE),
            AgreementData(
                Agreement.Kind.COLLABORATION,
                "Samarbetar med Sigtuna kommuns dagliga verksamhet",
                counterparty=DAILY_ACTIVITIES,
            ),
        ),
    ),
    EnterpriseData(
        "Naturlig hälsa & utbildning i Mälardalen",
        municipalities=(UPPLANDS_VASBY,),
        start_year=2019,
        other_spellings=("Naturlighälsa & Utbildning",),
        service_categories=(HEALTH,),
        agreements=(_under_m29(M29_PROGRAMMES),),
    ),
    EnterpriseData(
        "Värmekällan i Väsby",
        municipalities=(UPPLANDS_VASBY,),
        start_year=2012,
        agreements=(
            AF_TRAINING,
            # The table writes this one "MIA Vidare", and M29's "MIA-Vidare": one table, one
            # spelling, the programme's. The programmes say what it covers.
            AgreementData(
                Agreement.Kind.PROGRAMME,
                "Samordningsförbundet – Hoppet & MIA-Vidare",
                counterparty=COORDINATION_ASSOCIATION,
                programmes=(HOPPET, MIA_VIDARE),
            ),
        ),
    ),
    EnterpriseData(
        "Livskraft",
        municipalities=(SOLLENTUNA,),
        start_year=2016,
        agreements=(_under_m29(M29_PROGRAMMES),),
    ),
)


@dataclass(frozen=True)
class ActivityData:
    text: str
    starts_new_list: bool = False  # the document sets it apart from the bullets before it


@dataclass(frozen=True)
class PointData:
    number: int
    label: str  # as the document writes it: "Punkt 3", "Punkten 1"
    text: str
    activities: tuple[str | ActivityData, ...]  # of ACTIVITY_YEAR, in the document's order


@dataclass(frozen=True)
class AreaData:
    number: int
    title: str
    points: tuple[PointData, ...]


STRATEGY_NAME = "Strategi för hållbar etablering i arbete och studier"
STRATEGY_OWNER = COORDINATION_ASSOCIATION
ACTIVITY_YEAR = 2022

# Only the points the report names. Titles and texts keep the document's full stops; the
# activities are its bullets without the dash, its one italic in the report's markup.
STRATEGY_AREAS = (
    AreaData(
        1,
        "Kunskap om arbetsmarknadens förutsättningar efter pandemin.",
        points=(
            PointData(
                3,
                "Punkt 3",
                "Bidrar med en rådgivande funktion till ASF:en att kunna erbjuda information och "
                "aktivering som hjälper deltagare att fatta beslut om framtida karriärvägar.",
                activities=(
                    "Under året har Karina Johansson varit sammankallade i fokusgrupp med "
                    "MIA-Vidare och HOPPET-Rätt stöd för mig. Syftet med fokusgruppen är att "
                    "utbyta kunskap och utveckla material inom arbetsträning till ASF:en och "
                    "handläggare och insatsledare för att de än mer ska kunna stödja deltagarna "
                    "att fattat beslut om framtida karriärvägar. Deltagarna i fokusgruppen har "
                    "sedan spridit gruppens material till ASF:en och till handläggare och "
                    "insatsledare inom MIA-Vidare och HOPPET – Rätt stöd för mig.",
                    "På de regelbundna nätverksträffar har det även diskuterats hur ASF:en "
                    "arbetar med stöd till deltagare att komma närmare arbetsmarknaden.",
                    "Flertalet ASF har medverkat vid BIP seminarium och kommer även att medverka "
                    "på BIP utbildningar som arrangeras av samordningsförbundet.",
                ),
            ),
        ),
    ),
    AreaData(
        2,
        "Stärka samverkan mellan samordningsförbundet, ASF, civilsamhällets organisationer och "
        "det lokala näringslivet.",
        points=(
            PointData(
                1,
                "Punkten 1",
                "Mobilisera ASF:en för att aktivt delta i aktiviteter för det lokala näringslivet.",
                activities=(
                    "ASF:en medverkat på kommunernas lokala näringslivsträffar.",
                    "Medverkat på Sigtuna näringslivsgala",
                    "Medverkat på Upplands Väsby's näringslivsdag.",
                    "Riktade informationsinsatser till lokalt näringsliv och civilsamhället i "
                    "Sollentuna har genomförts",
                ),
            ),
            PointData(
                2,
                "Punkten 2",
                "Behjälpliga att marknadsföra ASF:s nytta och tjänster i interna och externa "
                "sammanhang.",
                activities=(
                    "Under våren genomfördes ett webinarium arrangerat av kommunerna, Coompanion "
                    "och Samordningsförbundet där företrädare för IOP berättade om ASF:s dubbla "
                    "affärsidéer - affärsverksamheter och arbetsintegrering.",
                    "Under våren färdigställdes ASF:ens gemensamma hemsida - ASF Nätverket "
                    "Sollentuna- Upplands Väsby – Sigtuna.",
                    "Under våren färdigställdes filmer om de olika ASF:en. Dessa finns nu på "
                    "Samordningsförbundets hemsida samt ASF-nätverkets Sollentuna- Upplands "
                    "Väsby – Sigtunas hemsida.",
                    "Ett välbesökt webinarium har genomförts med temat: *Framgångsrik "
                    "arbetsträning – berättelser från deltagare, utförare (ASF) och beställare.*",
                    "Foldern om ASF:en har uppdaterats.",
                    "Deltog i firandet av Samordningsförbundet 5 år",
                    "Två fulla bussresor till tre ASF har arrangerats under hösten, för politiker, "
                    "tjänstemän, handläggare, samt personer från civilsamhället och näringslivet.",
                ),
            ),
            PointData(
                3,
                "Punkten 3",
                "Behjälpliga att informera civilsamhällets olika aktörer om insatser som finns "
                "och är medskapare i samarbeten som gynnar deltagare.",
                activities=(
                    "Civilsamhällets aktörer har bjudits in till webinarium eller fysiska möte om "
                    "vad ASF är.",
                ),
            ),
        ),
    ),
    AreaData(
        3,
        "Utveckla innehållet i den arbetslivsinriktade rehabiliteringen.",
        points=(
            PointData(
                2,
                "Punkten 2",
                "Utveckla en nätverksstruktur för att än mer kunna tillgodose målgruppens behov "
                "för att kunna komma närmare arbetsmarknaden.",
                activities=(
                    "Sonderingsmöte mellan samordningsförbunden Sollentuna-Upplands Väsby-Sigtuna "
                    "och Roslagen angående ESF-ansökan samt erfarenhetsutbyte mellan förbunden "
                    "ang. att stödja utvecklingen av ASF.",
                    "En bra dialog är utvecklad med olika handläggare hos Arbetsförmedlingen för "
                    "att öka förståelsen för ASF:en.",
                    "Innovationscheckar kommer att ansökas av flera ASF, infomöte genomfördes i "
                    "augusti från Coompanion.",
                ),
            ),
            PointData(
                3,
                "Punkten 3",
                "Mobiliserar ASF att delta i utbildningsinsatsen Supported Employment och andra "
                "kompetenshöjande insatser.",
                activities=(
                    "Under våren har anställda på ASF:en fått kompetensutveckling inom "
                    "jämställdhet och icke-diskriminering.",
                    "Under hösten kommer ASF:en att erbjudas en utbildning inom olika "
                    "neuropsykiatriska diagnoser.",
                    "Under våren 2023 kommer en utbildning att genomföras inom Supported "
                    "Employment.",
                ),
            ),
            PointData(
                5,
                "Punkten 5",
                "Mobiliserar ASF att ge deltagarna en reell möjlighet att påverka insatsernas "
                "innehåll och utformning.",
                activities=(
                    "Kvalitetssäkring av ASF:s arbetsträningsverksamhet - material och "
                    "rutinbeskrivningar är framtagna för uppföljning och utvärdering av "
                    "arbetsträningen och därmed möjlighet för deltagarna att påverka innehållet "
                    "för sin arbetsträning.",
                    ActivityData(
                        "I ASF:s grundstruktur finns ett demokratiskt arbetssätt för att alla ska "
                        "kunna komma till tals utifrån sina förutsättningar - detta skapar "
                        "delaktighet och empowerment hos medarbetarna (anställda och deltagare).",
                        starts_new_list=True,
                    ),
                ),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class SectionData:
    heading: str
    paragraphs: tuple[str, ...]
    level: ReportSection.Level = ReportSection.Level.SECTION
    position: ReportSection.Position = ReportSection.Position.BEFORE_ACTIVITIES
    insert: str = ""  # a ReportSection.Insert: what the report generates after the text


@dataclass(frozen=True)
class SignatoryData:
    name: str
    organisation: str
    role: str = ""


@dataclass(frozen=True)
class ReportData:
    year: int
    title: str
    date: datetime.date
    table_year: int
    activities_intro: str
    parties: tuple[str, ...]
    complementary_enterprises: tuple[str, ...]
    complementary_organisations: tuple[str, ...]
    sections: tuple[SectionData, ...]
    signatories: tuple[SignatoryData, ...]
    show_statistics: bool = True


_AFTER = ReportSection.Position.AFTER_ACTIVITIES
_SUBSECTION = ReportSection.Level.SUBSECTION

REPORT = ReportData(
    year=2022,
    title=(
        "Rapport av Idéburet och Offentligt Partnerskap (IoP) om stöd och utveckling av "
        "arbetsintegrerande sociala företag (ASF)"
    ),
    date=datetime.date(2022, 10, 19),
    table_year=2021,
    activities_intro=(
        "Partnerskapet för 2022 utgår från Samordningsförbundets ”Strategi för hållbar "
        "etablering i arbete i studier”. Strategin är uppdelade i områden, inom varje områden "
        "finns det ett antal punkter. Under 2022 har det genomförts aktiviteter som nedan "
        "redovisas under varje område och punkt."
    ),
    parties=(COORDINATION_ASSOCIATION, SKOOPI),
    complementary_enterprises=(M29,),
    complementary_organisations=(TANKE_OCH_HANDLING,),
    sections=(
        SectionData(
            "Bakgrund",
            (
                "Sedan hösten 2017, då Samordningsförbundet Sollentuna-Upplands Väsby-Sigtuna "
                "bildades, har förbundet haft olika insatser för att stödja utvecklingen av "
                "arbetsintegrerande sociala företag i de tre kommunerna. Detta för att "
                "målgruppen som har behov av samordnade insatser och står långt ifrån "
                "arbetsmarknaden ska kunna få arbetsträna och ev. få en anställning på anpassade "
                "arbetsplatser. De arbetsintegrerande sociala företagen (ASF) har intresse och "
                "kompetens att ta emot personer som varit borta en längre tid från arbetslivet "
                "och har behov av stöd på arbetsplatsen samt olika former av "
                "arbetsanpassningar.",
                "ASF är företag som har dubbla affärsidéer dels att sälja en vara eller en tjänst "
                "till privatpersoner, företag, föreningar eller till den offentliga sektorn, dels "
                "att ta emot personer på både arbetsträning, arbetsrehabilitering och "
                "arbetsprövning mot ersättning från arbetsförmedlingen eller kommunen. ASF är ett "
                "komplement till det övriga näringslivet och är en viktig aktör i "
                "rehabiliteringskedjan för den offentliga sektorn. Syftet med partnerskapet är "
                "att utöka målgruppernas möjligheter att rehabilitera sig och börja arbeta genom "
                "ASF.",
            ),
        ),
        SectionData(
            "Organisation",
            (
                "Parterna i IOP (Idéburet och Offentligt Partnerskap) är mellan "
                "Samordningsförbundet Sollentuna-Upplands Väsby -Sigtuna och SKOOPI Stockholm "
                "(ASF:s intresseorganisation) med M29 Socialt Företagscenter och Tanke & Handling "
                "som kompletterande aktörer.",
                "Från hösten 2021 har ASF:en – M29 Socialt Företagscenter, M29 Fastighetservice, "
                "M29 Café, Textil & Hantverk, Love & Hope Second Hand Store, GGG Allservice för "
                "Seniorer, Värmekällan i Väsby, Naturlighälsa & Utbildning och Livskraft ett "
                "samarbete genom - ASF Nätverket Sollentuna – Upplands Väsby – Sigtuna - där "
                "Karina Johansson från M29 Socialt Företagscenter ansvar för att sammanhålla "
                "nätverket.",
            ),
            insert=ReportSection.Insert.MEMBER_LIST,
        ),
        SectionData("Framtida utvecklingsområden", (), position=_AFTER),
        SectionData(
            "Ökad samordning och kundanpassning",
            (
                "ASF måste vara tydligare i sitt utbud, både till individer och till det "
                "offentliga, framför allt Arbetsförmedlingen. Det ska räcka med ett telefonnummer "
                "och en hemsidesadress för att få tillgång till det samlade utbudet. På det "
                "sättet kan ASF bli en attraktiv samarbetsaktör till Arbetsförmedlingen och med "
                "en ökad valfrihet för individen.",
            ),
            level=_SUBSECTION,
            position=_AFTER,
        ),
        SectionData(
            "Kvalitetssäkring",
            (
                "Genom ökad samverkan blir det också lättare att utveckla gemensam "
                "kvalitetssäkring och bra dokumentation. Det ökar den sammantagna kvaliteten.",
            ),
            level=_SUBSECTION,
            position=_AFTER,
        ),
        SectionData(
            "Fler ASF",
            (
                "Det är glädjande med det stora intresset för ASF, men det behövs fler. Ett "
                "exempel är att MIA Vidare har flest deltagare från Sollentuna. Men Sollentuna "
                "har endast ett litet nystartat ASF som kan erbjuda arbetsträning. Det finns "
                "behov av fler ASF.",
            ),
            level=_SUBSECTION,
            position=_AFTER,
        ),
        SectionData(
            "Breddad verksamhet",
            (
                "ASF samverkar med Arbetsförmedlingen framför allt gällande Arbetsträning (AT) "
                "och Förstärkt Arbetsträning (FAT). Både Regeringens budgetproposition och "
                "Samordningsförbundets strategidokument pekar ut KROM (Kundval Rusta Och Matcha) "
                "som en framtida satsning.",
                "ASF bör om möjligt finnas där marknaden finns. Men det finns ingen KROM-satsning "
                "inriktad på människor med funktionsnedsättning. Därför behövs det undersökas "
                "huruvida det är möjligt att utveckla en sådan arbetsmarknadspolitisk insats.",
            ),
            level=_SUBSECTION,
            position=_AFTER,
        ),
        SectionData(
            "Ökad förankring",
            (
                "Det behövs mer information till det lokala näringslivet. Om det blir aktuellt "
                "med att ASF breddar sin verksamhet genom att erbjuda sina tjänster även inom "
                "KROM, behöver nätverk med lokala företag och även folkhögskolor utvecklas. "
                "Därigenom ökar möjligheterna för individen att börja arbeta eller studera "
                "vilket KROM vilket är Samordningsförbundets övergripande mål.",
            ),
            level=_SUBSECTION,
            position=_AFTER,
        ),
        SectionData(
            "Avslutning",
            (
                "Det finns många utmaningar på den svenska arbetsmarknaden och dessa kommer "
                "troligtvis att öka. De som redan befinner sig i en utsatt ställning på "
                "arbetsmarknaden, ofta personer i långtidsarbetslöshet eller personer med "
                "långtidsjukskrivning eller en funktionsnedsättning, kommer att få det svårare "
                "att skaffa ett arbete på grund av att långtidsarbetslösheten ökar.",
                "Utifrån Samordningsförbundets uppdrag att samordna och finansiera insatser för "
                "målgrupper som står långt ifrån arbetsmarknaden ser vi att det finns ett "
                "fortsatt behov av att utveckla förutsättningar för långsiktig hållbara ASF. "
                "Antalet långtidsarbetslösa ligger på en hög nivå och på nationell nivå har "
                "närmare hundratusen personer varit arbetslösa i minst två år. Forskningen visar "
                "att återgång till arbetsmarknaden försvåras väsentligt ju längre tiden är för "
                "arbetslöshet.",
            ),
            position=_AFTER,
        ),
    ),
    signatories=(
        SignatoryData("Oskar Rommel", SKOOPI, role="Ordförande"),
        SignatoryData("Bo Blideman", TANKE_OCH_HANDLING),
        SignatoryData("Karina Johansson", M29),
    ),
    show_statistics=False,  # the document has no statistics
)

# The document gives no contact details: the number is from the range the Swedish telecom
# regulator (PTS) keeps for fiction, the addresses are example.org. The coordinator replaces
# them in the admin.
NETWORK_PROFILE = {
    "name": "ASF Nätverket Sollentuna – Upplands Väsby – Sigtuna",
    "short_name": "ASF-nätverket",
    "tagline": (
        "Arbetsintegrerande sociala företag i Sollentuna, Upplands Väsby och Sigtuna: "
        "ett telefonnummer och en webbadress till hela utbudet."
    ),
    "tagline_en": (
        "Work-integration social enterprises in Sollentuna, Upplands Väsby and Sigtuna: "
        "one phone number and one web address for everything they offer."
    ),
    "phone": "08-465 004 00",
    "email": "info@example.org",
    "website": "https://asf-natverket.example.org/",
    "coordinator_name": "Karina Johansson",
    "coordinator_email": "samordnare@example.org",
}
NETWORK_COORDINATOR_ENTERPRISE = M29


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

# The order in which the summary lists what was created.
SEEDED_MODELS: tuple[type[models.Model], ...] = (
    Municipality,
    EnterpriseGroup,
    ServiceCategory,
    PlacementType,
    Organisation,
    Programme,
    Enterprise,
    EnterpriseAlias,
    LegalEntity,
    Unit,
    Agreement,
    Strategy,
    StrategyArea,
    StrategyPoint,
    Activity,
    AnnualReport,
    ReportSection,
    Signatory,
    NetworkProfile,
)


@dataclass
class SeedResult:
    """How many rows of each model a run created."""

    created: Counter[type[models.Model]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.created.total()

    def summary(self) -> str:
        """One Swedish sentence: "Skapade 3 kommuner, ... och nätverkets uppgifter." """
        parts = []
        for model in SEEDED_MODELS:
            count = self.created[model]
            if not count:
                continue
            if model is NetworkProfile:  # a single row, named without a number
                parts.append(str(model._meta.verbose_name))
            else:
                name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
                parts.append(f"{count} {name}")
        if not parts:
            return _("Inget att göra: nätverket finns redan.")
        if len(parts) > 1:
            listed = _("%(items)s och %(last)s") % {
                "items": ", ".join(parts[:-1]),
                "last": parts[-1],
            }
        else:
            listed = parts[0]
        return _("Skapade %(things)s.") % {"things": listed}


@transaction.atomic
def seed_network() -> SeedResult:
    """Load the source document's network, creating only what is missing (see the module)."""
    ensure_roles()
    return _Loader().load()


class _Loader:
    def __init__(self) -> None:
        self.result = SeedResult()
        self.municipalities: dict[str, Municipality] = {}
        self.groups: dict[str, EnterpriseGroup] = {}
        self.categories: dict[str, ServiceCategory] = {}
        self.organisations: dict[str, Organisation] = {}
        self.programmes: dict[str, Programme] = {}
        self.enterprises: dict[str, Enterprise] = {}
        # Keyed by (enterprise name, title) as in the data, whatever the rows are called now.
        self.agreements: dict[tuple[str, str], Agreement] = {}

    def load(self) -> SeedResult:
        self._reference_data()
        self._organisations()
        for data in ENTERPRISES:
            self._enterprise(data)
        strategy = self._strategy()
        self._report(strategy)
        self._network_profile()
        return self.result

    # Row helpers -------------------------------------------------------------------------

    def _create(self, model: type[models.Model], **values) -> models.Model:
        row = model._default_manager.create(**values)
        self.result.created[model] += 1
        return row

    def _find_or_create(
        self, model: type[models.Model], lookup: Q, **values
    ) -> tuple[models.Model, bool]:
        """The first row that matches `lookup`, else a new row with `values`."""
        row = model._default_manager.filter(lookup).order_by("pk").first()
        if row is not None:
            return row, False
        return self._create(model, **values), True

    def _named(self, model: type[models.Model], name: str, **values) -> tuple[models.Model, bool]:
        """A row with a unique name and slug, found by either (the coordinator may rename it)."""
        slug = slugify(name)
        return self._find_or_create(
            model, Q(name=name) | Q(slug=slug), name=name, slug=slug, **values
        )

    # The parts -----------------------------------------------------------------------------

    def _reference_data(self) -> None:
        for name in MUNICIPALITIES:
            self.municipalities[name], _created = self._named(Municipality, name)
        for name in ENTERPRISE_GROUPS:
            self.groups[name], _created = self._named(EnterpriseGroup, name)
        for order, name in enumerate(SERVICE_CATEGORIES, start=1):
            self.categories[name], _created = self._named(
                ServiceCategory, name, order=order, name_en=SERVICE_CATEGORIES_EN[name]
            )
        for order, (name, code) in enumerate(PLACEMENT_TYPES, start=1):
            slug = slugify(name)
            self._find_or_create(
                PlacementType,
                Q(name=name) | Q(code=code) | Q(slug=slug),
                name=name,
                code=code,
                slug=slug,
                order=order,
            )

    def _organisations(self) -> None:
        for data in ORGANISATIONS:
            self.organisations[data.name], _created = self._named(
                Organisation,
                data.name,
                short_name=data.short_name,
                kind=data.kind,
                parent=self.organisations[data.parent] if data.parent else None,
            )
        for data in PROGRAMMES:
            self.programmes[data.name], _created = self._named(
                Programme,
                data.name,
                short_name=data.short_name,
                other_spellings=data.other_spellings,
                organisation=self.organisations[data.organisation],
            )

    def _enterprise(self, data: EnterpriseData) -> None:
        enterprise, created = self._named(
            Enterprise,
            data.name,
            short_name=data.short_name,
            group=self.groups[data.group] if data.group else None,
            start_year=data.start_year,
            published=True,
        )
        if created:
            enterprise.municipalities.set([self.municipalities[n] for n in data.municipalities])
            enterprise.service_categories.set([self.categories[n] for n in data.service_categories])
        self.enterprises[data.name] = enterprise

        aliases = [(name, EnterpriseAlias.Kind.FORMER) for name in data.former_names] + [
            (name, EnterpriseAlias.Kind.SPELLING) for name in data.other_spellings
        ]
        for name, kind in aliases:
            slug = slugify(name)
            # Alias names and slugs are unique across all enterprises.
            self._find_or_create(
                EnterpriseAlias,
                Q(name__iexact=name) | Q(slug=slug),
                enterprise=enterprise,
                name=name,
                kind=kind,
                slug=slug,
            )
        for name, legal_form in data.legal_entities:
            self._find_or_create(
                LegalEntity,
                Q(enterprise=enterprise, name=name),
                enterprise=enterprise,
                name=name,
                legal_form=legal_form,
            )
        for name, municipality in data.units:
            self._find_or_create(
                Unit,
                Q(enterprise=enterprise, name=name),
                enterprise=enterprise,
                name=name,
                municipality=self.municipalities[municipality],
            )
        for order, agreement in enumerate(data.agreements, start=1):
            self._agreement(enterprise, data.name, agreement, order=order)

    def _agreement(
        self, enterprise: Enterprise, enterprise_name: str, data: AgreementData, *, order: int
    ) -> None:
        # Keyed on the counterparty (or prime agreement), not the title: a title is text the
        # coordinator may well tidy up ("IOP" -> "IoP").
        if data.prime:
            prime = self.agreements[data.prime]
            lookup = Q(prime_agreement=prime)
            values = {"prime_agreement": prime}
        else:
            counterparty = self.organisations[data.counterparty]
            lookup = Q(counterparty=counterparty)
            values = {"counterparty": counterparty, "title": data.title}
        agreement, created = self._find_or_create(
            Agreement,
            lookup & Q(enterprise=enterprise, kind=data.kind),
            enterprise=enterprise,
            kind=data.kind,
            order=order,
            **values,
        )
        if created and data.programmes:
            agreement.programmes.set([self.programmes[name] for name in data.programmes])
        if not data.prime:
            self.agreements[(enterprise_name, data.title)] = agreement

    def _strategy(self) -> Strategy:
        strategy, _created = self._find_or_create(
            Strategy,
            Q(name=STRATEGY_NAME),
            name=STRATEGY_NAME,
            owner=self.organisations[STRATEGY_OWNER],
        )
        order = 0  # activities are ordered within their year, across points
        for area_data in STRATEGY_AREAS:
            area, _created = self._find_or_create(
                StrategyArea,
                Q(strategy=strategy, number=area_data.number),
                strategy=strategy,
                number=area_data.number,
                title=area_data.title,
            )
            for point_data in area_data.points:
                point, _created = self._find_or_create(
                    StrategyPoint,
                    Q(area=area, number=point_data.number),
                    area=area,
                    number=point_data.number,
                    label=point_data.label,
                    text=point_data.text,
                )
                has_activities = Activity.objects.filter(year=ACTIVITY_YEAR, points=point).exists()
                for item in point_data.activities:
                    data = item if isinstance(item, ActivityData) else ActivityData(item)
                    order += 1
                    if not has_activities:
                        activity = self._create(
                            Activity,
                            year=ACTIVITY_YEAR,
                            text=data.text,
                            starts_new_list=data.starts_new_list,
                            order=order,
                        )
                        activity.points.set([point])
        return strategy

    def _report(self, strategy: Strategy) -> None:
        report, created = self._find_or_create(
            AnnualReport,
            Q(year=REPORT.year),
            year=REPORT.year,
            title=REPORT.title,
            date=REPORT.date,
            strategy=strategy,
            activities_intro=REPORT.activities_intro,
            table_year=REPORT.table_year,
            show_statistics=REPORT.show_statistics,
            published=True,
        )
        if created:
            report.parties.set([self.organisations[name] for name in REPORT.parties])
            report.complementary_enterprises.set(
                [self.enterprises[name] for name in REPORT.complementary_enterprises]
            )
            report.complementary_organisations.set(
                [self.organisations[name] for name in REPORT.complementary_organisations]
            )
        if not report.sections.exists():
            for order, section in enumerate(REPORT.sections, start=1):
                self._create(
                    ReportSection,
                    report=report,
                    heading=section.heading,
                    level=section.level,
                    position=section.position,
                    insert=section.insert,
                    body="\n\n".join(section.paragraphs),
                    order=order,
                )
        if not report.signatories.exists():
            for order, signatory in enumerate(REPORT.signatories, start=1):
                self._create(
                    Signatory,
                    report=report,
                    name=signatory.name,
                    role=signatory.role,
                    organisation=signatory.organisation,
                    order=order,
                )

    def _network_profile(self) -> None:
        if not NetworkProfile.objects.exists():
            self._create(
                NetworkProfile,
                **NETWORK_PROFILE,
                coordinator_enterprise=self.enterprises[NETWORK_COORDINATOR_ENTERPRISE],
            )
