"""orglife audit-checkpoint [--output FILE]: anchor the chain head outside the database."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from orglife.audit.services import audit_checkpoint_write


class Command(BaseCommand):
    help = (
        "Write the audit chain head (sequence, hash, count, time) to a file kept "
        "outside the database; verify-audit then detects a truncated tail. Copy "
        "the file to another machine or print it with the minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="default: var/audit-checkpoint.json")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["output"] or settings.VAR_DIR / "audit-checkpoint.json"
        checkpoint = audit_checkpoint_write(path=path)
        self.stdout.write(
            f"checkpoint written to {path}: head #{checkpoint['head_seq']} {checkpoint['head_hash']}"
        )
