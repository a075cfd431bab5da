"""Demo content for a developer's machine: three accounts, a few places, placements, requests.

Everything here is plainly made up. It builds on the real network that `seed_network` loads
and needs only Arbetsförmedlingen, Värmekällan i Väsby and the placement types AT and FAT from
it; places at other enterprises are created only where those enterprises exist. Running it
again creates nothing new: accounts are keyed on email, places on enterprise and title,
placements and requests on participant code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF, ensure_roles
from enterprises.models import Enterprise, ServiceCategory
from placements import services
from placements.models import (
    CaseOfficer,
    Organisation,
    Placement,
    PlacementRequest,
    PlacementType,
    TrainingPlace,
)

DEMO_PASSWORD = "demo-asf-2026"
# The authenticator-app key (TOTP, base32) of the demo accounts that work in the admin, which
# requires two-factor authentication. Known to everyone, like the password: demo only. Add it
# to an authenticator app, or compute a code with `oathtool --totp -b <key>`.
DEMO_TOTP_SECRET = "ASFDEMOASFDEMOASFDEMOASFDEMOASF2"
REFERRER_SLUG = "arbetsformedlingen"
STAFF_ENTERPRISE_SLUG = "varmekallan-i-vasby"
Outcome = Placement.Outcome


class DemoPrerequisiteMissing(Exception):
    """The network rows the demo builds on are not in the database (run seed_network first)."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    group: str
    is_staff: bool
    note: str

    @property
    def has_demo_totp(self) -> bool:
        """Works in the admin, so has the known authenticator key (see DEMO_TOTP_SECRET)."""
        return self.is_staff


DEMO_ACCOUNTS = [
    DemoAccount(
        "samordnare@example.org",
        first_name="Demo",
        last_name="Samordnare",
        group=COORDINATOR,
        is_staff=True,
        note="Samordnare: allt i admin",
    ),
    DemoAccount(
        "personal@example.org",
        first_name="Demo",
        last_name="Personal",
        group=ENTERPRISE_STAFF,
        is_staff=True,
        note="Företagspersonal på Värmekällan i Väsby",
    ),
    DemoAccount(
        "handlaggare@example.org",
        first_name="Demo",
        last_name="Handläggare",
        group=CASE_OFFICER,
        is_staff=False,
        note="Handläggare på Arbetsförmedlingen: /platser/",
    ),
]
STAFF_EMAIL = DEMO_ACCOUNTS[1].email
CASE_OFFICER_EMAIL = DEMO_ACCOUNTS[2].email


@dataclass(frozen=True)
class DemoPlace:
    enterprise_slug: str
    title: str
    tasks: str
    capacity: int
    hours: tuple[int, int]
    type_codes: tuple[str, ...]
    confirmed_days_ago: int
    category: str = ""  # a service category from seed_network, used where it exists
    paused: bool = False


# The three places at Värmekällan, which always exists, carry the placements and requests.
CAFE = "Caféet: servering och disk"
SECOND_HAND = "Second hand: sortering och prissättning"
CARETAKING = "Vaktmästeri och trädgård"

