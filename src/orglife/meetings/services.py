"""
Every write to meeting records (ADR 0006).

Each service checks ``manage_meetings`` on the host branch, runs in one
transaction and appends one audit event. Content writes are refused once a
meeting is sealed; :func:`meeting_amend` is the only way to change sealed
content, and it re-seals the meeting as the next version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from orglife.access.policy import require
from orglife.access.roles import MANAGE_MEETINGS
from orglife.access.scope import can
from orglife.audit.services import audit_record
from orglife.meetings import rules
from orglife.meetings.activity_types import COMMITTEE_MEETING
from orglife.meetings.choices import (
    OPEN_FOLLOW_UP_STATUSES,
    PERSON_VOTE_KINDS,
    AttendanceStatus,
    FollowUpStatus,
    MeetingStatus,
    VoteKind,
)
from orglife.meetings.facts import meeting_findings
from orglife.meetings.messages import finding_text, message_for
from orglife.meetings.models import (
    ActivityType,
    AgendaItem,
    Attendance,
    Election,
    ElectionCandidate,
    FollowUpItem,
    GuestAttendee,
    Meeting,
    MeetingJointBranch,
    MeetingVersion,
    Resolution,
    Vote,
)
from orglife.meetings.sealing import content_diff, content_hash, meeting_content
from orglife.orgs.choices import BRANCH_KINDS, OrgKind
from orglife.orgs.models import Organization
from orglife.people.choices import MEMBER_STATUSES, MembershipStatus
from orglife.people.models import Person

PLAN_FIELDS = ("topic", "planned_start", "planned_end", "place", "online_link", "invited_upper_level")
AMENDABLE_FIELDS = (
    "topic",
    "place",
    "online_link",
    "invited_upper_level",
    "actual_start",
    "actual_end",
    "minutes",
)
AMENDABLE_PARTS = frozenset({"fields", "attendance", "agenda", "guests", "resolutions"})
HOST_KINDS = BRANCH_KINDS | {OrgKind.GENERAL_BRANCH}


class MeetingChecksFailed(ValidationError):
    """Finalization refused: ``findings`` are the failed rules that stop it."""

    def __init__(self, findings: Sequence[rules.Finding], all_findings: Sequence[rules.Finding]) -> None:
        super().__init__({"findings": [finding_text(finding) for finding in findings]})
        self.findings = list(findings)
        self.all_findings = list(all_findings)


# ------------------------------------------------------------------ helpers


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _check_aware(field: str, value: datetime | None) -> None:
    if value is not None and timezone.is_naive(value):
        raise _error(field, _("Give the time with its time zone."))


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked for the rest of the transaction."""
    return Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)


def _check_version(meeting: Meeting, expected_version: int | None) -> None:
    """Optimistic locking: refuse when someone else changed the meeting meanwhile."""
    if expected_version is not None and expected_version != meeting.version:
        raise _error("version", _("Someone else changed this meeting meanwhile; reload and try again."))


def _check_writable(meeting: Meeting) -> None:
    """Refuse content writes to sealed and cancelled meetings."""
    if meeting.status == MeetingStatus.SEALED:
        raise _error("status", message_for("sealed"))
    if meeting.status == MeetingStatus.CANCELLED:
        raise _error("status", _("The meeting is cancelled."))


def _participating_branches(meeting: Meeting) -> list[Organization]:
    joint = (
        MeetingJointBranch.objects.filter(meeting=meeting).select_related("branch").order_by("branch__path")
    )
    return [meeting.org, *(row.branch for row in joint)]


def _types_for(org: Organization, codes: Iterable[str]) -> list[ActivityType]:
    codes = sorted(set(codes))
    if not codes:
        raise _error("types", _("Choose at least one type."))
    found = list(ActivityType.objects.filter(jurisdiction=org.jurisdiction, code__in=codes, is_active=True))
    missing = sorted(set(codes) - {item.code for item in found})
    if missing:
        raise _error(
            "types",
            _("Unknown meeting types for this jurisdiction: %(codes)s.") % {"codes": ", ".join(missing)},
        )
    return found


