"""
The permission matrix: every route × method × persona, generated.

Routes come from the URL configuration (and are checked against the OpenAPI
schema); the registry below says what each route needs. A route the registry
cannot resolve fails ``test_every_route_is_covered`` and its own matrix
cases, with a message naming it. Expected statuses are computed from the
role → action table (``access/roles.py``) through ``access.scope.can``:

* UI and admin, anonymous → 302 to the login page; API, anonymous → 401;
* the object's org out of the persona's scope → 404 (as if absent);
* in scope without the action → 403;
* otherwise the endpoint's success status, and for writes exactly one audit
  event; refused requests change nothing at all.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from rest_framework.authtoken.models import Token, TokenProxy

from orglife.access.models import RoleAssignment
from orglife.access.roles import (
    BRANCH_SECRETARY,
    EXPORT_PEOPLE,
    IMPORT_PEOPLE,
    MANAGE_MEETINGS,
    MANAGE_ORGS,
    MANAGE_PEOPLE,
    MANAGE_ROLES,
    VIEW,
    VIEW_AUDIT,
    VIEW_SENSITIVE,
)
from orglife.access.scope import can
from orglife.access.testing import (
    ADMIN_FAMILY,
    API_FAMILY,
    SAFE_METHODS,
    Endpoint,
    Route,
    UnresolvedRoute,
    allowed,
    allowed_somewhere,
    always,
    db_changes,
    db_snapshot,
    iter_routes,
    outcome,
    resolve_endpoint,
    route_methods,
    schema_operations,
    schema_path_example,
    superuser_only,
    url_kwargs,
    visible,
)
from orglife.audit.models import AuditEvent
from orglife.conftest import OrgTree, Personas
from orglife.meetings.models import FollowUpItem, Meeting
from orglife.meetings.tests.factories import everyone, plan, ready_to_finalize, sealed
from orglife.orgs.models import Organization
from orglife.people.models import Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSONAS = (
    "anonymous",
    "no_role",
    "member",
    "branch_secretary",
    "sibling_secretary",
    "district_organizer",
    "province_admin",
    "superuser",
)


@dataclass
class Ctx:
    """Everything a registry entry may refer to: objects of branch BA1 and around it."""

    tree: OrgTree
    personas: Personas
    person: Person
    secretary_assignment: RoleAssignment
    group: Group

    @property
    def branch(self) -> Organization:
        return self.tree.branch_a1


@pytest.fixture
def ctx(org_tree: OrgTree, personas: Personas, person_a1: Person) -> Ctx:
    return Ctx(
        tree=org_tree,
        personas=personas,
        person=person_a1,
        secretary_assignment=RoleAssignment.objects.get(
            user=personas.branch_secretary, org=org_tree.branch_a1, role__code=BRANCH_SECRETARY
        ),
        group=Group.objects.create(name="auditors"),
    )


def _branch(ctx: Ctx) -> Organization:
    return ctx.tree.branch_a1


def _person_org(ctx: Ctx) -> Organization:
    return ctx.person.org


# Objects the path parameters name, by model: all belong to branch BA1.
FACTORIES: dict[type, Any] = {
    Organization: _branch,
    Person: lambda ctx: ctx.person,
    RoleAssignment: lambda ctx: ctx.secretary_assignment,
    # Admin pages (operators only) about accounts.
    get_user_model(): lambda ctx: ctx.personas.member,
    Group: lambda ctx: ctx.group,
    Meeting: lambda ctx: plan(ctx.branch),
    FollowUpItem: lambda ctx: FollowUpItem.objects.get(resolution__meeting=sealed(ctx.branch)),
}


def _held_meeting(ctx: Ctx) -> Meeting:
    """A BA1 meeting held two days ago with everyone present."""
    from orglife.meetings import services

    meeting = plan(ctx.branch)
    meeting = services.meeting_record_held(
        actor=None, meeting=meeting, actual_start=meeting.planned_start, actual_end=meeting.planned_end
    )
    services.attendance_record(actor=None, meeting=meeting, entries=everyone(meeting))
    return meeting


def _meeting_kwargs(make: Any) -> Any:
    return lambda ctx: {"pk": make(ctx).pk}


# ------------------------------------------------------------ list checks


def _holds_role_on_branch(user: Any, ctx: Ctx) -> bool:
    return RoleAssignment.objects.filter(user=user, org=ctx.person.org).exists()


def _sensitive_reads(user: Any, ctx: Ctx) -> dict[str, int]:
    """A read of BA1's person unmasked by someone without a role on BA1 is logged."""
    unmasked = can(user, VIEW_SENSITIVE, ctx.person.org)
    return {"people.sensitive_read": 1} if unmasked and not _holds_role_on_branch(user, ctx) else {}


