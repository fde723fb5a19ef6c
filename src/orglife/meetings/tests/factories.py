"""Test helpers for meetings: members, a VN branch and meetings in each state."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from orglife.meetings import services
from orglife.meetings.models import Meeting
from orglife.orgs.models import Organization
from orglife.orgs.services import org_create
from orglife.people.models import Person


def add_members(
    org: Organization, *, full: int = 0, probationary: int = 0, candidates: int = 0, prefix: str = ""
) -> list[Person]:
    """Create people in ``org`` (direct rows: the people services are tested elsewhere)."""
    prefix = prefix or org.code
    people = []
    for index in range(full):
        people.append(
            Person.objects.create(
                org=org,
                full_name=f"{prefix} full {index:02d}",
                status="full",
                joined_on=date(2000, 1, 1),
                converted_on=date(2001, 1, 1),
            )
        )
    for index in range(probationary):
        people.append(
            Person.objects.create(
                org=org,
                full_name=f"{prefix} probationary {index:02d}",
                status="probationary",
                joined_on=date(2025, 1, 1),
            )
        )
    for index in range(candidates):
        people.append(
            Person.objects.create(org=org, full_name=f"{prefix} candidate {index:02d}", status="candidate")
        )
    return people


def vn_branch() -> Organization:
    """A VN province with one chi bộ."""
    province = org_create(
        actor=None, parent=None, code="VP", name="Tỉnh ủy", kind="province_committee", jurisdiction="VN"
    )
    branch = org_create(actor=None, parent=province, code="VB1", name="Chi bộ 1", kind="grassroots_branch")
    return Organization.objects.get(pk=branch.pk)


def moment(days_ago: int = 2, hour: int = 19, minute: int = 0) -> datetime:
    """An aware time ``days_ago`` days before now."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def plan(
    org: Organization, *, types: tuple[str, ...] = ("general_meeting",), actor: Any = None, **extra: Any
) -> Meeting:
    """A planned meeting two days ago, 19:00–21:00."""
    return services.meeting_plan(
        actor=actor,
        org=org,
        topic=extra.pop("topic", "学习贯彻会议精神"),
        type_codes=types,
        planned_start=moment(),
        planned_end=moment(hour=21),
        **extra,
    )


def everyone(meeting: Meeting, status: str = "present") -> list[dict[str, Any]]:
    """Roll-call entries marking every expected attendee with ``status``."""
    return [{"person": row.person_id, "status": status} for row in meeting.attendance.all()]


def ready_to_finalize(
    org: Organization, *, actor: Any = None, types: tuple[str, ...] = ("general_meeting",), minutes: int = 120
) -> Meeting:
    """A held meeting with everyone present, an agenda with a first item and one resolution."""
    meeting = plan(org, types=types, actor=actor)
    start = moment()
    meeting = services.meeting_record_held(
        actor=actor, meeting=meeting, actual_start=start, actual_end=start + timedelta(minutes=minutes)
    )
    services.attendance_record(actor=actor, meeting=meeting, entries=everyone(meeting))
    meeting = services.agenda_set(
        actor=actor,
        meeting=meeting,
        items=[
            {"title": "学习最新中央文件（第一议题）", "is_first_item": True},
            {"title": "讨论本月工作", "discussion": "大家发言"},
        ],
        minutes="会议记录",
    )
    services.resolution_add(
        actor=actor,
        meeting=meeting,
        text="完成道路硬化",
        owner_name="书记",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    return Meeting.objects.get(pk=meeting.pk)


def sealed(org: Organization, *, actor: Any = None) -> Meeting:
    """A sealed meeting (version 1)."""
    meeting = ready_to_finalize(org, actor=actor)
    meeting, _findings = services.meeting_finalize(actor=actor, meeting=meeting)
    return meeting