def _check_times(start: datetime, end: datetime, *, prefix: str) -> None:
    _check_aware(f"{prefix}_start", start)
    _check_aware(f"{prefix}_end", end)
    if end <= start:
        raise _error(f"{prefix}_end", _("The end must be after the start."))


def _expected_people(host: Organization, joint: Sequence[Organization], type_codes: set[str]) -> list[Person]:
    """
    Current members (probationary and full) of the host and joint branches;
    a committee meeting alone expects the host's current committee members.
    """
    if type_codes == {COMMITTEE_MEETING}:
        today = timezone.localdate()
        holders = Person.objects.filter(
            posts__org=host, posts__ended_on__isnull=True, posts__term_end__gte=today
        ).distinct()
        if holders.exists():
            return list(holders.filter(status__in=MEMBER_STATUSES).order_by("full_name", "pk"))
    branches = [host, *joint]
    return list(
        Person.objects.filter(org__in=branches, status__in=MEMBER_STATUSES).order_by("full_name", "pk")
    )


def _attendance_row(meeting: Meeting, person: Person, *, expected: bool) -> Attendance:
    return Attendance(
        meeting=meeting,
        person=person,
        person_name=person.full_name,
        branch_id=person.org_id,
        expected=expected,
        voting_right=person.status == MembershipStatus.FULL,
    )


# ------------------------------------------------------------------- plan


@transaction.atomic
def meeting_plan(
    *,
    actor: Any,
    org: Organization,
    topic: str,
    type_codes: Iterable[str],
    planned_start: datetime,
    planned_end: datetime,
    place: str = "",
    online_link: str = "",
    invited_upper_level: str = "",
    joint_branches: Sequence[Organization] = (),
) -> Meeting:
    """
    Plan a meeting of branch ``org`` and pre-fill the expected attendees
    from the roster of the host and joint branches.
    """
    require(actor, MANAGE_MEETINGS, org)
    if org.kind not in HOST_KINDS or not org.is_active:
        raise _error("org", _("Meetings are held by active branches."))
    if not topic.strip():
        raise _error("topic", _("Give the topic."))
    types = _types_for(org, type_codes)
    _check_times(planned_start, planned_end, prefix="planned")
    joint = list({branch.pk: branch for branch in joint_branches if branch.pk != org.pk}.values())
    for branch in joint:
        visible = actor is None or can(actor, "view", branch)
        if not visible or branch.kind not in HOST_KINDS or not branch.is_active:
            raise _error("joint_branches", _("“%(code)s” cannot join this meeting.") % {"code": branch.code})
        if branch.jurisdiction != org.jurisdiction:
            raise _error("joint_branches", _("Joint branches must be in the same jurisdiction."))
    meeting = Meeting.objects.create(
        org=org,
        topic=topic.strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        place=place,
        online_link=online_link,
        invited_upper_level=invited_upper_level,
        created_by=actor if actor is not None else None,
    )
    meeting.types.set(types)
    MeetingJointBranch.objects.bulk_create([MeetingJointBranch(meeting=meeting, branch=b) for b in joint])
    people = _expected_people(org, joint, {item.code for item in types})
    Attendance.objects.bulk_create([_attendance_row(meeting, person, expected=True) for person in people])
    audit_record(
        actor=actor,
        action="meetings.plan",
        target=meeting,
        org=org,
        data={
            "types": sorted(item.code for item in types),
            "joint_branches": sorted(branch.code for branch in joint),
            "expected": len(people),
            "planned_start": planned_start,
        },
    )
    return meeting


