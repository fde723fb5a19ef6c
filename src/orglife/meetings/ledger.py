"""
The yearly ledger (台账 / sổ theo dõi) of a branch or a committee's subtree: one .xlsx.

Three sheets, headings in the active language: every meeting of the year
(one row per meeting), attendance per member per meeting (a matrix), and
resolutions with their follow-up status. Read through the actor's scope,
written with openpyxl in write-only mode, every text cell guarded against
formula injection (the roster export's ``excel_safe``), one
``meetings.ledger`` audit event with counts only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from orglife.access.policy import require
from orglife.access.querysets import subtree_condition
from orglife.access.roles import VIEW
from orglife.audit.services import audit_record
from orglife.meetings.choices import AttendanceStatus, FollowUpStatus
from orglife.meetings.models import Attendance, Meeting, MeetingVersion, Resolution
from orglife.orgs.models import Organization
from orglife.people.roster import excel_safe


@dataclass(frozen=True)
class LedgerResult:
    """What a ledger export wrote."""

    meetings: int
    attendees: int
    resolutions: int


def ledger_meetings(*, actor: Any, org: Organization, year: int) -> QuerySet[Meeting]:
    """The meetings hosted in ``org``'s subtree and planned in ``year`` (local time), in scope."""
    zone = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone)
    meetings = Meeting.objects.visible_to(actor) if actor is not None else Meeting.objects.all()
    prefetches: list[Any] = [
        "types",
        "votes",
        Prefetch("attendance", queryset=Attendance.objects.select_related("branch")),
        Prefetch("resolutions", queryset=Resolution.objects.select_related("follow_up")),
        Prefetch(
            "versions",
            queryset=MeetingVersion.objects.order_by("number").only("meeting_id", "number", "content_hash"),
        ),
    ]
    return (
        meetings.filter(
            subtree_condition("org__path", org.path), planned_start__gte=start, planned_start__lt=end
        )
        .select_related("org")
        .prefetch_related(*prefetches)
        .order_by("planned_start", "pk")
    )


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> Any:
    if isinstance(value, date | datetime) or isinstance(value, int | float) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # stubs omit date
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
    else:
        text = "" if value is None else str(value)
        # Text cells only: a value starting with = + - @ is never a formula.
        cell = WriteOnlyCell(sheet, value=excel_safe(text) if text else None)
        if text:
            cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _row(sheet: Any, values: Sequence[Any], *, bold: bool = False) -> None:
    sheet.append([_cell(sheet, value, bold=bold) for value in values])


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: write local wall-clock time without tzinfo.
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def _votes_summary(meeting: Meeting) -> str:
    votes = list(meeting.votes.all())
    if not votes:
        return ""
    passed = sum(1 for vote in votes if vote.passed)
    tallies = "; ".join(f"{vote.votes_for}/{vote.votes_against}/{vote.abstain}" for vote in votes)
    return _("%(passed)s of %(count)s passed (%(tallies)s)") % {
        "passed": passed,
        "count": len(votes),
        "tallies": tallies,
    }


def _attendance_mark(row: Attendance) -> str:
    if row.status == AttendanceStatus.PRESENT and row.arrived_late_minutes:
        return _("Present, late %(minutes)s min") % {"minutes": row.arrived_late_minutes}
    if row.status == AttendanceStatus.EXCUSED:
        return f"{AttendanceStatus.EXCUSED.label}: {row.excuse_reason}"
    return str(AttendanceStatus(row.status).label)


