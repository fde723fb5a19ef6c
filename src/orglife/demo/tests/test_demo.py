"""The demo command: shape, personas and scopes, determinism, valid IDs, tree, flags."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_verify
from orglife.common.crypto import lookup_hash
from orglife.common.text import search_key
from orglife.demo.build import DEMO_PASSWORD, demo_usernames, make_plan, tree_paths, tree_problems
from orglife.demo.people import add_years
from orglife.orgs.models import CommitteePost, Organization
from orglife.people.choices import STATUS_TRANSITIONS, MembershipStatus
from orglife.people.idnumbers import parse_id
from orglife.people.models import Person
from orglife.people.validation import validate_person

TODAY = date(2026, 3, 15)


def _fingerprint(plan):
    tree = [(n.code, n.name, n.kind, n.members) for n in plan.root.walk()]
    people = [
        (p.branch.code, p.party_group.code if p.party_group else "", p.identity, p.work_unit, p.status)
        for batch in plan.batches()
        for p in batch.people
    ]
    return tree, people


def _people(plan):
    return [p for batch in plan.batches() for p in batch.people]


@pytest.mark.parametrize("jurisdiction", ["CN", "VN"])
def test_plan_is_deterministic(jurisdiction):
    first = _fingerprint(make_plan(jurisdiction=jurisdiction, size="small", seed=7, today=TODAY))
    again = _fingerprint(make_plan(jurisdiction=jurisdiction, size="small", seed=7, today=TODAY))
    later = _fingerprint(make_plan(jurisdiction=jurisdiction, size="small", seed=7, today=date(2027, 1, 9)))
    other = _fingerprint(make_plan(jurisdiction=jurisdiction, size="small", seed=8, today=TODAY))
    assert first == again
    # Names, IDs and the tree do not depend on the day the demo is built.
    assert first == later
    assert first[1] != other[1]


@pytest.mark.parametrize(
    ("jurisdiction", "size", "scale"),
    [("CN", "small", 1.0), ("VN", "small", 1.0), ("VN", "province", 0.02), ("CN", "province", 0.02)],
)
def test_planned_people_are_valid(jurisdiction, size, scale):
    plan = make_plan(jurisdiction=jurisdiction, size=size, seed=11, today=TODAY, scale=scale)
    people = _people(plan)
    ids = [p.identity.national_id for p in people]
    assert len(ids) == len(set(ids))
    statuses = Counter(p.status for p in people)
    if size == "small":
        assert set(statuses) == set(MembershipStatus.values)
    for person in people:
        identity = person.identity
        info = parse_id(identity.national_id, jurisdiction)
        assert info.gender == identity.gender
        assert info.birth_year == identity.birth_date.year
        if jurisdiction == "CN":
            assert info.birth_date == identity.birth_date
        else:
            assert identity.national_id[:3] in {"001", "030", "031", "034", "035", "036", "037", "038"}
        record = {
            "full_name": identity.full_name,
            "gender": identity.gender,
            "birth_date": identity.birth_date,
            "national_id": identity.national_id,
            "joined_on": person.joined_on,
            "converted_on": person.converted_on,
            "status": person.status,
        }
        assert validate_person(record, jurisdiction=jurisdiction, today=TODAY) == [], person
        # History: allowed transitions, in date order, from 18 on, never in the future.
        previous, previous_date = "", None
        for from_status, to_status, effective_on, _reason in person.history:
            assert from_status == previous
            assert previous == "" or to_status in STATUS_TRANSITIONS[previous]
            assert previous_date is None or effective_on >= previous_date
            assert add_years(identity.birth_date, 18) <= effective_on <= TODAY
            previous, previous_date = to_status, effective_on
        assert previous == person.status
        if person.converted_on is not None:
            assert person.converted_on == add_years(person.joined_on, 1)
        if person.status == MembershipStatus.PROBATIONARY:
            assert TODAY - timedelta(days=366) <= person.joined_on <= TODAY
        if jurisdiction == "CN":
            assert 2 <= len(identity.full_name) <= 4
        else:
            assert len(identity.full_name.split()) == 3


def test_tree_paths_match_treebeard():
    plan = make_plan(jurisdiction="CN", size="small", seed=1, today=TODAY)
    paths = {node.code: path for node, path in tree_paths(plan.root, 1)}
    assert paths["CN-HN"] == "0001"
    assert paths["CN-HN-01"] == "00010001"
    assert paths["CN-HN-02"] == "00010002"
    assert paths["CN-HN-01-01-01"] == "0001000100010001"
    assert next(path for node, path in tree_paths(plan.root, 37))[:4] == "0011"


def _run(*args):
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=False)
def test_small_demo_shape_personas_and_scopes():
    output = _run("--size", "small", "--jurisdiction", "both", "--seed", "3")
    assert DEMO_PASSWORD in output
    today = timezone.localdate()
    assert tree_problems() == {
        "evil_chars": [],
        "bad_steplen": [],
        "orphans": [],
        "wrong_depth": [],
        "wrong_numchild": [],
    }
    for code in ("CN-HN", "VN-ND"):
        root = Organization.objects.get(code=code)
        subtree = Organization.objects.filter(path__startswith=root.path)
        kinds = Counter(subtree.values_list("kind", flat=True))
        assert kinds["province_committee"] == 1
        assert kinds["district_committee"] == 2
        assert 10 <= kinds["branch"] + kinds["grassroots_branch"] <= 14
        assert kinds["party_group"] >= 2
        people = Person.objects.filter(org__path__startswith=root.path)
        statuses = Counter(people.values_list("status", flat=True))
        assert set(statuses) == set(MembershipStatus.values)
        assert 230 <= statuses["full"] + statuses["probationary"] <= 270
        for person in people:
            info = parse_id(person.national_id, root.jurisdiction)
            assert info.gender == person.gender
            assert info.birth_year == person.birth_date.year
            assert person.national_id_hash == lookup_hash(person.national_id)
            assert person.search_key == search_key(person.full_name)
            assert person.status_changes.count() >= 1
        full = people.filter(status="full").first()
        assert list(full.status_changes.values_list("to_status", flat=True)) == [
            "applicant",
            "activist",
            "candidate",
            "probationary",
            "full",
        ]
        # Every branch has a secretary; terms: some expire within 6 months, one has expired.
        secretaries = CommitteePost.objects.filter(org__path__startswith=root.path, post="secretary")
        branches = subtree.filter(kind__in=["branch", "grassroots_branch"])
        assert set(secretaries.values_list("org_id", flat=True)) >= set(branches.values_list("pk", flat=True))
        branch_terms = secretaries.filter(org__in=branches)
        assert branch_terms.filter(term_end__lt=today).count() == 1
        assert (
            branch_terms.filter(term_end__gte=today, term_end__lte=today + timedelta(days=183)).count() == 3
        )

    users = {user.username: user for user in get_user_model().objects.filter(username__in=demo_usernames())}
    assert set(users) == set(demo_usernames())
    for username in users:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    for prefix in ("cn", "vn"):
        admin, organizer = users[f"{prefix}_admin"], users[f"{prefix}_organizer"]
        secretary, member, sibling = (
            users[f"{prefix}_secretary"],
            users[f"{prefix}_member"],
            users[f"{prefix}_sibling"],
        )
        branch = secretary.role_assignments.get().org
        sibling_branch = sibling.role_assignments.get().org
        assert branch.pk != sibling_branch.pk
        assert (
            Organization.objects.get_parent(Organization.objects.get_parent(branch)).pk
            == organizer.role_assignments.get().org.pk
        )
        # The branch secretary's and the member's logins are the branch's people.
        assert CommitteePost.objects.filter(org=branch, post="secretary", person=secretary.person).exists()
        assert member.person.org_id == branch.pk
        assert sibling.person.org_id == sibling_branch.pk
        mine = Person.objects.filter(org=branch)
        assert Person.objects.visible_to(secretary).filter(org=branch).count() == mine.count()
        assert not Person.objects.visible_to(sibling).filter(org=branch).exists()
        assert not Person.objects.visible_to(secretary).filter(org=sibling_branch).exists()
        assert Person.objects.visible_to(member).filter(org=branch).count() == mine.count()
        root = admin.role_assignments.get().org
        assert (
            Person.objects.visible_to(admin).count()
            == Person.objects.filter(org__path__startswith=root.path).count()
        )
        other_district = (
            Organization.objects.get_children(root).exclude(pk=organizer.role_assignments.get().org.pk).get()
        )
        assert (
            not Person.objects.visible_to(organizer)
            .filter(org__path__startswith=other_district.path)
            .exists()
        )
    # The small demo goes through the services: real audit events, intact chain.
    assert AuditEvent.objects.filter(action="people.create").count() == Person.objects.count()
    assert AuditEvent.objects.filter(action="demo.build").count() == 2
    assert audit_verify().ok


@pytest.mark.django_db
def test_scaled_province_if_empty_and_reset():
    output = _run("--size", "province", "--jurisdiction", "cn", "--scale", "0.01", "--seed", "5")
    assert "districts 2/2" in output
    assert all(not problems for problems in tree_problems().values())
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert kinds["district_committee"] == 2
    assert kinds["grassroots_committee"] + kinds["grassroots_branch"] == 9
    assert kinds["branch"] == 43
    members = Person.objects.filter(status__in=["probationary", "full"]).count()
    assert members == 1103
    person = Person.objects.order_by("pk").first()
    assert parse_id(person.national_id, "CN").birth_date == person.birth_date
    assert person.national_id_hash == lookup_hash(person.national_id)
    assert AuditEvent.objects.filter(action="demo.build").count() == 1
    names = sorted(Person.objects.values_list("full_name", flat=True))
    orgs = Organization.objects.count()

    again = _run("--size", "province", "--jurisdiction", "cn", "--scale", "0.01", "--if-empty")
    assert "already holds" in again
    assert "cn_admin" in again
    assert Organization.objects.count() == orgs

    with pytest.raises(CommandError, match="--reset"):
        _run("--size", "province", "--jurisdiction", "cn", "--scale", "0.01")

    _run("--size", "province", "--jurisdiction", "cn", "--scale", "0.01", "--seed", "5", "--reset")
    assert Organization.objects.count() == orgs
    assert sorted(Person.objects.values_list("full_name", flat=True)) == names
    assert all(not problems for problems in tree_problems().values())
    assert audit_verify().ok
