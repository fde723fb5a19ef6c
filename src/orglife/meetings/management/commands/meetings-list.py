"""orglife meetings-list --org CODE [--year 2026]: the meetings of a subtree as a table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orglife.access.querysets import subtree_condition
from orglife.meetings.choices import AttendanceStatus
from orglife.meetings.models import Meeting
from orglife.orgs.models import Organization


class Command(BaseCommand):
    help = "List the meetings hosted in an organization's subtree (operator command: no scope)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="code of the organization")
        parser.add_argument("--year", type=int, default=None, help="planned in this year")
        parser.add_argument("--language", default="", choices=["", *[c for c, _n in settings.LANGUAGES]])

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"] or settings.LANGUAGE_CODE)
        org = Organization.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(_("No organization with code “%(code)s”.") % {"code": options["org"]})
        meetings = (
            Meeting.objects.filter(subtree_condition("org__path", org.path))
            .select_related("org")
            .prefetch_related("types")
            .annotate(
                expected=Count("attendance", filter=Q(attendance__expected=True)),
                present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
            )
            .order_by("planned_start", "pk")
        )
        if options["year"]:
            zone = timezone.get_current_timezone()
            start = datetime(options["year"], 1, 1, tzinfo=zone)
            end = datetime(options["year"] + 1, 1, 1, tzinfo=zone)
            meetings = meetings.filter(planned_start__gte=start, planned_start__lt=end)
        rows = [(_("id"), _("date"), _("branch"), _("status"), _("present"), _("types"), _("topic"))]
        for meeting in meetings:
            day: date = timezone.localtime(meeting.planned_start).date()
            rows.append(
                (
                    str(meeting.pk),
                    day.isoformat(),
                    meeting.org.code,
                    str(meeting.get_status_display()),
                    f"{meeting.present}/{meeting.expected}",
                    ", ".join(sorted(t.name for t in meeting.types.all())),
                    meeting.topic,
                )
            )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [str(cell).ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
            self.stdout.write("  ".join([*cells, str(row[-1])]))
        self.stdout.write(_("%(count)s meetings.") % {"count": len(rows) - 1})
