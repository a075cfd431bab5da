"""Benchmark: the annual report's PDF for a synthetic year at scale.

    .venv/bin/python scripts/bench_report.py            # 300 enterprises, 2,000 activities,
                                                        # 100,000 placements (the defaults)
    .venv/bin/python scripts/bench_report.py --placements 10000 --keep
    .venv/bin/python scripts/bench_report.py --seeded     # the 2022 report as seeded, no more

Builds a database of its own (SQLite in var/bench-report.sqlite3 unless --database-url is
given): migrations, the source document's network (seed_network, which brings the 2022
report and its strategy) and the generator's synthetic data for 2022. Then, in a fresh
process so that the figures are the render's alone, it renders the 2022 report's PDF without
the cache and prints the seconds (in all and per page), pages, peak memory and database
queries; then, again in a process of its own, a plain WeasyPrint table of as many pages, as
the yardstick of what WeasyPrint itself costs.

Targets: under 20 s and under 500 MB, with a number of queries that does not grow with the
data. Not a test: it takes minutes, and its figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = ROOT / "var" / "bench-report.sqlite3"
YEAR = 2022


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=300)
    parser.add_argument("--places", type=int, default=3000)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument(
        "--database-url",
        help=f"The database to build and read (default: SQLite in {DEFAULT_DATABASE}). "
        "Everything in it is replaced.",
    )
    parser.add_argument(
        "--keep", action="store_true", help="Reuse the database of the last run as it is."
    )
    parser.add_argument(
        "--seeded",
        action="store_true",
        help="Only the source document's network: the 2022 report as seed_network loads it.",
    )
    parser.add_argument("--output", type=Path, help="Also write the PDF here.")
    parser.add_argument("--render-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plain-table", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_table:
        plain_table(args.plain_table)
        return

    database_url = args.database_url or f"sqlite:///{DEFAULT_DATABASE}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asfnet.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))

    if args.render_only:
        render(args.output)
        return
    if not args.keep:
        build(args, database_url)
    # The render in a process of its own: its peak memory is not the generator's.
    command = [sys.executable, __file__, "--render-only", "--database-url", database_url]
    if args.output:
        command += ["--output", str(args.output)]
    subprocess.run(command, check=True)


def build(args, database_url: str) -> None:
    import django

    if database_url == f"sqlite:///{DEFAULT_DATABASE}":
        DEFAULT_DATABASE.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEFAULT_DATABASE}{suffix}").unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    if database_url != f"sqlite:///{DEFAULT_DATABASE}":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_network", verbosity=0)
    if args.seeded:
        print(
            f"Data: the source document's network (built in {time.perf_counter() - started:.0f} s)."
        )
        return
    call_command(
        "generate_data",
        enterprises=args.enterprises,
        places=args.places,
        placements=args.placements,
        activities=args.activities,
        requests=args.requests,
        year=YEAR,
        verbosity=0,
    )
    print(
        f"Data: {args.enterprises} enterprises, {args.places} places, {args.placements} "
        f"placements, {args.activities} activities, {args.requests} requests "
        f"(built in {time.perf_counter() - started:.0f} s)."
    )


def render(output: Path | None) -> None:
    import django

    django.setup()
    import logging

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from reports.models import AnnualReport
    from reports.pdf import render_pdf, report_fingerprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    report = AnnualReport.objects.get(year=YEAR)
    baseline = peak_mb()

    reset_queries()
    started, cpu_started = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as render_queries:
        rendered = render_pdf(report)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = peak_mb()

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as fingerprint_queries:
        report_fingerprint(report)
    fingerprint_seconds = time.perf_counter() - started

    if output:
        output.write_bytes(rendered.content)
    print(
        f"Render: {seconds:.1f} s ({cpu_seconds:.1f} s of CPU; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs), {rendered.pages} pages, "
        f"{len(rendered.content) / 1e6:.1f} MB"
    )
    print(f"Peak memory of the process: {peak:.0f} MB ({baseline:.0f} MB before the render)")
    print(f"Per page: {seconds / rendered.pages * 1000:.0f} ms")
    print(f"Database queries in the render: {len(render_queries)}")
    print(
        f"Cache fingerprint: {len(fingerprint_queries)} queries, "
        f"{fingerprint_seconds * 1000:.0f} ms"
    )
    # The yardstick, in a process of its own (its peak memory is its own): a plain WeasyPrint
    # table of as many pages, no template, no data, no tagging.
    subprocess.run([sys.executable, __file__, "--plain-table", str(rendered.pages)], check=True)


def plain_table(pages: int) -> None:
    """Render a plain HTML table of about `pages` A4 pages with WeasyPrint and print the same
    figures as the report's."""
    from weasyprint import HTML

    logging_off()
    rows_per_page = 40
    rows = "".join(
        f"<tr><td>{n}</td><td>Företaget nummer {n}</td><td>2015</td>"
        f"<td>Avtal om arbetsträningsplatser nummer {n}</td></tr>"
        for n in range(pages * rows_per_page)
    )
    html = (
        '<html lang="sv"><head><title>Tabell</title><style>@page { size: A4; margin: 20mm }'
        "table { width: 100%; border-collapse: collapse; font: 9pt sans-serif }"
        "td { border-bottom: 1px solid #999; padding: 1mm }</style></head><body><table>"
        f"<thead><tr><th>Nr</th><th>Företag</th><th>År</th><th>Avtal</th></tr></thead>{rows}"
        "</table></body></html>"
    )
    baseline = peak_mb()
    started = time.perf_counter()
    document = HTML(string=html).render()
    content = document.write_pdf()
    seconds = time.perf_counter() - started
    peak = peak_mb()
    count = len(document.pages)
    print(
        f"Plain WeasyPrint table: {seconds:.1f} s, {count} pages, {seconds / count * 1000:.0f} ms "
        f"per page, {len(content) / 1e6:.1f} MB; peak memory {peak:.0f} MB "
        f"({baseline:.0f} MB before the render)"
    )


def peak_mb() -> float:
    """The process's peak resident memory in MB: VmHWM, which (unlike ru_maxrss) a process
    started by another does not inherit from it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def logging_off() -> None:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)


if __name__ == "__main__":
    main()
