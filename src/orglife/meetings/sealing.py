"""
The canonical content of a meeting, its hash, version differences and the
seal verifier run by ``orglife verify-audit`` (ADR 0006).

The content is built only from the meeting's own rows (names and branches
as recorded on them), so a later rename of a person or an organization
does not look like tampering. Lists have a stable order; the JSON is the
audit trail's canonical JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from orglife.audit.chain import canonical_json, content_digest
from orglife.audit.models import AuditEvent
from orglife.meetings.choices import MeetingStatus
from orglife.meetings.models import (
    AgendaItem,
    Attendance,
    Election,
    ElectionCandidate,
    GuestAttendee,
    Meeting,
    MeetingJointBranch,
    MeetingVersion,
    Resolution,
    Vote,
)

CONTENT_SCHEMA = 1
SEAL_ACTIONS = ("meetings.seal", "meetings.amend")
MEETING_OBJECT_TYPE = "meetings.meeting"


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def meeting_content(meeting: Meeting) -> dict[str, Any]:
    """
    The canonical content of ``meeting`` from its current rows.

    Uses the base managers (no scope: the seal covers every row) and
    reads the meeting row afresh, so the result reflects the database.
    """
    return meeting_contents([meeting.pk])[meeting.pk]


def _grouped(rows: Iterable[Any], key: str = "meeting_id") -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def meeting_contents(meeting_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """
    The canonical content of several meetings in a fixed number of queries
    (one per related table), so that verifying a province's seals does not
    cost a dozen queries per meeting.
    """
    ids = list(meeting_ids)
    rows = Meeting._base_manager.in_bulk(ids)
    types: dict[int, set[str]] = {}
    for meeting_id, code in Meeting.types.through.objects.filter(meeting_id__in=ids).values_list(
        "meeting_id", "activitytype__code"
    ):
        types.setdefault(meeting_id, set()).add(code)
    joint: dict[int, list[int]] = {}
    for meeting_id, branch_id in MeetingJointBranch._base_manager.filter(meeting_id__in=ids).values_list(
        "meeting_id", "branch_id"
    ):
        joint.setdefault(meeting_id, []).append(branch_id)
    attendance = _grouped(Attendance._base_manager.filter(meeting_id__in=ids).order_by("person_id"))
    guests = _grouped(GuestAttendee._base_manager.filter(meeting_id__in=ids).order_by("name", "unit", "pk"))
    agenda = _grouped(AgendaItem._base_manager.filter(meeting_id__in=ids).order_by("order"))
    resolutions = _grouped(Resolution._base_manager.filter(meeting_id__in=ids).order_by("order"))
    votes = _grouped(Vote._base_manager.filter(meeting_id__in=ids).order_by("order"))
    elections = _grouped(Election._base_manager.filter(meeting_id__in=ids).order_by("order"))
    candidates: dict[int, list[dict[str, Any]]] = {}
    for candidate in ElectionCandidate._base_manager.filter(election__meeting_id__in=ids).order_by(
        "election_id", "name", "pk"
    ):
        candidates.setdefault(candidate.election_id, []).append(
            {
                "person_id": candidate.person_id,
                "name": candidate.name,
                "votes": candidate.votes,
                "elected": candidate.elected,
            }
        )
    contents: dict[int, dict[str, Any]] = {}
    for meeting_id in ids:
        row = rows[meeting_id]
        agenda_orders = {item.pk: item.order for item in agenda.get(meeting_id, [])}
        content = {
            "schema": CONTENT_SCHEMA,
            "meeting": {
                "id": row.pk,
                "org_id": row.org_id,
                "topic": row.topic,
                "planned_start": _moment(row.planned_start),
                "planned_end": _moment(row.planned_end),
                "actual_start": _moment(row.actual_start),
                "actual_end": _moment(row.actual_end),
                "place": row.place,
                "online_link": row.online_link,
                "invited_upper_level": row.invited_upper_level,
                "minutes": row.minutes,
                "should_reasons": dict(sorted(row.should_reasons.items())),
            },
            "types": sorted(types.get(meeting_id, set())),
            "joint_branches": sorted(joint.get(meeting_id, [])),
            "attendance": {
                str(item.person_id): {
                    "name": item.person_name,
                    "branch_id": item.branch_id,
                    "expected": item.expected,
                    "status": item.status,
                    "excuse_reason": item.excuse_reason,
                    "arrived_late_minutes": item.arrived_late_minutes,
                    "voting_right": item.voting_right,
                }
                for item in attendance.get(meeting_id, [])
            },
            "guests": [
                {"name": guest.name, "unit": guest.unit, "is_upper_level": guest.is_upper_level}
                for guest in guests.get(meeting_id, [])
            ],
            "agenda": [
                {
                    "order": item.order,
                    "title": item.title,
                    "is_first_item": item.is_first_item,
                    "discussion": item.discussion,
                }
                for item in agenda.get(meeting_id, [])
            ],
            "resolutions": [
                {
                    "order": item.order,
                    "text": item.text,
                    "owner_person_id": item.owner_person_id,
                    "owner_name": item.owner_name,
                    "due_on": _day(item.due_on),
                }
                for item in resolutions.get(meeting_id, [])
            ],
            "votes": [
                {
                    "order": vote.order,
                    "agenda_order": agenda_orders.get(vote.agenda_item_id) if vote.agenda_item_id else None,
                    "kind": vote.kind,
                    "question": vote.question,
                    "subject_person_id": vote.subject_person_id,
                    "subject_name": vote.subject_name,
                    "eligible_voters": vote.eligible_voters,
                    "present_voters": vote.present_voters,
                    "votes_for": vote.votes_for,
                    "votes_against": vote.votes_against,
                    "abstain": vote.abstain,
                    "written_for": vote.written_for,
                    "written_against": vote.written_against,
                    "passed": vote.passed,
                    "rule_id": vote.rule_id,
                }
                for vote in votes.get(meeting_id, [])
            ],
            "elections": [
                {
                    "order": election.order,
                    "title": election.title,
                    "seats": election.seats,
                    "should_attend": election.should_attend,
                    "present_voters": election.present_voters,
                    "ballots_issued": election.ballots_issued,
                    "ballots_returned": election.ballots_returned,
                    "ballots_valid": election.ballots_valid,
                    "is_valid": election.is_valid,
                    "candidates": candidates.get(election.pk, []),
                }
                for election in elections.get(meeting_id, [])
            ],
            # Attachments arrive with issue 3's later work: their sha256 go here.
            "attachments": [],
        }
        # Exactly what is stored and hashed: JSON types only (no tuples, no dates).
        contents[meeting_id] = json.loads(canonical_json(content))
    return contents


def content_hash(content: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of ``content``."""
    return content_digest(content)


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        for key in sorted(value):
            yield from _flatten(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _flatten(item, f"{path}[{index}]")
    else:
        yield path, value


def content_diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """
    Field-by-field differences between two contents: one entry per path
    (``attendance.12.status``, ``agenda[0].title`` …) whose value differs.
    """
    old = dict(_flatten(before))
    new = dict(_flatten(after))
    return [
        {"field": path, "before": old.get(path), "after": new.get(path)}
        for path in sorted(set(old) | set(new))
        if canonical_json(old.get(path)) != canonical_json(new.get(path)) or (path in old) != (path in new)
    ]


# Meetings recomputed per batch of queries when verifying seals.
_VERIFY_CHUNK = 500


def verify_meeting_seals() -> Iterator[str]:
    """
    For every sealed meeting: the latest version's content must hash to its
    ``content_hash``, the current rows must produce the same hash, and the
    audit event of each version must carry that version's hash.
    """
    events: dict[tuple[str, int], str] = {}
    for object_id, data in AuditEvent.objects.filter(
        object_type=MEETING_OBJECT_TYPE, action__in=SEAL_ACTIONS
    ).values_list("object_id", "data"):
        if isinstance(data, dict) and "version" in data:
            events[(object_id, int(data["version"]))] = str(data.get("content_hash", ""))
    versions = MeetingVersion._base_manager.select_related("meeting").order_by("meeting_id", "number")
    # Only the number and hash of the latest version: holding the versions (with their
    # content) for every meeting would need gigabytes at province scale.
    latest: dict[int, tuple[int, str]] = {}
    for version in versions.iterator(chunk_size=500):
        label = f"meeting #{version.meeting_id} “{version.meeting.topic}” version {version.number}"
        if content_hash(version.content) != version.content_hash:
            yield f"{label}: the stored content no longer matches its hash (edited in the database)"
        recorded = events.get((str(version.meeting_id), version.number))
        if recorded is None:
            yield f"{label}: no audit event records this seal"
        elif recorded != version.content_hash:
            yield f"{label}: the audit event records a different hash"
        latest[version.meeting_id] = (version.number, version.content_hash)
    sealed = list(
        Meeting._base_manager.filter(status=MeetingStatus.SEALED).order_by("pk").values_list("pk", "topic")
    )
    for start in range(0, len(sealed), _VERIFY_CHUNK):
        chunk = sealed[start : start + _VERIFY_CHUNK]
        recomputed = meeting_contents([pk for pk, _topic in chunk if pk in latest])
        for pk, topic in chunk:
            last = latest.get(pk)
            if last is None:
                yield f"meeting #{pk} “{topic}”: sealed but has no sealed version"
                continue
            number, digest = last
            if content_hash(recomputed[pk]) != digest:
                yield (
                    f"meeting #{pk} “{topic}” version {number}: the current records "
                    "differ from the sealed content (edited in the database)"
                )
