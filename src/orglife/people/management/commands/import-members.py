"""orglife import-members FILE.xlsx --org CODE [--dry-run]: import a roster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from orglife.orgs.models import Organization
from orglife.people.services_roster import RosterReport, roster_import


def resolve_actor(username: str | None) -> Any:
    """The user named by ``--as-user``, or None (the system)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active user “%(name)s”.") % {"name": username})
    return user


def write_report(command: BaseCommand, report: RosterReport) -> None:
    """Print the error table and the summary line."""
    if report.errors:
        command.stdout.write("\t".join([_("Sheet"), _("Row"), _("Column"), _("Value"), _("Reason")]))
        for error in report.errors:
            command.stdout.write(
                "\t".join([error.sheet, str(error.row), error.column, error.value, error.message])
            )
        if report.error_count > len(report.errors):
            command.stdout.write(
                _("… and %(count)s more errors.") % {"count": report.error_count - len(report.errors)}
            )
    for column in report.ignored_columns:
        command.stderr.write(_("Ignored column: %(column)s") % {"column": column})
    command.stdout.write(
        _(
            "rows: %(rows)s, created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, errors: %(errors)s"
        )
        % {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": report.error_count,
        }
    )


class Command(BaseCommand):
    help = "Import a roster (.xlsx) into an organization's subtree; nothing is written if any row is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the roster, an .xlsx workbook")
        parser.add_argument("--org", required=True, help="code of the organization to import into")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--as-user", default="", help="act as this user (default: the system)")
        parser.add_argument(
            "--language",
            default="",
            choices=["", *[code for code, _name in settings.LANGUAGES]],
            help="language of the report (default: the configured language)",
        )
        parser.add_argument("--progress-every", type=int, default=10000, help="report progress every N rows")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"] or settings.LANGUAGE_CODE)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        org = Organization.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(_("No organization with code “%(code)s”.") % {"code": options["org"]})
        actor = resolve_actor(options["as_user"])

        def progress(stage: str, done: int) -> None:
            self.stderr.write(_("%(stage)s: %(done)s rows") % {"stage": stage, "done": done})

        try:
            report = roster_import(
                actor=actor,
                org=org,
                source=path,
                dry_run=options["dry_run"],
                progress=progress if options["verbosity"] >= 1 else None,
                progress_every=max(1, options["progress_every"]),
            )
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not import into %(org)s.") % {"user": options["as_user"], "org": org.code}
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            write_report(self, report)
        if not report.ok:
            raise CommandError(
                _("The roster was refused with %(count)s errors; nothing was written.")
                % {"count": report.error_count}
            )
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
