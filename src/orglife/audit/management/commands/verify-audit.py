"""orglife verify-audit [--checkpoint FILE]: recompute the audit chain."""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from orglife.audit.services import audit_checkpoint_read, audit_verify


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit trail and the seals of sealed records. "
        "Exits 1 and names the first broken event when a row was edited, deleted or "
        "reordered, or when the chain no longer reaches the checkpoint (tail "
        "truncated), and names every sealed record (meeting and version) whose "
        "current rows no longer match its seal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            type=Path,
            default=None,
            help="checkpoint file written by audit-checkpoint (default: var/audit-checkpoint.json if present)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["checkpoint"]
        if path is None:
            default = settings.VAR_DIR / "audit-checkpoint.json"
            path = default if default.exists() else None
        checkpoint = audit_checkpoint_read(path=path) if path is not None else None
        result = audit_verify(checkpoint=checkpoint)
        if result.ok:
            against = f", consistent with checkpoint {path}" if path else ""
            self.stdout.write(
                f"audit chain intact: {result.count} events, head #{result.head_seq} {result.head_hash}{against}"
            )
            return
        if not result.chain_ok:
            self.stderr.write(f"audit chain BROKEN at event #{result.broken_seq}: {result.reason}")
            self.stderr.write(f"events verified before the break: {result.count}")
        else:
            self.stderr.write(f"audit chain intact: {result.count} events, head #{result.head_seq}")
        for problem in result.seal_problems:
            self.stderr.write(f"seal BROKEN: {problem}")
        sys.exit(1)
