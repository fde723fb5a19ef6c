"""Reads of meeting records, always through the caller's scope."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from orglife.access.querysets import OrgScopedQuerySet, subtree_condition
from orglife.access.shortcuts import get_visible_or_404
from orglife.meetings.choices import OPEN_FOLLOW_UP_STATUSES, MeetingStatus
from orglife.meetings.facts import meeting_findings
from orglife.meetings.messages import finding_text
from orglife.meetings.models import ActivityType, Election, FollowUpItem, Meeting, MeetingVersion
from orglife.meetings.rules import RULES
from orglife.meetings.sealing import _flatten, content_diff
from orglife.orgs.choices import BRANCH_KINDS, OrgKind
from orglife.orgs.models import Organization
from orglife.people.choices import MEMBER_STATUSES, MembershipStatus
from orglife.people.models import Person


def activity_type_list(*, jurisdiction: str = "", active_only: bool = True) -> QuerySet[ActivityType]:
    """Activity types (not org-owned data: every signed-in user may read them)."""
    types = ActivityType.objects.all()
    if jurisdiction:
        types = types.filter(jurisdiction=jurisdiction)
    if active_only:
        types = types.filter(is_active=True)
    return types


def _day_start(value: date) -> datetime:
    return timezone.make_aware(datetime.combine(value, time.min))


def meeting_list(
    *,
    actor: Any,
    org: Organization | None = None,
    status: str = "",
    type_code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Meeting]:
    """Meetings visible to ``actor``, filtered by subtree, status, type and planned date."""
    meetings = Meeting.objects.visible_to(actor).select_related("org").prefetch_related("types")
    if org is not None:
        meetings = meetings.filter(subtree_condition("org__path", org.path))
    if status:
        meetings = meetings.filter(status=status)
    if type_code:
        meetings = meetings.filter(types__code=type_code).distinct()
    if date_from is not None:
        meetings = meetings.filter(planned_start__gte=_day_start(date_from))
    if date_to is not None:
        meetings = meetings.filter(planned_start__lt=_day_start(date_to) + timedelta(days=1))
    return meetings


def meeting_detail_queryset() -> OrgScopedQuerySet[Meeting]:
    """Meetings with every related row a detail answer shows, prefetched."""
    meetings: OrgScopedQuerySet[Meeting] = Meeting.objects.select_related("org")
    return meetings.prefetch_related(
        "types",
        "meetingjointbranch_set__branch",
        "attendance",
        "guests",
        "agenda",
        "resolutions__follow_up",
        "votes__agenda_item",
        Prefetch("elections", queryset=Election.objects.prefetch_related("candidates")),
    )


def meeting_get(*, actor: Any, meeting_id: Any, action: str = "view") -> Meeting:
    """One meeting: 404 out of scope, 403 in scope without ``action``."""
    return get_visible_or_404(meeting_detail_queryset(), actor, action, pk=meeting_id)


def meeting_versions(*, actor: Any, meeting: Meeting) -> list[dict[str, Any]]:
    """
    The sealed versions of ``meeting``, oldest first, each with the
    field-by-field difference from the version before it.
    """
    versions = MeetingVersion.objects.visible_to(actor).filter(meeting=meeting).order_by("number")
    result: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for version in versions:
        result.append(
            {
                "number": version.number,
                "content_hash": version.content_hash,
                "sealed_by": version.sealed_by_name,
                "sealed_at": version.sealed_at,
                "amendment_reason": version.amendment_reason,
                "content": version.content,
                "changes": content_diff(previous, version.content) if previous is not None else [],
            }
        )
        previous = version.content
    return result


def followup_list(
    *, actor: Any, org: Organization | None = None, open_only: bool = False
) -> QuerySet[FollowUpItem]:
    """Follow-up items visible to ``actor``, optionally of one subtree, optionally open only."""
    items = FollowUpItem.objects.visible_to(actor).select_related("org", "resolution__meeting")
    if org is not None:
        items = items.filter(subtree_condition("org__path", org.path))
    if open_only:
        items = items.filter(status__in=OPEN_FOLLOW_UP_STATUSES)
    return items


def followup_get(*, actor: Any, pk: Any, action: str = "view") -> FollowUpItem:
    """One follow-up item: 404 out of scope, 403 in scope without ``action``."""
    items = FollowUpItem.objects.select_related("org", "resolution__meeting")
    return get_visible_or_404(items, actor, action, pk=pk)


def followup_open_for_branch(*, actor: Any, org: Organization) -> QuerySet[FollowUpItem]:
    """A branch's open follow-up items, shown at its next meetings until closed."""
    return followup_list(actor=actor, open_only=True).filter(org=org).order_by("due_on", "pk")


