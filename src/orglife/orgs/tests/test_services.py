"""Every write to the org tree: create, rename, move, merge, committee posts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orglife.access.models import RoleAssignment
from orglife.access.testing import db_changes, db_snapshot
from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_verify
from orglife.orgs.models import CommitteePost, Organization
from orglife.orgs.selectors import org_term_expiry
from orglife.orgs.services import (
    committee_post_assign,
    committee_post_end,
    org_create,
    org_merge,
    org_move,
    org_rename,
)
from orglife.people.models import Person
from orglife.people.services import person_create


def _fresh(org: Organization) -> Organization:
    return Organization.objects.get(pk=org.pk)


def _parent_path(org: Organization) -> str:
    return org.path[: -Organization.steplen]


def _events_after(count: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq")[count:])


@pytest.fixture
def vn_root(db):
    return org_create(
        actor=None, parent=None, code="VN", name="Tỉnh ủy", kind="province_committee", jurisdiction="VN"
    )


def _person(org: Organization, name: str = "王五") -> Person:
    return person_create(actor=None, org=org, status="applicant", full_name=name)


# ------------------------------------------------------------------ create


def test_org_create_inherits_jurisdiction_and_is_audited(org_tree, personas):
    # given
    count = AuditEvent.objects.count()
    # when a district organizer adds a party group to one of its branches
    group = org_create(
        actor=personas.district_organizer,
        parent=org_tree.branch_a1,
        code=" BA1-G1 ",
        name=" 第一党小组 ",
        kind="party_group",
        jurisdiction="VN",  # ignored: inherited from the parent
    )
    # then
    group = _fresh(group)
    assert (group.code, group.name, group.jurisdiction) == ("BA1-G1", "第一党小组", "CN")
    assert _parent_path(group) == org_tree.branch_a1.path
    assert group.path.startswith(org_tree.branch_a1.path)
    [event] = _events_after(count)
    assert (event.action, event.object_id, event.org_id) == ("orgs.create", str(group.pk), group.pk)


def test_org_create_top_level_needs_an_operator_and_a_jurisdiction(org_tree, personas):
    # given
    before = db_snapshot()
    # when / then
    with pytest.raises(ValidationError):
        org_create(
            actor=personas.province_admin,
            parent=None,
            code="X",
            name="X",
            kind="province_committee",
            jurisdiction="CN",
        )
    with pytest.raises(ValidationError):
        org_create(actor=personas.superuser, parent=None, code="X", name="X", kind="province_committee")
    assert db_changes(before, db_snapshot()) == {}
    root = org_create(
        actor=personas.superuser,
        parent=None,
        code="X",
        name="X",
        kind="province_committee",
        jurisdiction="VN",
    )
    assert (root.depth, root.jurisdiction) == (1, "VN")


def test_org_create_refuses_a_used_code(org_tree, personas):
    before = db_snapshot()
    with pytest.raises(ValidationError, match="BA2"):
        org_create(
            actor=personas.province_admin, parent=org_tree.district_b, code="BA2", name="dup", kind="branch"
        )
    assert db_changes(before, db_snapshot()) == {}


@pytest.mark.parametrize(
    ("parent", "kind"),
    [
        ("branch_a1", "branch"),  # a branch holds only party groups
        ("district_a", "party_group"),  # a party group belongs to a branch
        ("group", "party_group"),  # a party group holds nothing
        (None, "party_group"),
    ],
)
def test_org_create_enforces_kind_rules(parent, kind, org_tree, personas):
    # given
    group = org_create(actor=None, parent=org_tree.branch_a1, code="G", name="G", kind="party_group")
    parents = {"branch_a1": org_tree.branch_a1, "district_a": org_tree.district_a, "group": group, None: None}
    before = db_snapshot()
    # when / then
    with pytest.raises(ValidationError):
        org_create(actor=None, parent=parents[parent], code="NEW", name="new", kind=kind, jurisdiction="CN")
    assert db_changes(before, db_snapshot()) == {}


def test_org_create_out_of_scope_is_denied_and_writes_nothing(org_tree, personas):
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        org_create(
            actor=personas.district_organizer, parent=org_tree.district_b, code="N", name="n", kind="branch"
        )
    with pytest.raises(PermissionDenied):
        org_create(
            actor=personas.branch_secretary, parent=org_tree.branch_a1, code="N", name="n", kind="party_group"
        )
    assert db_changes(before, db_snapshot()) == {}


def test_org_create_refuses_an_inactive_parent(org_tree, personas):
    Organization.objects.filter(pk=org_tree.branch_a2.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        org_create(actor=None, parent=_fresh(org_tree.branch_a2), code="N", name="n", kind="party_group")


# ------------------------------------------------------------------ rename


def test_org_rename_records_before_and_after(org_tree, personas):
    count = AuditEvent.objects.count()
    org = org_rename(
        actor=personas.district_organizer, org=org_tree.branch_a1, name=" 新名字 ", short_name="新"
    )
    assert (_fresh(org).name, _fresh(org).short_name) == ("新名字", "新")
    [event] = _events_after(count)
    assert event.action == "orgs.rename"
    assert event.data == {
        "before": {"name": "第BA1党支部", "short_name": ""},
        "after": {"name": "新名字", "short_name": "新"},
    }


def test_org_rename_refuses_an_empty_name_and_the_unentitled(org_tree, personas):
    before = db_snapshot()
    with pytest.raises(ValidationError):
        org_rename(actor=personas.district_organizer, org=_fresh(org_tree.branch_a1), name="   ")
    with pytest.raises(PermissionDenied):
        org_rename(actor=personas.branch_secretary, org=_fresh(org_tree.branch_a1), name="x")
    with pytest.raises(PermissionDenied):
        org_rename(actor=personas.sibling_secretary, org=_fresh(org_tree.branch_a1), name="x")
    assert db_changes(before, db_snapshot()) == {}


# -------------------------------------------------------------------- move


def test_org_move_rewrites_subtree_paths_and_members_follow(org_tree, personas):
    # given BA1 with a party group and a member
    group = org_create(actor=None, parent=org_tree.branch_a1, code="G1", name="G1", kind="party_group")
    member = _person(org_tree.branch_a1)
    count = AuditEvent.objects.count()
    # when BA1 moves under district B
    moved = org_move(actor=personas.province_admin, org=org_tree.branch_a1, new_parent=org_tree.district_b)
    # then the subtree's paths are under DB, the member is still in BA1, and one event is recorded
    district_b = _fresh(org_tree.district_b)
    assert _parent_path(moved) == district_b.path
    assert moved.path.startswith(district_b.path)
    assert _fresh(group).path.startswith(moved.path)
    assert _parent_path(_fresh(group)) == moved.path
    assert Person.objects.get(pk=member.pk).org_id == moved.pk
    assert set(Person.objects.filter(org__path__startswith=district_b.path).values_list("pk", flat=True)) == {
        member.pk
    }
    [event] = _events_after(count)
    assert event.action == "orgs.move"
    assert event.data["from_parent"] == "DA"
    assert event.data["to_parent"] == "DB"
    assert event.data["new_path"] == moved.path
    # and scopes follow the tree: the district A organizer lost BA1, the sibling did not gain it
    assert (
        not Person.objects.visible_to(make_fresh_user(personas.district_organizer))
        .filter(pk=member.pk)
        .exists()
    )
    assert Organization.objects.get_tree(district_b).count() == 5  # DB, BB1, BB2, BA1, G1


def make_fresh_user(user):
    """The same user without a cached scope."""
    return type(user).objects.get(pk=user.pk)


def test_org_move_refuses_to_move_under_itself(org_tree, personas):
    before = db_snapshot()
    with pytest.raises(ValidationError):
        org_move(actor=personas.province_admin, org=org_tree.district_a, new_parent=org_tree.district_a)
    with pytest.raises(ValidationError):
        org_move(actor=personas.province_admin, org=org_tree.province, new_parent=org_tree.district_a)
    assert db_changes(before, db_snapshot()) == {}


def test_org_move_refuses_another_jurisdiction(org_tree, personas, vn_root):
    before = db_snapshot()
    with pytest.raises(ValidationError):
        org_move(actor=personas.superuser, org=org_tree.district_a, new_parent=vn_root)
    assert db_changes(before, db_snapshot()) == {}


def test_org_move_refuses_a_branch_under_a_branch(org_tree, personas):
    before = db_snapshot()
    with pytest.raises(ValidationError):
        org_move(actor=personas.province_admin, org=org_tree.branch_a1, new_parent=org_tree.branch_a2)
    assert db_changes(before, db_snapshot()) == {}


def test_org_move_out_of_scope_is_denied_and_changes_nothing(org_tree, personas):
    # given the district A organizer, who does not manage district B
    before = db_snapshot()
    # when / then: neither moving its branch out nor moving another's branch in
    with pytest.raises(PermissionDenied):
        org_move(actor=personas.district_organizer, org=org_tree.branch_a1, new_parent=org_tree.district_b)
    with pytest.raises(PermissionDenied):
        org_move(actor=personas.district_organizer, org=org_tree.branch_b1, new_parent=org_tree.district_a)
    with pytest.raises(PermissionDenied):
        org_move(actor=personas.sibling_secretary, org=org_tree.branch_a1, new_parent=org_tree.district_b)
    assert db_changes(before, db_snapshot()) == {}


# ------------------------------------------------------------------- merge


@pytest.fixture
def merge_source(org_tree, personas):
    """BA1 with a party group, a member, a committee post and the secretary's role."""
    group = org_create(actor=None, parent=org_tree.branch_a1, code="G1", name="G1", kind="party_group")
    member = _person(org_tree.branch_a1)
    today = timezone.localdate()
    post = committee_post_assign(
        actor=None,
        org=org_tree.branch_a1,
        post="secretary",
        person=member,
        term_start=today - timedelta(days=400),
        term_end=today + timedelta(days=700),
    )
    return group, member, post