def meeting_ledger(
    *, actor: Any, org: Organization, year: int, destination: str | Path | IO[bytes]
) -> LedgerResult:
    """
    Write the ledger of ``org``'s subtree for ``year`` to ``destination``
    (``actor`` needs view scope on ``org``; None is the operator's command).
    """
    require(actor, VIEW, org)
    meetings = list(ledger_meetings(actor=actor, org=org, year=year))
    workbook = Workbook(write_only=True)

    # Sheet 1: the meetings.
    sheet = workbook.create_sheet(title=_("Meetings")[:31])
    _row(
        sheet,
        [
            _("Date"),
            _("Branch"),
            _("Types"),
            _("Topic"),
            _("Status"),
            _("Present / expected"),
            _("Excused"),
            _("Absent"),
            _("Duration (minutes)"),
            _("Votes"),
            _("Resolutions"),
            _("Sealed version"),
            _("Content hash"),
        ],
        bold=True,
    )
    for meeting in meetings:
        rows = list(meeting.attendance.all())
        expected = sum(1 for row in rows if row.expected)
        present = sum(1 for row in rows if row.status == AttendanceStatus.PRESENT)
        excused = sum(1 for row in rows if row.status == AttendanceStatus.EXCUSED)
        absent = sum(1 for row in rows if row.status == AttendanceStatus.ABSENT)
        duration = (
            int((meeting.actual_end - meeting.actual_start).total_seconds() // 60)
            if meeting.actual_start and meeting.actual_end
            else None
        )
        versions = list(meeting.versions.all())
        latest = versions[-1] if versions else None
        _row(
            sheet,
            [
                _local(meeting.actual_start or meeting.planned_start),
                f"{meeting.org.code} {meeting.org.name}",
                ", ".join(sorted(item.name for item in meeting.types.all())),
                meeting.topic,
                str(meeting.get_status_display()),
                f"{present}/{expected}",
                excused,
                absent,
                duration,
                _votes_summary(meeting),
                len(meeting.resolutions.all()),
                latest.number if latest else None,
                latest.content_hash if latest else "",
            ],
        )

    # Sheet 2: attendance, one row per person, one column per meeting.
    sheet = workbook.create_sheet(title=_("Attendance")[:31])
    people: dict[int, tuple[str, str]] = {}
    marks: dict[tuple[int, int], str] = {}
    for meeting in meetings:
        for row in meeting.attendance.all():
            people.setdefault(row.person_id, (row.person_name, row.branch.code))
            marks[(row.person_id, meeting.pk)] = _attendance_mark(row)
    _row(
        sheet,
        [
            _("Name"),
            _("Branch"),
            *[f"{_local(m.actual_start or m.planned_start):%Y-%m-%d} {m.topic}"[:80] for m in meetings],
        ],
        bold=True,
    )
    for person_id, (name, branch) in sorted(
        people.items(), key=lambda item: (item[1][1], item[1][0], item[0])
    ):
        _row(sheet, [name, branch, *[marks.get((person_id, meeting.pk), "") for meeting in meetings]])

    # Sheet 3: resolutions and their follow-up.
    sheet = workbook.create_sheet(title=_("Resolutions")[:31])
    _row(
        sheet,
        [
            _("Meeting date"),
            _("Branch"),
            _("Meeting"),
            "#",
            _("Resolution"),
            _("Owner"),
            _("Due on"),
            _("Follow-up status"),
            _("Closed on"),
            _("Outcome"),
        ],
        bold=True,
    )
    resolutions = 0
    for meeting in meetings:
        for resolution in meeting.resolutions.all():
            follow_up = getattr(resolution, "follow_up", None)
            _row(
                sheet,
                [
                    _local(meeting.actual_start or meeting.planned_start),
                    meeting.org.code,
                    meeting.topic,
                    resolution.order,
                    resolution.text,
                    resolution.owner_name,
                    resolution.due_on,
                    str(FollowUpStatus(follow_up.status).label) if follow_up else "",
                    follow_up.closed_on if follow_up else None,
                    follow_up.outcome if follow_up else "",
                ],
            )
            resolutions += 1

    if isinstance(destination, Path):
        destination = str(destination)
    workbook.save(destination)
    result = LedgerResult(meetings=len(meetings), attendees=len(people), resolutions=resolutions)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="meetings.ledger",
            org=org,
            data={"org": org.code, "year": year, "meetings": result.meetings, "resolutions": resolutions},
        )
    return result
