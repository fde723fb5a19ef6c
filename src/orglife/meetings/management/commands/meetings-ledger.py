"""orglife meetings-ledger --org CODE --year YYYY --output FILE.xlsx: the yearly ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from orglife.meetings.ledger import meeting_ledger
from orglife.orgs.models import Organization


class Command(BaseCommand):
    help = "Write the yearly ledger (meetings, attendance, resolutions) of a subtree (operator command)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="code of the organization")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", required=True, help=".xlsx file to write")
        parser.add_argument("--language", default="", choices=["", *[c for c, _n in settings.LANGUAGES]])

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"] or settings.LANGUAGE_CODE)
        org = Organization.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(_("No organization with code “%(code)s”.") % {"code": options["org"]})
        result = meeting_ledger(
            actor=None, org=org, year=options["year"], destination=Path(options["output"])
        )
        self.stdout.write(
            _("Wrote %(path)s: %(meetings)s meetings, %(people)s attendees, %(resolutions)s resolutions.")
            % {
                "path": options["output"],
                "meetings": result.meetings,
                "people": result.attendees,
                "resolutions": result.resolutions,
            }
        )
