"""orglife backup --output FILE: a consistent copy of the database plus a manifest."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from orglife.common.backup import backup_write, manifest_path


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup API, or pg_dump -Fc on PostgreSQL) "
        "and write FILE.manifest.json with row counts and the audit chain head. "
        "Back up ORGLIFE_FIELD_KEY / ORGLIFE_SECRET_KEY separately: encrypted fields need them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="default: var/backups/orglife-<time>.backup"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["output"] or settings.VAR_DIR / "backups" / (
            "orglife-" + timezone.now().strftime("%Y%m%dT%H%M%SZ") + ".backup"
        )
        manifest = backup_write(path=path)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"backup written to {path} ({rows} rows in {len(manifest['counts'])} tables, "
            f"audit head #{manifest['audit_head_seq']}); manifest {manifest_path(path)}"
        )
