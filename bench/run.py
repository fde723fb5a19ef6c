"""
orglife province-scale benchmarks on PostgreSQL (``make bench``).

    .venv/bin/python bench/run.py            # full: the Nam Dinh shape, ~10 minutes
    .venv/bin/python bench/run.py --quick    # 5 % of the province, fewer repetitions, ~2 minutes
    .venv/bin/python bench/run.py --keep     # keep the database afterwards (its name is printed)

What it does, in order:

1. creates its own database ``orglife_bench_<pid>`` on 127.0.0.1:5432 (user
   postgres, trust auth), migrates it and builds the province with
   ``orglife demo --size province --jurisdiction vn`` (timed), then runs
   ``VACUUM ANALYZE`` (a bulk load leaves no planner statistics behind;
   autovacuum would do the same within a minute or so);
2. measures in-process (Django set up in this process, timings around the
   selector calls) the scoped member list (P4), scope checks and subtree
   aggregates (P6) and a committee move (P8), each beside a bare-SQL baseline;
3. starts a real gunicorn (``orglife serve``) on a free loopback port and
   times pages end to end, then the people API under 8 concurrent client
   threads (P5);
4. appends audit events and verifies the chain (P9), and imports a roster of
   110,300 rows with ``bench/bench_import.py`` (issue 2);
5. writes ``bench/results.json`` and rewrites the generated section of
   ``docs/performance.md`` (between ``<!-- bench:begin -->`` and
   ``<!-- bench:end -->``), and drops the database.

``--quick`` writes ``bench/results-quick.json`` and leaves docs/performance.md
alone: its figures come from a 5 % dataset and are not comparable with the
targets. All load goes to 127.0.0.1 and is bounded in count and time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import harness  # noqa: E402
from harness import fmt_latency, fmt_rate, summarize, time_calls, verdict  # noqa: E402

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
DOC = ROOT / "docs" / "performance.md"
BIN = Path(sys.executable).parent
ORGLIFE = str(BIN / "orglife") if (BIN / "orglife").exists() else str(ROOT / ".venv" / "bin" / "orglife")
DEMO_PASSWORD = "orglife-demo-2026"  # noqa: S105 - the demo's published password
NOT_YET = "not measurable yet"


@dataclass(frozen=True)
class Plan:
    """How much to do: the full province or the quick, scaled-down run."""

    scale: float
    repeat: int  # in-process query timings
    http_repeat: int  # sequential page requests
    api_threads: int
    api_seconds: float
    api_max_requests: int
    audit_single: int  # one-event transactions (append latency)
    audit_events: int  # batched appends before verifying
    import_rows: int
    move_repeat: int


FULL = Plan(1.0, 50, 30, 8, 10.0, 20_000, 300, 100_000, 110_300, 5)
QUICK = Plan(0.05, 15, 8, 8, 3.0, 5_000, 100, 5_000, 5_515, 2)

_T0 = time.perf_counter()


def log(message: str) -> None:
    """Progress line with the elapsed time."""
    elapsed = time.perf_counter() - _T0
    print(f"[{int(elapsed // 60):02d}:{elapsed % 60:04.1f}] {message}", flush=True)


# --- PostgreSQL and machine ------------------------------------------------------------


def pg_command(*argv: str) -> None:
    """Run createdb/dropdb against the bench server."""
    subprocess.run([argv[0], "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, *argv[1:]], check=True)


def machine_info() -> dict[str, Any]:
    """nproc, memory, CPU model, Python, git commit, date."""
    info: dict[str, Any] = {
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # Other work on the machine inflates every figure: recorded, not hidden.
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
    with contextlib.suppress(OSError):
        meminfo = Path("/proc/meminfo").read_text()
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
        if match:
            info["memory_gib"] = round(int(match.group(1)) / 1024**2, 1)
    with contextlib.suppress(OSError):
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if model:
            info["cpu"] = model.group(1).strip()
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        info["git_commit"] = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        info["git_dirty"] = bool(dirty)
    return info


def pg_info() -> dict[str, Any]:
    """Server version and the settings that matter for these figures."""
    from django.db import connection

    names = [
        "shared_buffers",
        "work_mem",
        "jit",
        "max_parallel_workers_per_gather",
        "fsync",
        "synchronous_commit",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        info: dict[str, Any] = {"version": cursor.fetchone()[0]}
        for name in names:
            cursor.execute("SELECT current_setting(%s)", [name])
            info[name] = cursor.fetchone()[0]
    return info


def database_size() -> int:
    """pg_database_size of the bench database, in bytes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def cpu_ticks_of_tree(root_pid: int) -> float:
    """user+system CPU seconds of ``root_pid`` and its children (from /proc)."""
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    total = 0
    stats: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            # fields[0] is the state (field 3); ppid is field 4, utime 14, stime 15.
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    for pid, (ppid, ticks) in stats.items():
        if pid == root_pid or ppid == root_pid:
            total += ticks
    return total / ticks_per_second


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


# --- error-tolerant sections ---------------------------------------------------------------


class Run:
    """Collects results; a failing section is recorded and the run goes on."""

    def __init__(self) -> None:
        self.results: dict[str, Any] = {"errors": {}}

    @contextlib.contextmanager
    def section(self, name: str) -> Iterator[dict[str, Any]]:
        log(f"== {name}")
        store: dict[str, Any] = self.results.setdefault(name, {})
        started = time.perf_counter()
        try:
            yield store
        except Exception as error:  # noqa: BLE001 - reported, the other sections still run
            log(f"!! {name} failed: {error!r}")
            traceback.print_exc()
            self.results["errors"][name] = f"{type(error).__name__}: {error}"
        store["section_seconds"] = round(time.perf_counter() - started, 1)


