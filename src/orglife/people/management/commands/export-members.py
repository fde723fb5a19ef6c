"""orglife export-members --org CODE --output FILE.xlsx: export a roster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from orglife.orgs.models import Organization
from orglife.people.services_roster import roster_export


class Command(BaseCommand):
    help = "Export the people of an organization's subtree to an .xlsx roster."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="code of the organization to export")
        parser.add_argument("--output", required=True, type=Path, help="the .xlsx file to write")
        parser.add_argument("--as-user", default="", help="export as this user (masking, scope)")
        parser.add_argument(
            "--language",
            default="",
            choices=["", *[code for code, _name in settings.LANGUAGES]],
            help="language of the headings (default: the configured language)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"] or settings.LANGUAGE_CODE)
        org = Organization.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(_("No organization with code “%(code)s”.") % {"code": options["org"]})
        actor = None
        if options["as_user"]:
            actor = get_user_model().objects.filter(username=options["as_user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user “%(name)s”.") % {"name": options["as_user"]})
        try:
            result = roster_export(actor=actor, org=org, destination=options["output"])
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not export %(org)s.") % {"user": options["as_user"], "org": org.code}
            ) from None
        self.stdout.write(
            _("%(rows)s people written to %(path)s (%(masked)s masked).")
            % {"rows": result.rows, "path": options["output"], "masked": result.masked_rows}
        )