def _one_export(user: Any, ctx: Ctx) -> dict[str, int]:
    """Every export appends one people.export event."""
    return {"people.export": 1}


def _exported_names(response: Any) -> list[str]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    return [str(row[0]) for row in rows[1:]]


def _check_export(response: Any, user: Any, ctx: Ctx) -> None:
    names = _exported_names(response)
    visible_names = set(Person.objects.visible_to(user, EXPORT_PEOPLE).values_list("full_name", flat=True))
    assert set(names) <= visible_names
    assert (ctx.person.full_name in names) is can(user, EXPORT_PEOPLE, ctx.person.org)


def _api_ids(response: Any) -> set[int]:
    body = response.json()
    return {row["id"] for row in body["results"]}


def _check_api_people(response: Any, user: Any, ctx: Ctx) -> None:
    ids = _api_ids(response)
    assert ids <= set(Person.objects.visible_to(user).values_list("pk", flat=True))
    assert (ctx.person.pk in ids) is can(user, VIEW, ctx.person.org)
    assert response.json()["count"] == len(ids)


def _check_api_orgs(response: Any, user: Any, ctx: Ctx) -> None:
    ids = _api_ids(response)
    assert ids == set(Organization.objects.visible_to(user).values_list("pk", flat=True))
    assert (ctx.branch.pk in ids) is can(user, VIEW, ctx.branch)


def _check_api_assignments(response: Any, user: Any, ctx: Ctx) -> None:
    ids = _api_ids(response)
    assert ids == set(RoleAssignment.objects.visible_to(user).values_list("pk", flat=True))
    assert (ctx.secretary_assignment.pk in ids) is can(user, VIEW, ctx.branch)


def _check_ui_people(response: Any, user: Any, ctx: Ctx) -> None:
    shown = {person.pk for person in response.context["page"].object_list}
    assert (ctx.person.pk in shown) is can(user, VIEW, ctx.person.org)
    assert (ctx.person.full_name in response.content.decode()) is can(user, VIEW, ctx.person.org)


def _check_ui_tree(response: Any, user: Any, ctx: Ctx) -> None:
    shown = {org.pk for org, _count in response.context["rows"]}
    assert shown <= set(Organization.objects.visible_to(user).values_list("pk", flat=True))
    if not can(user, VIEW, ctx.branch):
        assert ctx.branch.name not in response.content.decode()


def _check_ui_audit(response: Any, user: Any, ctx: Ctx) -> None:
    shown = {event.pk for event in response.context["page"].object_list}
    branch_events = set(AuditEvent.objects.filter(org=ctx.branch).values_list("pk", flat=True))
    assert branch_events
    assert shown <= set(AuditEvent.objects.visible_to(user, VIEW_AUDIT).values_list("pk", flat=True))
    assert bool(shown & branch_events) is can(user, VIEW_AUDIT, ctx.branch)


# ---------------------------------------------------------------- payloads


def _org_create_data(ctx: Ctx) -> dict[str, Any]:
    return {"parent": "BA1", "code": "BA1-G1", "name": "第一党小组", "kind": "party_group"}


def _person_create_data(ctx: Ctx) -> dict[str, Any]:
    return {"org": "BA1", "status": "applicant", "full_name": "李四", "gender": "male"}


def _role_create_data(ctx: Ctx) -> dict[str, Any]:
    return {"user": "no_role", "org": "BA1", "role": "member"}


def _status_data(ctx: Ctx) -> dict[str, Any]:
    return {"to_status": "removed", "effective_on": timezone.localdate().isoformat(), "reason": "test"}