# --- dataset -------------------------------------------------------------------------------


def build_dataset(run: Run, plan: Plan) -> None:
    """Migrate, run the demo command (timed), VACUUM ANALYZE, count what is there."""
    from django.core.management import call_command
    from django.db import connection

    with run.section("dataset") as out:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        out["migrate_seconds"] = round(time.perf_counter() - started, 1)
        log(f"migrated in {out['migrate_seconds']} s; building the province (demo command) …")
        command = [ORGLIFE, "demo", "--size", "province", "--jurisdiction", "vn"]
        if plan.scale != 1.0:
            command += ["--scale", str(plan.scale)]
        started = time.perf_counter()
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process:
            assert process.stdout is not None
            for line in process.stdout:
                if "districts" in line or line.startswith(("Organizations", "People", "Members", "Elapsed")):
                    log("   " + line.rstrip())
        if process.returncode:
            raise RuntimeError(f"orglife demo exited with {process.returncode}")
        out["build_seconds"] = round(time.perf_counter() - started, 1)
        out["command"] = " ".join(command[1:])
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        out["vacuum_analyze_seconds"] = round(time.perf_counter() - started, 1)
        describe_dataset(out)
        log(
            f"dataset built in {out['build_seconds']} s: {out['organizations']:,} orgs, "
            f"{out['members']:,} members, {out['database_bytes'] / 1024**2:,.0f} MiB"
        )


