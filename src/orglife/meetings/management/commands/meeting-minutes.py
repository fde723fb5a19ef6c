"""orglife meeting-minutes ID --format pdf|docx --output FILE: print the sealed minutes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from orglife.meetings import documents
from orglife.meetings.models import Meeting


class Command(BaseCommand):
    help = "Write the sealed minutes of a meeting as PDF or .docx (operator command: no scope)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)
        parser.add_argument("--format", dest="file_format", choices=documents.FORMATS, default=documents.PDF)
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument(
            "--sealed-version", dest="version_number", type=int, default=None, help="sealed version"
        )
        parser.add_argument("--language", default="", choices=["", *[c for c, _n in settings.LANGUAGES]])

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"] or settings.LANGUAGE_CODE)
        meeting = Meeting.objects.select_related("org").filter(pk=options["id"]).first()
        if meeting is None:
            raise CommandError(_("No meeting %(id)s.") % {"id": options["id"]})
        try:
            result = documents.minutes_export(
                actor=None,
                meeting=meeting,
                file_format=options["file_format"],
                version_number=options["version_number"],
            )
        except documents.MeetingNotSealed as refusal:
            raise CommandError(str(refusal)) from None
        Path(options["output"]).write_bytes(result.content)
        self.stdout.write(
            _("Wrote %(path)s: version %(version)s, verification code %(code)s.")
            % {
                "path": options["output"],
                "version": result.version.number,
                "code": documents.verification_code(result.version.content_hash),
            }
        )
