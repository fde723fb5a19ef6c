"""
Benchmark the roster import at province scale (issue item 7).

Generates a CN roster .xlsx (valid resident IDs with check digits) spread
over the branches of a tree it creates, imports it into the configured
database (ORGLIFE_DATABASE_URL, SQLite by default) as the system, imports it
again (which must change nothing) and prints the figures as JSON:

    .venv/bin/python bench/bench_import.py --rows 110300

The target is 110,300 rows in under 2 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orglife.config.settings")
os.environ.setdefault("ORGLIFE_SECRET_KEY", "bench-only-secret-key-0123456789abcdef")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from orglife.orgs.models import Organization  # noqa: E402
from orglife.orgs.services import org_create  # noqa: E402
from orglife.people.idnumbers import cn_check_digit  # noqa: E402
from orglife.people.services_roster import roster_import  # noqa: E402

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红梅玉婷宇浩鹏飞斌辉"
EDUCATION = ["大学本科", "大专", "硕士研究生", "高中", "中专"]
HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号码",
    "学历",
    "籍贯",
    "工作单位",
    "入党时间",
    "转正时间",
    "所在党支部",
    "联系电话",
]


def build_tree(*, prefix: str, districts: int, branches: int) -> tuple[Organization, list[str]]:
    """A CN province with ``districts`` districts and ``branches`` branches in all."""
    province = org_create(
        actor=None,
        parent=None,
        code=prefix,
        name=f"基准省委{prefix}",
        kind="province_committee",
        jurisdiction="CN",
    )
    district_orgs = [
        org_create(
            actor=None,
            parent=province,
            code=f"{prefix}-D{number:02d}",
            name=f"基准第{number}县委",
            kind="district_committee",
        )
        for number in range(1, districts + 1)
    ]
    codes = []
    for number in range(1, branches + 1):
        parent = Organization.objects.get(pk=district_orgs[number % districts].pk)
        code = f"{prefix}-B{number:04d}"
        org_create(actor=None, parent=parent, code=code, name=f"基准第{number}党支部", kind="branch")
        codes.append(code)
    return Organization.objects.get(pk=province.pk), codes


def write_roster(path: Path, *, rows: int, branch_codes: list[str], seed: int) -> None:
    """A write-only workbook of ``rows`` valid, distinct members."""
    rng = random.Random(seed)
    region = f"{rng.randint(11, 65)}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(HEADERS)
    first_birth = date(1940, 1, 1)
    span = 18000  # days: births from 1940 to 1989
    for number in range(rows):
        born = first_birth + timedelta(days=number % span)
        male = rng.random() < 0.6
        sequence = (number // span) * 2 + (1 if male else 0)
        first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
        joined = born + timedelta(days=365 * rng.randint(22, 30) + rng.randint(0, 300))
        converted = joined + timedelta(days=365)
        sheet.append(
            [
                number + 1,
                rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else ""),
                "男" if male else "女",
                "汉族",
                born,
                first17 + cn_check_digit(first17),
                rng.choice(EDUCATION),
                "江苏南京",
                f"第{number % 977}单位",
                joined,
                converted if rng.random() < 0.9 else None,
                branch_codes[number % len(branch_codes)],
                f"13{rng.randint(0, 999999999):09d}",
            ]
        )
    workbook.save(path)


def main() -> None:
    """Generate, import twice, print the timings as JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=110300)
    parser.add_argument("--branches", type=int, default=500)
    parser.add_argument("--districts", type=int, default=15)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--file", type=Path, help="reuse or keep the generated roster here")
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args()

    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    prefix = f"BENCH{args.seed % 10**8}"
    started = time.perf_counter()
    org, codes = build_tree(prefix=prefix, districts=args.districts, branches=args.branches)
    tree_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as scratch:
        path = args.file or Path(scratch) / "roster.xlsx"
        started = time.perf_counter()
        if not path.exists():
            write_roster(path, rows=args.rows, branch_codes=codes, seed=args.seed)
        generate_seconds = time.perf_counter() - started

        started = time.perf_counter()
        report = roster_import(actor=None, org=org, source=path)
        seconds = time.perf_counter() - started
        if not report.ok:
            for error in report.errors[:20]:
                print(error.as_dict(), file=sys.stderr)
            raise SystemExit(f"import refused with {report.error_count} errors")

        started = time.perf_counter()
        again = roster_import(actor=None, org=org, source=path)
        reimport_seconds = time.perf_counter() - started

    print(
        json.dumps(
            {
                "rows": report.rows,
                "seconds": round(seconds, 2),
                "rows_per_second": round(report.rows / seconds) if seconds else None,
                "created": report.created,
                "reimport_seconds": round(reimport_seconds, 2),
                "reimport_created": again.created,
                "reimport_updated": again.updated,
                "reimport_unchanged": again.unchanged,
                "database": connection.vendor,
                "branches": len(codes),
                "tree_seconds": round(tree_seconds, 2),
                "generate_seconds": round(generate_seconds, 2),
                "cpus": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