def describe_dataset(out: dict[str, Any]) -> None:
    """Row counts and database size."""
    from django.db.models import Count

    from orglife.audit.models import AuditEvent
    from orglife.orgs.models import Organization
    from orglife.people.choices import MEMBER_STATUSES
    from orglife.people.models import Person, StatusChange

    out["organizations"] = Organization.objects.count()
    out["orgs_by_kind"] = dict(Organization.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    out["people"] = Person.objects.count()
    out["members"] = Person.objects.filter(status__in=MEMBER_STATUSES).count()
    out["status_changes"] = StatusChange.objects.count()
    out["audit_events"] = AuditEvent.objects.count()
    out["database_bytes"] = database_size()


# --- actors -------------------------------------------------------------------------------


@dataclass
class Actor:
    """A demo login and the org its role is on."""

    username: str
    user: Any
    org: Any


def actor(username: str) -> Actor:
    """A fresh user object (no cached scope) and its assignment's org."""
    from django.contrib.auth import get_user_model

    from orglife.access.models import RoleAssignment

    user = get_user_model().objects.get(username=username)
    assignment = RoleAssignment.objects.filter(user=user).select_related("org").order_by("org__path").first()
    if assignment is None:
        raise RuntimeError(f"{username} holds no role")
    return Actor(username, user, assignment.org)


def path_bounds(path: str) -> tuple[str, str]:
    """The half-open range [path, next(path)) of a subtree, as visible_to uses it."""
    from orglife.access.querysets import _next_path

    upper = _next_path(path)
    return path, upper if upper is not None else "~"  # '~' sorts after every path digit


def raw_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run a bare SQL query on Django's connection and fetch everything."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


RAW_PAGE = """
SELECT p.*, o.code, o.name, g.code, g.name
FROM people_person p
JOIN orgs_organization o ON o.id = p.org_id
LEFT JOIN orgs_organization g ON g.id = p.party_group_id
WHERE o.path >= %s AND o.path < %s
ORDER BY p.full_name, p.id
LIMIT 50
"""
RAW_COUNT = """
SELECT count(*) FROM people_person p JOIN orgs_organization o ON o.id = p.org_id
WHERE o.path >= %s AND o.path < %s
"""
RAW_SUBTREE = """
SELECT (SELECT count(*) FROM orgs_organization WHERE path >= %s AND path < %s),
       (SELECT count(*) FROM people_person p JOIN orgs_organization o ON o.id = p.org_id
        WHERE o.path >= %s AND o.path < %s AND p.status IN ('probationary', 'full'))
"""
RAW_ORGS_ONLY = "SELECT count(*) FROM orgs_organization WHERE path >= %s AND path < %s"


# --- P4: scoped member list --------------------------------------------------------------------


def measure_member_list(run: Run, plan: Plan) -> None:
    """person_list first page and count at province, district and branch scope, beside bare SQL."""
    from django.core.paginator import Paginator

    from orglife.people.selectors import person_list

    with run.section("member_list") as out:
        for scope, username in (
            ("province", "vn_admin"),
            ("district", "vn_organizer"),
            ("branch", "vn_secretary"),
        ):
            who = actor(username)
            bounds = list(path_bounds(who.org.path))

            def page(user: Any = who.user) -> list[Any]:
                return list(person_list(actor=user)[:50])

            def count(user: Any = who.user) -> int:
                return person_list(actor=user).count()

            def as_view(user: Any = who.user) -> list[Any]:
                # What the list view does: a Paginator (count, then the page).
                return list(Paginator(person_list(actor=user), 50).get_page(1))

            rows = count()
            if len(page()) != min(50, rows) or len(raw_rows(RAW_PAGE, bounds)) != min(50, rows):
                raise RuntimeError(f"{scope}: the page does not hold {min(50, rows)} rows")
            if raw_rows(RAW_COUNT, bounds)[0][0] != rows:
                raise RuntimeError(f"{scope}: bare count differs from the selector's count")
            out[scope] = {
                "actor": username,
                "org": who.org.code,
                "people": rows,
                "page": summarize(time_calls(page, repeat=plan.repeat)),
                "count": summarize(time_calls(count, repeat=plan.repeat)),
                "page_and_count_as_view": summarize(time_calls(as_view, repeat=plan.repeat)),
                "raw_page": summarize(time_calls(lambda b=bounds: raw_rows(RAW_PAGE, b), repeat=plan.repeat)),
                "raw_count": summarize(
                    time_calls(lambda b=bounds: raw_rows(RAW_COUNT, b), repeat=plan.repeat)
                ),
            }
            figures = out[scope]
            log(
                f"{scope} ({who.org.code}, {rows:,} people): page {fmt_latency(figures['page'])} "
                f"[bare {fmt_latency(figures['raw_page'])}], count {fmt_latency(figures['count'])} "
                f"[bare {fmt_latency(figures['raw_count'])}]"
            )


# --- P6: scope checks and subtree aggregates ------------------------------------------------------


def measure_scope(run: Run, plan: Plan) -> None:
    """scope_for + can (cold and warm) and subtree aggregates at province and district scope."""
    from orglife.access.querysets import subtree_condition
    from orglife.access.scope import can, scope_cache_clear
    from orglife.orgs.models import Organization
    from orglife.orgs.selectors import org_subtree_member_counts

    with run.section("scope") as out:
        organizer = actor("vn_organizer")
        branch = actor("vn_secretary").org
        user = organizer.user

        def cold() -> bool:
            scope_cache_clear(user)
            return can(user, "view", branch)

        def warm() -> bool:
            return can(user, "view", branch)

        if not cold() or not warm():
            raise RuntimeError("the organizer cannot see the secretary's branch")
        repeat = plan.repeat * 4
        out["check_cold"] = summarize(time_calls(cold, repeat=repeat))
        out["check_warm"] = summarize(time_calls(warm, repeat=repeat))
        out["round_trip_select_1"] = summarize(time_calls(lambda: raw_rows("SELECT 1", []), repeat=repeat))
        log(
            f"scope check cold {fmt_latency(out['check_cold'])}, warm {fmt_latency(out['check_warm'])}, "
            f"SELECT 1 {fmt_latency(out['round_trip_select_1'])}"
        )
        for scope, org in (("province", actor("vn_admin").org), ("district", organizer.org)):
            bounds = list(path_bounds(org.path))

            def orm(org: Any = org) -> tuple[int, int]:
                orgs = Organization.objects.filter(subtree_condition("path", org.path)).count()
                return orgs, org_subtree_member_counts([org])[org.pk]

            orgs, members = orm()
            raw = raw_rows(RAW_SUBTREE, bounds * 2)[0]
            if (orgs, members) != tuple(raw):
                raise RuntimeError(f"{scope}: ORM {orgs, members} != SQL {raw}")
            out[f"{scope}_aggregate"] = {
                "org": org.code,
                "orgs": orgs,
                "members": members,
                "orm": summarize(time_calls(orm, repeat=plan.repeat)),
                "raw": summarize(
                    time_calls(lambda b=bounds: raw_rows(RAW_SUBTREE, b * 2), repeat=plan.repeat)
                ),
                "raw_orgs_only": summarize(
                    time_calls(lambda b=bounds: raw_rows(RAW_ORGS_ONLY, b), repeat=plan.repeat)
                ),
            }
            figures = out[f"{scope}_aggregate"]
            log(
                f"{scope} subtree ({orgs:,} orgs, {members:,} members): ORM {fmt_latency(figures['orm'])}, "
                f"bare {fmt_latency(figures['raw'])}, orgs only {fmt_latency(figures['raw_orgs_only'])}"
            )


# --- P8: move a committee ---------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised to roll a timed write back."""


def measure_move(run: Run, plan: Plan) -> None:
    """org_move of the largest district committee under a new province, rolled back each time."""
    from django.db import transaction
    from django.db.models import Count, Q

    from orglife.access.querysets import subtree_condition
    from orglife.orgs.models import Organization
    from orglife.orgs.services import org_create, org_move

    with run.section("move") as out:
        districts = list(Organization.objects.filter(kind="district_committee"))
        sizes = Organization.objects.aggregate(
            **{f"d{d.pk}": Count("pk", filter=subtree_condition("path", d.path)) for d in districts}
        )
        district = max(districts, key=lambda d: sizes[f"d{d.pk}"])
        nodes = sizes[f"d{district.pk}"]
        timings = []
        for number in range(plan.move_repeat + 1):
            try:
                with transaction.atomic():
                    province = org_create(
                        actor=None,
                        parent=None,
                        code=f"BENCH-MOVE-{number}",
                        name="Bench province",
                        kind="province_committee",
                        jurisdiction=district.jurisdiction,
                    )
                    moving = Organization.objects.get(pk=district.pk)
                    started = time.perf_counter()
                    moved = org_move(actor=None, org=moving, new_parent=province)
                    elapsed = time.perf_counter() - started
                    moved_nodes = Organization.objects.filter(
                        Q(path__startswith=moved.path) & ~Q(pk=province.pk)
                    ).count()
                    if moved_nodes != nodes:
                        raise RuntimeError(f"moved {moved_nodes} nodes, expected {nodes}")
                    raise _Rollback
            except _Rollback:
                if number:  # the first is a warm-up
                    timings.append(elapsed)
        out.update({"org": district.code, "nodes": nodes, "move": summarize(timings)})
        log(f"move {district.code} ({nodes:,} nodes): {fmt_latency(out['move'])} (rolled back)")


# --- HTTP --------------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``orglife serve`` (gunicorn) on a loopback port, stopped by its PID."""

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            ORGLIFE,
            "serve",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--no-collectstatic",
        ]
        with self.log_path.open("wb") as log_file:
            # ``orglife serve`` execs gunicorn, so this PID is gunicorn's master.
            self.process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _body, _headers = request(self.port, "GET", "/accounts/login/")
                if status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: str | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes, http.client.HTTPMessage]:
    """One HTTP request on loopback (a fresh connection unless one is given)."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response.headers
    finally:
        if connection is None:
            conn.close()


def cookies_from(headers: http.client.HTTPMessage, jar: dict[str, str]) -> None:
    """Add the Set-Cookie values of a response to ``jar``."""
    for header in headers.get_all("Set-Cookie") or []:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value


def login(port: int, username: str, password: str) -> str:
    """POST the login form with its CSRF token; return the Cookie header of the session."""
    jar: dict[str, str] = {}
    status, body, headers = request(port, "GET", "/accounts/login/")
    cookies_from(headers, jar)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or match is None or "csrftoken" not in jar:
        raise RuntimeError("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
    )
    status, _body, headers = request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
        },
    )
    cookies_from(headers, jar)
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login of {username} failed (HTTP {status})")
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def time_page(port: int, path: str, headers: dict[str, str], repeat: int) -> dict[str, Any]:
    """Sequential GETs on one keep-alive connection: latency and response size."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sizes = []

    def get() -> None:
        status, body, _headers = request(port, "GET", path, headers=headers, connection=conn)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        sizes.append(len(body))

    try:
        stats = summarize(time_calls(get, repeat=repeat, warmup=3))
    finally:
        conn.close()
    stats["bytes"] = sizes[-1]
    return stats


