"""The meetings API: a whole lifecycle as the branch secretary, and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orglife.meetings.models import FollowUpItem, Meeting, MeetingVersion
from orglife.meetings.tests.factories import add_members, plan, sealed


def _client(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def roster(org_tree):
    return add_members(org_tree.branch_a1, full=4, probationary=1, candidates=1)


def test_lifecycle_through_the_api_as_the_branch_secretary(personas, roster):
    api = _client(personas.branch_secretary)
    start = timezone.now() - timedelta(days=1)
    # plan
    created = api.post(
        "/api/meetings/",
        {
            "org": "BA1",
            "topic": "支部党员大会",
            "types": ["general_meeting", "party_lecture"],
            "planned_start": start.isoformat(),
            "planned_end": (start + timedelta(hours=2)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    assert len(created.json()["attendance"]) == 5
    base = f"/api/meetings/{meeting_id}"
    # hold, roll call, agenda, resolution, vote
    assert (
        api.post(
            f"{base}/held/",
            {"actual_start": start.isoformat(), "actual_end": (start + timedelta(hours=2)).isoformat()},
            format="json",
        ).status_code
        == 200
    )
    entries = [{"person": row["person"], "status": "present"} for row in created.json()["attendance"]]
    assert api.post(f"{base}/attendance/", {"entries": entries}, format="json").status_code == 200
    agenda = {
        "items": [
            {"title": "学习最新中央文件", "is_first_item": True},
            {"title": "讨论接收预备党员"},
        ],
        "minutes": "会议记录",
    }
    assert api.post(f"{base}/agenda/", agenda, format="json").status_code == 200
    resolution = {"text": "接收为预备党员，报上级党委审批", "owner_name": "组织委员", "due_on": "2030-01-31"}
    assert api.post(f"{base}/resolutions/", resolution, format="json").status_code == 200
    candidate = roster[-1]
    vote = api.post(
        f"{base}/votes/",
        {"kind": "admission", "subjects": [candidate.pk], "agenda_order": 2, "votes_for": 4},
        format="json",
    )
    assert vote.status_code == 200, vote.content
    assert vote.json()["votes"][0]["passed"] is True
    # finalize: sealed with findings
    finalized = api.post(f"{base}/finalize/", {}, format="json")
    assert finalized.status_code == 200, finalized.content
    assert finalized.json()["meeting"]["status"] == "sealed"
    assert {f["rule_id"] for f in finalized.json()["findings"]} >= {"cn.gm.quorum"}
    # writes after sealing are refused; an amendment makes version 2
    assert api.post(f"{base}/agenda/", {"minutes": "改"}, format="json").status_code == 400
    amended = api.post(
        f"{base}/amend/",
        {"reason": "地点记录有误", "changes": {"fields": {"place": "村委会议室"}}},
        format="json",
    )
    assert amended.status_code == 200, amended.content
    assert amended.json()["number"] == 2
    versions = api.get(f"{base}/versions/").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["changes"] == [{"field": "meeting.place", "before": "", "after": "村委会议室"}]
    # follow-up tracked after sealing
    item = FollowUpItem.objects.get()
    patched = api.patch(f"/api/follow-ups/{item.pk}/", {"status": "done", "outcome": "已批准"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["closed_on"] is not None


def test_finalize_answers_400_with_the_findings(personas, roster):
    meeting = plan(roster[0].org)
    api = _client(personas.branch_secretary)
    base = f"/api/meetings/{meeting.pk}"
    start = timezone.now() - timedelta(days=1)
    api.post(
        f"{base}/held/",
        {"actual_start": start.isoformat(), "actual_end": (start + timedelta(hours=2)).isoformat()},
        format="json",
    )
    # when nobody is recorded present
    entries = [{"person": p.pk, "status": "absent"} for p in roster if p.status in ("full", "probationary")]
    api.post(f"{base}/attendance/", {"entries": entries}, format="json")
    response = api.post(f"{base}/finalize/", {}, format="json")
    # then
    assert response.status_code == 400
    blocking = {f["rule_id"]: f for f in response.json()["blocking"]}
    assert set(blocking) == {
        "cn.gm.quorum",
        "meeting.minutes_present",
        "meeting.resolution_present",
        "cn.meeting.first_item",
    }
    assert "cn.gm.quorum" in blocking["cn.gm.quorum"]["message"]
    assert "0 of 4" in blocking["cn.gm.quorum"]["message"]
    assert Meeting.objects.get(pk=meeting.pk).status == "held"


def test_joint_vote_on_two_people_is_refused_through_the_api(personas, org_tree):
    people = add_members(org_tree.branch_a1, full=3, candidates=2)
    meeting = plan(org_tree.branch_a1)
    response = _client(personas.branch_secretary).post(
        f"/api/meetings/{meeting.pk}/votes/",
        {"kind": "admission", "subjects": [p.pk for p in people[-2:]], "votes_for": 3},
        format="json",
    )
    assert response.status_code == 400
    assert "cn.recruit.admission_vote" in response.content.decode()


def test_sibling_secretary_gets_404_and_member_403(personas, org_tree):
    add_members(org_tree.branch_a1, full=2)
    meeting = sealed(org_tree.branch_a1)
    sibling = _client(personas.sibling_secretary)
    member = _client(personas.member)
    assert sibling.get(f"/api/meetings/{meeting.pk}/").status_code == 404
    assert sibling.post(f"/api/meetings/{meeting.pk}/amend/", {}, format="json").status_code == 404
    assert member.get(f"/api/meetings/{meeting.pk}/").status_code == 200
    assert member.get(f"/api/meetings/{meeting.pk}/versions/").status_code == 200
    refused = member.post(
        f"/api/meetings/{meeting.pk}/amend/",
        {"reason": "x", "changes": {"fields": {"place": "y"}}},
        format="json",
    )
    assert refused.status_code == 403
    assert MeetingVersion.objects.count() == 1


def test_list_filters_by_subtree_status_type_and_date(personas, org_tree):
    add_members(org_tree.branch_a1, full=2)
    planned = plan(org_tree.branch_a1, types=("theme_day",))
    done = sealed(org_tree.branch_a1)
    api = _client(personas.province_admin)
    today = timezone.localdate()

    def ids(**params):
        return {row["id"] for row in api.get("/api/meetings/", params).json()["results"]}

    assert ids(org="DA") == {planned.pk, done.pk}
    assert ids(org="DB") == set()
    assert ids(status="sealed") == {done.pk}
    assert ids(type="theme_day") == {planned.pk}
    assert ids(date_from=(today - timedelta(days=3)).isoformat(), date_to=today.isoformat()) == {
        planned.pk,
        done.pk,
    }
    assert ids(date_from=today.isoformat()) == set()


def test_activity_types_by_jurisdiction(personas):
    response = _client(personas.member).get("/api/activity-types/", {"jurisdiction": "VN"})
    codes = {row["code"] for row in response.json()["results"]}
    assert codes == {
        "regular_meeting",
        "committee_meeting",
        "thematic_meeting",
        "group_meeting",
        "review_meeting",
        "congress",
    }
    response = _client(personas.member).get(
        "/api/activity-types/", {"jurisdiction": "CN"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    names = {row["code"]: row["name"] for row in response.json()["results"]}
    assert len(names) == 10