DEMO_PLACES = [
    DemoPlace(
        STAFF_ENTERPRISE_SLUG,
        CAFE,
        "Ta emot gäster, servera fika och lunch, diska och hålla ordning i caféet.",
        capacity=3,
        hours=(10, 30),
        type_codes=("AT", "FAT"),
        category="Café och catering",
        confirmed_days_ago=3,
    ),
    DemoPlace(
        STAFF_ENTERPRISE_SLUG,
        SECOND_HAND,
        "Sortera inlämnade saker, prismärka och ställa i ordning i butiken.",
        capacity=1,
        hours=(8, 20),
        type_codes=("AT",),
        category="Second hand",
        confirmed_days_ago=12,
    ),
    DemoPlace(
        STAFF_ENTERPRISE_SLUG,
        CARETAKING,
        "Enklare reparationer, sophantering, gräsklippning och krattning.",
        capacity=2,
        hours=(10, 25),
        type_codes=("AT",),
        category="Fastighetsservice",
        confirmed_days_ago=20,
        paused=True,
    ),
    DemoPlace(
        "m29-socialt-foretagscenter",
        "Reception och kontorsstöd",
        "Svara i telefon, ta emot besökare, sortera post och enklare kontorsarbete.",
        capacity=2,
        hours=(10, 30),
        type_codes=("AT", "FAT"),
        # Not confirmed for a long time, so the "needs checking" cue has something to show.
        confirmed_days_ago=95,
    ),
    DemoPlace(
        "m29-fastighetservice",
        "Fastighetsskötsel och städning",
        "Städning av trapphus och lokaler, snöskottning och tillsyn av fastigheter.",
        capacity=4,
        hours=(15, 40),
        type_codes=("AT", "FAT"),
        category="Fastighetsservice",
        confirmed_days_ago=7,
    ),
    DemoPlace(
        "love-hope-secondhand-i-marsta",
        "Butiken: kassa och skyltning",
        "Sköta kassan, skylta varor och hjälpa kunder i butiken.",
        capacity=2,
        hours=(8, 25),
        type_codes=("AT",),
        category="Second hand",
        confirmed_days_ago=30,
    ),
    DemoPlace(
        "ggg-allservice-for-seniorer",
        "Hemservice för seniorer: enklare sysslor",
        "Följa med och handla, gå promenader och hjälpa till med enklare sysslor i hemmet.",
        capacity=2,
        hours=(10, 30),
        type_codes=("AT",),
        category="Tjänster för seniorer",
        confirmed_days_ago=14,
    ),
    DemoPlace(
        "livskraft",
        "Köket: förberedelser och lunch",
        "Skala och hacka, laga enklare rätter och hjälpa till vid lunchserveringen.",
        capacity=1,
        hours=(5, 20),
        type_codes=("FAT",),
        category="Café och catering",
        confirmed_days_ago=45,
    ),
]


@dataclass(frozen=True)
class DemoPlacement:
    code: str
    place_title: str
    type_code: str
    started_days_ago: int
    extent_percent: int
    ended_days_ago: int | None = None
    outcome: str = ""


DEMO_PLACEMENTS = [
    DemoPlacement("DEMO-001", CAFE, "AT", started_days_ago=75, extent_percent=50),
    DemoPlacement("DEMO-002", CAFE, "FAT", started_days_ago=20, extent_percent=25),
    DemoPlacement(
        "DEMO-003",
        CAFE,
        "AT",
        started_days_ago=300,
        extent_percent=75,
        ended_days_ago=120,
        outcome=Outcome.WORK,
    ),
    DemoPlacement("DEMO-004", SECOND_HAND, "AT", started_days_ago=40, extent_percent=50),
    DemoPlacement(
        "DEMO-005",
        SECOND_HAND,
        "AT",
        started_days_ago=400,
        extent_percent=50,
        ended_days_ago=200,
        outcome=Outcome.STUDIES,
    ),
    DemoPlacement(
        "DEMO-006",
        CARETAKING,
        "AT",
        started_days_ago=250,
        extent_percent=100,
        ended_days_ago=60,
        outcome=Outcome.OTHER_PROGRAMME,
    ),
]


@dataclass(frozen=True)
class DemoRequest:
    code: str
    place_title: str
    type_code: str
    wished_in_days: int
    extent_percent: int
    status: str
    note: str


DEMO_REQUESTS = [
    DemoRequest(
        "DEMO-101",
        CAFE,
        "AT",
        wished_in_days=14,
        extent_percent=50,
        status=PlacementRequest.Status.PENDING,
        note="Vill träna på att passa tider och arbeta med kunder.",
    ),
    DemoRequest(
        "DEMO-102",
        SECOND_HAND,
        "AT",
        wished_in_days=30,
        extent_percent=25,
        status=PlacementRequest.Status.WAITLISTED,
        note="Vill börja i lugn takt med praktiska uppgifter.",
    ),
]


@dataclass
class DemoResult:
    """What one run created (all zero on a second run)."""

    accounts: int = 0
    places: int = 0
    placements: int = 0
    requests: int = 0
    skipped_places: list[str] = field(default_factory=list)