def count_queries(username: str, path: str) -> int:
    """Database queries one GET of ``path`` makes (in-process test client, same code and data)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"in-process GET {path} answered {response.status_code}")
    return len(queries)


def load(
    port: int, path: str, headers: dict[str, str], *, threads: int, seconds: float, max_requests: int
) -> dict[str, Any]:
    """``threads`` clients on keep-alive connections for ``seconds`` (at most ``max_requests``)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    issued = 0
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal issued
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if issued >= max_requests:
                        return
                    issued += 1
                started = time.perf_counter()
                try:
                    status, _body, _headers = request(port, "GET", path, headers=headers, connection=conn)
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    with lock:
                        errors.append(repr(error))
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 200:
                        latencies.append(elapsed)
                    else:
                        errors.append(f"HTTP {status}")
        finally:
            conn.close()

    server_cpu_before = cpu_ticks_of_tree(SERVER_PID[0])
    client_cpu_before = time.process_time()
    busy_before, total_before = machine_busy()
    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 120)
    wall = time.perf_counter() - started
    busy_after, total_after = machine_busy()
    server_cpu = cpu_ticks_of_tree(SERVER_PID[0]) - server_cpu_before
    result: dict[str, Any] = {
        "threads": threads,
        "seconds": round(wall, 2),
        "requests_ok": len(latencies),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "requests_per_second": round(len(latencies) / wall, 1),
        "server_cpu_seconds": round(server_cpu, 2),
        "client_cpu_seconds": round(time.process_time() - client_cpu_before, 2),
        "machine_busy_percent": round(
            100 * (busy_after - busy_before) / max(1, total_after - total_before), 1
        ),
        "requests_per_server_cpu_second": round(len(latencies) / server_cpu, 1) if server_cpu else None,
    }
    if latencies:
        result["latency"] = summarize(latencies)
    return result


SERVER_PID = [0]


def measure_http(run: Run, plan: Plan, scratch: Path) -> None:
    """Pages and the people API through a real gunicorn."""
    from django.core.management import call_command

    with run.section("http") as out:
        started = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)
        out["collectstatic_seconds"] = round(time.perf_counter() - started, 1)
        admin, organizer = actor("vn_admin"), actor("vn_organizer")
        district = organizer.org
        pages = {
            "vn_admin": [
                "/",
                "/orgs/",
                f"/orgs/{admin.org.pk}/",
                "/people/",
                f"/people/?org={district.code}",
            ],
            "vn_organizer": [
                "/",
                "/orgs/",
                f"/orgs/{district.pk}/",
                "/people/",
                f"/people/?org={district.code}",
            ],
        }
        queries = {
            f"{username} {path}": count_queries(username, path)
            for username, paths in pages.items()
            for path in paths
        }
        queries["anonymous /accounts/login/"] = count_queries("", "/accounts/login/")
        port = free_port()
        server = Server(port, scratch / "gunicorn.log")
        try:
            server.start()
            SERVER_PID[0] = server.pid
            log(f"gunicorn (2 workers × 4 threads) pid {server.pid} on 127.0.0.1:{port}")
            out["pages"] = {}
            floor = time_page(port, "/accounts/login/", {}, plan.http_repeat)
            floor["queries"] = queries["anonymous /accounts/login/"]
            out["pages"]["anonymous /accounts/login/"] = floor
            log(f"GET /accounts/login/ (stack floor): {fmt_latency(floor)}")
            for username, paths in pages.items():
                cookie = {"Cookie": login(port, username, DEMO_PASSWORD)}
                for path in paths:
                    key = f"{username} {path}"
                    stats = time_page(port, path, cookie, plan.http_repeat)
                    stats["queries"] = queries[key]
                    out["pages"][key] = stats
                    log(f"GET {path} as {username}: {fmt_latency(stats)}, {stats['queries']} queries")
            measure_api(out, plan, port)
        finally:
            server.stop()
            SERVER_PID[0] = 0


def api_token(username: str) -> str:
    """``orglife create-token USERNAME`` (the documented way)."""
    return subprocess.run(
        [ORGLIFE, "create-token", username], capture_output=True, text=True, check=True
    ).stdout.strip()


