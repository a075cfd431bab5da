"""Backups of the database: pg_dump/pg_restore on PostgreSQL, SQLite's online backup API.

Both give a consistent snapshot while the portal is running. A restore replaces everything
in the database with the backup's content.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient


class BackupError(Exception):
    pass


def _pg_command(program: str, settings_dict: dict, parameters: list[str]) -> tuple[list, dict]:
    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, parameters)
    args[0] = program
    return args, {**os.environ, **(env or {})}


def _run(args: list[str], env: dict | None = None) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def database_backup(*, path: Path, using: str = "default") -> Path:
    """Write a consistent snapshot of the database to `path`."""
    connection = connections[using]
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        args, env = _pg_command(
            "pg_dump",
            connection.settings_dict,
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
        )
        _run(args, env)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"Backups are not supported on {connection.vendor}.")
    return path


def database_restore(*, path: Path, using: str = "default") -> None:
    """Replace the database's content with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    connection = connections[using]
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_command(
            "pg_restore",
            connection.settings_dict,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"],
        )
        # settings_to_cmd_args_env puts the database name last; pg_restore wants -d NAME FILE.
        args[-1:] = ["-d", args[-1], str(path)]
        _run(args, env)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError(f"Restores are not supported on {connection.vendor}.")
