"""The settings module: refuses to run in production without real secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3y-" + "x9Qz7LmP2vR8tW4nB6yC1dF5gH0jK" * 2


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL"}
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE="asfnet.settings")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.LANGUAGE_CODE, settings.TIME_ZONE, "
        "settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True
    )


def test_defaults_run_on_sqlite_in_swedish():
    result = load_settings(VAR_DIR="/tmp/asfnet-settings-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "sv",
        "Europe/Stockholm",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="0", ALLOWED_HOSTS="asf.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is missing or weak" in result.stderr


def test_production_refuses_a_development_key():
    result = load_settings(
        DEBUG="0", ALLOWED_HOSTS="asf.example.org", SECRET_KEY="django-insecure-" + "a" * 60
    )
    assert result.returncode != 0
    assert "SECRET_KEY is missing or weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = load_settings(DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_production_starts_with_real_settings_postgres_and_redis():
    result = load_settings(
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="asf.example.org",
        DATABASE_URL="postgres://asfnet:secret@db.invalid:5432/asfnet",
        CACHE_URL="redis://cache.invalid:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "sv",
        "Europe/Stockholm",
        "django.db.backends.postgresql",
        "asfnet.cache.ResilientRedisCache",
    ]


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "nonsense"])
def test_an_unknown_cache_url_is_refused_with_a_message(url):
    result = load_settings(CACHE_URL=url)
    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr


def test_sessions_are_read_from_redis_only_where_the_cache_is_shared():
    code = "print(settings.SESSION_ENGINE)"
    with_redis = _setting(code, CACHE_URL="redis://cache.invalid:6379/0")
    per_process = _setting(code)

    assert with_redis == "django.contrib.sessions.backends.cached_db"
    # A cache per process: a logout in one would not reach the session kept by another.
    assert per_process == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting; CI runs the suite on PostgreSQL too")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _setting(code: str, **env: str) -> str:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL"}
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE="asfnet.settings", DEBUG="1")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; " + code,
        ],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
