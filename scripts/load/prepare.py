"""Data, accounts and facts for the load test, in the database DATABASE_URL names.

Run by scripts/load/run.py (python scripts/load/prepare.py OUT.json): migrates, loads the
network (seed_network) and the synthetic data set of the README (generate_data: 1,000
enterprises, 10,000 places, 100,000 placements, seed 1) unless it is there, creates the load test's
case officers (distinct accounts, so per-account login limits never trip; plainly synthetic:
last-handlaggare-NNN@example.org), publishes nothing and changes nothing else, and writes what
the simulated users need (enterprise slugs, filter values, the report year, the accounts) as
JSON. Running it again reuses the accounts.

It also opens a session for each account, as a browser that logged in earlier today keeps
one: a login costs production's password hashing (PBKDF2, about a second of CPU on a small
machine), and case officers log in once a day, not once a minute. The mix still logs in and
out (scripts/load/locustfile.py), at a rate people might. The sessions are signed with the
SECRET_KEY of the run, so the script runs with the server's environment.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asfnet.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.roles import CASE_OFFICER, ensure_roles  # noqa: E402
from asfnet.generate import synthetic_data_exists  # noqa: E402
from enterprises.models import Enterprise, Municipality, ServiceCategory  # noqa: E402
from placements.models import CaseOfficer, Organisation, PlacementType, TrainingPlace  # noqa: E402
from reports.models import AnnualReport  # noqa: E402

ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "200"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "last-test-2026-lösen")


VOLUME = {
    "enterprises": os.environ.get("LOAD_ENTERPRISES", "1000"),
    "places": os.environ.get("LOAD_PLACES", "10000"),
    "placements": os.environ.get("LOAD_PLACEMENTS", "100000"),
    "activities": os.environ.get("LOAD_ACTIVITIES", "2000"),
    "requests": os.environ.get("LOAD_REQUESTS", "1000"),
}


def main(out: Path) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_network", verbosity=0)
    if not synthetic_data_exists():
        options = [f"--{name}={count}" for name, count in VOLUME.items()]
        call_command("generate_data", *options, "--seed=1", verbosity=0)
    with connection.cursor() as cursor:
        # The visibility map (index-only scans) and the planner's statistics, also for a data
        # set made earlier.
        cursor.execute("VACUUM ANALYZE")
    roles = ensure_roles()
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        sys.exit("No organisations: run seed_network and generate_data first (make load does).")
    User = get_user_model()
    # One real (slow, production-strength) hash for all of them: the accounts are synthetic.
    encoded = make_password(PASSWORD)
    emails = [f"last-handlaggare-{n:03d}@example.org" for n in range(1, ACCOUNTS + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=email, password=encoded, first_name="Last", last_name="Test")
            for email in emails
            if email not in existing
        ]
    )
    User.objects.filter(email__in=emails).update(password=encoded)
    users = list(User.objects.filter(email__in=emails))  # with the password the sessions sign
    roles[CASE_OFFICER].user_set.add(*users)
    linked = set(CaseOfficer.objects.filter(user__in=users).values_list("user_id", flat=True))
    CaseOfficer.objects.bulk_create(
        [
            CaseOfficer(user=user, organisation=organisation)
            for user in users
            if user.pk not in linked
        ]
    )

    if out.exists():  # the sessions of the previous run
        Session.objects.filter(
            session_key__in=json.loads(out.read_text()).get("sessions", [])
        ).delete()
    sessions = []
    for user in sorted(users, key=lambda user: user.email):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)

    report = AnnualReport.objects.filter(published=True).order_by("-year").first()
    facts = {
        "password": PASSWORD,
        "accounts": emails,
        "sessions": sessions,
        "slugs": list(
            Enterprise.objects.filter(published=True).order_by("pk").values_list("slug", flat=True)
        ),
        "municipalities": list(Municipality.objects.values_list("pk", flat=True)),
        "placement_types": list(PlacementType.objects.values_list("pk", flat=True)),
        "service_categories": list(ServiceCategory.objects.values_list("pk", flat=True)),
        "places": list(TrainingPlace.objects.order_by("pk").values_list("pk", flat=True)[:2000]),
        "report_year": report.year if report else None,
    }
    out.write_text(json.dumps(facts))
    print(
        f"{len(emails)} load accounts, {len(facts['slugs'])} enterprises, "
        f"{len(facts['places'])} places, report {facts['report_year']}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