@transaction.atomic
def demo_content_load(*, today: datetime.date | None = None) -> DemoResult:
    """Create the demo accounts and content that are not there yet."""
    today = today or timezone.localdate()
    referrer = _get(Organisation, slug=REFERRER_SLUG)
    staff_enterprise = _get(Enterprise, slug=STAFF_ENTERPRISE_SLUG)
    types = {code: _get(PlacementType, code=code) for code in ("AT", "FAT")}

    result = DemoResult()
    users = _load_accounts(result)
    staff_enterprise.staff.add(users[STAFF_EMAIL])
    case_officer = users[CASE_OFFICER_EMAIL]
    CaseOfficer.objects.update_or_create(user=case_officer, defaults={"organisation": referrer})

    places = _load_places(result, types=types, today=today)
    for spec in DEMO_PLACEMENTS:
        place = places.get(spec.place_title)
        if place is None or Placement.objects.filter(participant_code=spec.code).exists():
            continue
        active = spec.ended_days_ago is None
        started_on = today - datetime.timedelta(days=spec.started_days_ago)
        placement = Placement(
            place=place,
            participant_code=spec.code,
            placement_type=types[spec.type_code],
            referrer=referrer,
            case_officer=case_officer,
            started_on=started_on,
            planned_end_on=started_on + datetime.timedelta(days=180),
            ended_on=None if active else today - datetime.timedelta(days=spec.ended_days_ago),
            extent_percent=spec.extent_percent,
            outcome=spec.outcome,
        )
        try:
            # The same rules as every other door: never overbooked, always under an agreement.
            services.placement_save(placement=placement)
        except services.PlacementError:
            continue  # e.g. someone filled the place by hand
        result.placements += 1

    for spec in DEMO_REQUESTS:
        place = places.get(spec.place_title)
        exists = PlacementRequest.objects.filter(
            case_officer=case_officer, participant_code=spec.code
        ).exists()
        if place is None or exists:
            continue
        try:
            request = services.placement_request_create(
                place=place,
                case_officer=case_officer,
                participant_code=spec.code,
                placement_type=types[spec.type_code],
                wished_start_on=today + datetime.timedelta(days=spec.wished_in_days),
                extent_percent=spec.extent_percent,
                note=spec.note,
                notify=False,
            )
            if spec.status == PlacementRequest.Status.WAITLISTED:
                services.placement_request_waitlist(request=request, by=None, notify=False)
        except services.PlacementError:
            continue
        result.requests += 1
    return result


def _get(model, **lookup):
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist:
        wanted = ", ".join(str(value) for value in lookup.values())
        raise DemoPrerequisiteMissing(
            f"Hittar inte {model._meta.verbose_name} ”{wanted}”. "
            "Kör först: python manage.py seed_network"
        ) from None


def _load_accounts(result: DemoResult) -> dict:
    """Create the accounts, and put back their role and password if someone changed them."""
    groups = ensure_roles()
    users = {}
    for spec in DEMO_ACCOUNTS:
        user, created = get_user_model().objects.get_or_create(
            email=spec.email,
            defaults={"first_name": spec.first_name, "last_name": spec.last_name},
        )
        result.accounts += created
        user.is_staff = spec.is_staff
        user.is_superuser = False
        user.is_active = True
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(groups[spec.group])
        if spec.has_demo_totp:
            _ensure_demo_totp(user)
        users[spec.email] = user
    return users


def _ensure_demo_totp(user) -> None:
    """Give the account the known authenticator key, or put it back if it was changed."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": encrypt(DEMO_TOTP_SECRET)},
        )
    elif decrypt(totp.data["secret"]) != DEMO_TOTP_SECRET:
        totp.data = {**totp.data, "secret": encrypt(DEMO_TOTP_SECRET)}
        totp.save(update_fields=["data"])


def _load_places(
    result: DemoResult, *, types: dict[str, PlacementType], today: datetime.date
) -> dict[str, TrainingPlace]:
    enterprises = Enterprise.objects.in_bulk(
        {spec.enterprise_slug for spec in DEMO_PLACES}, field_name="slug"
    )
    categories = ServiceCategory.objects.in_bulk(
        {spec.category for spec in DEMO_PLACES if spec.category}, field_name="name"
    )
    places = {}
    for spec in DEMO_PLACES:
        enterprise = enterprises.get(spec.enterprise_slug)
        if enterprise is None:
            result.skipped_places.append(spec.title)
            continue
        place, created = TrainingPlace.objects.get_or_create(
            enterprise=enterprise,
            title=spec.title,
            defaults={
                "tasks": spec.tasks,
                "service_category": categories.get(spec.category),
                "capacity": spec.capacity,
                "hours_min": spec.hours[0],
                "hours_max": spec.hours[1],
                "status": TrainingPlace.Status.PAUSED if spec.paused else TrainingPlace.Status.OPEN,
                "last_confirmed_on": today - datetime.timedelta(days=spec.confirmed_days_ago),
            },
        )
        if created:
            place.placement_types.set([types[code] for code in spec.type_codes])
            result.places += 1
        places[spec.title] = place
    return places