def measure_api(out: dict[str, Any], plan: Plan, port: int) -> None:
    """GET /api/people/?page_size=50 under concurrent clients, beside in-process serialization."""
    import json as _json

    from django.contrib.auth import get_user_model
    from django.core.serializers.json import DjangoJSONEncoder

    from orglife.access.models import Role
    from orglife.access.roles import LINKED_LEADER
    from orglife.access.services import role_assign
    from orglife.audit.models import AuditEvent
    from orglife.people.api import PersonSerializer
    from orglife.people.models import Person

    province = actor("vn_admin").org
    # A province-wide reader without view_sensitive: masked rows, no read logging.
    viewer, _created = get_user_model().objects.get_or_create(username="bench_viewer")
    role_assign(actor=None, user=viewer, org=province, role=Role.objects.get(code=LINKED_LEADER))
    path = "/api/people/?page_size=50"
    out["api"] = {"path": path}
    for username in ("bench_viewer", "vn_admin"):
        headers = {"Authorization": f"Token {api_token(username)}"}
        status, body, _headers = request(port, "GET", path, headers=headers)
        if status != 200 or len(_json.loads(body)["results"]) != 50:
            raise RuntimeError(f"{path} as {username}: HTTP {status}")
        events_before = AuditEvent.objects.count()
        result = load(
            port,
            path,
            headers,
            threads=plan.api_threads,
            seconds=plan.api_seconds,
            max_requests=plan.api_max_requests,
        )
        result["audit_events_written"] = AuditEvent.objects.count() - events_before
        out["api"][username] = result
        log(
            f"API as {username}: {result['requests_per_second']} req/s with {plan.api_threads} threads, "
            f"{fmt_latency(result.get('latency'))}, {result['errors']} errors, "
            f"{result['requests_per_server_cpu_second']} req per server-CPU-second, "
            f"{result['audit_events_written']:,} audit events written"
        )

    fields = [
        "id",
        "full_name",
        "gender",
        "birth_date",
        "ethnicity",
        "education",
        "native_place",
        "work_unit",
        "status",
        "joined_on",
        "converted_on",
        "org__code",
        "org__name",
        "party_group__code",
        "version",
    ]
    viewer = get_user_model().objects.get(pk=viewer.pk)

    def values_json() -> str:
        rows = Person.objects.visible_to(viewer).order_by("full_name", "id").values(*fields)[:50]
        return _json.dumps(list(rows), cls=DjangoJSONEncoder)

    people = list(Person.objects.visible_to(viewer).select_related("org", "party_group")[:50])

    def drf_serialize() -> str:
        data = PersonSerializer(people, many=True, context={"request": SimpleNamespace(user=viewer)}).data
        return _json.dumps(data, cls=DjangoJSONEncoder)

    out["api"]["baseline_values_json"] = summarize(time_calls(values_json, repeat=plan.repeat))
    out["api"]["baseline_drf_serializer_only"] = summarize(time_calls(drf_serialize, repeat=plan.repeat))
    log(
        f"in-process: .values()+json of 50 rows {fmt_latency(out['api']['baseline_values_json'])}, "
        f"DRF serializer of 50 loaded rows {fmt_latency(out['api']['baseline_drf_serializer_only'])}"
    )


# --- P9: audit chain ------------------------------------------------------------------------


def measure_audit(run: Run, plan: Plan) -> None:
    """Append latency and rate through audit_record, then audit_verify over the whole chain."""
    from django.db import connection, transaction

    from orglife.audit.models import AuditEvent
    from orglife.audit.services import audit_record, audit_verify

    with run.section("audit") as out:
        province = actor("vn_admin").org
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE bench_plain (LIKE audit_auditevent INCLUDING DEFAULTS)")

        number = [0]

        def append_one() -> None:
            number[0] += 1
            with transaction.atomic():
                audit_record(actor=None, action="bench.event", org=province, data={"n": number[0]})

        def plain_insert() -> None:
            number[0] += 1
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_plain (id, seq, occurred_at, actor_name, action, object_type, "
                    "object_id, data, prev_hash, hash) VALUES (%s, %s, now(), 'system', 'bench.event', '', '', "
                    "%s, %s, %s)",
                    [number[0], number[0], json.dumps({"n": number[0]}), "0" * 64, "0" * 64],
                )

        out["append_single"] = summarize(time_calls(append_one, repeat=plan.audit_single, warmup=10))
        out["plain_insert_single"] = summarize(time_calls(plain_insert, repeat=plan.audit_single, warmup=10))
        log(
            f"audit append (one event per transaction): {fmt_latency(out['append_single'])}; "
            f"plain INSERT + commit {fmt_latency(out['plain_insert_single'])}"
        )
        batch = 1000
        started = time.perf_counter()
        written = 0
        while written < plan.audit_events:
            with transaction.atomic():
                for _ in range(min(batch, plan.audit_events - written)):
                    number[0] += 1
                    audit_record(actor=None, action="bench.event", org=province, data={"n": number[0]})
                    written += 1
            if written % 20_000 == 0:
                log(f"   appended {written:,}/{plan.audit_events:,}")
        seconds = time.perf_counter() - started
        out["append_batched"] = {
            "events": written,
            "batch": batch,
            "seconds": round(seconds, 2),
            "events_per_second": round(written / seconds),
        }
        log(f"audit append rate (batches of {batch}): {written / seconds:,.0f} events/s")

        total = AuditEvent.objects.count()
        started = time.perf_counter()
        verification = audit_verify()
        seconds = time.perf_counter() - started
        if not verification.ok or verification.count != total:
            raise RuntimeError(f"audit_verify: {verification}")
        rate = total / seconds
        started = time.perf_counter()
        raw_rows(
            "SELECT count(*) FROM (SELECT sha256(convert_to(prev_hash || seq::text || action || data::text, "
            "'UTF8')) FROM audit_auditevent ORDER BY seq) s",
            [],
        )
        sql_seconds = time.perf_counter() - started
        out["verify"] = {
            "events": total,
            "seconds": round(seconds, 2),
            "events_per_second": round(rate),
            "extrapolated_10m_seconds": round(10_000_000 / rate, 1),
            "sql_hash_scan_seconds": round(sql_seconds, 3),
            "sql_hash_scan_events_per_second": round(total / sql_seconds),
        }
        log(
            f"audit_verify of {total:,} events: {seconds:.1f} s ({rate:,.0f}/s, 10 M ≈ "
            f"{10_000_000 / rate:,.0f} s); SQL-side hash scan {total / sql_seconds:,.0f}/s"
        )


