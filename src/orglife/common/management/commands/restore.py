"""orglife restore FILE: restore a backup into an empty database and prove it complete."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from orglife.audit.services import audit_verify
from orglife.common.backup import backup_restore, database_is_empty, table_counts


class Command(BaseCommand):
    help = (
        "Restore a backup written by `orglife backup` into the configured database, which "
        "must be empty (freshly migrated or new) unless --force is given. Afterwards the "
        "row counts are compared with the manifest and the audit chain is verified; "
        "exit status 1 when either differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="overwrite a database that holds data")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        tables = connection.introspection.table_names()
        if tables and "orgs_organization" in tables and not database_is_empty() and not options["force"]:
            raise CommandError("the database already holds data; restore into an empty one or pass --force")
        manifest = backup_restore(path=path)
        counts = table_counts()
        differences = {
            table: (expected, counts.get(table))
            for table, expected in manifest["counts"].items()
            if counts.get(table) != expected
        }
        verification = audit_verify(
            checkpoint={
                "head_seq": manifest["audit_head_seq"],
                "head_hash": manifest["audit_head_hash"] or "0" * 64,
                "count": manifest["audit_head_seq"],
                "written_at": manifest["written_at"],
            }
        )
        if differences:
            for table, (expected, found) in differences.items():
                self.stderr.write(f"{table}: backup had {expected} rows, restored {found}")
        if not verification.ok:
            self.stderr.write(f"audit chain after restore: {verification.reason}")
        if differences or not verification.ok:
            sys.exit(1)
        self.stdout.write(
            f"restored {sum(counts.values())} rows in {len(counts)} tables; "
            f"audit chain intact ({verification.count} events)"
        )
