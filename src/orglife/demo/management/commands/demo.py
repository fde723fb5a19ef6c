"""orglife demo --size small|province --jurisdiction cn|vn|both --seed N [--if-empty] [--reset]."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from orglife.demo.build import DEMO_PASSWORD, Login, Summary, build_demo, demo_reset, existing_logins
from orglife.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "Load demo data: an org tree with members, committee posts and one login per persona. "
        "`small` is one province per jurisdiction with about 12 branches and 250 members; "
        "`province` is the Nam Dinh shape (15 districts, 921 grassroots organizations, "
        "4,293 branches, 110,300 members)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "province"], default="small")
        parser.add_argument(
            "--jurisdiction",
            choices=["cn", "vn", "both"],
            default=None,
            help="default: both for small, vn for province",
        )
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same names, IDs and tree")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the logins) when organizations already exist",
        )
        parser.add_argument("--reset", action="store_true", help="delete the existing demo data first")
        # Hidden: shrink the province for tests (0.01 = 1 % of every count).
        parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
        parser.add_argument("--writer", choices=["services", "bulk"], default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        size = options["size"]
        choice = options["jurisdiction"] or ("both" if size == "small" else "vn")
        jurisdictions = ["CN", "VN"] if choice == "both" else [choice.upper()]
        if options["if_empty"] and options["reset"]:
            raise CommandError("Use either --if-empty or --reset, not both.")
        if not 0 < options["scale"] <= 1:
            raise CommandError("--scale must be in (0, 1].")
        existing = Organization.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(f"The database already holds {existing} organizations; no demo data loaded.")
            self._print_logins(existing_logins())
            return
        if options["reset"]:
            removed = demo_reset(progress=self.stdout.write)
            self.stdout.write(f"removed: {removed}")
            existing = Organization.objects.count()
        elif existing:
            raise CommandError(
                f"The database already holds {existing} organizations. Run with --reset to replace the "
                "demo data, or --if-empty to keep what is there."
            )
        clash = Organization.objects.filter(
            code__in=[f"{j}-{'HN' if j == 'CN' else 'ND'}" for j in jurisdictions]
        )
        if clash.exists():
            raise CommandError(f"Organization codes {list(clash.values_list('code', flat=True))} are in use.")
        summary = build_demo(
            size=size,
            jurisdictions=jurisdictions,
            seed=options["seed"],
            today=timezone.localdate(),
            scale=options["scale"],
            writer=options["writer"],
            progress=self.stdout.write,
        )
        self._print_summary(summary)
        self._print_logins(summary.logins)

    def _print_summary(self, summary: Summary) -> None:
        out = self.stdout.write
        out("")
        out("Organizations: " + ", ".join(f"{kind} {n:,}" for kind, n in summary.orgs_by_kind.items()))
        out(
            "People:        " + ", ".join(f"{status} {n:,}" for status, n in summary.people_by_status.items())
        )
        members = sum(
            n for status, n in summary.people_by_status.items() if status in ("probationary", "full")
        )
        out(f"Members:       {members:,} (probationary + full)")
        out(f"Status history rows: {summary.status_changes:,}; committee posts: {summary.posts:,}")
        records = summary.records
        if records.meetings:
            statuses = ", ".join(f"{status} {n:,}" for status, n in sorted(records.by_status.items()))
            out(f"Meetings:      {records.meetings:,} ({statuses}); attendance rows {records.attendance:,}")
            out(
                f"               votes {records.votes:,}, elections {records.elections:,}, "
                f"resolutions {records.resolutions:,}, follow-ups {records.follow_ups:,}, "
                f"seals {records.seal_events:,} ({summary.records_elapsed:.1f} s)"
            )
            out("Deliberate gaps and defects in the records (for compliance checks to find):")
            for defect in records.defects:
                out(f"  {defect.line()}")
        out(f"Elapsed:       {summary.elapsed:.1f} s")

    def _print_logins(self, logins: list[Login]) -> None:
        out = self.stdout.write
        if not logins:
            out("No demo logins found.")
            return
        out("")
        out(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.username) for login in logins)
        for login in logins:
            person = f"  [{login.person}]" if login.person else ""
            out(
                f"  {login.username:<{width}}  {login.role:<19}  {login.org_code:<16} {login.org_name}{person}"
            )
        out(self.style.SUCCESS(f"password: {DEMO_PASSWORD}"))
