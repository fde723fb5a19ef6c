"""Turn a meeting's rows into the plain facts ``meetings.rules`` checks."""

from __future__ import annotations

from orglife.meetings.choices import AttendanceStatus
from orglife.meetings.models import AgendaItem, Attendance, Election, Meeting, Resolution
from orglife.meetings.rules import ElectionFacts, Finding, MeetingFacts, check_meeting


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    """The facts of ``meeting`` (already authorized by the caller)."""
    attendance = Attendance._base_manager.filter(meeting=meeting)
    voting = attendance.filter(voting_right=True, expected=True)
    duration = None
    if meeting.actual_start is not None and meeting.actual_end is not None:
        duration = int((meeting.actual_end - meeting.actual_start).total_seconds() // 60)
    return MeetingFacts(
        jurisdiction=meeting.org.jurisdiction,
        type_codes=frozenset(meeting.types.values_list("code", flat=True)),
        voting_expected=voting.count(),
        voting_present=voting.filter(status=AttendanceStatus.PRESENT).count(),
        pending_attendance=attendance.filter(expected=True, status=AttendanceStatus.PENDING).count(),
        has_minutes=bool(meeting.minutes.strip()),
        agenda_items=AgendaItem._base_manager.filter(meeting=meeting).count(),
        resolutions=Resolution._base_manager.filter(meeting=meeting).count(),
        has_first_item=AgendaItem._base_manager.filter(meeting=meeting, is_first_item=True).exists(),
        duration_minutes=duration,
        elections=tuple(
            ElectionFacts(should_attend=row.should_attend, present_voters=row.present_voters)
            for row in Election._base_manager.filter(meeting=meeting).order_by("order")
        ),
    )


def meeting_findings(meeting: Meeting) -> list[Finding]:
    """Every finalization check on ``meeting``."""
    return check_meeting(meeting_facts(meeting))
