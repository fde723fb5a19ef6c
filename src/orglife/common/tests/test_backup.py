"""`orglife backup` then `orglife restore` into an empty database: same rows, intact audit chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

SEED_SCRIPT = """
from datetime import date
from django.db import transaction
from orglife.orgs.services import org_create
from orglife.people.services import person_create
province = org_create(actor=None, parent=None, code="P", name="Province", kind="province_committee", jurisdiction="CN")
branch = org_create(actor=None, parent=province, code="B", name="Branch", kind="branch")
person_create(actor=None, org=branch, status="full", full_name="张三", national_id="110105198001010016",
              birth_date=date(1980, 1, 1), joined_on=date(2000, 1, 1), converted_on=date(2001, 1, 1),
              phone="13800000000")
"""

ORGLIFE = [sys.executable, "-m", "orglife.cli"]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ORGLIFE, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )  # noqa: S603


@pytest.fixture
def two_databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the vendor under test: the source and the target."""
    if connection.vendor == "postgresql":
        names = [f"orglife_backup_{uuid.uuid4().hex[:8]}_{side}" for side in ("a", "b")]
        for name in names:
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)  # noqa: S603,S607
        try:
            yield tuple(f"postgres://postgres@127.0.0.1:5432/{name}" for name in names)  # type: ignore[misc]
        finally:
            for name in names:
                subprocess.run(
                    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False
                )  # noqa: S603,S607
    else:
        yield (f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'target.sqlite3'}")


@pytest.mark.slow
def test_backup_then_restore_into_empty_database_is_identical(two_databases, tmp_path):
    source_url, target_url = two_databases
    base = {**os.environ, "ORGLIFE_SECRET_KEY": "backup-test-key", "ORGLIFE_VAR_DIR": str(tmp_path / "var")}
    source = {**base, "ORGLIFE_DATABASE_URL": source_url}
    target = {**base, "ORGLIFE_DATABASE_URL": target_url}
    # given a database with data and audit events
    assert _run(source, "migrate", "-v", "0").returncode == 0
    seeded = _run(source, "shell", "-c", SEED_SCRIPT)
    assert seeded.returncode == 0, seeded.stderr
    backup_file = tmp_path / "orglife.backup"
    # when it is backed up and restored into a fresh database
    backed_up = _run(source, "backup", "--output", str(backup_file))
    assert backed_up.returncode == 0, backed_up.stderr
    assert _run(target, "migrate", "-v", "0").returncode == 0
    restored = _run(target, "restore", str(backup_file))
    # then the restore proves identical counts and an intact chain
    assert restored.returncode == 0, restored.stderr
    assert "audit chain intact (3 events)" in restored.stdout
    verified = _run(target, "verify-audit")
    assert verified.returncode == 0, verified.stderr
    manifest = json.loads((tmp_path / "orglife.backup.manifest.json").read_text())
    assert manifest["counts"]["people_person"] == 1
    # and the encrypted fields are readable in the restored copy
    shown = _run(
        target, "shell", "-c", "from orglife.people.models import Person; print(Person.objects.get().phone)"
    )
    assert shown.stdout.strip().splitlines()[-1] == "13800000000"


def test_restore_refuses_a_database_that_holds_data(two_databases, tmp_path):
    source_url, _target_url = two_databases
    env = {
        **os.environ,
        "ORGLIFE_SECRET_KEY": "backup-test-key",
        "ORGLIFE_VAR_DIR": str(tmp_path / "var"),
        "ORGLIFE_DATABASE_URL": source_url,
    }
    assert _run(env, "migrate", "-v", "0").returncode == 0
    assert _run(env, "shell", "-c", SEED_SCRIPT).returncode == 0
    backup_file = tmp_path / "orglife.backup"
    assert _run(env, "backup", "--output", str(backup_file)).returncode == 0
    refused = _run(env, "restore", str(backup_file))
    assert refused.returncode != 0
    assert "already holds data" in refused.stderr
