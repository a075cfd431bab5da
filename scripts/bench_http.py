"""Benchmark: the pages of issue 15 over HTTP, as ratios to a hello-world view in the same run.

    .venv/bin/python scripts/bench_http.py --size seed     # the network (seed_network, seed_demo)
    .venv/bin/python scripts/bench_http.py --size 10k      # plus generate_data (1,000 / 10,000 /
                                                           # 100,000), made on the first run
    .venv/bin/python scripts/bench_http.py --size 10k --duration 4 --connections 20

1. Prepares the database (scripts/bench_prepare.py): by default
   postgres://asfnet_ci:asfnet_ci@127.0.0.1:5432/asfnet_bench_<size>, created when it does not
   exist, reused when it does (--fresh drops it first).
2. Collects the static files into var/bench/ when they changed, empties the cache (Redis,
   --cache-url, database 6 by default).
3. Starts gunicorn on 127.0.0.1 (2 sync workers, DEBUG=0, a random SECRET_KEY, Redis as the
   cache) with the portal's settings and the URLconf of scripts/bench_urls.py: the portal's URLs
   plus /bench/hello/, a view that does nothing, behind the same middleware.
4. Signs in the demo case officer (handlaggare@example.org: password only) through the login
   form and, for the signed-in rows, sends the cookies a browser then has: the session and the
   CSRF token Django gave at login.
5. Runs wrk per row (--connections, 2 threads, --duration s; scripts/bench_http.lua prints
   wrk's percentiles): the public pages anonymous and signed in, /platser/ (plain, filtered and
   sorted, and filtered and sorted with 10 clients), each right after a run of the hello-world
   view, so a row and its baseline see the same machine. Every request says it came through
   the HTTPS proxy (X-Forwarded-Proto), as in production. After each run the script waits
   until the server has answered what wrk left queued.
6. Prints per row the page's size, req/s, p50, p95, p99, errors, hello-world's req/s and the
   ratio, the issue's target for that row, met or not, and the part of the CPU that other
   processes took meanwhile (neither gunicorn, nor wrk, nor the PostgreSQL backends of this
   database): the machine is shared, and a noisy row shows there.

Stops gunicorn on exit, on Ctrl-C and on SIGTERM. Not a test: the figures depend on the
machine and on what else runs on it; the ratios less so.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path

# The load test's (scripts/load/run.py): the same gunicorn stopped and Redis emptied the same way.
from load.run import empty_cache, stop_server

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
VAR = ROOT / "var" / "bench"
HELLO = "/bench/hello/"
PLACES_FILTERED = "/platser/?avtal=alla&lediga=on&sortera=-free_seats"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
WORKERS = 2


@dataclass(frozen=True)
class Row:
    path: str
    signed_in: bool
    connections: int | None = None  # None: --connections
    label: str = ""


@dataclass(frozen=True)
class Target:
    """What issue 15 asks of a row: a ratio to hello-world, or a p95 in ms."""

    ratio: float | None = None
    p95_ms: float | None = None

    def text(self) -> str:
        return f">={self.ratio:.2f}" if self.ratio is not None else f"p95<{self.p95_ms:.0f}ms"

    def met(self, ratio: float, p95_ms: float) -> bool:
        if self.ratio is not None:
            return ratio >= self.ratio
        return p95_ms < self.p95_ms


def target_for(row: Row, size: str) -> Target | None:
    """Issue 15's targets ("Targets"); rows it sets none for have none."""
    if row.connections == 10:
        return Target(p95_ms=100) if size == "10k" else None
    if row.path.startswith("/platser/"):
        return Target(ratio=0.15) if size == "10k" and row.path == PLACES_FILTERED else None
    if row.path == "/kontakt/":
        return Target(ratio=0.30)  # both sizes; stricter than the signed-in target
    if row.path == "/rapporter/":
        return Target(ratio=0.60)
    if row.signed_in:
        return Target(ratio=0.30 if size == "seed" else 0.15)
    return Target(ratio=0.60) if size == "10k" else None


def rows(only: list[str] | None = None) -> list[Row]:
    """The issue's rows; with `only`, those whose page (path without its query) is in it."""
    return [row for row in _all_rows() if not only or row.path.split("?")[0] in only]