# --- roster import -------------------------------------------------------------------------


def measure_import(run: Run, plan: Plan) -> None:
    """bench/bench_import.py against the bench database (it builds its own CN tree)."""
    with run.section("roster_import") as out:
        command = [
            sys.executable,
            str(ROOT / "bench" / "bench_import.py"),
            "--rows",
            str(plan.import_rows),
            "--no-migrate",
            "--seed",
            "2026",
        ]
        started = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, timeout=1200)
        if completed.returncode:
            sys.stderr.write(completed.stderr[-4000:])
            raise RuntimeError(f"bench_import.py exited with {completed.returncode}")
        figures = json.loads(completed.stdout.strip().splitlines()[-1])
        out.update(figures)
        out["wall_seconds"] = round(time.perf_counter() - started, 1)
        log(
            f"roster import of {figures['rows']:,} rows: {figures['seconds']} s "
            f"({figures['rows_per_second']:,} rows/s); re-import {figures['reimport_seconds']} s"
        )


# --- report ------------------------------------------------------------------------------------


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def figure_rows(results: dict[str, Any], quick: bool) -> list[list[str]]:
    """Id | figure | measured | baseline | target | met? — one row per figure."""
    rows: list[list[str]] = []

    def add(
        pid: str,
        figure: str,
        measured: str,
        baseline: str,
        target: str,
        value: float | None = None,
        limit: float | None = None,
        *,
        higher: bool = False,
        status: str | None = None,
    ) -> None:
        met = status or verdict(value, limit, higher_is_better=higher)
        if quick and met in ("met", "missed"):
            met += " (quick run: scaled data)"
        rows.append([pid, figure, measured, baseline, target, met])

    def p95(*keys: str) -> float | None:
        return _get(results, *keys, "p95_ms")

    dataset = results.get("dataset", {})
    add(
        "—",
        f"Dataset build: `orglife {dataset.get('command', 'demo')}` "
        f"({dataset.get('organizations', 0):,} orgs, {dataset.get('members', 0):,} members)",
        f"{dataset['build_seconds']} s" if "build_seconds" in dataset else "—",
        f"migrate {dataset.get('migrate_seconds', '—')} s; VACUUM ANALYZE {dataset.get('vacuum_analyze_seconds', '—')} s",
        "none (≈70 s expected)",
        status="n/a",
    )
    if "database_bytes" in dataset:
        add(
            "—",
            "Database size after the build",
            f"{dataset['database_bytes'] / 1024**2:,.0f} MiB",
            "—",
            "none",
            status="n/a",
        )
    for pid in ("P1", "P2"):
        add(
            pid,
            "Province compliance dashboard" if pid == "P1" else "Committee-scope compliance dashboard",
            NOT_YET,
            "—",
            "< 150 ms p95" if pid == "P1" else "≤ 100 ms p95",
            status=f"{NOT_YET} (issue 3/4: meetings, rollups, dashboards)",
        )
    add(
        "P3",
        "Rollup freshness and rebuild",
        NOT_YET,
        "—",
        "≤ 60 s; upsert ≤ 10 ms p95",
        status=f"{NOT_YET} (issue 3/4)",
    )

    member_list = results.get("member_list", {})
    for scope in ("province", "district", "branch"):
        figures = member_list.get(scope)
        if not figures:
            continue
        label = f"{scope} ({figures['org']}, {figures['people']:,} people)"
        add(
            "P4",
            f"`person_list` first page of 50 (SQL + ORM + field decryption, in-process), {label}",
            fmt_latency(figures["page"]),
            f"bare SQL {fmt_latency(figures['raw_page'])}",
            "DB ≤ 10 ms (judged on the whole call)",
            p95("member_list", scope, "page"),
            10,
        )
        add(
            "P4",
            f"`person_list(...).count()`, {label}",
            fmt_latency(figures["count"]),
            f"bare count(*) {fmt_latency(figures['raw_count'])}",
            "≤ 30 ms (province)" if scope == "province" else "≤ 30 ms (province target, applied)",
            p95("member_list", scope, "count"),
            30,
        )
    pages = _get(results, "http", "pages") or {}
    floor = pages.get("anonymous /accounts/login/")
    floor_text = f"login page {fmt_latency(floor)}" if floor else "—"
    for key, stats in pages.items():
        if key.startswith("anonymous"):
            continue
        username, path = key.split(" ", 1)
        is_list = path.startswith("/people/")
        add(
            "P4" if is_list else "P1 (ref.)",
            f"HTTP GET `{path}` as {username} ({stats['queries']} queries, {stats['bytes'] / 1024:,.0f} KiB)",
            fmt_latency(stats),
            floor_text,
            "≤ 100 ms p95 end-to-end" if is_list else "no target yet; P1's 150 ms p95 as reference",
            stats["p95_ms"],
            100 if is_list else 150,
        )
    api = _get(results, "http", "api") or {}
    for username, note in (
        ("bench_viewer", "province reader, masked rows"),
        ("vn_admin", "province administrator: unmasked, 50 sensitive-read audit events per request"),
    ):
        load_result = api.get(username)
        if not load_result:
            continue
        per_cpu = load_result.get("requests_per_server_cpu_second")
        add(
            "P5",
            f"API `{api['path']}` as {username} ({note}); {load_result['threads']} client threads, "
            f"{load_result['seconds']} s, {load_result['errors']} errors",
            f"{fmt_rate(load_result['requests_per_second'], ' req/s')} total "
            f"(p50/p95 {fmt_latency(load_result.get('latency'))}); "
            f"{fmt_rate(per_cpu, ' req')} per server-CPU-second",
            f".values()+json of the same 50 rows in-process {fmt_latency(api.get('baseline_values_json'))}; "
            f"DRF serializer alone {fmt_latency(api.get('baseline_drf_serializer_only'))}",
            "≥ 350 req/s per core (DRF)",
            per_cpu,
            350,
            higher=True,
        )
    scope = results.get("scope", {})
    if "check_cold" in scope:
        add(
            "P6",
            "Scope check `scope_for` + `can`, cold (cache cleared: 1 query)",
            fmt_latency(scope["check_cold"]),
            f"`SELECT 1` round trip {fmt_latency(scope['round_trip_select_1'])}",
            "≤ 1 ms",
            p95("scope", "check_cold"),
            1,
        )
        add(
            "P6",
            "Scope check, warm (cached on the user)",
            fmt_latency(scope["check_warm"]),
            "—",
            "≤ 1 ms",
            p95("scope", "check_warm"),
            1,
        )
    for key, target, limit in (
        ("district_aggregate", "committee ≤ 2 ms", 2),
        ("province_aggregate", "province ≤ 10 ms", 10),
    ):
        figures = scope.get(key)
        if not figures:
            continue
        add(
            "P6",
            f"Subtree aggregate {figures['org']}: count orgs ({figures['orgs']:,}) + members "
            f"({figures['members']:,}), ORM",
            fmt_latency(figures["orm"]),
            f"bare SQL {fmt_latency(figures['raw'])}; orgs only {fmt_latency(figures['raw_orgs_only'])}",
            target,
            p95("scope", key, "orm"),
            limit,
        )
    add(
        "P7",
        "No request aggregates > 10^6 raw rows; national dashboard ≤ 50 ms",
        NOT_YET,
        "—",
        "≤ 50 ms",
        status=f"{NOT_YET} (issue 3/4: rollups)",
    )
    move = results.get("move", {})
    if "move" in move:
        add(
            "P8",
            f"`org_move` of {move['org']} ({move['nodes']:,} nodes) under another province (rolled back)",
            fmt_latency(move["move"]),
            "—",
            "≤ 100 ms (1,001 nodes)",
            p95("move", "move"),
            100,
        )
    add(
        "P8",
        "Merge three provinces (~60 k nodes) offline",
        "not measured (needs three provinces)",
        "—",
        "≤ 10 s",
        status="not measured",
    )
    audit = results.get("audit", {})
    if "append_single" in audit:
        add(
            "P9",
            "Audit append, one event per transaction (`audit_record` + commit)",
            fmt_latency(audit["append_single"]),
            f"plain INSERT + commit {fmt_latency(audit['plain_insert_single'])}",
            "≤ 1 ms p95",
            p95("audit", "append_single"),
            1,
        )
    if "append_batched" in audit:
        batched = audit["append_batched"]
        add(
            "P9",
            f"Audit append rate, {batched['events']:,} events in transactions of {batched['batch']}",
            fmt_rate(batched["events_per_second"], " events/s"),
            "—",
            "≥ 50 events/s",
            batched["events_per_second"],
            50,
            higher=True,
        )
    if "verify" in audit:
        verify = audit["verify"]
        add(
            "P9",
            f"`audit_verify()` over {verify['events']:,} events (extrapolated to 10 M)",
            f"{fmt_rate(verify['events_per_second'], ' events/s')} → 10 M in {verify['extrapolated_10m_seconds']:,.0f} s",
            f"SQL-side sha256 scan {fmt_rate(verify['sql_hash_scan_events_per_second'], ' rows/s')}",
            "10 M ≤ 60 s",
            verify["extrapolated_10m_seconds"],
            60,
        )
    add(
        "P10",
        "SQLite write transactions/s",
        "not measured by `make bench` (PostgreSQL only)",
        "—",
        "≥ 1,000/s",
        status="not measured",
    )
    imported = results.get("roster_import", {})
    if "seconds" in imported:
        add(
            "issue 2",
            f"Roster import (`bench/bench_import.py`) of {imported['rows']:,} rows into {imported['branches']} branches",
            f"{imported['seconds']} s ({fmt_rate(imported['rows_per_second'], ' rows/s')})",
            f"re-import (no changes) {imported['reimport_seconds']} s",
            "110,300 rows < 120 s",
            imported["seconds"] * 110_300 / imported["rows"],
            120,
        )
    return rows


