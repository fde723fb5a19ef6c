"""The meeting pages: status codes, htmx fragments, scope and query budgets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orglife.conftest import OrgTree, Personas
from orglife.meetings import services
from orglife.meetings.models import Meeting
from orglife.meetings.tests.factories import add_members, moment, plan, ready_to_finalize, sealed

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def secretary(personas: Personas) -> Client:
    return client_for(personas.branch_secretary)


@pytest.fixture
def meeting(org_tree: OrgTree) -> Meeting:
    add_members(org_tree.branch_a1, full=6, probationary=2)
    return plan(org_tree.branch_a1)


def test_list_shows_branch_meetings_and_plan_link(secretary: Client, meeting: Meeting) -> None:
    response = secretary.get(reverse("meetings:meeting_list"), {"org": "BA1"})
    assert response.status_code == 200
    assert meeting.topic in response.content.decode()
    assert 'id="plan-meeting"' in response.content.decode()


def test_list_filters_by_status_and_month(secretary: Client, meeting: Meeting, org_tree: OrgTree) -> None:
    start = timezone.localtime(meeting.planned_start)
    response = secretary.get(
        reverse("meetings:meeting_list"), {"year": start.year, "month": start.month, "status": "sealed"}
    )
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    fragment = secretary.get(reverse("meetings:meeting_list"), {"status": "planned"}, **HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert meeting.topic in fragment.content.decode()


def test_member_sees_no_plan_link(personas: Personas, meeting: Meeting) -> None:
    response = client_for(personas.member).get(reverse("meetings:meeting_list"), {"org": "BA1"})
    assert response.status_code == 200
    assert 'id="plan-meeting"' not in response.content.decode()


def test_plan_form_is_prefilled_from_previous_meeting(secretary: Client, org_tree: OrgTree) -> None:
    plan(org_tree.branch_a1, types=("theme_day", "party_lecture"), place="党员活动室")
    response = secretary.get(reverse("meetings:meeting_plan"), {"org": "BA1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["place"] == "党员活动室"
    assert sorted(form.initial["types"]) == ["party_lecture", "theme_day"]
    assert form.initial["start"].hour == 19


def test_plan_post_creates_meeting(secretary: Client, org_tree: OrgTree) -> None:
    add_members(org_tree.branch_a1, full=3)
    day = timezone.localdate() - timedelta(days=1)
    response = secretary.post(
        reverse("meetings:meeting_plan"),
        {
            "org": "BA1",
            "topic": "月度会",
            "types": ["general_meeting"],
            "day": day,
            "start": "09:00",
            "end": "11:00",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(topic="月度会")
    assert meeting.attendance.count() == 3


def test_plan_refusal_keeps_the_form(secretary: Client, org_tree: OrgTree) -> None:
    response = secretary.post(
        reverse("meetings:meeting_plan"),
        {
            "org": "BA1",
            "topic": "x",
            "types": ["general_meeting"],
            "day": "2026-01-01",
            "start": "11:00",
            "end": "09:00",
        },
    )
    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()


def test_sibling_secretary_gets_404_and_member_403(personas: Personas, meeting: Meeting) -> None:
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert client_for(personas.sibling_secretary).get(url).status_code == 404
    member = client_for(personas.member)
    assert member.get(url).status_code == 200
    held = reverse("meetings:meeting_held", args=[meeting.pk])
    assert member.post(held, {"day": "2026-01-01", "start": "09:00", "end": "10:00"}).status_code == 403
    assert client_for(personas.sibling_secretary).post(held, {}).status_code == 404


def test_member_page_is_read_only(personas: Personas, meeting: Meeting) -> None:
    content = client_for(personas.member).get(reverse("meetings:meeting_detail", args=[meeting.pk])).content
    assert b'id="held-save"' not in content
    assert b'id="seal"' not in content


def test_detail_defaults_roll_call_to_present_and_prefills_first_item(
    secretary: Client, meeting: Meeting
) -> None:
    response = secretary.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    statuses = {row["status"] for row in response.context["attendance"]}
    assert statuses == {"present"}
    first = response.context["agenda_rows"][0]
    assert first["first"] is True
    assert first["title"]


def test_held_htmx_returns_fragment_with_oob_parts(secretary: Client, meeting: Meeting) -> None:
    day = timezone.localdate() - timedelta(days=2)
    response = secretary.post(
        reverse("meetings:meeting_held", args=[meeting.pk]),
        {"day": day.isoformat(), "start": "19:00", "end": "21:00", "version": meeting.version},
        **HTMX,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="section-held"' in content
    assert "<html" not in content
    assert 'id="meeting-header" class="mb-3" hx-swap-oob="true"' in content
    assert 'id="meeting-version"' in content
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_stale_version_is_a_conflict(secretary: Client, meeting: Meeting) -> None:
    day = timezone.localdate() - timedelta(days=2)
    url = reverse("meetings:meeting_held", args=[meeting.pk])
    data = {"day": day.isoformat(), "start": "19:00", "end": "21:00", "version": meeting.version}
    assert secretary.post(url, data, **HTMX).status_code == 200
    response = secretary.post(url, {**data, "end": "21:30"}, **HTMX)
    assert "Someone else changed this meeting meanwhile" in response.content.decode()


def test_roll_call_records_excused_with_reason(secretary: Client, meeting: Meeting) -> None:
    rows = list(meeting.attendance.all())
    data: dict[str, Any] = {"person": [row.person_id for row in rows]}
    data[f"status_{rows[0].person_id}"] = "excused"
    data[f"reason_{rows[0].person_id}"] = "出差"
    data[f"status_{rows[1].person_id}"] = "absent"
    data[f"late_{rows[2].person_id}"] = "10"
    response = secretary.post(reverse("meetings:meeting_attendance", args=[meeting.pk]), data, **HTMX)
    assert response.status_code == 200
    statuses = dict(meeting.attendance.values_list("person_id", "status"))
    assert statuses[rows[0].person_id] == "excused"
    assert statuses[rows[1].person_id] == "absent"
    assert list(statuses.values()).count("present") == len(rows) - 2
    assert meeting.attendance.get(person_id=rows[2].person_id).arrived_late_minutes == 10


def test_excused_without_reason_is_refused_and_keeps_input(secretary: Client, meeting: Meeting) -> None:
    row = meeting.attendance.first()
    assert row is not None
    data = {"person": [row.person_id], f"status_{row.person_id}": "excused"}
    response = secretary.post(reverse("meetings:meeting_attendance", args=[meeting.pk]), data, **HTMX)
    assert "An excused absence needs its reason." in response.content.decode()
    assert response.context["attendance"][0]["status"] in {"excused", "present"}


def test_two_people_in_one_conversion_vote_is_refused_with_rule(secretary: Client, org_tree: OrgTree) -> None:
    add_members(org_tree.branch_a1, full=4, probationary=2)
    meeting = ready_to_finalize(org_tree.branch_a1)
    probationary = [row.person_id for row in meeting.attendance.filter(voting_right=False)]
    response = secretary.post(
        reverse("meetings:meeting_vote", args=[meeting.pk]),
        {"kind": "conversion", "subjects": probationary, "votes_for": 4},
        **HTMX,
    )
    content = response.content.decode()
    assert "cn.recruit.admission_vote" in content
    assert meeting.votes.count() == 0


def test_finalize_without_quorum_is_refused_with_rule_and_source(
    secretary: Client, org_tree: OrgTree
) -> None:
    add_members(org_tree.branch_a1, full=4)
    meeting = plan(org_tree.branch_a1)
    services.meeting_record_held(
        actor=None, meeting=meeting, actual_start=moment(), actual_end=moment(hour=21)
    )
    rows = list(meeting.attendance.all())
    entries = [
        {"person": r.person_id, "status": "absent" if i < 2 else "present"} for i, r in enumerate(rows)
    ]
    services.attendance_record(actor=None, meeting=meeting, entries=entries)
    response = secretary.post(reverse("meetings:meeting_finalize", args=[meeting.pk]), {}, **HTMX)
    content = response.content.decode()
    assert "cn.gm.quorum" in content
    assert "Art. 11" in content
    meeting.refresh_from_db()
    assert meeting.status != "sealed"


def test_should_rule_needs_a_reason(secretary: Client, org_tree: OrgTree) -> None:
    add_members(org_tree.branch_a1, full=3)
    meeting = ready_to_finalize(org_tree.branch_a1)
    services.agenda_set(actor=None, meeting=meeting, items=[{"title": "讨论"}])
    url = reverse("meetings:meeting_finalize", args=[meeting.pk])
    refused = secretary.post(url, {}, **HTMX)
    assert "cn.meeting.first_item" in refused.content.decode()
    sealed_response = secretary.post(url, {"reason_cn.meeting.first_item": "上周已学习"}, **HTMX)
    assert sealed_response.status_code == 204
    assert sealed_response["HX-Redirect"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == "sealed"
    assert meeting.should_reasons == {"cn.meeting.first_item": "上周已学习"}


def test_sealed_page_shows_hash_and_amend_then_history(secretary: Client, org_tree: OrgTree) -> None:
    add_members(org_tree.branch_a1, full=3)
    meeting = sealed(org_tree.branch_a1)
    page = secretary.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert page.context["latest_version"]["content_hash"] in page.content.decode()
    assert b'id="held-save"' not in page.content
    response = secretary.post(
        reverse("meetings:meeting_amend", args=[meeting.pk]), {"reason": "地点有误", "place": "会议室"}
    )
    assert response.status_code == 302
    history = secretary.get(reverse("meetings:meeting_history", args=[meeting.pk]))
    assert history.status_code == 200
    fields = [row["field"] for row in history.context["rows"]]
    assert "meeting.place" in fields
    assert b"history-changed" in history.content


def test_amend_without_reason_is_refused(secretary: Client, org_tree: OrgTree) -> None:
    add_members(org_tree.branch_a1, full=3)
    meeting = sealed(org_tree.branch_a1)
    response = secretary.post(reverse("meetings:meeting_amend", args=[meeting.pk]), {"place": "会议室"})
    assert response.status_code == 400


def test_follow_up_update_inline(secretary: Client, org_tree: OrgTree) -> None:
    add_members(org_tree.branch_a1, full=3)
    earlier = sealed(org_tree.branch_a1)
    item = earlier.resolutions.get().follow_up
    later = plan(org_tree.branch_a1)
    page = secretary.get(reverse("meetings:meeting_detail", args=[later.pk]))
    assert item.title in page.content.decode()
    response = secretary.post(
        reverse("meetings:followup_update", args=[item.pk]),
        {"status": "done", "outcome": "已完成", "version": item.version},
        **HTMX,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == "done"
    stale = secretary.post(
        reverse("meetings:followup_update", args=[item.pk]), {"status": "open", "version": 1}, **HTMX
    )
    assert "Someone else changed this item meanwhile" in stale.content.decode()


def test_query_budgets(secretary: Client, org_tree: OrgTree, django_assert_max_num_queries: Any) -> None:
    add_members(org_tree.branch_a1, full=20, probationary=2)
    for _ in range(5):
        sealed(org_tree.branch_a1)
    meeting = ready_to_finalize(org_tree.branch_a1)
    with django_assert_max_num_queries(15):
        assert secretary.get(reverse("meetings:meeting_list")).status_code == 200
    with django_assert_max_num_queries(45):
        assert secretary.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
