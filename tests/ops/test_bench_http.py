"""scripts/bench_http.py: its hello-world route exists only on its own server, its options."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.test import override_settings

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def scripts_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    yield
    for name in ("bench_http", "bench_settings", "bench_urls"):
        sys.modules.pop(name, None)


@pytest.mark.django_db
def test_the_bench_server_answers_hello_beside_the_portal(client, scripts_on_path):
    import bench_settings

    with override_settings(ROOT_URLCONF=bench_settings.ROOT_URLCONF):
        hello = client.get("/bench/hello/")
        home = client.get("/")

    assert hello.status_code == 200
    assert hello.content == b"Hello, world"
    assert home.status_code == 200


@pytest.mark.django_db
def test_the_portal_has_no_hello_route(client):
    assert client.get("/bench/hello/").status_code == 404


def test_the_bench_settings_differ_from_the_portals_only_in_the_urlconf(scripts_on_path):
    import bench_settings
    from django.conf import settings

    assert bench_settings.ROOT_URLCONF == "bench_urls"
    assert bench_settings.MIDDLEWARE == settings.MIDDLEWARE


def test_each_size_has_its_own_database_unless_one_is_named(scripts_on_path):
    import bench_http

    assert bench_http.parse_args(["--size", "10k"]).database_url.endswith("/asfnet_bench_10k")
    assert bench_http.parse_args([]).database_url.endswith("/asfnet_bench_seed")
    named = bench_http.parse_args(["--database-url", "postgres://u@db:5432/other"])
    assert named.database_url == "postgres://u@db:5432/other"


def test_it_refuses_a_database_other_than_postgresql(scripts_on_path, capsys):
    import bench_http

    with pytest.raises(SystemExit):
        bench_http.parse_args(["--database-url", "sqlite:///var/db.sqlite3"])
    assert "PostgreSQL" in capsys.readouterr().err


def test_the_targets_are_the_issues(scripts_on_path):
    import bench_http

    targets = {
        (row.label or row.path, row.signed_in): bench_http.target_for(row, "10k")
        for row in bench_http.rows()
    }

    assert targets[("/", False)].ratio == 0.60
    assert targets[("/", True)].ratio == 0.15
    assert targets[("/kontakt/", True)].ratio == 0.30
    assert targets[("/rapporter/", False)].ratio == 0.60
    assert targets[("/platser/ filtered, sorted", True)].ratio == 0.15
    assert targets[("/platser/ filt., 10 clients", True)].p95_ms == 100
    assert bench_http.target_for(bench_http.Row("/", signed_in=True), "seed").ratio == 0.30


def test_only_runs_the_rows_of_the_pages_named(scripts_on_path):
    import bench_http

    args = bench_http.parse_args(["--only", "/rapporter/", "--only", "/platser/"])
    chosen = [(row.label or row.path, row.signed_in) for row in bench_http.rows(args.only)]

    assert chosen == [
        ("/rapporter/", False),
        ("/rapporter/", True),
        ("/platser/", True),
        ("/platser/ filtered, sorted", True),
        ("/platser/ filt., 10 clients", True),
    ]
    assert len(bench_http.rows(None)) == 13
