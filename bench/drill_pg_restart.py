"""
Drill: PostgreSQL restarted under load (quality-anchors D2 R3).

Restarts the machine's PostgreSQL server, so it is NOT part of the test
suite; run it by hand or with ``make drill``:

    .venv/bin/python bench/drill_pg_restart.py [--seconds 24] [--restart-at 8]

It creates a throwaway database, migrates and seeds it, starts gunicorn
(2 sync workers, persistent connections, CONN_HEALTH_CHECKS on) against it
on 127.0.0.1, drives a bounded request loop (a person list and a person
detail through the API, with a token) and, part-way through, restarts
PostgreSQL with ``pg_ctlcluster --skip-systemctl-redirect VERSION main
restart`` (``-m fast`` by default, ``--mode immediate`` for a crash-like
stop). It prints the requests and errors before, during and after the
outage as JSON and exits 1 when any request fails after recovery (the
pass criterion: errors only while the server is down, none after).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ORGLIFE = [PYTHON, "-m", "orglife.cli"]
SEED = """
from datetime import date
from rest_framework.authtoken.models import Token
from django.contrib.auth import get_user_model
from orglife.access.models import Role, RoleAssignment
from orglife.orgs.services import org_create
from orglife.people.services import person_create
province = org_create(actor=None, parent=None, code="P", name="Province", kind="province_committee", jurisdiction="CN")
branch = org_create(actor=None, parent=province, code="B", name="Branch", kind="branch")
person = person_create(actor=None, org=branch, status="applicant", full_name="Drill Person")
user = get_user_model().objects.create_user(username="drill", password="drill-password-0123456789")
RoleAssignment.objects.create(user=user, org=branch, role=Role.objects.get(code="branch_secretary"))
print(Token.objects.create(user=user).key, person.pk)
"""


def pg_version() -> str:
    """The installed cluster version (the directory under /etc/postgresql)."""
    versions = sorted(Path("/etc/postgresql").iterdir(), key=lambda path: int(path.name))
    return versions[-1].name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(url: str, token: str) -> int:
    """The HTTP status, or 0 when the connection itself failed."""
    req = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return 0


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=24.0, help="length of the request loop")
    parser.add_argument("--restart-at", type=float, default=8.0, help="seconds into the loop")
    parser.add_argument("--mode", choices=["fast", "immediate", "smart"], default="fast")
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second (upper bound)")
    args = parser.parse_args()

    name = f"orglife_drill_{uuid.uuid4().hex[:8]}"
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    env = {
        **os.environ,
        "ORGLIFE_DATABASE_URL": url,
        "ORGLIFE_SECRET_KEY": "drill-only-secret-key-0123456789",
        "ORGLIFE_VAR_DIR": str(Path("/tmp") / name),  # noqa: S108
        "ORGLIFE_CONN_MAX_AGE": "600",
        "ORGLIFE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    server = None
    try:
        subprocess.run([*ORGLIFE, "migrate", "-v", "0"], env=env, check=True)
        seeded = subprocess.run(
            [*ORGLIFE, "shell", "-c", SEED], env=env, check=True, capture_output=True, text=True
        )
        token, person_id = seeded.stdout.split()[-2:]
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "orglife.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while request(f"{base}/api/people/", token) != 200:
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not come up")
            time.sleep(0.2)

        urls = [f"{base}/api/people/", f"{base}/api/people/{person_id}/"]
        phases: dict[str, dict[str, int]] = {
            phase: {"requests": 0, "errors": 0} for phase in ("before", "during", "after")
        }
        statuses: dict[str, int] = {}
        restart: subprocess.Popen[bytes] | None = None
        outage_start = outage_end = None
        first_ok_after = None
        started = time.monotonic()
        number = 0
        while (now := time.monotonic() - started) < args.seconds:
            if restart is None and now >= args.restart_at:
                outage_start = now
                restart = subprocess.Popen(
                    [
                        "pg_ctlcluster",
                        "--skip-systemctl-redirect",
                        pg_version(),
                        "main",
                        "restart",
                        "-m",
                        args.mode,
                    ]
                )
            if restart is not None and outage_end is None and restart.poll() is not None and pg_ready():
                outage_end = time.monotonic() - started
            phase = "before" if restart is None else ("during" if outage_end is None else "after")
            status = request(urls[number % len(urls)], token)
            number += 1
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            phases[phase]["requests"] += 1
            if status != 200:
                phases[phase]["errors"] += 1
            elif phase == "after" and first_ok_after is None:
                first_ok_after = time.monotonic() - started
            time.sleep(max(0.0, 1.0 / args.rate - 0.001))
        if restart is not None:
            restart.wait(timeout=60)
        result = {
            "mode": args.mode,
            "postgresql": pg_version(),
            "restart_at_s": round(outage_start or 0, 2),
            "server_back_at_s": round(outage_end, 2) if outage_end is not None else None,
            "first_success_after_s": round(first_ok_after, 2) if first_ok_after is not None else None,
            "phases": phases,
            "statuses": statuses,
            "recovered": outage_end is not None and phases["after"]["errors"] == 0,
        }
        print(json.dumps(result, indent=2))
        return 0 if result["recovered"] else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        deadline = time.monotonic() + 60
        while not pg_ready() and time.monotonic() < deadline:
            time.sleep(0.5)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name], check=False
        )


if __name__ == "__main__":
    raise SystemExit(main())
