"""Synthetic data at scale for benchmarks and load tests.

Deterministic: the same seed on an empty database gives the same names, numbers, dates and
relations, because every choice comes from a `random.Random` seeded from the seed and the
section name, and every date from a base derived from the report year (never from today).
Each section has its own generator so that, say, more requests do not reshuffle the
placements.

Fast: rows are built in memory and written with bulk_create in batches, many-to-many links
as rows of the through tables. bulk_create sets primary keys on PostgreSQL and on SQLite
3.35+, which the later sections rely on.

Everything is plainly made up: "Syntetiskt företag 0001" with slug "syn-foretag-0001",
participant codes "SYN-000001", addresses @example.org, invented reference rows named
"Synt ...". Real reference rows (the three municipalities, the placement types,
Arbetsförmedlingen) are reused when present and created when missing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import slugify

from accounts.roles import CASE_OFFICER, ensure_roles
from enterprises.models import Adaptation, Enterprise, Municipality, ServiceCategory, Unit
from placements.models import (
    Agreement,
    CaseOfficer,
    Organisation,
    Placement,
    PlacementRequest,
    PlacementType,
    Programme,
    TrainingPlace,
)
from reports.models import Activity, Strategy, StrategyArea, StrategyPoint

BATCH_SIZE = 2000
SLUG_PREFIX = "syn-"
NAME_PREFIX = "Synt "
ACTIVITY_PREFIX = "Syntetisk aktivitet"
CASE_OFFICERS_PER_ORGANISATION = 5
# Starts with "!", so Django treats it as an unusable password; fixed, so runs compare equal.
UNUSABLE_PASSWORD = "!synthetic"

Progress = Callable[[str, int, int], None]

MUNICIPALITIES = ["Sigtuna", "Sollentuna", "Upplands Väsby"]
PLACEMENT_TYPES = [
    ("AT", "Arbetsträning"),
    ("FAT", "Förstärkt arbetsträning"),
    ("AP", "Arbetsprövning"),
    ("AR", "Arbetsrehabilitering"),
]
SERVICE_CATEGORIES = [
    "Synt café och catering",
    "Synt fastighetsservice",
    "Synt textil och hantverk",
    "Synt second hand",
    "Synt tjänster för seniorer",
    "Synt hälsa och utbildning",
]
ADAPTATIONS = [
    "Synt lugn arbetsmiljö",
    "Synt flexibla arbetstider",
    "Synt handledare på plats",
    "Synt anpassade arbetsuppgifter",
]
# (name, kind, agreement kind); Arbetsförmedlingen is real and looked up by its slug.
REAL_REFERRER = ("Arbetsförmedlingen", "arbetsformedlingen")
ORGANISATIONS = [
    ("Synt kommun – försörjningsstöd", Organisation.Kind.MUNICIPAL_DEPARTMENT, Agreement.Kind.IOP),
    ("Synt kommun – äldreomsorg", Organisation.Kind.MUNICIPAL_DEPARTMENT, Agreement.Kind.IOP),
    (
        "Synt samordningsförbund",
        Organisation.Kind.COORDINATION_ASSOCIATION,
        Agreement.Kind.PROGRAMME,
    ),
    (
        "Synt intresseorganisation",
        Organisation.Kind.INTEREST_ORGANISATION,
        Agreement.Kind.COLLABORATION,
    ),
]
PROGRAMMES = [("Synt insats Start", "Start"), ("Synt insats Vidare", "Vidare")]
PROGRAMME_OWNER = "Synt samordningsförbund"
STRATEGY_NAME = "Synt strategi för hållbar etablering"
# (title, tasks, index into SERVICE_CATEGORIES)
TASKS = [
    ("servering och disk", "Servera, duka av, diska och hålla ordning.", 0),
    ("kök och lunch", "Förbereda råvaror och hjälpa till vid lunchserveringen.", 0),
    ("fastighetsskötsel", "Städa trapphus, sköta sophantering och enklare reparationer.", 1),
    ("utemiljö", "Gräsklippning, krattning och snöskottning.", 1),
    ("sömnad och lagning", "Sy, laga och göra om textilier.", 2),
    ("sortering och prissättning", "Sortera inlämnade saker och prismärka.", 3),
    ("butik och kassa", "Sköta kassan, skylta och hjälpa kunder.", 3),
    ("hemservice", "Handla, följa med på promenader och enklare hemsysslor.", 4),
    ("kurser och kontor", "Förbereda kurslokaler och enklare kontorsarbete.", 5),
]
ACTIVITY_KINDS = [
    "nätverksträff för företagen",
    "utbildning för handledare",
    "studiebesök",
    "informationsmöte för handläggare",
    "gemensam marknadsföring",
    "uppföljning av arbetsträningen",
]
PERIODS = ["Under våren", "Under hösten", "Hela året"]
REQUEST_NOTES = [
    "Vill träna på att passa tider.",
    "Vill arbeta med kunder.",
    "Vill börja med praktiska uppgifter i lugn takt.",
    "Vill prova ett nytt yrkesområde.",
]
REQUEST_STATUSES = [
    (PlacementRequest.Status.PENDING, 5),
    (PlacementRequest.Status.WAITLISTED, 2),
    (PlacementRequest.Status.DECLINED, 2),
    (PlacementRequest.Status.WITHDRAWN, 1),
]
EXTENTS = (25, 50, 50, 75, 100)


@dataclass(frozen=True)
class Volume:
    enterprises: int
    places: int
    placements: int
    activities: int
    requests: int

    def __post_init__(self) -> None:
        if min(self.enterprises, self.places, self.placements, self.activities, self.requests) < 0:
            raise ValueError("Antalen kan inte vara negativa.")
        if self.places and not self.enterprises:
            raise ValueError("Platser behöver företag: ange --enterprises större än 0.")
        if (self.placements or self.requests) and not self.places:
            raise ValueError(
                "Placeringar och förfrågningar behöver platser: ange --places större än 0."
            )


def synthetic_data_exists() -> bool:
    return (
        Enterprise.objects.filter(slug__startswith=SLUG_PREFIX).exists()
        or get_user_model().objects.filter(email__startswith=SLUG_PREFIX).exists()
        or Activity.objects.filter(text__startswith=ACTIVITY_PREFIX).exists()
    )


@transaction.atomic
def synthetic_data_delete() -> None:
    """Remove what the generator made; the real reference rows it may have added stay."""
    synthetic_users = get_user_model().objects.filter(
        email__startswith=SLUG_PREFIX, email__endswith="@example.org"
    )
    PlacementRequest.objects.filter(
        Q(place__enterprise__slug__startswith=SLUG_PREFIX) | Q(case_officer__in=synthetic_users)
    ).delete()
    Placement.objects.filter(place__enterprise__slug__startswith=SLUG_PREFIX).delete()
    Activity.objects.filter(text__startswith=ACTIVITY_PREFIX).delete()
    Enterprise.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    synthetic_users.delete()
    Strategy.objects.filter(name__startswith=NAME_PREFIX).delete()
    for model in (Programme, Organisation, ServiceCategory, Adaptation):
        model.objects.filter(name__startswith=NAME_PREFIX).delete()


@transaction.atomic
def synthetic_data_generate(
    *, volume: Volume, seed: int = 1, year: int = 2022, progress: Progress | None = None
) -> dict[str, int]:
    """Write the synthetic data set; returns how many rows of each kind it made."""
    return _Generator(seed=seed, year=year, progress=progress).run(volume)


class _Generator:
    def __init__(self, *, seed: int, year: int, progress: Progress | None) -> None:
        self.seed = seed
        self.year = year
        self.progress = progress or (lambda label, done, total: None)
        self.year_start = datetime.date(year, 1, 1)
        self.year_end = datetime.date(year, 12, 31)
        # Placements run over three years, so the report year has starts, stays and exits.
        self.period_start = datetime.date(year - 2, 1, 1)
        self.counts: dict[str, int] = {}

    def rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{section}")

    def run(self, volume: Volume) -> dict[str, int]:
        self.reference_data()
        self.case_officers()
        self.enterprises(volume.enterprises)
        self.places(volume.places)
        self.placements(volume.placements)
        self.requests(volume.requests, first_code=volume.placements + 1)
        self.activities(volume.activities)
        return self.counts

    # Reference rows: few, fetched or created one by one, in a fixed order.

    def reference_data(self) -> None:
        self.municipalities = [
            Municipality.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
            for name in MUNICIPALITIES
        ]
        self.placement_types = [
            PlacementType.objects.get_or_create(
                code=code, defaults={"name": name, "slug": slugify(name), "order": order}
            )[0]
            for order, (code, name) in enumerate(PLACEMENT_TYPES, start=1)
        ]
        self.categories = [
            ServiceCategory.objects.get_or_create(
                name=name, defaults={"slug": slugify(name), "order": 100 + order}
            )[0]
            for order, name in enumerate(SERVICE_CATEGORIES)
        ]
        self.adaptations = [
            Adaptation.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
            for name in ADAPTATIONS
        ]
        name, slug = REAL_REFERRER
        employment_service = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": Organisation.Kind.STATE_AGENCY}
        )[0]
        self.organisations = [(employment_service, Agreement.Kind.AF_TRAINING)] + [
            (
                Organisation.objects.get_or_create(
                    name=name, defaults={"slug": slugify(name), "kind": kind}
                )[0],
                agreement_kind,
            )
            for name, kind, agreement_kind in ORGANISATIONS
        ]
        owner = Organisation.objects.get(name=PROGRAMME_OWNER)
        self.programmes_of = {
            owner.pk: [
                Programme.objects.get_or_create(
                    name=name,
                    defaults={"short_name": short, "slug": slugify(name), "organisation": owner},
                )[0]
                for name, short in PROGRAMMES
            ]
        }
        self.referrers = [
            organisation
            for organisation, kind in self.organisations
            if kind != Agreement.Kind.COLLABORATION
        ]

    def case_officers(self) -> None:
        group = ensure_roles()[CASE_OFFICER]
        users = []
        user_organisations = []
        for organisation in self.referrers:
            for _ in range(CASE_OFFICERS_PER_ORGANISATION):
                n = len(users) + 1
                users.append(
                    get_user_model()(
                        email=f"{SLUG_PREFIX}handlaggare-{n:03d}@example.org",
                        first_name="Syntetisk",
                        last_name=f"Handläggare {n:03d}",
                        password=UNUSABLE_PASSWORD,
                    )
                )
                user_organisations.append(organisation)
        self.bulk(get_user_model(), users, "Handläggare")
        self.bulk(
            CaseOfficer,
            [
                CaseOfficer(user=user, organisation=organisation)
                for user, organisation in zip(users, user_organisations, strict=True)
            ],
        )
        self.link(get_user_model().groups, [(user.pk, group.pk) for user in users])
        self.officers_of: dict[int, list] = {}
        for user, organisation in zip(users, user_organisations, strict=True):
            self.officers_of.setdefault(organisation.pk, []).append(user)
        self.officers = list(zip(users, user_organisations, strict=True))

    # The network: enterprises with their units and agreements.

    def enterprises(self, count: int) -> None:
        rng = self.rng("enterprises")
        width = max(4, len(str(count)))
        enterprises, municipalities_of = [], []
        category_links, adaptation_links = [], []
        for i in range(1, count + 1):
            number = f"{i:0{width}d}"
            enterprises.append(
                Enterprise(
                    name=f"Syntetiskt företag {number}",
                    short_name=f"Syn {number}",
                    slug=f"{SLUG_PREFIX}foretag-{number}",
                    start_year=rng.randint(1995, self.year),
                    summary="Ett syntetiskt företag för prestandatester.",
                    services_text="Påhittade varor och tjänster.",
                    training_text="Påhittad arbetsträning.",
                    contact_person=f"Syntetisk kontakt {number}",
                    # The regulator keeps 08-465 004 00 to 99 for fiction.
                    phone=f"08-465 004 {i % 100:02d}",
                    email=f"{SLUG_PREFIX}foretag-{number}@example.org",
                    website=f"https://{SLUG_PREFIX}foretag-{number}.example.org/",
                    published=rng.random() < 0.9,
                )
            )
            municipalities_of.append(rng.sample(self.municipalities, rng.randint(1, 2)))
            category_links.append(rng.sample(self.categories, rng.randint(1, 3)))
            adaptation_links.append(rng.sample(self.adaptations, rng.randint(0, 2)))
        self.bulk(Enterprise, enterprises, "Företag")
        self.enterprise_list = enterprises
        self.link(Enterprise.municipalities, self.pairs(enterprises, municipalities_of))
        self.link(Enterprise.service_categories, self.pairs(enterprises, category_links))
        self.link(Enterprise.adaptations, self.pairs(enterprises, adaptation_links))

        units, self.units_of = [], []
        for i, enterprise in enumerate(enterprises):
            own = []
            for k in range(1, rng.randint(1, 2) + 1):
                municipality = municipalities_of[i][0]
                own.append(
                    Unit(
                        enterprise=enterprise,
                        name=f"Syntetisk enhet {k}",
                        street_address=f"Syntetgatan {i + 1}",
                        postal_code=f"19{rng.randint(0, 9)} {rng.randint(0, 99):02d}",
                        city=municipality.name,
                        municipality=municipality,
                    )
                )
            units.extend(own)
            self.units_of.append(own)
        self.bulk(Unit, units, "Enheter")
        self.agreements(rng, enterprises)

    def agreements(self, rng: random.Random, enterprises: Sequence[Enterprise]) -> None:
        """Each enterprise gets 1-3 agreements with different organisations."""
        agreements, programme_links = [], []
        self.placing_agreements_of: list[list[Agreement]] = []
        self.enterprises_open_to: dict[int, list[int]] = {}
        for i, enterprise in enumerate(enterprises):
            placing = []
            chosen = rng.sample(self.organisations, rng.randint(1, 3))
            for order, (organisation, kind) in enumerate(chosen):
                expired = rng.random() < 0.1
                agreement = Agreement(
                    enterprise=enterprise,
                    kind=kind,
                    title=self.agreement_title(organisation, kind),
                    counterparty=organisation,
                    valid_from=datetime.date(self.year - rng.randint(1, 5), rng.randint(1, 12), 1),
                    valid_until=datetime.date(self.year - 1, 12, 31) if expired else None,
                    order=order,
                )
                agreements.append(agreement)
                if kind == Agreement.Kind.COLLABORATION:
                    continue
                placing.append(agreement)
                if not expired:
                    self.enterprises_open_to.setdefault(organisation.pk, []).append(i)
                programme_links.append((agreement, self.programmes_of.get(organisation.pk, [])))
            self.placing_agreements_of.append(placing)
        self.bulk(Agreement, agreements, "Avtal")
        self.link(
            Agreement.programmes,
            [(a.pk, p.pk) for a, programmes in programme_links for p in programmes],
        )

    @staticmethod
    def agreement_title(organisation: Organisation, kind: str) -> str:
        if kind == Agreement.Kind.AF_TRAINING:
            return "AF om arbetsträningsplatser"
        if kind == Agreement.Kind.IOP:
            return f"{organisation.name} IoP"
        if kind == Agreement.Kind.COLLABORATION:
            return f"Samarbete med {organisation.name}"
        return f"{organisation.name} – insatser"

    # Places, placements and requests.

    def places(self, count: int) -> None:
        rng = self.rng("places")
        width = max(5, len(str(count)))
        places, type_links, adaptation_links = [], [], []
        self.place_enterprise, self.place_types, self.places_of = [], [], {}
        for j in range(1, count + 1):
            e = rng.randrange(len(self.enterprise_list))
            title, tasks, category = rng.choice(TASKS)
            hours_min = rng.randint(4, 20)
            confirmed = rng.random() < 0.9
            places.append(
                TrainingPlace(
                    enterprise=self.enterprise_list[e],
                    unit=rng.choice([*self.units_of[e], None]),
                    title=f"Syntetisk plats {j:0{width}d}: {title}",
                    tasks=tasks,
                    service_category=self.categories[category],
                    capacity=rng.randint(1, 6),
                    hours_min=hours_min,
                    hours_max=rng.randint(hours_min, 40),
                    status=(
                        TrainingPlace.Status.PAUSED
                        if rng.random() < 0.1
                        else TrainingPlace.Status.OPEN
                    ),
                    last_confirmed_on=(
                        self.year_start + datetime.timedelta(days=rng.randint(0, 364))
                        if confirmed
                        else None
                    ),
                )
            )
            types = rng.sample(self.placement_types, rng.randint(1, 2))
            type_links.append(types)
            adaptation_links.append(rng.sample(self.adaptations, rng.randint(0, 2)))
            self.place_enterprise.append(e)
            self.place_types.append(types)
            self.places_of.setdefault(e, []).append(j - 1)
        self.bulk(TrainingPlace, places, "Platser")
        self.place_list = places
        self.link(TrainingPlace.placement_types, self.pairs(places, type_links))
        self.link(TrainingPlace.adaptations, self.pairs(places, adaptation_links))

    def placements(self, count: int) -> None:
        """About a quarter active, but never more active placements at a place than seats."""
        rng = self.rng("placements")
        active = [0] * len(self.place_list)
        days = (self.year_end - self.period_start).days
        outcomes = [value for value, _ in Placement.Outcome.choices]
        placements = []
        for k in range(1, count + 1):
            p = rng.randrange(len(self.place_list))
            place = self.place_list[p]
            # The rules of placements.services by construction (bulk_create calls no service):
            # an active placement needs a free seat and an agreement that covers the place.
            agreements = self.placing_agreements_of[self.place_enterprise[p]]
            is_active = rng.random() < 0.25 and active[p] < place.capacity and bool(agreements)
            started_on = self.period_start + datetime.timedelta(days=rng.randint(0, days))
            if is_active:
                active[p] += 1
                ended_on, outcome = None, ""
            else:
                stay = datetime.timedelta(days=rng.randint(14, 365))
                ended_on, outcome = min(started_on + stay, self.year_end), rng.choice(outcomes)
            planned_end_on = (
                started_on + datetime.timedelta(days=rng.randint(90, 365))
                if rng.random() < 0.85
                else None
            )
            if agreements:
                agreement = rng.choice(agreements)
                referrer = agreement.counterparty
            else:
                agreement, referrer = None, rng.choice(self.referrers)
            programmes = self.programmes_of.get(referrer.pk, [])
            officers = [user.pk for user in self.officers_of.get(referrer.pk, [])]
            placements.append(
                # Ids rather than instances: noticeably faster for 100,000 objects.
                Placement(
                    place_id=place.pk,
                    participant_code=f"SYN-{k:06d}",
                    placement_type_id=rng.choice(self.place_types[p]).pk,
                    referrer_id=referrer.pk,
                    programme_id=rng.choice(programmes).pk if programmes else None,
                    agreement_id=agreement.pk if agreement else None,
                    case_officer_id=rng.choice([*officers, None]) if officers else None,
                    started_on=started_on,
                    planned_end_on=planned_end_on,
                    ended_on=ended_on,
                    extent_percent=rng.choice(EXTENTS),
                    outcome=outcome,
                )
            )
        self.bulk(Placement, placements, "Placeringar")

    def requests(self, count: int, *, first_code: int) -> None:
        """Case officers ask for places their organisation may use (any place if none)."""
        rng = self.rng("requests")
        statuses, weights = zip(*REQUEST_STATUSES, strict=True)
        open_enterprises_of = {
            pk: [e for e in enterprises if e in self.places_of]
            for pk, enterprises in self.enterprises_open_to.items()
        }
        requests = []
        for r in range(count):
            officer, organisation = rng.choice(self.officers)
            open_enterprises = open_enterprises_of.get(organisation.pk)
            if open_enterprises:
                p = rng.choice(self.places_of[rng.choice(open_enterprises)])
            else:
                p = rng.randrange(len(self.place_list))
            wished_start_on = self.year_start + datetime.timedelta(days=rng.randint(7, 364))
            status = rng.choices(statuses, weights)[0]
            decided = status in (
                PlacementRequest.Status.WAITLISTED,
                PlacementRequest.Status.DECLINED,
            )
            programmes = self.programmes_of.get(organisation.pk, [])
            requests.append(
                PlacementRequest(
                    place=self.place_list[p],
                    case_officer=officer,
                    referrer=organisation,
                    programme=rng.choice(programmes) if programmes else None,
                    participant_code=f"SYN-{first_code + r:06d}",
                    placement_type=rng.choice(self.place_types[p]),
                    wished_start_on=wished_start_on,
                    extent_percent=rng.choice(EXTENTS),
                    note=rng.choice(REQUEST_NOTES),
                    status=status,
                    decline_reason=(
                        "Syntetiskt skäl: platsen är full."
                        if status == PlacementRequest.Status.DECLINED
                        else ""
                    ),
                    decided_at=(
                        datetime.datetime.combine(
                            wished_start_on - datetime.timedelta(days=7),
                            datetime.time(10),
                            tzinfo=datetime.UTC,
                        )
                        if decided
                        else None
                    ),
                )
            )
        self.bulk(PlacementRequest, requests, "Förfrågningar")

    # The year's activities under the strategy.

    def activities(self, count: int) -> None:
        rng = self.rng("activities")
        points = self.strategy_points()
        days_in_year = (self.year_end - self.year_start).days
        activities, point_links, enterprise_links = [], [], []
        for a in range(1, count + 1):
            dated = rng.random() < 0.7
            activities.append(
                Activity(
                    year=self.year,
                    date=(
                        self.year_start + datetime.timedelta(days=rng.randint(0, days_in_year))
                        if dated
                        else None
                    ),
                    period="" if dated else rng.choice(PERIODS),
                    text=f"{ACTIVITY_PREFIX} {a:05d}: {rng.choice(ACTIVITY_KINDS)}.",
                    people_reached=rng.randint(3, 200) if rng.random() < 0.7 else None,
                    order=a,
                )
            )
            point_links.append(rng.sample(points, rng.randint(1, 2)))
            involved = min(rng.randint(0, 3), len(self.enterprise_list))
            enterprise_links.append(rng.sample(self.enterprise_list, involved))
        self.bulk(Activity, activities, "Aktiviteter")
        self.link(Activity.points, self.pairs(activities, point_links))
        self.link(Activity.enterprises, self.pairs(activities, enterprise_links))

    def strategy_points(self) -> list[StrategyPoint]:
        """The points of the strategies in the database; a synthetic strategy if there is none."""
        ordering = ["area__strategy__name", "area__number", "number"]
        points = list(StrategyPoint.objects.order_by(*ordering))
        if points:
            return points
        owner = Organisation.objects.get(name=PROGRAMME_OWNER)
        strategy = Strategy.objects.create(name=STRATEGY_NAME, owner=owner)
        for a in range(1, 4):
            area = StrategyArea.objects.create(
                strategy=strategy, number=a, title=f"Syntetiskt område {a}"
            )
            StrategyPoint.objects.bulk_create(
                StrategyPoint(area=area, number=n, text=f"Syntetisk punkt {a}.{n}.")
                for n in range(1, 4)
            )
        return list(StrategyPoint.objects.filter(area__strategy=strategy).order_by(*ordering))

    # Writing.

    def bulk(
        self, model: type[models.Model], objects: list[models.Model], label: str | None = None
    ) -> None:
        total = len(objects)
        for start in range(0, total, BATCH_SIZE):
            model.objects.bulk_create(objects[start : start + BATCH_SIZE])
            if label:
                self.progress(label, min(start + BATCH_SIZE, total), total)
        if objects and objects[-1].pk is None:
            raise RuntimeError(
                "bulk_create gav inga primärnycklar tillbaka; generatorn kräver PostgreSQL "
                "eller SQLite 3.35 eller senare."
            )
        if label:
            self.counts[label] = total

    def link(self, descriptor, pairs: list[tuple[int, int]]) -> None:
        """Write many-to-many links as rows of the through table."""
        field = descriptor.field
        through = descriptor.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        rows = [through(**{source: a, target: b}) for a, b in pairs]
        through.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    @staticmethod
    def pairs(
        sources: Sequence[models.Model], targets: Sequence[Sequence[models.Model]]
    ) -> list[tuple[int, int]]:
        return [
            (source.pk, target.pk)
            for source, chosen in zip(sources, targets, strict=True)
            for target in chosen
        ]
