"""Benchmark: server time and SQL queries of the hot pages on a loaded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asfnet_load \\
        .venv/bin/python scripts/bench_pages.py            # median of 20 requests per page
    .venv/bin/python scripts/bench_pages.py -n 50 --explain # also EXPLAIN ANALYZE the list

Requests go through Django's test Client in this process (no network, no gunicorn), so the
figures are the view, the templates and the database: what one worker spends per request.
"median" and "p90" are wall-clock time; "cpu" is this process's CPU time (Python, without
the database's), which depends less on what else the machine is doing.
The database is the one in DATABASE_URL, loaded with `manage.py generate_data`; the script
logs in a case officer and the coordinator with force_login, which writes sessions: use a copy
of the data (createdb -T) rather than a database someone else reads. The public pages are
timed twice: with the page cache emptied before every request (uncached) and from the cache.

Not a test: the figures depend on the machine and on who else uses it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=20, help="Requests per page.")
    parser.add_argument(
        "--explain", action="store_true", help="Print EXPLAIN ANALYZE of the list's queries."
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asfnet.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Run with DEBUG=1 (no SECRET_KEY or HTTPS needed), then time as production runs: no
    # template debug information, no query log kept by the connection.
    settings.DEBUG = False
    run(args)


def run(args) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from enterprises.models import Enterprise
    from placements.models import CaseOfficer, TrainingPlace

    link = (
        CaseOfficer.objects.filter(organisation__slug="arbetsformedlingen")
        .select_related("user", "organisation")
        .first()
    )
    if link is None:
        sys.exit("No case officer at Arbetsförmedlingen: load data with generate_data first.")
    enterprise = Enterprise.objects.published().order_by("pk").first()
    place = TrainingPlace.objects.order_by("pk").first()
    print(
        f"Database {connection.settings_dict['NAME']} ({connection.vendor}): "
        f"{Enterprise.objects.count()} enterprises, {TrainingPlace.objects.count()} places; "
        f"case officer of {link.organisation}; median of {args.requests} requests"
    )

    officer = Client()
    officer.force_login(link.user)
    anonymous = Client()
    by_free_seats = {"sortera": "-free_seats", "sida": 2}
    pages = [
        ("/platser/ (case officer)", officer, "/platser/", {}, False),
        ("/platser/ sorted by free seats, p. 2", officer, "/platser/", by_free_seats, False),
        ("/platser/ all places, p. 3", officer, "/platser/", {"avtal": "alla", "sida": 3}, False),
        ("/platser/ only free seats", officer, "/platser/", {"lediga": "on"}, False),
        ("/platser/ all, last page", officer, "/platser/", {"avtal": "alla", "sida": 400}, False),
        ("/platser/<id>/", officer, f"/platser/{place.pk}/", {}, False),
        ("/foretag/<slug>/ uncached", anonymous, enterprise.get_absolute_url(), {}, True),
        ("/foretag/<slug>/ cached", anonymous, enterprise.get_absolute_url(), {}, False),
        ("/ uncached", anonymous, "/", {}, True),
        ("/ cached", anonymous, "/", {}, False),
    ]
    print(f"{'page':42} {'median':>8} {'p90':>8} {'cpu':>8} {'queries':>8} {'kB':>6}")
    for label, client, url, params, uncached in pages:
        response = client.get(url, params)  # warm up (and fill the cache)
        assert response.status_code == 200, (label, response.status_code)
        runs, cpu = [], []
        for _ in range(args.requests):
            if uncached:
                cache.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        runs.sort()
        p90 = runs[min(len(runs) - 1, int(len(runs) * 0.9))]
        median, cpu_median = statistics.median(runs), statistics.median(cpu)
        print(
            f"{label:42} {median * 1000:6.1f}ms {p90 * 1000:6.1f}ms {cpu_median * 1000:6.1f}ms "
            f"{len(queries):8d} {len(response.content) / 1024:6.0f}"
        )

    if args.explain:
        explain(officer)


def explain(client) -> None:
    """The list's queries for a case officer, each with EXPLAIN ANALYZE (PostgreSQL only)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        print("EXPLAIN ANALYZE: PostgreSQL only")
        return
    with CaptureQueriesContext(connection) as queries:
        client.get("/platser/")
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        total = plan[-1] if plan else ""
        print(f"\n-- {query['time']}s  {sql[:300]}\n   {total}")
        if float(query["time"]) > 0.005:
            print("\n".join("   " + line for line in plan))


if __name__ == "__main__":
    main()