def render_section(results: dict[str, Any]) -> str:
    """The generated Markdown between the markers."""
    machine = results["machine"]
    postgres = results.get("postgresql", {})
    lines = [
        "## Measured by `make bench`",
        "",
        f"Generated by `bench/run.py` on {machine['date_utc']} from commit "
        f"`{machine.get('git_commit', '?')[:12]}`{' (with uncommitted changes)' if machine.get('git_dirty') else ''}: "
        f"{machine.get('nproc')} CPUs ({machine.get('cpu', '?')}), {machine.get('memory_gib', '?')} GiB, "
        f"{postgres.get('version', 'PostgreSQL ?').split(' on ')[0]} with shared_buffers "
        f"{postgres.get('shared_buffers', '?')}, work_mem {postgres.get('work_mem', '?')}, jit "
        f"{postgres.get('jit', '?')}; Python {machine.get('python')}. Load average at start / end "
        f"{machine.get('load_average_at_start', ['?'])[0]} / {machine.get('load_average_at_end', ['?'])[0]} "
        "(other work on the machine adds to every figure). Full figures: `bench/results.json`.",
        "",
        "Timings are p50 / p95 over warm repetitions (in-process around the selector, or end to end over "
        "loopback HTTP against gunicorn with 2 workers × 4 threads). Server, PostgreSQL and the Python "
        "load client share the same cores, so HTTP figures include that contention; the API row also "
        "gives requests per CPU-second of the gunicorn processes, which is what the per-core target is about. "
        "A missed target is written as missed.",
        "",
        harness.markdown_table(
            ["Id", "Figure", "Measured p50 / p95 (or rate)", "Baseline", "Target", "Met?"],
            figure_rows(results, quick=results.get("quick", False)),
        ),
    ]
    if results.get("errors"):
        lines += [
            "",
            "Sections that failed in this run: "
            + "; ".join(f"{k}: {v}" for k, v in results["errors"].items()),
        ]
    return "\n".join(lines)


