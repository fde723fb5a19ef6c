"""
Reliability drills (issue 6 item 3; quality-anchors D2 R1 and R8), each
against a scratch database of the vendor under test (a SQLite file, or a
created-and-dropped PostgreSQL database) driven through the ``orglife``
command in subprocesses, like common/tests/test_backup.py:

- kill -9 of ``import-members`` in the middle of its write transaction
  leaves nothing behind, and importing again gives the same counts twice;
- 8 processes writing audited changes at once never see "database is
  locked" and leave a gap-free, verifiable audit chain.

The PostgreSQL-restart drill restarts the server the suite runs on, so it
is a separate script: bench/drill_pg_restart.py (``make drill``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from openpyxl import Workbook

from orglife.people.idnumbers import cn_check_digit

ORGLIFE = [sys.executable, "-m", "orglife.cli"]
BRANCHES = 10
ROWS = 8000
WRITERS = 8
WRITES_EACH = 50

SEED_SCRIPT = f"""
from orglife.orgs.services import org_create
province = org_create(actor=None, parent=None, code="P", name="Province", kind="province_committee", jurisdiction="CN")
district = org_create(actor=None, parent=province, code="D", name="District", kind="district_committee")
for number in range({BRANCHES}):
    org_create(actor=None, parent=district, code=f"B{{number}}", name=f"Branch {{number}}", kind="branch")
"""

COUNTS_SCRIPT = """
import json
from orglife.audit.models import AuditEvent
from orglife.people.models import Person, StatusChange
print(json.dumps({
    "people": Person.objects.count(),
    "status_changes": StatusChange.objects.count(),
    "import_events": AuditEvent.objects.filter(action="people.import").count(),
    "events": AuditEvent.objects.count(),
}))
"""

WRITER_SCRIPT = """
import os
from orglife.orgs.models import Organization
from orglife.orgs.services import org_rename
code = os.environ["DRILL_BRANCH"]
for number in range(int(os.environ["DRILL_WRITES"])):
    org = Organization.objects.get(code=code)
    org_rename(actor=None, org=org, name=f"{code} rename {number}")
print("done")
"""


@pytest.fixture
def scratch_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for ``orglife`` subprocesses on an empty scratch database, migrated and seeded."""
    name = ""
    if connection.vendor == "postgresql":
        name = f"orglife_drill_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'drill.sqlite3'}"
    env = {
        **os.environ,
        "ORGLIFE_SECRET_KEY": "drill-test-key",
        "ORGLIFE_VAR_DIR": str(tmp_path / "var"),
        "ORGLIFE_DATABASE_URL": url,
        "PYTHONUNBUFFERED": "1",
    }
    try:
        migrated = _run(env, "migrate", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr
        seeded = _run(env, "shell", "-c", SEED_SCRIPT)
        assert seeded.returncode == 0, seeded.stderr
        yield env
    finally:
        if name:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name], check=False
            )


def _run(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ORGLIFE, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _counts(env: dict[str, str]) -> dict[str, int]:
    shown = _run(env, "shell", "-c", COUNTS_SCRIPT)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout.strip().splitlines()[-1])


def _write_roster(path: Path, rows: int) -> None:
    """A write-only CN roster of ``rows`` valid, distinct members over the seeded branches."""
    rng = random.Random(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["姓名", "性别", "出生日期", "身份证号码", "工作单位", "入党时间", "转正时间", "所在党支部"])
    for number in range(rows):
        born = date(1950, 1, 1) + timedelta(days=number % 15000)
        male = number % 2 == 0
        first17 = f"110105{born:%Y%m%d}{(number // 15000) * 2 + (1 if male else 0):03d}"
        joined = born + timedelta(days=365 * 25)
        sheet.append(
            [
                f"成员{number}",
                "男" if male else "女",
                born,
                first17 + cn_check_digit(first17),
                f"单位{rng.randrange(100)}",
                joined,
                joined + timedelta(days=365),
                f"B{number % BRANCHES}",
            ]
        )
    workbook.save(path)


@pytest.mark.slow
def test_kill_9_during_import_leaves_nothing_and_reimport_is_stable(scratch_env, tmp_path):
    # given a roster large enough to be killed while it is writing
    roster = tmp_path / "roster.xlsx"
    _write_roster(roster, ROWS)
    command = [
        *ORGLIFE,
        "import-members",
        str(roster),
        "--org",
        "P",
        "--language",
        "en",
        "--progress-every",
        "2000",
    ]
    # when the import is SIGKILLed as soon as it reports its first written batch
    process = subprocess.Popen(
        command, env=scratch_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seen = []
    assert process.stderr is not None
    for line in process.stderr:
        seen.append(line)
        if line.startswith("write:"):
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen[-5:])
    # then not one row of it is there, and no import was recorded
    if connection.vendor == "postgresql":
        time.sleep(0.5)  # let the server notice the closed connection and roll back
    after_kill = _counts(scratch_env)
    assert after_kill["people"] == 0
    assert after_kill["status_changes"] == 0
    assert after_kill["import_events"] == 0
    # when it is run again to completion, and once more
    first = _run(scratch_env, "import-members", str(roster), "--org", "P", "--json")
    assert first.returncode == 0, first.stderr[-2000:]
    after_first = _counts(scratch_env)
    second = _run(scratch_env, "import-members", str(roster), "--org", "P", "--json")
    assert second.returncode == 0, second.stderr[-2000:]
    # then the first creates every row, the second changes nothing
    first_report = json.loads(first.stdout)
    second_report = json.loads(second.stdout)
    assert (first_report["created"], first_report["updated"]) == (ROWS, 0)
    assert (second_report["created"], second_report["updated"], second_report["unchanged"]) == (0, 0, ROWS)
    assert after_first == _counts(scratch_env)
    assert after_first["people"] == ROWS
    assert after_first["status_changes"] == ROWS
    assert after_first["import_events"] == 1
    verified = _run(scratch_env, "verify-audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.slow
def test_eight_concurrent_writers_see_no_lock_error_and_keep_the_chain(scratch_env):
    # given the seeded database and its audit trail
    before = _counts(scratch_env)
    # when 8 processes each write 50 audited renames at the same time
    writers = [
        subprocess.Popen(
            [*ORGLIFE, "shell", "-c", WRITER_SCRIPT],
            env={**scratch_env, "DRILL_BRANCH": f"B{number % BRANCHES}", "DRILL_WRITES": str(WRITES_EACH)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(WRITERS)
    ]
    outcomes = [writer.communicate(timeout=240) for writer in writers]
    # then every writer finished every write, none saw "database is locked"
    for writer, (stdout, stderr) in zip(writers, outcomes, strict=True):
        assert "database is locked" not in stderr
        assert writer.returncode == 0, stderr[-2000:]
        assert stdout.strip().endswith("done")
    # and the chain holds exactly one event per write, gap-free and verifiable
    assert _counts(scratch_env)["events"] == before["events"] + WRITERS * WRITES_EACH
    verified = _run(scratch_env, "verify-audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{before['events'] + WRITERS * WRITES_EACH} events" in verified.stdout
