"""The load test: gunicorn as in production, the synthetic data set, 200 visitors for 60 s.

    make load                      # or: .venv/bin/python scripts/load/run.py
    LOAD_DATABASE_URL=postgres://user@127.0.0.1:5432/asfnet_load make load

1. Prepares the database LOAD_DATABASE_URL names (default asfnet_load on 127.0.0.1; it must
   exist): migrate, seed_network, generate_data at the README's size unless the synthetic
   data are there, 200 distinct case-officer accounts (scripts/load/prepare.py).
2. Collects the static files into var/load/ (scripts/release.sh static) when they changed.
3. Starts gunicorn on 127.0.0.1 only, DEBUG=0, behind a simulated reverse proxy
   (TRUSTED_PROXY_COUNT=1), the cache in Redis (LOAD_CACHE_URL, default database 5, emptied
   first), its JSON logs in var/load/server.log. Warms the caches (one visit per kind of page,
   the report PDF rendered once).
4. Baseline: a hello-world Django view on the same server, 200 clients without pauses.
5. The mix (scripts/load/locustfile.py): 200 clients: 5 case officers who log in, look and
   log out again and again; of the others 70 % public visitors, 30 % case officers who search
   /platser/ with filters in a session opened before the run; a pause of 1-5 s between a
   client's requests (--wait); spawned in 10 s and measured for 60 s after that.
6. Prints requests per second, p50, p95, p99 and errors per kind of request and in total,
   stops gunicorn and exits 0 when the target holds (no errors, p95 under 300 ms), else 3.

Everything stays on loopback and every step has a time limit.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VAR = ROOT / "var" / "load"
TARGET_P95_MS = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60, help="seconds measured (the mix)")
    parser.add_argument("--spawn-rate", type=int, default=20, help="clients started a second")
    parser.add_argument(
        "--wait", default="1,5", help="pause between a client's requests: MIN,MAX seconds"
    )
    parser.add_argument("--baseline", type=int, default=15, help="seconds of hello-world")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8100")))
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", 2 * os.cpu_count() + 1))
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/asfnet_load"
        ),
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/5")
    )
    return parser.parse_args()


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CACHE_", "EMAIL_", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="asfnet.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        VAR_DIR=str(VAR),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


def step(title: str) -> None:
    print(f"== {title}", flush=True)


def run(command: list[str], env: dict[str, str], timeout: int) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=timeout)


def static_files_are_current() -> bool:
    manifest = VAR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max(path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file())
    return manifest.stat().st_mtime > newest


def empty_cache(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    client.flushdb()
    client.close()


def fetch(base: str, path: str, timeout: float) -> int:
    request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        return response.status


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    log = (VAR / "server.log").open("w")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--pythonpath",
            str(HERE),
            "load_wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "30",  # nothing slow runs in a request: the worker renders the report's PDF
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def wait_until_up(server: subprocess.Popen, base: str, timeout: int = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if fetch(base, "/healthz", timeout=5) == 200:
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not start; see {VAR / 'server.log'}")


def locust(
    base: str,
    user_classes: list[str],
    users: int,
    spawn_rate: int,
    seconds: int,
    name: str,
    *,
    reset_after_spawning: bool,
    wait: str = "0,0",
) -> list[dict[str, str]]:
    prefix = VAR / name
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
        *(["--reset-stats"] if reset_after_spawning else []),
        *user_classes,
    ]
    env = {**os.environ, "LOAD_FACTS": str(VAR / "facts.json"), "LOAD_WAIT": wait}
    subprocess.run(
        command, cwd=ROOT, env=env, check=True, timeout=seconds + 120, stdout=subprocess.DEVNULL
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return list(csv.DictReader(stats))


def ms(value: str) -> str:
    return "-" if value in ("", "N/A") else f"{float(value):.0f}"


def print_table(title: str, rows: list[dict[str, str]]) -> dict[str, str]:
    print(f"\n{title}")
    header = (
        f"{'request':<30} {'count':>7} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    total = rows[-1]
    for row in rows:
        label = "TOTAL" if row is total else f"{row['Type']} {row['Name']}"[:30]
        print(
            f"{label:<30} {row['Request Count']:>7} {float(row['Requests/s']):>7.1f} "
            f"{ms(row['50%']):>6} {ms(row['95%']):>6} {ms(row['99%']):>6} "
            f"{row['Failure Count']:>7}"
        )
    print("(times in ms)")
    return total


def path_group(path: str) -> str:
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] == "foretag":
        return "/foretag/[slug]/"
    if len(parts) == 2 and parts[0] == "platser" and parts[1].isdigit():
        return "/platser/[id]/"
    if parts[0] == "rapporter" and path.endswith(".pdf"):
        return "/rapporter/[year].pdf"
    return path


def print_server_times(log_text: str) -> None:
    """The time the server spent on each kind of request, without the wait in its queue."""
    times: dict[tuple[str, str], list[float]] = {}
    for line in log_text.splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        if "duration_ms" in entry:
            key = (entry["method"], path_group(entry["path"]))
            times.setdefault(key, []).append(entry["duration_ms"])
    print("\nThe mix as the server saw it (its own time per request, from its JSON log; no query")
    print("strings there, so /platser/ includes the filtered lists)")
    header = f"{'request':<30} {'count':>7} {'p50':>6} {'p95':>6} {'busy s':>9}"
    print(header)
    print("-" * len(header))
    for (method, group), values in sorted(times.items(), key=lambda item: -sum(item[1])):
        values.sort()
        p50 = values[len(values) // 2]
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"{(method + ' ' + group)[:30]:<30} {len(values):>7} {p50:>6.0f} {p95:>6.0f} "
            f"{sum(values) / 1000:>9.1f}"
        )
    print("(times in ms; busy s: the seconds the workers spent on them, in all)")


def main() -> int:
    args = parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    env = server_env(args)
    base = f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()

    step(f"database: {args.database_url.rsplit('@', 1)[-1]}")
    run([sys.executable, str(HERE / "prepare.py"), str(VAR / "facts.json")], env, timeout=1800)
    step("static files")
    if static_files_are_current():
        print("unchanged")
    else:
        run(["bash", "scripts/release.sh", "static"], {**env, "PYTHON": sys.executable}, 600)
    step(f"cache: {args.cache_url} (emptied)")
    empty_cache(args.cache_url)

    step(f"gunicorn on {base}, {args.workers} workers (log: {VAR / 'server.log'})")
    server = start_server(args, env)
    try:
        wait_until_up(server, base)
        step("warming up (one visit per kind of page, the report PDF rendered once)")
        facts = json.loads((VAR / "facts.json").read_text())
        started = time.monotonic()
        for path in ("/", "/foretag/", "/tjanster/", f"/rapporter/{facts['report_year']}.pdf"):
            fetch(base, path, timeout=600)
        # The PDF request asked the worker for a render (a 202 until it exists): render it
        # now, as the worker next to gunicorn would, so the run measures serving the file.
        run([sys.executable, "manage.py", "worker", "--batch", "-v", "0"], env, 1200)
        print(f"{time.monotonic() - started:.1f} s")

        step(f"baseline: hello-world view, {args.users} clients without pauses, {args.baseline} s")
        hello = locust(
            base,
            ["HelloWorld"],
            args.users,
            args.users,
            args.baseline,
            "hello",
            reset_after_spawning=False,
        )
        ramp = -(-args.users // args.spawn_rate)
        step(f"mix: {args.users} clients, spawned in {ramp} s, measured {args.duration} s")
        log_offset = (VAR / "server.log").stat().st_size
        mix = locust(
            base,
            ["PublicVisitor", "CaseOfficer", "CaseOfficerLoggingIn"],
            args.users,
            args.spawn_rate,
            args.duration + ramp,
            "mix",
            reset_after_spawning=True,
            wait=args.wait,
        )
    finally:
        stop_server(server)
    load_after = os.getloadavg()

    print_table("Baseline: hello-world Django view (same server, same settings)", hello)
    total = print_table(
        f"The mix: {args.users} concurrent clients, {args.duration} s, pauses of {args.wait} s",
        mix,
    )
    with open(VAR / "server.log", encoding="utf-8", errors="replace") as log:
        log.seek(log_offset)
        print_server_times(log.read())
    errors = int(total["Failure Count"])
    p95 = float(total["95%"])
    print(
        f"\nmachine: {os.cpu_count()} cores, load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (1 min)"
    )
    met = errors == 0 and p95 < TARGET_P95_MS
    print(
        f"target (0 errors, p95 < {TARGET_P95_MS} ms): {'met' if met else 'NOT met'} "
        f"({errors} errors, p95 {p95:.0f} ms, {float(total['Requests/s']):.1f} req/s; "
        f"hello-world {float(hello[-1]['Requests/s']):.1f} req/s)"
    )
    print(f"details: {VAR}/mix_*.csv, {VAR}/hello_*.csv, {VAR}/server.log")
    return 0 if met else 3


if __name__ == "__main__":
    sys.exit(main())