def test_org_merge_moves_children_members_and_roles_and_keeps_history(org_tree, personas, merge_source):
    # given
    group, member, post = merge_source
    count = AuditEvent.objects.count()
    history_before = set(AuditEvent.objects.filter(org=org_tree.branch_a1).values_list("pk", flat=True))
    # when BA1 merges into BA2
    target = org_merge(
        actor=personas.district_organizer, source=org_tree.branch_a1, target=org_tree.branch_a2
    )
    # then children, members and role assignments are on BA2
    source = _fresh(org_tree.branch_a1)
    assert target.pk == org_tree.branch_a2.pk
    assert _parent_path(_fresh(group)) == target.path
    assert _fresh(group).path.startswith(target.path)
    assert Person.objects.get(pk=member.pk).org_id == target.pk
    assert RoleAssignment.objects.filter(org=source).count() == 0
    assert RoleAssignment.objects.filter(
        user=personas.branch_secretary, org=target, role__code="branch_secretary"
    ).exists()
    # and the source stays, inactive, pointing at the target, its posts ended today
    assert (source.is_active, source.merged_into_id) == (False, target.pk)
    assert CommitteePost.objects.get(pk=post.pk).ended_on == timezone.localdate()
    # and one audit event records it, the older history of BA1 is still there, the chain verifies
    [event] = _events_after(count)
    assert (event.action, event.object_id, event.org_id) == ("orgs.merge", str(source.pk), target.pk)
    assert event.data["children"] == ["G1"]
    assert (event.data["people"], event.data["role_assignments"], event.data["posts_ended"]) == (1, 2, 1)
    assert history_before <= set(AuditEvent.objects.filter(org=source).values_list("pk", flat=True))
    assert CommitteePost.objects.filter(org=source).count() == 1
    assert audit_verify().ok is True