# ----------------------------------------------------------- recording pages


def meeting_previous(*, actor: Any, org: Organization, before: Meeting | None = None) -> Meeting | None:
    """The branch's latest meeting that was not cancelled (before ``before``), for pre-filling."""
    meetings = (
        Meeting.objects.visible_to(actor)
        .filter(org=org)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("types", "agenda")
        .order_by("-planned_start", "-pk")
    )
    if before is not None:
        meetings = meetings.filter(planned_start__lt=before.planned_start).exclude(pk=before.pk)
    return meetings.first()


def meeting_findings_for(*, actor: Any, meeting: Meeting) -> list[dict[str, Any]]:
    """
    The finalization checks of a visible meeting as they stand now, each
    with its sentence (naming rule and source) in the active language.
    """
    get_visible_or_404(Meeting.objects.all(), actor, pk=meeting.pk)
    return [
        {"finding": finding, "text": finding_text(finding), "rule": RULES.get(finding.rule_id)}
        for finding in meeting_findings(meeting)
    ]


def meeting_roster(*, actor: Any, meeting: Meeting) -> QuerySet[Person]:
    """Current members of the participating branches (owners, vote subjects, candidates)."""
    branch_ids = [meeting.org_id, *(row.branch_id for row in meeting.meetingjointbranch_set.all())]
    return (
        Person.objects.visible_to(actor)
        .filter(org_id__in=branch_ids, status__in=[*MEMBER_STATUSES, MembershipStatus.CANDIDATE])
        .order_by("full_name", "pk")
    )


def joint_branch_choices(*, actor: Any, org: Organization) -> QuerySet[Organization]:
    """Other active branches of the same parent and jurisdiction the actor can see."""
    parent_path = org.path[: (org.depth - 1) * Organization.steplen]
    return (
        Organization.objects.visible_to(actor)
        .filter(
            path__startswith=parent_path,
            depth=org.depth,
            jurisdiction=org.jurisdiction,
            kind__in=list(BRANCH_KINDS | {OrgKind.GENERAL_BRANCH}),
            is_active=True,
        )
        .exclude(pk=org.pk)
        .order_by("path")
    )


def meeting_branches_for(*, actor: Any, action: str = "view") -> QuerySet[Organization]:
    """Active branches (meeting hosts) in the actor's scope for ``action``."""
    return Organization.objects.visible_to(actor, action).filter(
        kind__in=list(BRANCH_KINDS | {OrgKind.GENERAL_BRANCH}), is_active=True
    )


def meeting_history(*, actor: Any, meeting: Meeting) -> dict[str, Any]:
    """
    Every sealed version side by side: ``versions`` (as ``meeting_versions``)
    and ``rows`` — one per field that differs between any two versions, with
    its value in each version and whether it changed in that version.
    """
    versions = meeting_versions(actor=actor, meeting=meeting)
    changed_paths: list[str] = []
    for version in versions:
        for change in version["changes"]:
            if change["field"] not in changed_paths:
                changed_paths.append(change["field"])
    flattened = [dict(_flatten(version["content"])) for version in versions]
    rows = []
    for path in sorted(changed_paths):
        cells = []
        for index, values in enumerate(flattened):
            value = values.get(path)
            before = flattened[index - 1].get(path) if index else value
            cells.append({"value": value, "changed": index > 0 and before != value})
        rows.append({"field": path, "cells": cells})
    return {"versions": versions, "rows": rows}