def _all_rows() -> list[Row]:
    public = ["/", "/foretag/", "/tjanster/", "/kontakt/", "/rapporter/"]
    return [
        *(Row(path, signed_in=False) for path in public),
        *(Row(path, signed_in=True) for path in public),
        Row("/platser/", signed_in=True),
        Row(PLACES_FILTERED, signed_in=True, label="/platser/ filtered, sorted"),
        Row(PLACES_FILTERED, signed_in=True, connections=10, label="/platser/ filt., 10 clients"),
    ]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["seed", "10k"], default="seed")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL database to prepare and use "
        "(default: postgres://asfnet_ci:asfnet_ci@127.0.0.1:5432/asfnet_bench_<size>)",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and prepare the database anew")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per row")
    parser.add_argument("--connections", type=int, default=50, help="wrk's connections per row")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/6", help="emptied first")
    parser.add_argument(
        "--only",
        action="append",
        metavar="PATH",
        help="only the rows of this page (repeatable), e.g. --only /rapporter/",
    )
    args = parser.parse_args(argv)
    if args.duration < 1 or args.connections < 1:
        parser.error("--duration and --connections must be at least 1")
    if args.database_url is None:
        args.database_url = (
            f"postgres://asfnet_ci:asfnet_ci@127.0.0.1:5432/asfnet_bench_{args.size}"
        )
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must name a PostgreSQL database")
    return args


# --- The database -------------------------------------------------------------------------------


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def ensure_database(url: str, *, fresh: bool) -> None:
    """Create the database when it is missing (or drop it first with --fresh)."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    maintenance = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        if fresh:
            print(f"   dropping {name}")
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"   creating {name}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(args: argparse.Namespace) -> dict:
    ensure_database(args.database_url, fresh=args.fresh)
    env = {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "asfnet.settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "1",  # seed_demo refuses to run without it
        "VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
    }
    with subprocess.Popen(
        [sys.executable, str(HERE / "bench_prepare.py"), args.size],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as preparing:
        lines = []
        try:
            for line in preparing.stdout:
                lines.append(line)
                if not line.startswith("{"):
                    print(line, end="", flush=True)
        except BaseException:  # Ctrl-C, SIGTERM: stop generating too
            preparing.kill()
            raise
    if preparing.returncode != 0 or not lines:
        sys.exit(f"Preparing the database failed (exit status {preparing.returncode}).")
    return json.loads(lines[-1])


# --- The server ---------------------------------------------------------------------------------


def clean_environ() -> dict[str, str]:
    """This shell's environment without the settings the benchmark sets itself."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CACHE_", "EMAIL_", "SECURE_", "DJANGO_"))
        and key not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "VAR_DIR", "TRUSTED_PROXY_COUNT")
    }


def server_env(args: argparse.Namespace) -> dict[str, str]:
    return {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "VAR_DIR": str(VAR),
        "LOG_LEVEL": "INFO",  # production's: a JSON line per request
        "PYTHONPATH": str(HERE),
        "PYTHONUNBUFFERED": "1",
    }


def collect_static(env: dict[str, str]) -> None:
    manifest = VAR / "staticfiles" / "staticfiles.json"
    newest = max(path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file())
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    print("   collectstatic")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"Port {args.port} is taken: choose another with --port.")
    log = (VAR / "server.log").open("w")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "asfnet.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches this script, which stops the server
    )


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: str | None = None,
    timeout: float = 300,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def wait_until_up(server: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if request(port, "GET", HELLO, timeout=5)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not start; see {VAR / 'server.log'}")


def sign_in(port: int, email: str, password: str) -> str:
    """Log in through the login form, as a browser does; the Cookie header a browser sends
    afterwards (the session and the CSRF token Django rotated at login)."""
    status, headers, body = request(port, "GET", "/konto/login/")
    cookies = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in cookies:
        sys.exit(f"The login page answered {status} without a CSRF token.")
    status, headers, _ = request(
        port,
        "POST",
        "/konto/login/",
        headers={
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{port}",
            "Referer": f"https://127.0.0.1:{port}/konto/login/",
        },
        body=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "login": email, "password": password}
        ),
    )
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"Logging in as {email} answered {status} without a session.")
    return "; ".join(f"{name}={cookies[name].value}" for name in ("sessionid", "csrftoken"))


def server_errors(since: int) -> list[str]:
    """The server's log lines at ERROR since the offset, with their tracebacks."""
    with open(VAR / "server.log", encoding="utf-8", errors="replace") as log:
        log.seek(since)
        lines = log.read().splitlines()
    found = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            if "Traceback" in line or "Error" in line:
                found.append(line)
            continue
        if entry.get("level") in ("ERROR", "CRITICAL"):
            found.append(json.dumps(entry, ensure_ascii=False, indent=1))
    return found