def print_summary(results: dict[str, Any]) -> None:
    """The figure table as plain text."""
    print()
    print("=" * 100)
    print("SUMMARY")
    for row in figure_rows(results, quick=results.get("quick", False)):
        pid, figure, measured, baseline, target, met = row
        print(f"{pid:<9} {met:<10.10} {figure}")
        print(f"{'':<20} measured {measured} | baseline {baseline} | target {target}")
    if results.get("errors"):
        print("FAILED SECTIONS:", json.dumps(results["errors"], indent=2))


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 %% dataset, fewer repetitions (~2 minutes)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    parser.add_argument(
        "--db",
        help="use this existing, already built database as it is (no create, build or drop; for "
        "developing the bench)",
    )
    parser.add_argument("--skip", action="append", default=[], choices=["http", "audit", "import", "move"])
    parser.add_argument("--output", type=Path, help="results file (default bench/results.json)")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/performance.md")
    parser.add_argument(
        "--render-only",
        type=Path,
        metavar="RESULTS",
        help="rewrite the generated section of docs/performance.md from a results file, measure nothing",
    )
    args = parser.parse_args()
    if args.render_only:
        results = json.loads(args.render_only.read_text())
        DOC.write_text(harness.replace_section(DOC.read_text(), render_section(results)))
        print_summary(results)
        return 0

    plan = QUICK if args.quick else FULL
    output = args.output or ROOT / "bench" / ("results-quick.json" if args.quick else "results.json")
    write_docs = not (args.quick or args.no_docs or args.db)
    database = args.db or f"orglife_bench_{os.getpid()}"
    scratch = Path(tempfile.mkdtemp(prefix="orglife-bench-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "orglife.config.settings",
            "ORGLIFE_DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}",
            "ORGLIFE_SECRET_KEY": os.environ.get("ORGLIFE_SECRET_KEY") or secrets.token_urlsafe(50),
            # The bench signs in with a password only; TOTP is not what is measured.
            "ORGLIFE_REQUIRE_ADMIN_TOTP": "0",
            "ORGLIFE_DEMO": "0",
            "ORGLIFE_DEBUG": "0",
            "ORGLIFE_VAR_DIR": str(scratch / "var"),
            "ORGLIFE_LOG_LEVEL": "WARNING",
        }
    )
    run = Run()
    run.results.update(
        {"quick": args.quick, "plan": asdict(plan), "database": database, "machine": machine_info()}
    )
    log(f"orglife bench ({'quick' if args.quick else 'full'}), database {database}, scratch {scratch}")
    created = False
    try:
        if not args.db:
            pg_command("createdb", database)
            created = True
        import django

        django.setup()
        run.results["postgresql"] = pg_info()
        if args.db:
            with run.section("dataset") as out:
                describe_dataset(out)
        else:
            build_dataset(run, plan)
        if run.results["errors"].get("dataset"):
            raise RuntimeError("the dataset could not be built; nothing to measure")
        measure_member_list(run, plan)
        measure_scope(run, plan)
        if "move" not in args.skip:
            measure_move(run, plan)
        if "http" not in args.skip:
            measure_http(run, plan, scratch)
        if "audit" not in args.skip:
            measure_audit(run, plan)
        if "import" not in args.skip:
            measure_import(run, plan)
        with contextlib.suppress(Exception):
            run.results["dataset"]["database_bytes_at_end"] = database_size()
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if created and not args.keep:
            log(f"dropping {database}")
            with contextlib.suppress(subprocess.CalledProcessError):
                pg_command("dropdb", "--if-exists", "--force", database)
        elif created:
            log(f"kept database {database} (ORGLIFE_DATABASE_URL={os.environ['ORGLIFE_DATABASE_URL']})")
        shutil.rmtree(scratch, ignore_errors=True)

    run.results["total_seconds"] = round(time.perf_counter() - _T0, 1)
    run.results["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    output.write_text(json.dumps(run.results, indent=2, ensure_ascii=False, default=str) + "\n")
    log(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    if write_docs:
        DOC.write_text(harness.replace_section(DOC.read_text(), render_section(run.results)))
        log(f"rewrote the generated section of {DOC.relative_to(ROOT)}")
    print_summary(run.results)
    return 1 if run.results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