@transaction.atomic
def meeting_update_plan(
    *,
    actor: Any,
    meeting: Meeting,
    expected_version: int | None = None,
    type_codes: Iterable[str] | None = None,
    **changes: Any,
) -> Meeting:
    """Change the plan (topic, times, place, link, invited, types) before sealing."""
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    _check_version(meeting, expected_version)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    changed = sorted(name for name, value in changes.items() if getattr(meeting, name) != value)
    for name in changed:
        setattr(meeting, name, changes[name])
    _check_times(meeting.planned_start, meeting.planned_end, prefix="planned")
    if type_codes is not None:
        types = _types_for(meeting.org, type_codes)
        if {item.pk for item in types} != set(meeting.types.values_list("pk", flat=True)):
            meeting.types.set(types)
            changed.append("types")
    meeting.version += 1
    meeting.save()
    audit_record(
        actor=actor, action="meetings.update", target=meeting, org=meeting.org, data={"fields": changed}
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting, with the reason."""
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise _error("status", _("Only a planned meeting can be cancelled."))
    if not reason.strip():
        raise _error("reason", _("Give the reason."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.version += 1
    meeting.save()
    audit_record(
        actor=actor, action="meetings.cancel", target=meeting, org=meeting.org, data={"reason": reason}
    )
    return meeting


# ----------------------------------------------------------- hold & record


def _apply_held(meeting: Meeting, actual_start: datetime, actual_end: datetime) -> None:
    _check_times(actual_start, actual_end, prefix="actual")
    if actual_start > timezone.now():
        raise _error("actual_start", _("A meeting cannot be recorded as held in the future."))
    meeting.actual_start = actual_start
    meeting.actual_end = actual_end
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD


@transaction.atomic
def meeting_record_held(
    *,
    actor: Any,
    meeting: Meeting,
    actual_start: datetime,
    actual_end: datetime,
    expected_version: int | None = None,
) -> Meeting:
    """Record that the meeting took place, with its actual start and end."""
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    _check_version(meeting, expected_version)
    _apply_held(meeting, actual_start, actual_end)
    meeting.version += 1
    meeting.save()
    audit_record(
        actor=actor,
        action="meetings.held",
        target=meeting,
        org=meeting.org,
        data={"actual_start": actual_start, "actual_end": actual_end},
    )
    return meeting


def _apply_attendance(meeting: Meeting, entries: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    rows = {row.person_id: row for row in Attendance.objects.filter(meeting=meeting)}
    branch_ids = {branch.pk for branch in _participating_branches(meeting)}
    seen: set[int] = set()
    for entry in entries:
        person_id = int(entry["person"])
        if person_id in seen:
            raise _error("attendance", _("Person %(id)s appears twice.") % {"id": person_id})
        seen.add(person_id)
        status = entry.get("status", AttendanceStatus.PRESENT)
        if status not in AttendanceStatus.values:
            raise _error("attendance", _("“%(value)s” is not an attendance status.") % {"value": status})
        reason = str(entry.get("excuse_reason") or "").strip()
        if status == AttendanceStatus.EXCUSED and not reason:
            raise _error("attendance", _("An excused absence needs its reason."))
        late = int(entry.get("arrived_late_minutes") or 0)
        if late < 0 or (late and status != AttendanceStatus.PRESENT):
            raise _error("attendance", _("Only someone present can arrive late."))
        row = rows.get(person_id)
        if row is None:
            person = Person.objects.filter(pk=person_id, org_id__in=branch_ids).first()
            if person is None:
                raise _error(
                    "attendance",
                    _("Person %(id)s is not a member of the participating branches.") % {"id": person_id},
                )
            row = _attendance_row(meeting, person, expected=False)
            rows[person_id] = row
        row.status = status
        row.excuse_reason = reason if status != AttendanceStatus.PRESENT else ""
        row.arrived_late_minutes = late
        row.save()
    counts: dict[str, int] = {}
    for row in rows.values():
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


@transaction.atomic
def attendance_record(
    *, actor: Any, meeting: Meeting, entries: Sequence[Mapping[str, Any]]
) -> dict[str, int]:
    """
    Record the roll call: ``entries`` of ``{"person": id, "status": …,
    "excuse_reason": …, "arrived_late_minutes": …}``. Members of the
    participating branches who were not expected are added. Returns the
    count per status.
    """
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    counts = _apply_attendance(meeting, entries)
    audit_record(
        actor=actor,
        action="meetings.attendance",
        target=meeting,
        org=meeting.org,
        data={"entries": len(entries), "counts": counts},
    )
    return counts


def _apply_guests(meeting: Meeting, guests: Sequence[Mapping[str, Any]], *, replace: bool) -> None:
    if replace:
        GuestAttendee.objects.filter(meeting=meeting).delete()
    for guest in guests:
        name = str(guest.get("name") or "").strip()
        if not name:
            raise _error("guests", _("A guest needs a name."))
        GuestAttendee.objects.create(
            meeting=meeting,
            name=name,
            unit=str(guest.get("unit") or ""),
            is_upper_level=bool(guest.get("is_upper_level")),
        )


@transaction.atomic
def guest_add(
    *, actor: Any, meeting: Meeting, name: str, unit: str = "", is_upper_level: bool = False
) -> GuestAttendee:
    """Add a guest (an upper-level leader, a speaker) to the attendance."""
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    _apply_guests(meeting, [{"name": name, "unit": unit, "is_upper_level": is_upper_level}], replace=False)
    guest = GuestAttendee.objects.filter(meeting=meeting).latest("pk")
    audit_record(
        actor=actor,
        action="meetings.guest_add",
        target=meeting,
        org=meeting.org,
        data={"is_upper_level": is_upper_level},
    )
    return guest


def _apply_agenda(meeting: Meeting, items: Sequence[Mapping[str, Any]] | None, minutes: str | None) -> None:
    if items is not None:
        existing = {item.order: item for item in AgendaItem.objects.filter(meeting=meeting)}
        for order, entry in enumerate(items, start=1):
            title = str(entry.get("title") or "").strip()
            if not title:
                raise _error("agenda", _("Every agenda item needs a title."))
            item = existing.pop(order, None) or AgendaItem(meeting=meeting, order=order)
            item.title = title
            item.is_first_item = bool(entry.get("is_first_item"))
            item.discussion = str(entry.get("discussion") or "")
            item.save()
        if sum(1 for entry in items if entry.get("is_first_item")) > 1:
            raise _error("agenda", _("Only one item can be the first agenda item."))
        AgendaItem.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
    if minutes is not None:
        meeting.minutes = minutes
    if meeting.status == MeetingStatus.HELD:
        meeting.status = MeetingStatus.MINUTED


@transaction.atomic
def agenda_set(
    *,
    actor: Any,
    meeting: Meeting,
    items: Sequence[Mapping[str, Any]] | None = None,
    minutes: str | None = None,
    expected_version: int | None = None,
) -> Meeting:
    """
    Set the agenda (``items`` of ``{"title", "is_first_item", "discussion"}``
    in order; items are kept by position) and/or the minutes. Send
    ``expected_version`` to be told of a concurrent change.
    """
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    _check_version(meeting, expected_version)
    _apply_agenda(meeting, items, minutes)
    meeting.version += 1
    meeting.save()
    audit_record(
        actor=actor,
        action="meetings.agenda",
        target=meeting,
        org=meeting.org,
        data={"items": len(items) if items is not None else None, "minutes": minutes is not None},
    )
    return meeting


def _apply_resolution(
    meeting: Meeting, *, text: str, owner_person: Person | None, owner_name: str, due_on: date | None
) -> Resolution:
    if not text.strip():
        raise _error("text", _("Give the text of the resolution."))
    if owner_person is not None and owner_person.org_id not in {
        b.pk for b in _participating_branches(meeting)
    }:
        raise _error("owner_person", _("The owner must be a member of the participating branches."))
    order = (Resolution.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    resolution = Resolution.objects.create(
        meeting=meeting,
        order=order,
        text=text.strip(),
        owner_person=owner_person,
        owner_name=owner_name or (owner_person.full_name if owner_person else ""),
        due_on=due_on,
    )
    # A resolution with an owner or a deadline is a task: track it (seed 000).
    if owner_person is not None or owner_name or due_on is not None:
        FollowUpItem.objects.create(
            org=meeting.org,
            resolution=resolution,
            title=resolution.text[:300],
            owner_person=owner_person,
            owner_name=resolution.owner_name,
            due_on=due_on,
        )
    return resolution


@transaction.atomic
def resolution_add(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    owner_person: Person | None = None,
    owner_name: str = "",
    due_on: date | None = None,
) -> Resolution:
    """Add a resolution; one with an owner or a deadline opens a follow-up item."""
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    resolution = _apply_resolution(
        meeting, text=text, owner_person=owner_person, owner_name=owner_name, due_on=due_on
    )
    audit_record(
        actor=actor,
        action="meetings.resolution_add",
        target=meeting,
        org=meeting.org,
        data={"order": resolution.order, "follow_up": hasattr(resolution, "follow_up"), "due_on": due_on},
    )
    return resolution


# ------------------------------------------------------------ votes, elections


def _voting_rows(meeting: Meeting, branch_id: int | None) -> Any:
    rows = Attendance.objects.filter(meeting=meeting, voting_right=True, expected=True)
    return rows.filter(branch_id=branch_id) if branch_id is not None else rows


@transaction.atomic
def vote_record(
    *,
    actor: Any,
    meeting: Meeting,
    kind: str,
    votes_for: int,
    votes_against: int = 0,
    abstain: int = 0,
    subjects: Sequence[Person] = (),
    question: str = "",
    agenda_order: int | None = None,
    written_for: int = 0,
    written_against: int = 0,
    eligible_voters: int | None = None,
    present_voters: int | None = None,
) -> Vote:
    """
    Record the tally of one vote and compute whether it passed.

    Admissions and conversions name exactly one person: a call naming two
    or more is refused (CN 细则 Art. 20 "逐个"; VN Điều lệ Art. 4). The
    voting members who should attend and those present default to the
    attendance (for a person vote: of the person's branch).
    """
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    jurisdiction = meeting.org.jurisdiction
    if kind not in VoteKind.values:
        raise _error("kind", _("“%(value)s” is not a kind of vote.") % {"value": kind})
    subject: Person | None = None
    if kind in PERSON_VOTE_KINDS:
        if len(subjects) != 1:
            rule_id = rules.ONE_PERSON_PER_VOTE_RULE[jurisdiction]
            raise _error(
                "subjects",
                _("%(message)s (%(rule)s — %(source)s)")
                % {
                    "message": message_for("one_person_per_vote", {"count": len(subjects)}),
                    "rule": rule_id,
                    "source": rules.RULES[rule_id].source,
                },
            )
        subject = subjects[0]
        if subject.org_id not in {b.pk for b in _participating_branches(meeting)}:
            raise _error("subjects", _("The person must belong to a participating branch."))
        needed = MembershipStatus.CANDIDATE if kind == VoteKind.ADMISSION else MembershipStatus.PROBATIONARY
        if subject.status != needed:
            raise _error(
                "subjects",
                _("%(name)s is not a %(status)s.") % {"name": subject.full_name, "status": needed.label},
            )
    elif subjects:
        raise _error("subjects", _("Only admissions and conversions name a person."))
    branch_id = subject.org_id if subject is not None else None
    if eligible_voters is None:
        eligible_voters = _voting_rows(meeting, branch_id).count()
    if present_voters is None:
        present_voters = _voting_rows(meeting, branch_id).filter(status=AttendanceStatus.PRESENT).count()
    counts = (
        votes_for,
        votes_against,
        abstain,
        written_for,
        written_against,
        eligible_voters,
        present_voters,
    )
    if min(counts) < 0:
        raise _error("votes_for", _("Counts cannot be negative."))
    if present_voters > eligible_voters:
        raise _error("present_voters", _("More voters present than voting members."))
    if votes_for + votes_against + abstain > present_voters:
        raise _error("votes_for", _("More votes than voting members present."))
    if written_for + written_against > eligible_voters - present_voters:
        raise _error("written_for", _("More written opinions than absent voting members."))
    agenda_item = None
    if agenda_order is not None:
        agenda_item = AgendaItem.objects.filter(meeting=meeting, order=agenda_order).first()
        if agenda_item is None:
            raise _error("agenda_order", _("No agenda item %(order)s.") % {"order": agenda_order})
    finding = rules.vote_outcome(
        jurisdiction=jurisdiction,
        vote=rules.VoteFacts(kind, eligible_voters, present_voters, votes_for, written_for),
    )
    order = (Vote.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    vote = Vote.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        order=order,
        kind=kind,
        question=question,
        subject_person=subject,
        subject_name=subject.full_name if subject is not None else "",
        eligible_voters=eligible_voters,
        present_voters=present_voters,
        votes_for=votes_for,
        votes_against=votes_against,
        abstain=abstain,
        written_for=written_for,
        written_against=written_against,
        passed=finding.passed,
        rule_id=finding.rule_id,
    )
    audit_record(
        actor=actor,
        action="meetings.vote",
        target=meeting,
        org=meeting.org,
        data={"order": order, "kind": kind, "passed": finding.passed, "rule": finding.rule_id},
    )
    return vote


@transaction.atomic
def election_record(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    seats: int,
    ballots_issued: int,
    ballots_returned: int,
    ballots_valid: int,
    candidates: Sequence[Mapping[str, Any]],
    should_attend: int | None = None,
    present_voters: int | None = None,
) -> Election:
    """
    Record the tallies of an election: ballots and votes per candidate
    (``{"person": Person | None, "name": str, "votes": int}``). Tallies
    only: nothing links a voter to a choice. A candidate is elected with
    more than half of the votes required by the jurisdiction, best first,
    up to the number of seats; a CN election without more than 4/5 of
    those who should attend is not valid and elects no one.
    """
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    jurisdiction = meeting.org.jurisdiction
    if should_attend is None:
        should_attend = _voting_rows(meeting, None).count()
    if present_voters is None:
        present_voters = _voting_rows(meeting, None).filter(status=AttendanceStatus.PRESENT).count()
    if seats < 1 or not title.strip():
        raise _error("seats", _("Give the title and at least one seat."))
    if present_voters > should_attend:
        raise _error("present_voters", _("More voters present than voting members."))
    if not ballots_valid <= ballots_returned <= ballots_issued <= present_voters:
        raise _error(
            "ballots_issued",
            _("Ballots must satisfy valid ≤ returned ≤ issued ≤ voting members present."),
        )
    if not candidates:
        raise _error("candidates", _("Give at least one candidate."))
    for candidate in candidates:
        if int(candidate.get("votes", -1)) < 0 or int(candidate["votes"]) > ballots_valid:
            raise _error("candidates", _("A candidate cannot have more votes than valid ballots."))
        if not (candidate.get("name") or candidate.get("person")):
            raise _error("candidates", _("Every candidate needs a name."))
    quorum = rules.election_quorum(
        jurisdiction=jurisdiction, election=rules.ElectionFacts(should_attend, present_voters)
    )
    is_valid = quorum is None or quorum.passed
    order = (Election.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    election = Election.objects.create(
        meeting=meeting,
        order=order,
        title=title.strip(),
        seats=seats,
        should_attend=should_attend,
        present_voters=present_voters,
        ballots_issued=ballots_issued,
        ballots_returned=ballots_returned,
        ballots_valid=ballots_valid,
        is_valid=is_valid,
    )
    ranked = sorted(candidates, key=lambda c: -int(c["votes"]))
    elected_count = 0
    for candidate in ranked:
        person = candidate.get("person")
        votes = int(candidate["votes"])
        winning = is_valid and rules.candidate_elected(
            jurisdiction=jurisdiction,
            votes=votes,
            present_voters=present_voters,
            eligible_voters=should_attend,
        )
        elected = winning and elected_count < seats
        elected_count += int(elected)
        ElectionCandidate.objects.create(
            election=election,
            person=person,
            name=str(candidate.get("name") or (person.full_name if person else "")),
            votes=votes,
            elected=elected,
        )
    audit_record(
        actor=actor,
        action="meetings.election",
        target=meeting,
        org=meeting.org,
        data={"order": order, "seats": seats, "valid": is_valid, "elected": elected_count},
    )
    return election


# ------------------------------------------------------- finalize, seal, amend


def _seal(*, actor: Any, meeting: Meeting, reason: str = "") -> tuple[MeetingVersion, dict[str, Any]]:
    content = meeting_content(meeting)
    digest = content_hash(content)
    previous = MeetingVersion.objects.filter(meeting=meeting).order_by("-number").first()
    version = MeetingVersion.objects.create(
        meeting=meeting,
        number=(previous.number + 1) if previous else 1,
        content=content,
        content_hash=digest,
        sealed_by=actor if actor is not None else None,
        sealed_by_name=actor.get_username() if actor is not None else "system",
        sealed_at=timezone.now(),
        amendment_reason=reason,
    )
    return version, (previous.content if previous else {})


def _check_or_refuse(meeting: Meeting, reasons: Mapping[str, str]) -> list[rules.Finding]:
    findings = meeting_findings(meeting)
    stopping = rules.unresolved(findings, dict(reasons))
    if stopping:
        raise MeetingChecksFailed(stopping, findings)
    return findings


@transaction.atomic
def meeting_finalize(
    *,
    actor: Any,
    meeting: Meeting,
    should_reasons: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> tuple[Meeting, list[rules.Finding]]:
    """
    Run the rule checks and seal the meeting as version 1.

    A failed "must" refuses with :class:`MeetingChecksFailed` carrying the
    findings; a failed "should" needs a reason in ``should_reasons`` (by
    rule id), which is stored with the record.
    """
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    _check_writable(meeting)
    _check_version(meeting, expected_version)
    if meeting.status == MeetingStatus.PLANNED or meeting.actual_start is None:
        raise _error("status", _("Record that the meeting was held before finalizing it."))
    reasons = {key: str(value).strip() for key, value in (should_reasons or {}).items() if str(value).strip()}
    findings = _check_or_refuse(meeting, reasons)
    failed_should = {f.rule_id for f in findings if not f.passed and f.strength == rules.SHOULD}
    meeting.should_reasons = {key: value for key, value in sorted(reasons.items()) if key in failed_should}
    meeting.status = MeetingStatus.SEALED
    meeting.version += 1
    meeting.save()
    version, _previous = _seal(actor=actor, meeting=meeting)
    audit_record(
        actor=actor,
        action="meetings.seal",
        target=meeting,
        org=meeting.org,
        data={
            "version": version.number,
            "content_hash": version.content_hash,
            "unmet_should": sorted(failed_should),
        },
    )
    return meeting, findings


@transaction.atomic
def meeting_amend(*, actor: Any, meeting: Meeting, reason: str, changes: Mapping[str, Any]) -> MeetingVersion:
    """
    Change sealed content and re-seal it as the next version.

    ``changes`` may hold ``fields`` (a mapping of AMENDABLE_FIELDS),
    ``attendance`` (roll-call entries), ``agenda`` (the full list of
    items), ``guests`` (the full list) and ``resolutions`` (to add). The
    amended record must pass the same checks as at sealing.
    """
    require(actor, MANAGE_MEETINGS, meeting.org)
    meeting = _locked(meeting)
    if meeting.status != MeetingStatus.SEALED:
        raise _error("status", _("Only a sealed meeting is amended; change it directly."))
    if not reason.strip():
        raise _error("reason", _("Give the reason for the amendment."))
    unknown = set(changes) - AMENDABLE_PARTS
    if unknown:
        raise _error(
            "changes", _("These parts cannot be amended: %(parts)s.") % {"parts": ", ".join(sorted(unknown))}
        )
    fields = dict(changes.get("fields") or {})
    bad_fields = set(fields) - set(AMENDABLE_FIELDS)
    if bad_fields:
        raise _error(
            "changes",
            _("These fields cannot be amended: %(parts)s.") % {"parts": ", ".join(sorted(bad_fields))},
        )
    if "actual_start" in fields or "actual_end" in fields:
        _apply_held(
            meeting,
            fields.pop("actual_start", meeting.actual_start),
            fields.pop("actual_end", meeting.actual_end),
        )
    minutes = fields.pop("minutes", None)
    for name, value in fields.items():
        setattr(meeting, name, value)
    if "attendance" in changes:
        _apply_attendance(meeting, changes["attendance"])
    if "agenda" in changes or minutes is not None:
        _apply_agenda(meeting, changes.get("agenda"), minutes)
        meeting.status = MeetingStatus.SEALED
    if "guests" in changes:
        _apply_guests(meeting, changes["guests"], replace=True)
    for entry in changes.get("resolutions") or []:
        _apply_resolution(
            meeting,
            text=str(entry.get("text") or ""),
            owner_person=entry.get("owner_person"),
            owner_name=str(entry.get("owner_name") or ""),
            due_on=entry.get("due_on"),
        )
    meeting.version += 1
    meeting.save()
    _check_or_refuse(meeting, meeting.should_reasons)
    version, previous = _seal(actor=actor, meeting=meeting, reason=reason.strip())
    diff = content_diff(previous, version.content)
    if not diff:
        raise _error("changes", _("The amendment changes nothing."))
    audit_record(
        actor=actor,
        action="meetings.amend",
        target=meeting,
        org=meeting.org,
        data={
            "version": version.number,
            "content_hash": version.content_hash,
            "reason": reason.strip(),
            "fields": sorted({entry["field"].split(".")[0].split("[")[0] for entry in diff}),
        },
    )
    return version


# ---------------------------------------------------------------- follow-ups


@transaction.atomic
def followup_update(
    *,
    actor: Any,
    follow_up: FollowUpItem,
    status: str | None = None,
    outcome: str | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> FollowUpItem:
    """Record progress on a follow-up item (allowed after the meeting is sealed)."""
    require(actor, MANAGE_MEETINGS, follow_up.org)
    follow_up = FollowUpItem.objects.select_for_update().get(pk=follow_up.pk)
    if expected_version is not None and expected_version != follow_up.version:
        raise _error("version", _("Someone else changed this item meanwhile; reload and try again."))
    changed = []
    if status is not None and status != follow_up.status:
        if status not in FollowUpStatus.values:
            raise _error("status", _("“%(value)s” is not a follow-up status.") % {"value": status})
        follow_up.status = status
        follow_up.closed_on = None if status in OPEN_FOLLOW_UP_STATUSES else (today or timezone.localdate())
        changed.append("status")
    if outcome is not None and outcome != follow_up.outcome:
        follow_up.outcome = outcome
        changed.append("outcome")
    follow_up.version += 1
    follow_up.save()
    audit_record(
        actor=actor,
        action="meetings.followup_update",
        target=follow_up,
        org=follow_up.org,
        data={"fields": changed, "status": follow_up.status},
    )
    return follow_up
