"""Demo meeting records: a year for every branch, the deliberate defects, real seals, determinism."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_verify
from orglife.demo.build import build_demo
from orglife.demo.people import add_months
from orglife.demo.records import (
    COPIED_MINUTES,
    JOINT_VOTE,
    MISSED_MONTH,
    NO_QUORUM,
    SHORT_MEETING,
    ZONES,
    RecordPlanner,
    RecordsSummary,
    load_branches,
    planned_content,
)
from orglife.meetings.choices import MeetingStatus
from orglife.meetings.facts import meeting_findings
from orglife.meetings.models import AgendaItem, Meeting, MeetingVersion, Resolution, Vote
from orglife.orgs.choices import BRANCH_KINDS
from orglife.orgs.models import Organization
from orglife.people.models import Person


def _plans(root: Organization, jurisdiction: str, seed: int, today):
    branches = load_branches(root, today)
    planner = RecordPlanner(jurisdiction=jurisdiction, seed=seed, today=today, branches=branches)
    return [plan for _count, plans in planner.plan_in_chunks(branches) for plan in plans]


def _month_range(jurisdiction: str, first_day):
    zone = ZONES[jurisdiction]
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=zone)
    return start, datetime.combine(add_months(first_day, 1), datetime.min.time(), tzinfo=zone)


def _assert_every_branch_has_a_year(root: Organization, today) -> None:
    first_month = add_months(today.replace(day=1), -11)
    zone = ZONES[root.jurisdiction]
    branches = Organization.objects.filter(path__startswith=root.path, kind__in=BRANCH_KINDS)
    assert branches.exists()
    for branch in branches:
        meetings = Meeting.objects.filter(org=branch)
        held = meetings.filter(status__in=[MeetingStatus.SEALED, MeetingStatus.MINUTED])
        months = {
            m.astimezone(zone).date().replace(day=1) for m in held.values_list("planned_start", flat=True)
        }
        assert len([m for m in months if m >= first_month]) >= 9, branch.code
        assert meetings.filter(status=MeetingStatus.PLANNED, planned_start__gt=timezone.now()).exists()
        assert held.filter(status=MeetingStatus.SEALED).count() >= 9


def _assert_defects(summary: RecordsSummary, jurisdiction: str) -> None:
    kinds = Counter(defect.kind for defect in summary.defects)
    expected = {
        MISSED_MONTH,
        JOINT_VOTE,
        COPIED_MINUTES,
        NO_QUORUM if jurisdiction == "CN" else SHORT_MEETING,
    }
    assert set(kinds) == expected, kinds
    for defect in summary.defects:
        branch = Organization.objects.get(code=defect.branch_code)
        if defect.kind == MISSED_MONTH:
            start, end = _month_range(jurisdiction, defect.on)
            assert not Meeting.objects.filter(
                org=branch, planned_start__gte=start, planned_start__lt=end
            ).exists()
            continue
        meeting = Meeting.objects.get(pk=defect.meeting_id)
        assert meeting.org_id == branch.pk
        if defect.kind == NO_QUORUM:
            assert meeting.status == MeetingStatus.MINUTED
            assert not MeetingVersion.objects.filter(meeting=meeting).exists()
            failed = [f.rule_id for f in meeting_findings(meeting) if f.blocks]
            assert failed == ["cn.gm.quorum"]
        elif defect.kind == JOINT_VOTE:
            # Minuted, not sealed; one resolution names two members; no vote per person.
            assert meeting.status == MeetingStatus.MINUTED
            assert not Vote.objects.filter(meeting=meeting).exists()
            text = Resolution.objects.get(meeting=meeting).text
            named = set(Person.objects.filter(org=branch).values_list("full_name", flat=True))
            assert sum(name in text for name in named) >= 2
        elif defect.kind == COPIED_MINUTES:
            assert meeting.status == MeetingStatus.SEALED
            twins = Meeting.objects.filter(minutes=meeting.minutes).exclude(org=branch)
            assert twins.exists()
            # The discussions (and resolutions, if any) are the other branch's too.
            for part, field in ((AgendaItem, "discussion"), (Resolution, "text")):
                mine = set(part.objects.filter(meeting=meeting).values_list(field, flat=True))
                theirs = set(part.objects.filter(meeting=twins.get()).values_list(field, flat=True))
                assert mine <= theirs | {""}
        elif defect.kind == SHORT_MEETING:
            assert meeting.status == MeetingStatus.SEALED
            assert meeting.actual_end - meeting.actual_start < timedelta(minutes=90)
            assert "vn.chibo.duration" in meeting.should_reasons
    # A duplicate detector finds the copied minutes with one query.
    copies = (
        Meeting.objects.exclude(minutes="")
        .values("minutes")
        .annotate(branches=Count("org", distinct=True))
        .filter(branches__gte=2)
    )
    assert copies.count() >= 1


@pytest.mark.django_db
def test_small_demo_records_through_the_services():
    today = timezone.localdate()
    summary = build_demo(size="small", jurisdictions=["CN"], seed=3, today=today)
    root = Organization.objects.get(code="CN-HN")
    _assert_every_branch_has_a_year(root, today)
    _assert_defects(summary.records, "CN")
    types = Counter(
        tuple(sorted(m.types.values_list("code", flat=True)))
        for m in Meeting.objects.prefetch_related("types")
    )
    assert types[("party_lecture", "theme_day")] > 0  # one record, two types
    assert types[("committee_meeting",)] > 0
    assert types[("group_meeting",)] > 0
    assert types[("democratic_evaluation", "org_life_meeting")] > 0
    assert Vote.objects.filter(kind__in=["admission", "conversion"], subject_person__isnull=False).exists()
    assert (
        Vote.objects.filter(kind__in=["admission", "conversion"])
        .values("subject_person")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
        == 0
    )
    # Real seals: one meetings.seal event per sealed meeting, the chain and every seal verify.
    sealed = Meeting.objects.filter(status=MeetingStatus.SEALED).count()
    assert AuditEvent.objects.filter(action="meetings.seal").count() == sealed
    result = audit_verify()
    assert result.ok, result.seal_problems[:3]
    # The bulk writer's content builder gives exactly what the services sealed.
    by_key = {
        (m.org_id, m.planned_start, m.topic): m.pk
        for m in Meeting.objects.filter(status=MeetingStatus.SEALED)
    }
    versions = dict(MeetingVersion.objects.values_list("meeting_id", "content"))
    compared = 0
    for plan in _plans(root, "CN", 3, today):
        if plan.target != MeetingStatus.SEALED:
            continue
        meeting_id = by_key[(plan.branch.org_id, plan.planned_start, plan.topic)]
        assert planned_content(plan, meeting_id) == versions[meeting_id], plan.topic
        compared += 1
    assert compared == sealed
    # Whoever the minutes name as chair came to the meeting (copied minutes, a
    # deliberate defect, name another branch's chair and are left out).
    texts = Counter(Meeting.objects.exclude(minutes="").values_list("minutes", flat=True))
    for meeting in Meeting.objects.exclude(minutes="").prefetch_related("attendance"):
        if texts[meeting.minutes] > 1:
            continue
        chair = (
            meeting.minutes.split("会议由", 1)[1].split("同志主持", 1)[0]
            if "同志主持" in meeting.minutes
            else ""
        )
        if chair:
            present = {row.person_name for row in meeting.attendance.all() if row.status == "present"}
            assert chair in present, (meeting.pk, chair)


@pytest.mark.django_db
def test_bulk_records_verify_and_are_deterministic():
    today = timezone.localdate()
    summary = build_demo(size="small", jurisdictions=["VN"], seed=4, today=today, writer="bulk")
    root = Organization.objects.get(code="VN-ND")
    _assert_every_branch_has_a_year(root, today)
    _assert_defects(summary.records, "VN")
    assert AuditEvent.objects.filter(action="demo.records").count() == 1
    result = audit_verify()
    assert result.ok, result.seal_problems[:3]
    # Same seed, same plan (what was written); another seed, other records.
    written = sorted(Meeting.objects.values_list("org__code", "planned_start", "topic", "status", "minutes"))

    def fingerprint(plans):
        codes = dict(Organization.objects.values_list("pk", "code"))
        return sorted((codes[p.branch.org_id], p.planned_start, p.topic, p.target, p.minutes) for p in plans)

    assert fingerprint(_plans(root, "VN", 4, today)) == written
    assert fingerprint(_plans(root, "VN", 5, today)) != written


@pytest.mark.django_db
def test_scaled_province_has_records_for_every_branch():
    today = timezone.localdate()
    summary = build_demo(size="province", jurisdictions=["CN"], seed=5, today=today, scale=0.01)
    root = Organization.objects.get(code="CN-HN")
    _assert_every_branch_has_a_year(root, today)
    _assert_defects(summary.records, "CN")
    assert summary.records.seal_events == Meeting.objects.filter(status=MeetingStatus.SEALED).count()
    result = audit_verify()
    assert result.ok, result.seal_problems[:3]