# --- Measuring ----------------------------------------------------------------------------------


def machine_ticks() -> tuple[int, int]:
    """Clock ticks of all CPUs since boot: busy (neither idle nor waiting for I/O), in all."""
    values = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)


def our_ticks(server_pid: int, database: str) -> dict[int, int]:
    """Clock ticks of gunicorn's processes and of the PostgreSQL backends of our database."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ours = int(entry.name) == server_pid or int(fields[1]) == server_pid
            if not ours and "postgres" in stat:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
                ours = f" {database} " in cmdline
            if ours:
                ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we read it
    return ticks


def wrk(args: argparse.Namespace, row: Row, cookie: str | None) -> dict:
    connections = row.connections or args.connections
    headers = [f"X-Forwarded-Proto: {PROXY_HEADERS['X-Forwarded-Proto']}"]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    command = [
        "wrk",
        "--threads",
        str(min(2, connections)),
        "--connections",
        str(connections),
        "--duration",
        f"{args.duration}s",
        "--timeout",
        "60s",  # a slow page is slow, not an error
        "--script",
        str(HERE / "bench_http.lua"),
        *(option for header in headers for option in ("--header", header)),
        f"http://127.0.0.1:{args.port}{row.path}",
    ]
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=args.duration + 120
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def measure(args: argparse.Namespace, row: Row, cookie: str | None, server_pid: int) -> dict:
    """One wrk run, with what it cost the machine and what others took meanwhile."""
    database = database_name(args.database_url)
    (busy_before, all_before), ours_before = machine_ticks(), our_ticks(server_pid, database)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = wrk(args, row, cookie)
    (busy, capacity), ours_after = machine_ticks(), our_ticks(server_pid, database)
    busy, capacity = busy - busy_before, capacity - all_before
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_seconds = (
        children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    )
    ours = sum(ticks - ours_before.get(pid, 0) for pid, ticks in ours_after.items())
    ours += wrk_seconds * os.sysconf("SC_CLK_TCK")
    result["cpu"] = busy / capacity
    result["others"] = max(0.0, (busy - ours) / capacity)
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(
        result[kind] for kind in ("connect", "read", "write", "status", "timeout")
    )
    return result


def drain(port: int) -> None:
    """Wait until the server has answered what wrk left in its queue when it stopped."""
    request(port, "GET", HELLO, timeout=600)
    time.sleep(1)


# --- The report ---------------------------------------------------------------------------------


def git_revision() -> str:
    def git(*command: str) -> str:
        return subprocess.run(
            ["git", *command], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no")
    return revision + (" with uncommitted changes" if changed else "")


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


HEADER = (
    f"{'page':<28} {'visitor':<9} {'kB':>5} {'n':>6} {'req/s':>7} {'p50':>6} {'p95':>6} "
    f"{'p99':>6} {'err':>3} {'hello':>6} {'ratio':>6}  {'target':<10} {'met':<7} {'others':>6}"
)
NOISY = 0.20  # others' share of the CPU above which a row is flagged


@dataclass
class Measured:
    row: Row
    kilobytes: float
    page: dict
    hello: dict

    @property
    def ratio(self) -> float:
        return self.page["rate"] / self.hello["rate"]

    @property
    def others(self) -> float:
        return max(self.page["others"], self.hello["others"])

    def verdict(self, size: str) -> bool | None:
        target = target_for(self.row, size)
        return target.met(self.ratio, self.page["p95_us"] / 1000) if target else None


def print_row(measured: Measured, size: str) -> None:
    row, page = measured.row, measured.page
    target, met = target_for(row, size), measured.verdict(size)
    print(
        f"{(row.label or row.path):<28} {'signed-in' if row.signed_in else 'anonymous':<9} "
        f"{measured.kilobytes:>5.0f} {page['requests']:>6} {page['rate']:>7.1f} "
        f"{page['p50_us'] / 1000:>6.1f} {page['p95_us'] / 1000:>6.1f} "
        f"{page['p99_us'] / 1000:>6.1f} {page['errors']:>3} {measured.hello['rate']:>6.0f} "
        f"{measured.ratio:>6.3f}  {(target.text() if target else '-'):<10} "
        f"{('-' if met is None else 'met' if met else 'NOT met'):<7} "
        f"{measured.others * 100:>5.0f}%"
    )


def run_rows(
    args: argparse.Namespace, server: subprocess.Popen, cookie: str
) -> tuple[list[Measured], list[str]]:
    """Each row after its hello-world run; what was measured and what went wrong."""
    measured: list[Measured] = []
    failures: list[str] = []
    hello_row = Row(HELLO, signed_in=False)
    for row in rows(args.only):
        name = f"{row.label or row.path} ({'signed-in' if row.signed_in else 'anonymous'})"
        headers = {"Cookie": cookie} if row.signed_in else {}
        log_offset = (VAR / "server.log").stat().st_size
        # Warm up both workers (and the caches), and check the page answers 200.
        for _ in range(2 * WORKERS):
            status, _, body = request(args.port, "GET", row.path, headers=headers)
        if status != 200:
            failures.append(f"{name}: {status}, not measured")
            failures.extend(server_errors(log_offset))
            print(f"   {name}: {status}, not measured", flush=True)
            continue
        hello = measure(args, hello_row, None, server.pid)
        drain(args.port)
        page = measure(args, row, cookie if row.signed_in else None, server.pid)
        drain(args.port)
        status = request(args.port, "GET", row.path, headers=headers)[0]
        if status != 200:  # e.g. a lost session: the row measured a redirect
            failures.append(f"{name}: {status} after the run")
        if page["errors"] or hello["errors"]:
            failures.extend(server_errors(log_offset))
        measured.append(Measured(row, len(body) / 1024, page, hello))
        print(f"   {name}: {page['rate']:.1f} req/s, hello-world {hello['rate']:.1f}", flush=True)
    return measured, failures


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM as Ctrl-C: the finally below stops gunicorn either way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    VAR.mkdir(parents=True, exist_ok=True)
    env = server_env(args)
    database = urllib.parse.urlsplit(args.database_url)
    print(
        f"== database {database.hostname}:{database.port or 5432}"
        f"/{database_name(args.database_url)} ({args.size})",
        flush=True,
    )
    facts = prepare(args)
    print("== static files, cache", flush=True)
    collect_static(env)
    empty_cache(args.cache_url)
    load_before = load_average()

    print(f"== gunicorn on 127.0.0.1:{args.port} (log: {VAR / 'server.log'})", flush=True)
    server = start_server(args, env)
    try:
        wait_until_up(server, args.port)
        cookie = sign_in(args.port, facts["email"], facts["password"])
        print(f"== wrk, {len(rows(args.only))} rows of 2 x {args.duration} s", flush=True)
        measured, failures = run_rows(args, server, cookie)
    finally:
        stop_server(server)

    print()
    print(
        f"Issue 15's benchmark, {args.size} size, {datetime.now():%Y-%m-%d %H:%M}, "
        f"revision {git_revision()}"
    )
    print(
        f"database {database_name(args.database_url)}: {facts['enterprises']} enterprises "
        f"({facts['published']} published), {facts['places']} places, "
        f"{facts['placements']} placements"
    )
    print(
        f"gunicorn, {WORKERS} sync workers, DEBUG=0, cache {args.cache_url}; wrk, 2 threads, "
        f"{args.connections} connections (unless the row says), {args.duration} s a run"
    )
    print(
        f"machine: {os.cpu_count()} cores, {memory_gib():.1f} GiB; load average (1, 5, 15 min) "
        f"{load_before} before, {load_average()} after"
    )
    print()
    print(HEADER)
    print("-" * len(HEADER))
    for each in measured:
        print_row(each, args.size)
    print(
        "n: requests answered (under 20: a rough figure, --duration gives more); p50, p95, p99\n"
        "in ms; err: wrk's errors (non-2xx/3xx, timeouts)"
    )
    print(
        "hello: req/s of the hello-world view in the run just before the row "
        f"({args.connections} connections); ratio: req/s / hello"
    )
    print(
        "others: the largest share of the CPU taken in the row's two runs by processes other "
        "than\ngunicorn, wrk and this database's PostgreSQL backends"
    )
    verdicts = [each.verdict(args.size) for each in measured]
    judged = [verdict for verdict in verdicts if verdict is not None]
    print(f"targets met: {sum(judged)} of {len(judged)}")
    noisy = [each for each in measured if each.others > NOISY]
    if noisy:
        names = [
            f"{each.row.label or each.row.path} ({'in' if each.row.signed_in else 'anon'})"
            for each in noisy
        ]
        print(
            f"noisy rows (others took over {NOISY:.0%} of the CPU): "
            + ("all" if len(noisy) == len(measured) else ", ".join(names))
        )
    if failures:
        print(f"\nErrors (the server's log: {VAR / 'server.log'}):")
        for failure in failures:
            print(failure)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