def test_secretary_of_merged_branch_keeps_scope_on_the_target(org_tree, personas, merge_source):
    org_merge(actor=personas.province_admin, source=org_tree.branch_a1, target=org_tree.branch_a2)
    secretary = make_fresh_user(personas.branch_secretary)
    assert Person.objects.visible_to(secretary).filter(pk=merge_source[1].pk).exists()


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("branch_a1", "branch_a1"),  # itself
        ("district_a", "branch_a1"),  # its descendant
        ("branch_a1", "district_b"),  # another kind
    ],
)
def test_org_merge_refuses_invalid_pairs(source, target, org_tree, personas):
    before = db_snapshot()
    with pytest.raises(ValidationError):
        org_merge(
            actor=personas.province_admin, source=getattr(org_tree, source), target=getattr(org_tree, target)
        )
    assert db_changes(before, db_snapshot()) == {}


def test_org_merge_refuses_inactive_and_foreign_jurisdiction(org_tree, personas, vn_root):
    vn_district = org_create(actor=None, parent=vn_root, code="VD", name="VD", kind="district_committee")
    before = db_snapshot()
    with pytest.raises(ValidationError):
        org_merge(actor=personas.superuser, source=org_tree.district_a, target=vn_district)
    Organization.objects.filter(pk=org_tree.branch_a2.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        org_merge(actor=personas.superuser, source=org_tree.branch_a1, target=org_tree.branch_a2)
    Organization.objects.filter(pk=org_tree.branch_a2.pk).update(is_active=True)
    assert db_changes(before, db_snapshot()) == {}


def test_org_merge_out_of_scope_is_denied_and_changes_nothing(org_tree, personas, merge_source):
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        org_merge(actor=personas.district_organizer, source=org_tree.branch_a1, target=org_tree.branch_b1)
    with pytest.raises(PermissionDenied):
        org_merge(actor=personas.branch_secretary, source=org_tree.branch_a1, target=org_tree.branch_a2)
    assert db_changes(before, db_snapshot()) == {}


# --------------------------------------------------------- committee posts


def test_committee_post_assign_and_term_expiry(org_tree, personas):
    # given two members of BA1
    first, second = _person(org_tree.branch_a1, "甲"), _person(org_tree.branch_a1, "乙")
    count = AuditEvent.objects.count()
    # when posts are given for terms ending on different dates
    secretary = committee_post_assign(
        actor=personas.district_organizer,
        org=org_tree.branch_a1,
        post="secretary",
        person=first,
        term_start=date(2024, 1, 1),
        term_end=date(2027, 1, 1),
    )
    committee_post_assign(
        actor=personas.district_organizer,
        org=org_tree.branch_a1,
        post="committee_member",
        person=second,
        term_start=date(2024, 1, 1),
        term_end=date(2026, 6, 30),
    )
    # then the term expiry is the earliest current term end, and each post is audited
    assert org_term_expiry(org_tree.branch_a1) == date(2026, 6, 30)
    assert [e.action for e in _events_after(count)] == ["orgs.post_assign", "orgs.post_assign"]
    assert _events_after(count)[0].data["term_end"] == "2027-01-01"
    # when the earlier post ends, the expiry follows the remaining one
    ended = committee_post_end(
        actor=personas.district_organizer,
        post=CommitteePost.objects.get(person=second),
        ended_on=date(2025, 1, 1),
    )
    assert ended.ended_on == date(2025, 1, 1)
    assert org_term_expiry(org_tree.branch_a1) == date(2027, 1, 1)
    assert secretary.pk != ended.pk


def test_committee_post_assign_rules(org_tree, personas):
    # given
    member, outsider = _person(org_tree.branch_a1), _person(org_tree.branch_b1, "外人")
    committee_post_assign(
        actor=None,
        org=org_tree.branch_a1,
        post="secretary",
        person=member,
        term_start=date(2024, 1, 1),
        term_end=date(2027, 1, 1),
    )
    before = db_snapshot()
    # when / then: a term ending before it starts, a holder from elsewhere, a second secretary
    with pytest.raises(ValidationError):
        committee_post_assign(
            actor=None,
            org=org_tree.branch_a1,
            post="committee_member",
            person=member,
            term_start=date(2024, 1, 1),
            term_end=date(2024, 1, 1),
        )
    with pytest.raises(ValidationError):
        committee_post_assign(
            actor=None,
            org=org_tree.branch_a1,
            post="committee_member",
            person=outsider,
            term_start=date(2024, 1, 1),
            term_end=date(2027, 1, 1),
        )
    with pytest.raises(ValidationError):
        committee_post_assign(
            actor=None,
            org=org_tree.branch_a1,
            post="secretary",
            person=member,
            term_start=date(2024, 1, 1),
            term_end=date(2027, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        committee_post_assign(
            actor=personas.branch_secretary,
            org=org_tree.branch_a1,
            post="committee_member",
            person=member,
            term_start=date(2024, 1, 1),
            term_end=date(2027, 1, 1),
        )
    with pytest.raises(ValidationError):
        committee_post_end(actor=None, post=CommitteePost.objects.get(), ended_on=date(2023, 1, 1))
    with pytest.raises(PermissionDenied):
        committee_post_end(
            actor=personas.sibling_secretary, post=CommitteePost.objects.get(), ended_on=date(2025, 1, 1)
        )
    assert db_changes(before, db_snapshot()) == {}


def test_district_committee_members_may_hold_its_posts(org_tree, personas):
    member = _person(org_tree.branch_a1)
    post = committee_post_assign(
        actor=personas.district_organizer,
        org=org_tree.district_a,
        post="secretary",
        person=member,
        term_start=date(2024, 1, 1),
        term_end=date(2029, 1, 1),
    )
    assert post.org_id == org_tree.district_a.pk
