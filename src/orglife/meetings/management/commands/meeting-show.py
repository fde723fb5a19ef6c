"""orglife meeting-show ID: one meeting, its record and its sealed versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orglife.meetings.facts import meeting_findings
from orglife.meetings.messages import finding_text
from orglife.meetings.models import MeetingVersion
from orglife.meetings.selectors import meeting_detail_queryset


class Command(BaseCommand):
    help = "Show one meeting: attendance, agenda, resolutions, votes, elections, checks and versions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)
        parser.add_argument("--language", default="", choices=["", *[c for c, _n in settings.LANGUAGES]])

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"] or settings.LANGUAGE_CODE)
        meeting = meeting_detail_queryset().filter(pk=options["id"]).first()
        if meeting is None:
            raise CommandError(_("No meeting %(id)s.") % {"id": options["id"]})
        out = self.stdout.write
        out(f"#{meeting.pk} {meeting.topic}")
        out(f"{_('branch')}: {meeting.org.code} {meeting.org.name}")
        out(f"{_('types')}: {', '.join(sorted(t.name for t in meeting.types.all()))}")
        out(f"{_('status')}: {meeting.get_status_display()}")
        out(f"{_('planned')}: {timezone.localtime(meeting.planned_start):%Y-%m-%d %H:%M}")
        if meeting.actual_start and meeting.actual_end:
            out(
                f"{_('held')}: {timezone.localtime(meeting.actual_start):%Y-%m-%d %H:%M}"
                f"–{timezone.localtime(meeting.actual_end):%H:%M}"
            )
        out(f"{_('attendance')}:")
        for row in meeting.attendance.all():
            vote = "*" if row.voting_right else " "
            out(f"  {vote} {row.person_name}: {row.get_status_display()} {row.excuse_reason}".rstrip())
        for guest in meeting.guests.all():
            out(f"  + {guest.name} ({guest.unit})")
        out(f"{_('agenda')}:")
        for item in meeting.agenda.all():
            out(f"  {item.order}. {item.title}")
        out(f"{_('resolutions')}:")
        for resolution in meeting.resolutions.all():
            out(f"  {resolution.order}. {resolution.text}")
        for vote_row in meeting.votes.all():
            outcome = _("passed") if vote_row.passed else _("not passed")
            out(
                f"{_('vote')} {vote_row.order}: {vote_row.get_kind_display()} {vote_row.subject_name} "
                f"{vote_row.votes_for}/{vote_row.votes_against}/{vote_row.abstain} — {outcome} ({vote_row.rule_id})"
            )
        for election in meeting.elections.all():
            elected = ", ".join(c.name for c in election.candidates.all() if c.elected)
            out(f"{_('election')} {election.title}: {elected or '—'}")
        out(f"{_('checks')}:")
        for finding in meeting_findings(meeting):
            mark = "ok" if finding.passed else finding.strength.upper()
            out(f"  [{mark}] {finding_text(finding)}")
        for version in MeetingVersion.objects.filter(meeting=meeting).order_by("number"):
            reason = f" — {version.amendment_reason}" if version.amendment_reason else ""
            out(
                f"{_('version')} {version.number}: {version.content_hash[:16]}… "
                f"{version.sealed_by_name} {timezone.localtime(version.sealed_at):%Y-%m-%d %H:%M}{reason}"
            )
