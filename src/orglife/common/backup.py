"""
Database-native backups with a manifest of row counts and the audit head.

SQLite: the online backup API (consistent while the app runs).
PostgreSQL: pg_dump in custom format, restored with pg_restore.
The manifest lets ``restore`` prove the copy is complete: identical row
counts per table and an intact audit chain ending at the same head.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils import timezone

from orglife.audit.models import AuditEvent


def table_counts() -> dict[str, int]:
    """Row counts of every table Django manages, by table name."""
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._base_manager.count()
    return dict(sorted(counts.items()))


def _manifest() -> dict[str, Any]:
    head = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    return {
        "format": 1,
        "vendor": connection.vendor,
        "written_at": timezone.now().isoformat(),
        "counts": table_counts(),
        "audit_head_seq": head["seq"] if head else 0,
        "audit_head_hash": head["hash"] if head else "",
    }


def manifest_path(path: Path) -> Path:
    """Where the manifest of backup ``path`` lives."""
    return path.with_name(path.name + ".manifest.json")


def _client(name: str) -> str:
    """Full path of a PostgreSQL client program, or a clear error."""
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _pg_env() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["-h", settings.get("HOST") or "127.0.0.1", "-p", str(settings.get("PORT") or 5432)]
    if settings.get("USER"):
        args += ["-U", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def backup_write(*, path: Path) -> dict[str, Any]:
    """Write a backup of the current database to ``path`` and its manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = _manifest()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [
                _client("pg_dump"),
                "-Fc",
                "--no-owner",
                "-f",
                str(path),
                *args,
                connection.settings_dict["NAME"],
            ],
            check=True,
            env=env,
        )
    else:
        raise RuntimeError(f"backups of {connection.vendor} are not supported")
    manifest_path(path).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def database_is_empty() -> bool:
    """True when no orglife data is present (fresh migrate only)."""
    from orglife.orgs.models import Organization

    return not Organization.objects.exists() and not AuditEvent.objects.exists()


def backup_restore(*, path: Path) -> dict[str, Any]:
    """
    Restore backup ``path`` into the configured (empty) database and return
    the manifest. The caller verifies counts and the audit chain afterwards.
    """
    manifest: dict[str, Any] = json.loads(manifest_path(path).read_text())
    if manifest["vendor"] != connection.vendor:
        raise RuntimeError(f"backup is for {manifest['vendor']}, the database is {connection.vendor}")
    if connection.vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(path, target)
    else:
        args, env = _pg_env()
        connection.close()
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [
                _client("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                connection.settings_dict["NAME"],
                *args,
                str(path),
            ],
            check=True,
            env=env,
        )
    return manifest
