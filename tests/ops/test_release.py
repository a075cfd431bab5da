"""scripts/release.sh, the release steps the Docker image and CI share."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.test_deploy_check import production_env as deploy_env

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "release.sh"


def production_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """The deploy check's production environment, with this interpreter for the script."""
    return deploy_env(var_dir, PYTHON=sys.executable, **overrides)


def release(*steps: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), *steps],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_release_passes_the_deploy_checks_with_production_settings(tmp_path):
    # The whole release (install, messages, static) runs in .ci/run and in the Docker build;
    # here only its check, which judges the settings a production environment gives.
    result = release("check", env=production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert result.stdout.rstrip().endswith("== release: done")


def test_the_release_fails_when_production_would_print_its_mail_instead_of_sending_it(tmp_path):
    env = production_env(tmp_path)
    del env["EMAIL_HOST"]

    result = release("check", env=env)

    assert result.returncode != 0
    assert "background.E001" in result.stderr
    assert "== release: done" not in result.stdout


def test_the_release_refuses_an_unknown_step(tmp_path):
    result = release("deploy-everything", env=production_env(tmp_path))

    assert result.returncode == 2
    assert "Unknown release step: deploy-everything" in result.stderr


@pytest.mark.parametrize("choice", ["SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT"])
def test_the_release_honours_the_documented_choices(tmp_path, choice):
    result = release("check", env=production_env(tmp_path, **{choice: "0"}))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
