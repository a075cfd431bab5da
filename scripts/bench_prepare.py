"""The benchmark's database, in the one DATABASE_URL names: run by scripts/bench_http.py.

    DATABASE_URL=... DEBUG=1 python scripts/bench_prepare.py seed|10k

seed: migrate, seed_network, seed_demo (the demo accounts: seed_demo runs with DEBUG only, so
this script does; the server is started with DEBUG=0 afterwards). 10k: the same plus
`generate_data --enterprises 1000 --places 10000 --placements 100000 --seed 1`. What is there
already is kept: migrate applies what is new, the seeds run only when the demo case officer
cannot log in, the synthetic data are generated only when there are none. The last line of
the output is JSON: what the database holds and the case officer to sign in as.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asfnet.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from asfnet.demo import CASE_OFFICER_EMAIL, DEMO_PASSWORD  # noqa: E402
from asfnet.generate import synthetic_data_exists  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from placements.models import Placement, TrainingPlace  # noqa: E402

SYNTHETIC = ["--enterprises=1000", "--places=10000", "--placements=100000", "--seed=1"]


def step(text: str) -> None:
    print(f"   {text}", flush=True)


def main(size: str) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    officer = get_user_model().objects.filter(email=CASE_OFFICER_EMAIL).first()
    if officer is None or not officer.check_password(DEMO_PASSWORD):
        step("seed_network, seed_demo")
        call_command("seed_network", verbosity=0)
        call_command("seed_demo", verbosity=0)
    synthetic = synthetic_data_exists()
    if size == "seed" and synthetic:
        sys.exit(
            "This database holds generate_data's synthetic data: not the seed size. "
            "Use --fresh or another --database-url."
        )
    if size == "10k" and not synthetic:
        step("generate_data " + " ".join(SYNTHETIC) + " (several minutes)")
        call_command("generate_data", *SYNTHETIC, verbosity=0)
    with connection.cursor() as cursor:
        # The visibility map (index-only scans) and the planner's statistics, also for data
        # made earlier.
        cursor.execute("VACUUM ANALYZE")
    facts = {
        "enterprises": Enterprise.objects.count(),
        "published": Enterprise.objects.published().count(),
        "places": TrainingPlace.objects.count(),
        "placements": Placement.objects.count(),
        "email": CASE_OFFICER_EMAIL,
        "password": DEMO_PASSWORD,
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("seed", "10k"):
        sys.exit(__doc__)
    main(sys.argv[1])