def roster_file(rows: list[tuple[str, ...]]) -> SimpleUploadedFile:
    """An .xlsx roster with English headings."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Gender", "Membership status", "Branch code"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue(), content_type=XLSX)


def _import_data(ctx: Ctx) -> dict[str, Any]:
    return {"org": "BA1", "file": roster_file([("李四", "Male", "Applicant", "BA1")])}


def _check_api_meetings(response: Any, user: Any, ctx: Ctx) -> None:
    ids = _api_ids(response)
    assert ids <= set(Meeting.objects.visible_to(user).values_list("pk", flat=True))
    assert response.json()["count"] == len(ids)


def _check_api_follow_ups(response: Any, user: Any, ctx: Ctx) -> None:
    ids = _api_ids(response)
    assert ids <= set(FollowUpItem.objects.visible_to(user).values_list("pk", flat=True))


def _meeting_create_data(ctx: Ctx) -> dict[str, Any]:
    return {
        "org": "BA1",
        "topic": "主题党日",
        "types": ["theme_day", "party_lecture"],
        "planned_start": "2026-03-10T19:00:00+08:00",
        "planned_end": "2026-03-10T21:00:00+08:00",
    }


def _held_data(ctx: Ctx) -> dict[str, Any]:
    start = timezone.now() - timezone.timedelta(days=1)
    return {
        "actual_start": start.isoformat(),
        "actual_end": (start + timezone.timedelta(hours=2)).isoformat(),
    }


_MANAGE_MEETINGS_ON_BRANCH = (visible(_branch), allowed(MANAGE_MEETINGS, _branch))


def _check_ui_meetings(response: Any, user: Any, ctx: Ctx) -> None:
    shown = {meeting.pk for meeting in response.context["page"].object_list}
    assert shown <= set(Meeting.objects.visible_to(user).values_list("pk", flat=True))


def _ui_plan_data(ctx: Ctx) -> dict[str, Any]:
    return {
        "org": "BA1",
        "topic": "主题党日",
        "types": ["theme_day", "party_lecture"],
        "day": "2026-03-10",
        "start": "19:00",
        "end": "21:00",
    }


def _ui_held_data(ctx: Ctx) -> dict[str, Any]:
    day = timezone.localdate() - timezone.timedelta(days=2)
    return {"day": day.isoformat(), "start": "19:00", "end": "21:00"}


def _ui_meeting_post(data: Any, make: Any = None) -> Endpoint:
    """A form post on a BA1 meeting page: manage_meetings on BA1, then a redirect back."""
    return Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=302),
        model=Meeting,
        kwargs=_meeting_kwargs(make) if make is not None else None,
        data=data,
        data_format="form",
        redirects_on_success=True,
    )


# ------------------------------------------------- meeting outputs (issue 3 item 8)


def _sealed_kwargs(ctx: Ctx) -> dict[str, Any]:
    return {"pk": sealed(ctx.branch).pk, "file_format": "pdf"}


def _verify_kwargs(ctx: Ctx) -> dict[str, Any]:
    from orglife.meetings.documents import verification_code

    return {"code": verification_code(sealed(ctx.branch).versions.get().content_hash)}


def _check_verify(response: Any, user: Any, ctx: Ctx) -> None:
    # A code of a sealed BA1 meeting is found only by those who see BA1.
    assert response.context["result"].found is can(user, VIEW, ctx.branch)


def _member_feed_kwargs(ctx: Ctx) -> dict[str, Any]:
    from orglife.meetings.ical import feed_token_rotate

    return {"token": feed_token_rotate(actor=ctx.personas.member).token}


def _this_year() -> int:
    return timezone.localdate().year


def _one_document(user: Any, ctx: Ctx) -> dict[str, int]:
    """Every download of minutes appends one meetings.document event."""
    return {"meetings.document": 1}


def _one_ledger(user: Any, ctx: Ctx) -> dict[str, int]:
    """Every ledger download appends one meetings.ledger event."""
    return {"meetings.ledger": 1}


# --------------------------------------------------------------- registry

_LOGIN_REQUIRED = always(200)
_NEED_ORGS_ON_BRANCH = (visible(_branch), allowed(MANAGE_ORGS, _branch))

REGISTRY: dict[tuple[str, str], Endpoint] = {
    # Public pages and redirects.
    ("home", "GET"): Endpoint(_LOGIN_REQUIRED),
    ("set_language", "POST"): Endpoint(always(302), anonymous=302, data=lambda ctx: {"language": "vi"}),
    ("accounts:login", "GET"): Endpoint(always(200), anonymous=200),
    # Without a password step in this session, the TOTP step sends back to the login.
    ("accounts:totp", "GET"): Endpoint(always(302), anonymous=302),
    # GET starts an unconfirmed authenticator: the page must show its secret as a QR code.
    ("accounts:totp_setup", "GET"): Endpoint(always(200), side_effects=frozenset({"accounts.TotpDevice"})),
    ("accounts:logout", "GET"): Endpoint(always(405), anonymous=405),
    ("accounts:logout", "POST"): Endpoint(always(302), anonymous=302),
    # The org tree.
    ("orgs:org_tree", "GET"): Endpoint(_LOGIN_REQUIRED, list_check=_check_ui_tree),
    ("orgs:org_detail", "GET"): Endpoint(outcome(visible(_branch), ok=200), model=Organization),
    ("orgs:org_children", "GET"): Endpoint(outcome(visible(_branch), ok=200), model=Organization),
    # People.
    ("people:person_list", "GET"): Endpoint(_LOGIN_REQUIRED, list_check=_check_ui_people),
    ("people:person_detail", "GET"): Endpoint(
        outcome(visible(_person_org), ok=200), model=Person, audit_events=_sensitive_reads
    ),
    # The audit trail.
    ("audit:audit_event_list", "GET"): Endpoint(
        outcome(allowed_somewhere(VIEW_AUDIT), ok=200), list_check=_check_ui_audit
    ),
    # API: root, schema and docs (the schema and docs are public, like the login page).
    ("api-root", "GET"): Endpoint(_LOGIN_REQUIRED),
    ("schema", "GET"): Endpoint(always(200), anonymous=200),
    ("api_docs", "GET"): Endpoint(always(200), anonymous=200),
    # API: organizations.
    ("org-list", "GET"): Endpoint(_LOGIN_REQUIRED, list_check=_check_api_orgs),
    ("org-list", "POST"): Endpoint(
        outcome(visible(_branch, refused=400), allowed(MANAGE_ORGS, _branch), ok=201), data=_org_create_data
    ),
    ("org-detail", "GET"): Endpoint(outcome(visible(_branch), ok=200)),
    ("org-detail", "PATCH"): Endpoint(
        outcome(*_NEED_ORGS_ON_BRANCH, ok=200), data=lambda ctx: {"name": "第一党支部（新）"}
    ),
    # Move BA1 under the other district: the target must be visible (400) and managed (403) too.
    ("org-move", "POST"): Endpoint(
        outcome(
            *_NEED_ORGS_ON_BRANCH,
            visible(lambda ctx: ctx.tree.district_b, refused=400),
            allowed(MANAGE_ORGS, lambda ctx: ctx.tree.district_b),
            ok=200,
        ),
        data=lambda ctx: {"new_parent": "DB"},
    ),
    # Merge BA1 into its sibling BA2.
    ("org-merge", "POST"): Endpoint(
        outcome(
            *_NEED_ORGS_ON_BRANCH,
            visible(lambda ctx: ctx.tree.branch_a2, refused=400),
            allowed(MANAGE_ORGS, lambda ctx: ctx.tree.branch_a2),
            ok=200,
        ),
        data=lambda ctx: {"target": "BA2"},
    ),
    # API: people.
    ("person-list", "GET"): Endpoint(
        _LOGIN_REQUIRED, list_check=_check_api_people, audit_events=_sensitive_reads
    ),
    ("person-list", "POST"): Endpoint(
        outcome(visible(_branch, refused=400), allowed(MANAGE_PEOPLE, _branch), ok=201),
        data=_person_create_data,
    ),
    ("person-detail", "GET"): Endpoint(outcome(visible(_person_org), ok=200), audit_events=_sensitive_reads),
    ("person-detail", "PATCH"): Endpoint(
        outcome(visible(_person_org), allowed(MANAGE_PEOPLE, _person_org), ok=200),
        data=lambda ctx: {"work_unit": "县农机站", "version": ctx.person.version},
    ),
    ("person-status", "POST"): Endpoint(
        outcome(visible(_person_org), allowed(MANAGE_PEOPLE, _person_org), ok=200), data=_status_data
    ),
    # Roster export and import, API and pages: org=BA1 in the query or the form.
    ("person-export", "GET"): Endpoint(
        outcome(visible(_branch), allowed(EXPORT_PEOPLE, _branch), ok=200),
        data=lambda ctx: {"org": "BA1"},
        audit_events=_one_export,
        list_check=_check_export,
    ),
    ("people:roster_export", "GET"): Endpoint(
        outcome(visible(_branch), allowed(EXPORT_PEOPLE, _branch), ok=200),
        data=lambda ctx: {"org": "BA1"},
        audit_events=_one_export,
        list_check=_check_export,
    ),
    ("person-import", "POST"): Endpoint(
        outcome(visible(_branch), allowed(IMPORT_PEOPLE, _branch), ok=200),
        data=_import_data,
        data_format="multipart",
    ),
    ("people:roster_import", "GET"): Endpoint(
        outcome(visible(_branch), allowed(IMPORT_PEOPLE, _branch), ok=200), data=lambda ctx: {"org": "BA1"}
    ),
    # Posting a file shows the dry-run report; the import itself is a second, confirming POST.
    ("people:roster_import", "POST"): Endpoint(
        outcome(visible(_branch), allowed(IMPORT_PEOPLE, _branch), ok=200),
        data=_import_data,
        data_format="multipart",
        writes=False,
    ),
    # API: role assignments (the secretary's assignment on BA1).
    ("roleassignment-list", "GET"): Endpoint(_LOGIN_REQUIRED, list_check=_check_api_assignments),
    ("roleassignment-list", "POST"): Endpoint(
        outcome(visible(_branch, refused=400), allowed(MANAGE_ROLES, _branch), ok=201), data=_role_create_data
    ),
    ("roleassignment-detail", "GET"): Endpoint(outcome(visible(_branch), ok=200)),
    ("roleassignment-detail", "DELETE"): Endpoint(
        outcome(visible(_branch), allowed(MANAGE_ROLES, _branch), ok=204)
    ),
    # API: meetings (issue 3). Each action gets a BA1 meeting in the state it needs.
    ("activitytype-list", "GET"): Endpoint(_LOGIN_REQUIRED, data=lambda ctx: {"jurisdiction": "CN"}),
    ("meeting-list", "GET"): Endpoint(_LOGIN_REQUIRED, list_check=_check_api_meetings),
    ("meeting-list", "POST"): Endpoint(
        outcome(visible(_branch, refused=400), allowed(MANAGE_MEETINGS, _branch), ok=201),
        data=_meeting_create_data,
    ),
    ("meeting-detail", "GET"): Endpoint(outcome(visible(_branch), ok=200)),
    ("meeting-detail", "PATCH"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200), data=lambda ctx: {"place": "党员活动室", "version": 1}
    ),
    ("meeting-held", "POST"): Endpoint(outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200), data=_held_data),
    ("meeting-attendance", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        data=lambda ctx: {"entries": [{"person": ctx.person.pk, "status": "present"}]},
    ),
    ("meeting-guests", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        data=lambda ctx: {"name": "王主任", "unit": "县委组织部", "is_upper_level": True},
    ),
    ("meeting-agenda", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        data=lambda ctx: {"items": [{"title": "学习最新中央文件", "is_first_item": True}], "minutes": "记录"},
    ),
    ("meeting-resolutions", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        data=lambda ctx: {"text": "修路", "owner_person": ctx.person.pk, "due_on": "2026-12-31"},
    ),
    ("meeting-votes", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        kwargs=_meeting_kwargs(_held_meeting),
        data=lambda ctx: {"kind": "motion", "question": "通过工作计划", "votes_for": 1},
    ),
    ("meeting-election", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        kwargs=_meeting_kwargs(_held_meeting),
        data=lambda ctx: {
            "title": "支部书记",
            "seats": 1,
            "ballots_issued": 1,
            "ballots_returned": 1,
            "ballots_valid": 1,
            "candidates": [{"person": ctx.person.pk, "votes": 1}],
        },
    ),
    ("meeting-finalize", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        kwargs=_meeting_kwargs(lambda ctx: ready_to_finalize(ctx.branch)),
        data=lambda ctx: {},
    ),
    ("meeting-amend", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200),
        kwargs=_meeting_kwargs(lambda ctx: sealed(ctx.branch)),
        data=lambda ctx: {"reason": "地点记录有误", "changes": {"fields": {"place": "村委会议室"}}},
    ),
    ("meeting-versions", "GET"): Endpoint(
        outcome(visible(_branch), ok=200), kwargs=_meeting_kwargs(lambda ctx: sealed(ctx.branch))
    ),
    ("followup-list", "GET"): Endpoint(_LOGIN_REQUIRED, list_check=_check_api_follow_ups),
    ("followup-detail", "GET"): Endpoint(outcome(visible(_branch), ok=200)),
    ("followup-detail", "PATCH"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200), data=lambda ctx: {"status": "done", "outcome": "已完成"}
    ),
    # Meeting pages (issue 3): form posts redirect back to the page (302); htmx gets fragments.
    ("meetings:meeting_list", "GET"): Endpoint(_LOGIN_REQUIRED, list_check=_check_ui_meetings),
    ("meetings:meeting_plan", "GET"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=200), data=lambda ctx: {"org": "BA1"}
    ),
    ("meetings:meeting_plan", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=302),
        data=_ui_plan_data,
        data_format="form",
        redirects_on_success=True,
    ),
    ("meetings:meeting_detail", "GET"): Endpoint(outcome(visible(_branch), ok=200), model=Meeting),
    ("meetings:meeting_held", "POST"): _ui_meeting_post(_ui_held_data),
    ("meetings:meeting_attendance", "POST"): _ui_meeting_post(
        lambda ctx: {"person": ctx.person.pk, f"status_{ctx.person.pk}": "present"}
    ),
    ("meetings:meeting_guest", "POST"): _ui_meeting_post(
        lambda ctx: {"name": "王主任", "unit": "县委组织部"}
    ),
    ("meetings:meeting_agenda", "POST"): _ui_meeting_post(
        lambda ctx: {"title": "学习最新中央文件", "discussion": "", "first": "0", "minutes": "记录"}
    ),
    ("meetings:meeting_resolution", "POST"): _ui_meeting_post(
        lambda ctx: {"text": "修路", "owner": ctx.person.pk, "due_on": "2026-12-31"}
    ),
    ("meetings:meeting_vote", "POST"): _ui_meeting_post(
        lambda ctx: {"kind": "motion", "question": "通过工作计划", "votes_for": 1}, _held_meeting
    ),
    ("meetings:meeting_election", "POST"): _ui_meeting_post(
        lambda ctx: {
            "title": "支部书记",
            "seats": 1,
            "ballots_issued": 1,
            "ballots_returned": 1,
            "ballots_valid": 1,
            "candidates": "张三, 1",
        },
        _held_meeting,
    ),
    ("meetings:meeting_finalize", "POST"): _ui_meeting_post(
        lambda ctx: {}, lambda ctx: ready_to_finalize(ctx.branch)
    ),
    ("meetings:meeting_amend", "POST"): _ui_meeting_post(
        lambda ctx: {"reason": "地点记录有误", "place": "村委会议室"}, lambda ctx: sealed(ctx.branch)
    ),
    ("meetings:meeting_history", "GET"): Endpoint(
        outcome(visible(_branch), ok=200), kwargs=_meeting_kwargs(lambda ctx: sealed(ctx.branch))
    ),
    ("meetings:followup_update", "POST"): Endpoint(
        outcome(*_MANAGE_MEETINGS_ON_BRANCH, ok=302),
        model=FollowUpItem,
        data=lambda ctx: {"status": "done", "outcome": "已完成"},
        data_format="form",
        redirects_on_success=True,
    ),
    # Meeting outputs (issue 3 item 8): minutes, verification, iCal feeds, ledger.
    ("meeting_documents:minutes", "GET"): Endpoint(
        outcome(visible(_branch), ok=200), kwargs=_sealed_kwargs, audit_events=_one_document
    ),
    ("meeting_documents:verify_form", "GET"): Endpoint(_LOGIN_REQUIRED),
    ("meeting_documents:verify", "GET"): Endpoint(
        _LOGIN_REQUIRED, kwargs=_verify_kwargs, list_check=_check_verify
    ),
    ("meeting_documents:feeds", "GET"): Endpoint(_LOGIN_REQUIRED),
    # Posting makes the user's feed token (one audit event) and shows the new links.
    ("meeting_documents:feeds", "POST"): Endpoint(_LOGIN_REQUIRED, data=lambda ctx: {}, data_format="form"),
    # Feeds: a calendar app sends no session; without a token there is nothing (404).
    ("meeting_documents:branch_feed", "GET"): Endpoint(
        outcome(visible(_branch), ok=200), anonymous=404, kwargs=lambda ctx: {"code": "BA1"}
    ),
    # The member persona's token in the URL decides, whoever sends it.
    ("meeting_documents:member_feed", "GET"): Endpoint(
        always(200), anonymous=200, kwargs=_member_feed_kwargs
    ),
    ("meeting_documents:ledger", "GET"): Endpoint(
        outcome(visible(_branch), ok=200),
        kwargs=lambda ctx: {"code": "BA1", "year": _this_year()},
        audit_events=_one_ledger,
    ),
    ("meeting-minutes", "GET"): Endpoint(
        outcome(visible(_branch), ok=200),
        kwargs=_meeting_kwargs(lambda ctx: sealed(ctx.branch)),
        data=lambda ctx: {"format": "pdf"},
        audit_events=_one_document,
    ),
    ("meeting-ledger", "GET"): Endpoint(
        outcome(visible(_branch), ok=200),
        data=lambda ctx: {"org": "BA1", "year": _this_year()},
        audit_events=_one_ledger,
    ),
}


def _admin_model(route: Route) -> type | None:
    """The model an admin page is about, from its URL name (``admin:app_model_page``)."""
    name = (route.name or "").removeprefix("admin:")
    for model in admin.site._registry:
        stem = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(stem) or route.pattern.startswith(
            f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        ):
            return model
    return None


# Status an operator gets on each kind of admin page (GET).
_ADMIN_OPERATOR_STATUS = {
    "admin:index": 200,
    # Shadowed by orglife's own redirect to the throttled, two-factor login.
    "admin:login": 302,
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:autocomplete": 403,
    "admin:jsi18n": 200,
    "admin:app_list": 200,
    "admin:view_on_site": 404,
}


def _admin_rule(route: Route, method: str) -> Endpoint | None:
    """Admin pages: operators (staff) only; everyone else is sent to the admin login."""
    if route.family != ADMIN_FAMILY:
        return None
    # The unnamed /admin/<app>/<model>/<id>/ redirects answer every method alike.
    redirect = route.name is None and "url" not in route.params
    if method != "GET" and not redirect:
        return None
    if route.key == "admin:logout":
        return Endpoint(outcome(superuser_only(refused=302), ok=405), anonymous=302)
    model = _admin_model(route)
    if route.key in _ADMIN_OPERATOR_STATUS:
        status = _ADMIN_OPERATOR_STATUS[route.key]
    elif route.name is None and "url" in route.params:
        status = 404  # the catch-all: an unknown admin page
    elif route.name is None:
        status = 302  # /admin/app/model/<id>/ redirects to the change page
    elif model is not None:
        status = 200
    else:
        return None
    kwargs = None
    if route.key == "admin:app_list":
        kwargs = lambda ctx: {"app_label": "auth"}  # noqa: E731
    elif route.key == "admin:view_on_site":
        kwargs = lambda ctx: {  # noqa: E731
            "content_type_id": ContentType.objects.get_for_model(Person).pk,
            "object_id": ctx.person.pk,
        }
    elif "url" in route.params:
        kwargs = lambda ctx: {"url": "no-such-page/"}  # noqa: E731
    elif model is TokenProxy and "object_id" in route.params:
        kwargs = _token_kwargs
    return Endpoint(
        outcome(superuser_only(refused=302), ok=status), anonymous=302, model=model, kwargs=kwargs
    )


def _token_kwargs(ctx: Ctx) -> dict[str, Any]:
    # The token admin names a token by its user's id.
    Token.objects.get_or_create(user=ctx.personas.member)
    return {"object_id": ctx.personas.member.pk}


RULES = (_admin_rule,)


# ----------------------------------------------------------------- the cases


def _routes() -> list[Route]:
    # DRF's ".json" aliases reach the same view and action as their base route.
    return [route for route in iter_routes() if not route.has_format_suffix]


def _cases() -> list[Any]:
    cases = []
    for route in _routes():
        for method in route_methods(route, REGISTRY, RULES):
            for persona in PERSONAS:
                cases.append(pytest.param(route, method, persona, id=f"{route.key}-{method}-{persona}"))
    return cases


def _client_for(route: Route, persona: str, ctx: Ctx) -> tuple[Client, Any]:
    client = Client()
    if persona == "anonymous":
        return client, None
    user = getattr(ctx.personas, persona)
    if route.family == API_FAMILY:
        token, _created = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    else:
        client.force_login(user)
    return client, user


def _send(client: Client, method: str, url: str, endpoint: Endpoint, ctx: Ctx) -> Any:
    data = endpoint.data(ctx) if endpoint.data is not None else None
    if method == "GET":
        return client.get(url, data)
    if endpoint.data_format == "multipart":
        return client.post(url, data or {})
    if method == "POST" and endpoint.data_format == "form":
        return client.post(url, data or {})
    body = json.dumps(data) if data is not None else ""
    return client.generic(method, url, body, content_type="application/json")


def _expected_status(route: Route, endpoint: Endpoint, user: Any, ctx: Ctx) -> int:
    if user is None:
        if endpoint.anonymous is not None:
            return endpoint.anonymous
        return 401 if route.family == API_FAMILY else 302
    return endpoint.expect(user, ctx)


@pytest.mark.parametrize(("route", "method", "persona"), _cases())
def test_permission_matrix(route: Route, method: str, persona: str, ctx: Ctx) -> None:
    # given a persona, a route and an object of branch BA1
    try:
        endpoint = resolve_endpoint(route, method, REGISTRY, RULES)
        url = route.url(url_kwargs(route, endpoint, ctx, FACTORIES))
    except UnresolvedRoute as exc:
        pytest.fail(str(exc))
    client, user = _client_for(route, persona, ctx)
    expected = _expected_status(route, endpoint, user, ctx)
    before = db_snapshot()

    # when
    response = _send(client, method, url, endpoint, ctx)

    # then the exact status
    body = getattr(response, "content", b"")[:300]
    assert response.status_code == expected, f"{method} {url} as {persona}: {body!r}"
    if expected == 302 and user is None and endpoint.anonymous is None:
        login = "/admin/login/" if route.family == ADMIN_FAMILY else "/accounts/login/"
        assert response["Location"].startswith(login)
    # and what changed
    changes = db_changes(before, db_snapshot())
    succeeded = 200 <= response.status_code < 300 or (
        endpoint.redirects_on_success and user is not None and response.status_code == 302
    )
    writes = endpoint.writes if endpoint.writes is not None else method not in SAFE_METHODS
    if succeeded and writes:
        new_events = AuditEvent.objects.filter(pk__in=changes["audit.AuditEvent"].added)
        assert new_events.count() == 1, changes
        assert set(changes) - {"audit.AuditEvent"}, "a successful write changed nothing"
        return
    expected_events = endpoint.audit_events(user, ctx) if succeeded and endpoint.audit_events else {}
    audit = changes.pop("audit.AuditEvent", None)
    assert audit is None or not (audit.altered or audit.removed)
    new_events = AuditEvent.objects.filter(pk__in=audit.added if audit else [])
    assert dict(Counter(new_events.values_list("action", flat=True))) == expected_events
    allowed_changes = endpoint.side_effects if succeeded else frozenset()
    assert set(changes) <= allowed_changes, f"{method} {url} as {persona} changed {changes}"
    # and the list shows nothing out of scope
    if succeeded and endpoint.list_check is not None:
        endpoint.list_check(response, user, ctx)


def test_every_route_is_covered() -> None:
    # given every route of the URL configuration
    problems = []
    # when each route and method is looked up in the registry
    for route in _routes():
        for method in route_methods(route, REGISTRY, RULES):
            try:
                endpoint = resolve_endpoint(route, method, REGISTRY, RULES)
            except UnresolvedRoute as exc:
                problems.append(str(exc))
                continue
            missing = [
                p for p in route.params if endpoint.kwargs is None and not (endpoint.model or route.model)
            ]
            if missing:
                problems.append(f"route {route.key!r}: no model for path parameters {missing}")
    # then none is missing, and no registry entry names a route that is gone
    keys = {route.key for route in _routes()}
    stale = sorted(f"{key} {method}" for key, method in REGISTRY if key not in keys)
    assert problems == []
    assert stale == []


def test_format_suffix_routes_alias_a_covered_route() -> None:
    # given DRF's format-suffix routes
    all_routes = iter_routes()
    base_keys = {route.key for route in all_routes if not route.has_format_suffix}
    # then each has a base route of the same name in the matrix
    aliases = [route for route in all_routes if route.has_format_suffix]
    assert aliases
    assert {route.key for route in aliases} <= base_keys


def test_openapi_schema_and_url_configuration_agree(client: Client, db: Any) -> None:
    # given the published OpenAPI schema
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = schema_operations(schema)
    assert operations
    # when each operation is resolved through the URL configuration
    by_key = {route.key: route for route in _routes()}
    from_schema = set()
    for path, method in operations:
        match = resolve(schema_path_example(path))
        route = by_key[match.view_name]
        # then the route answers that method and the matrix covers it
        assert method in route_methods(route, REGISTRY, RULES), (path, method)
        resolve_endpoint(route, method, REGISTRY, RULES)
        from_schema.add((route.key, method))
    # and every API route except the schema, docs and root is in the schema
    api_ops = {
        (route.key, method)
        for route in _routes()
        if route.family == API_FAMILY and route.key not in {"schema", "api_docs", "api-root"}
        for method in route_methods(route, REGISTRY, RULES)
    }
    assert api_ops == from_schema


def test_matrix_size() -> None:
    # the matrix is generated: it must cover every persona for a healthy number of routes
    cases = _cases()
    assert len(cases) % len(PERSONAS) == 0
    assert len(cases) >= 40 * len(PERSONAS)


_ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.mark.parametrize(
    "route",
    [pytest.param(route, id=route.key) for route in _routes() if route.family == API_FAMILY],
)
def test_api_methods_a_route_does_not_declare_answer_405(route: Route, ctx: Ctx) -> None:
    # given the strongest persona, so that no permission hides a handler
    client, _user = _client_for(route, "superuser", ctx)
    endpoint = resolve_endpoint(route, route_methods(route, REGISTRY, RULES)[0], REGISTRY, RULES)
    url = route.url(url_kwargs(route, endpoint, ctx, FACTORIES))
    undeclared = [method for method in _ALL_METHODS if method not in route_methods(route, REGISTRY, RULES)]
    before = db_snapshot()
    # when each undeclared method is sent
    statuses = {
        method: client.generic(method, url, "{}", content_type="application/json").status_code
        for method in undeclared
    }
    # then each is refused as not allowed, and nothing changed
    assert statuses == dict.fromkeys(undeclared, 405)
    assert db_changes(before, db_snapshot()) == {}
