"""Meeting services: plan, hold, record, vote, finalize, seal, amend, verify."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_verify
from orglife.meetings import services
from orglife.meetings.choices import FollowUpStatus, MeetingStatus
from orglife.meetings.models import AgendaItem, Attendance, FollowUpItem, Meeting, MeetingVersion
from orglife.meetings.selectors import followup_open_for_branch, meeting_versions
from orglife.meetings.tests.factories import (
    add_members,
    everyone,
    moment,
    plan,
    ready_to_finalize,
    sealed,
    vn_branch,
)


@pytest.fixture
def branch(org_tree):
    add_members(org_tree.branch_a1, full=4, probationary=2)
    return org_tree.branch_a1


def test_plan_prefills_expected_attendees_from_the_roster(org_tree, personas, branch):
    # given a joint branch with one full member and a removed person in the host branch
    add_members(org_tree.branch_a2, full=1)
    add_members(branch, candidates=1)
    # when
    meeting = plan(branch, actor=personas.district_organizer, joint_branches=[org_tree.branch_a2])
    # then members (not candidates) of both branches are expected; only full members vote
    rows = Attendance.objects.filter(meeting=meeting)
    assert rows.count() == 7
    assert rows.filter(voting_right=True).count() == 5
    assert rows.filter(branch=org_tree.branch_a2).count() == 1
    assert set(rows.values_list("status", flat=True)) == {"pending"}
    assert AuditEvent.objects.filter(action="meetings.plan", object_id=str(meeting.pk)).count() == 1


def test_plan_refuses_joint_branch_of_another_jurisdiction(org_tree, branch):
    other = vn_branch()
    with pytest.raises(ValidationError, match="same jurisdiction"):
        plan(branch, joint_branches=[other])


def test_plan_refuses_unknown_type_and_naive_times(branch):
    with pytest.raises(ValidationError, match="regular_meeting"):
        plan(branch, types=("regular_meeting",))
    with pytest.raises(ValidationError):
        services.meeting_plan(
            actor=None,
            org=branch,
            topic="x",
            type_codes=["general_meeting"],
            planned_start=moment().replace(tzinfo=None),
            planned_end=moment(hour=21),
        )


def test_member_and_sibling_secretary_cannot_plan(personas, branch):
    for user in (personas.member, personas.sibling_secretary):
        with pytest.raises(PermissionDenied):
            plan(branch, actor=user)
    assert not Meeting.objects.exists()


def test_roll_call_records_statuses_and_needs_excuse_reasons(personas, branch):
    meeting = plan(branch, actor=personas.branch_secretary)
    entries = everyone(meeting)
    entries[0] = {"person": entries[0]["person"], "status": "excused"}
    with pytest.raises(ValidationError, match="reason"):
        services.attendance_record(actor=personas.branch_secretary, meeting=meeting, entries=entries)
    entries[0]["excuse_reason"] = "出差"
    entries[1] = {"person": entries[1]["person"], "status": "present", "arrived_late_minutes": 10}
    counts = services.attendance_record(actor=personas.branch_secretary, meeting=meeting, entries=entries)
    assert counts == {"excused": 1, "present": 5}
    assert Attendance.objects.get(meeting=meeting, person_id=entries[1]["person"]).arrived_late_minutes == 10


def test_full_lifecycle_seals_version_one(personas, branch):
    # given a meeting held, roll-called, minuted, with a resolution
    meeting = ready_to_finalize(branch, actor=personas.branch_secretary)
    assert meeting.status == MeetingStatus.MINUTED
    # when finalized
    meeting, findings = services.meeting_finalize(actor=personas.branch_secretary, meeting=meeting)
    # then sealed with version 1, audited with the content hash
    assert meeting.status == MeetingStatus.SEALED
    version = MeetingVersion.objects.get(meeting=meeting)
    assert version.number == 1
    event = AuditEvent.objects.get(action="meetings.seal", object_id=str(meeting.pk))
    assert event.data["content_hash"] == version.content_hash
    assert event.data["version"] == 1
    assert {f.rule_id for f in findings} >= {"cn.gm.quorum", "meeting.attendance_recorded"}
    assert all(f.passed for f in findings)
    assert audit_verify().ok is True


def test_two_probationary_members_in_one_vote_are_refused_naming_the_rule(personas, branch):
    # given two development candidates
    candidates = add_members(branch, candidates=2)
    meeting = ready_to_finalize(branch, actor=personas.branch_secretary)
    # when one vote tries to admit both
    with pytest.raises(ValidationError) as caught:
        services.vote_record(
            actor=personas.branch_secretary,
            meeting=meeting,
            kind="admission",
            subjects=candidates,
            votes_for=4,
        )
    # then the message names the rule and its source, and nothing is stored
    text = str(caught.value)
    assert "cn.recruit.admission_vote" in text
    assert "细则 Art. 20" in text
    assert not meeting.votes.exists()


def test_cn_admission_passes_counting_written_opinions(personas, branch):
    candidate = add_members(branch, candidates=1)[0]
    meeting = plan(branch, actor=personas.branch_secretary)
    entries = everyone(meeting)
    full_ids = list(
        Attendance.objects.filter(meeting=meeting, voting_right=True).values_list("person_id", flat=True)
    )
    # 3 of 4 full members present; one absent sent a written yes
    entries = [
        {"person": e["person"], "status": "absent" if e["person"] == full_ids[0] else "present"}
        for e in entries
    ]
    services.attendance_record(actor=personas.branch_secretary, meeting=meeting, entries=entries)
    # 2 yes of 4 entitled is not more than half; with one written yes it is
    failed = services.vote_record(
        actor=personas.branch_secretary,
        meeting=meeting,
        kind="admission",
        subjects=[candidate],
        votes_for=2,
        votes_against=1,
    )
    passed = services.vote_record(
        actor=personas.branch_secretary,
        meeting=meeting,
        kind="admission",
        subjects=[candidate],
        votes_for=2,
        votes_against=1,
        written_for=1,
    )
    assert (failed.eligible_voters, failed.present_voters) == (4, 3)
    assert failed.passed is False
    assert passed.passed is True
    assert passed.rule_id == "cn.recruit.admission_vote"


def test_general_meeting_with_half_present_cannot_be_sealed(personas, branch):
    # given 4 voting members of which only 2 are present (half, not more than half)
    meeting = ready_to_finalize(branch, actor=personas.branch_secretary)
    voting = list(
        Attendance.objects.filter(meeting=meeting, voting_right=True).values_list("person_id", flat=True)
    )
    services.attendance_record(
        actor=personas.branch_secretary,
        meeting=meeting,
        entries=[{"person": pid, "status": "absent"} for pid in voting[:2]],
    )
    # when
    with pytest.raises(services.MeetingChecksFailed) as caught:
        services.meeting_finalize(actor=personas.branch_secretary, meeting=meeting)
    # then the message names the rule and the source
    assert [f.rule_id for f in caught.value.findings] == ["cn.gm.quorum"]
    text = " ".join(caught.value.messages)
    assert "2 of 4 voting members present" in text
    assert "cn.gm.quorum" in text
    assert "中国共产党支部工作条例" in text
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.MINUTED
    assert not MeetingVersion.objects.exists()


def test_cn_election_needs_more_than_four_fifths(personas, org_tree):
    add_members(org_tree.branch_a1, full=10)
    meeting = plan(org_tree.branch_a1, types=("general_meeting", "election"), actor=personas.branch_secretary)
    voting = list(Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    # 8 of 10 present: exactly 4/5 is not enough
    services.attendance_record(
        actor=personas.branch_secretary,
        meeting=meeting,
        entries=[{"person": pid, "status": "present" if i < 8 else "absent"} for i, pid in enumerate(voting)],
    )
    invalid = services.election_record(
        actor=personas.branch_secretary,
        meeting=meeting,
        title="支部委员会",
        seats=1,
        ballots_issued=8,
        ballots_returned=8,
        ballots_valid=8,
        candidates=[{"name": "甲", "votes": 7}, {"name": "乙", "votes": 1}],
    )
    assert invalid.is_valid is False
    assert not invalid.candidates.filter(elected=True).exists()
    # 9 of 10: valid; 5 of 9 present is more than half
    valid = services.election_record(
        actor=personas.branch_secretary,
        meeting=meeting,
        title="支部委员会（重新选举）",
        seats=1,
        ballots_issued=9,
        ballots_returned=9,
        ballots_valid=9,
        present_voters=9,
        candidates=[{"name": "甲", "votes": 5}, {"name": "乙", "votes": 4}],
    )
    assert valid.is_valid is True
    assert list(valid.candidates.filter(elected=True).values_list("name", flat=True)) == ["甲"]


def test_vn_admission_needs_two_thirds_of_full_members(db):
    branch = vn_branch()
    add_members(branch, full=9)
    candidate = add_members(branch, candidates=1)[0]
    meeting = plan(branch, types=("regular_meeting",))
    services.attendance_record(actor=None, meeting=meeting, entries=everyone(meeting))
    five = services.vote_record(
        actor=None, meeting=meeting, kind="admission", subjects=[candidate], votes_for=5
    )
    six = services.vote_record(
        actor=None, meeting=meeting, kind="admission", subjects=[candidate], votes_for=6
    )
    assert five.passed is False
    assert six.passed is True
    assert six.rule_id == "vn.vote.two_thirds"
    with pytest.raises(ValidationError, match="vn.vote.two_thirds"):
        services.vote_record(actor=None, meeting=meeting, kind="conversion", subjects=[], votes_for=9)


@pytest.mark.parametrize(
    ("types", "minutes", "passed"),
    [
        pytest.param(("regular_meeting",), 89, False, id="regular_89_short"),
        pytest.param(("regular_meeting",), 90, True, id="regular_90_ok"),
        pytest.param(("regular_meeting", "thematic_meeting"), 110, False, id="combined_110_short"),
        pytest.param(("regular_meeting", "thematic_meeting"), 120, True, id="combined_120_ok"),
    ],
)
def test_vn_regular_meeting_duration(db, types, minutes, passed):
    branch = vn_branch()
    add_members(branch, full=3)
    meeting = ready_to_finalize(branch, types=types, minutes=minutes)
    if passed:
        services.meeting_finalize(actor=None, meeting=meeting)
        return
    with pytest.raises(services.MeetingChecksFailed) as caught:
        services.meeting_finalize(actor=None, meeting=meeting)
    assert [f.rule_id for f in caught.value.findings] == ["vn.chibo.duration"]
    assert "HD 42-HD/BTCTW" in " ".join(caught.value.messages)


def test_should_rule_needs_a_recorded_reason(personas, branch):
    # given a general meeting without a first agenda item
    meeting = ready_to_finalize(branch, actor=personas.branch_secretary)
    services.agenda_set(actor=personas.branch_secretary, meeting=meeting, items=[{"title": "讨论本月工作"}])
    # when finalized without a reason: refused
    with pytest.raises(services.MeetingChecksFailed) as caught:
        services.meeting_finalize(actor=personas.branch_secretary, meeting=meeting)
    assert [f.rule_id for f in caught.value.findings] == ["cn.meeting.first_item"]
    # with a reason: sealed, and the reason is part of the sealed record
    meeting, _findings = services.meeting_finalize(
        actor=personas.branch_secretary,
        meeting=meeting,
        should_reasons={"cn.meeting.first_item": "本次为专题会议"},
    )
    assert meeting.should_reasons == {"cn.meeting.first_item": "本次为专题会议"}
    version = MeetingVersion.objects.get(meeting=meeting)
    assert version.content["meeting"]["should_reasons"] == {"cn.meeting.first_item": "本次为专题会议"}


def test_every_write_after_sealing_is_refused(personas, branch):
    meeting = sealed(branch, actor=personas.branch_secretary)
    secretary = personas.branch_secretary
    person_id = meeting.attendance.first().person_id
    writes = [
        lambda: services.meeting_update_plan(actor=secretary, meeting=meeting, topic="改"),
        lambda: services.meeting_record_held(
            actor=secretary, meeting=meeting, actual_start=moment(), actual_end=moment(hour=22)
        ),
        lambda: services.attendance_record(
            actor=secretary, meeting=meeting, entries=[{"person": person_id, "status": "absent"}]
        ),
        lambda: services.guest_add(actor=secretary, meeting=meeting, name="王主任"),
        lambda: services.agenda_set(actor=secretary, meeting=meeting, minutes="改"),
        lambda: services.resolution_add(actor=secretary, meeting=meeting, text="新决议"),
        lambda: services.vote_record(actor=secretary, meeting=meeting, kind="motion", votes_for=1),
        lambda: services.meeting_finalize(actor=secretary, meeting=meeting),
    ]
    events = AuditEvent.objects.count()
    for write in writes:
        with pytest.raises(ValidationError, match="sealed"):
            write()
    assert AuditEvent.objects.count() == events
    assert MeetingVersion.objects.count() == 1


def test_amendment_creates_version_two_and_the_history_shows_both(personas, branch):
    meeting = sealed(branch, actor=personas.branch_secretary)
    person_id = Attendance.objects.filter(meeting=meeting, voting_right=False).first().person_id
    # when amended with a reason
    version = services.meeting_amend(
        actor=personas.branch_secretary,
        meeting=meeting,
        reason="记录有误：该同志请假",
        changes={
            "attendance": [{"person": person_id, "status": "excused", "excuse_reason": "病假"}],
            "fields": {"minutes": "会议记录（更正）"},
        },
    )
    # then version 2 with the reason and actor, audited
    assert version.number == 2
    assert version.amendment_reason == "记录有误：该同志请假"
    assert version.sealed_by == personas.branch_secretary
    event = AuditEvent.objects.get(action="meetings.amend", object_id=str(meeting.pk))
    assert event.data["content_hash"] == version.content_hash
    history = meeting_versions(actor=personas.member, meeting=meeting)
    assert [entry["number"] for entry in history] == [1, 2]
    changes = {entry["field"]: (entry["before"], entry["after"]) for entry in history[1]["changes"]}
    assert changes[f"attendance.{person_id}.status"] == ("present", "excused")
    assert changes["meeting.minutes"] == ("会议记录", "会议记录（更正）")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.SEALED
    assert audit_verify().ok is True


def test_amendment_needs_a_reason_and_a_change(personas, branch):
    meeting = sealed(branch, actor=personas.branch_secretary)
    with pytest.raises(ValidationError, match="reason"):
        services.meeting_amend(
            actor=personas.branch_secretary, meeting=meeting, reason=" ", changes={"fields": {"place": "x"}}
        )
    with pytest.raises(ValidationError, match="changes nothing"):
        services.meeting_amend(
            actor=personas.branch_secretary, meeting=meeting, reason="r", changes={"fields": {}}
        )
    with pytest.raises(PermissionDenied):
        services.meeting_amend(
            actor=personas.member, meeting=meeting, reason="r", changes={"fields": {"place": "x"}}
        )
    assert MeetingVersion.objects.count() == 1


@pytest.mark.parametrize("model", [Attendance, AgendaItem])
def test_direct_database_edit_of_a_sealed_meeting_is_reported(personas, branch, capsys, model):
    # given a sealed meeting
    meeting = sealed(branch, actor=personas.branch_secretary)
    call_command("verify-audit")
    # when a content row is edited behind the application's back
    if model is Attendance:
        Attendance.objects.filter(meeting=meeting).update(status="absent")
    else:
        AgendaItem.objects.filter(meeting=meeting).update(title="篡改")
    # then verify-audit exits 1 naming the meeting and version
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify-audit")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"meeting #{meeting.pk}" in err
    assert "version 1" in err
    assert audit_verify().seal_problems


def test_direct_edit_of_a_sealed_version_is_reported(personas, branch):
    meeting = sealed(branch, actor=personas.branch_secretary)
    version = MeetingVersion.objects.get(meeting=meeting)
    content = dict(version.content)
    content["meeting"] = {**content["meeting"], "topic": "篡改"}
    MeetingVersion.objects.filter(pk=version.pk).update(content=content)
    result = audit_verify()
    assert result.ok is False
    assert result.chain_ok is True
    assert any("stored content no longer matches" in problem for problem in result.seal_problems)


def test_follow_up_is_tracked_after_sealing_and_listed_until_closed(personas, branch):
    meeting = sealed(branch, actor=personas.branch_secretary)
    item = FollowUpItem.objects.get(resolution__meeting=meeting)
    assert list(followup_open_for_branch(actor=personas.member, org=branch)) == [item]
    # progress is recorded after sealing without touching the seal
    services.followup_update(
        actor=personas.branch_secretary, follow_up=item, status=FollowUpStatus.DONE, outcome="已完工"
    )
    item.refresh_from_db()
    assert item.closed_on == timezone.localdate()
    assert not followup_open_for_branch(actor=personas.member, org=branch).exists()
    assert audit_verify().ok is True
    with pytest.raises(PermissionDenied):
        services.followup_update(actor=personas.member, follow_up=item, status="open")


def test_ballots_are_secret_no_model_links_a_voter_to_a_choice():
    # Vote and election rows are tallies: none of them has a relation to a
    # person other than the subject of the vote or the candidate.
    allowed = {("Vote", "subject_person"), ("ElectionCandidate", "person")}
    for model in apps.get_app_config("meetings").get_models():
        if model.__name__ not in {"Vote", "Election", "ElectionCandidate"}:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None or not field.concrete:
                continue
            if related._meta.label in {"people.Person", "auth.User", "accounts.User"}:
                assert (model.__name__, field.name) in allowed
    names = {model.__name__.lower() for model in apps.get_app_config("meetings").get_models()}
    assert not {name for name in names if "ballot" in name or "voter" in name or "choice" in name}


def test_cancel_a_planned_meeting(personas, branch):
    meeting = plan(branch, actor=personas.branch_secretary)
    meeting = services.meeting_cancel(actor=personas.branch_secretary, meeting=meeting, reason="台风")
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.guest_add(actor=personas.branch_secretary, meeting=meeting, name="x")


def test_finalize_needs_the_meeting_held(personas, branch):
    meeting = plan(branch, actor=personas.branch_secretary)
    with pytest.raises(ValidationError, match="held"):
        services.meeting_finalize(actor=personas.branch_secretary, meeting=meeting)


def test_update_plan_detects_a_concurrent_change(personas, branch):
    meeting = plan(branch, actor=personas.branch_secretary)
    services.meeting_update_plan(
        actor=personas.branch_secretary, meeting=meeting, expected_version=1, place="会议室"
    )
    with pytest.raises(ValidationError, match="meanwhile"):
        services.meeting_update_plan(
            actor=personas.branch_secretary, meeting=meeting, expected_version=1, place="礼堂"
        )
    meeting.refresh_from_db()
    assert meeting.place == "会议室"
    assert meeting.planned_end - meeting.planned_start == timedelta(hours=2)
