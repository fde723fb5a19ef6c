"""
Property: ``visible_to(user, action)`` returns exactly the rows whose org
lies in a subtree where one of the user's roles grants the action.

The oracle walks the generated parent links, not materialized paths, so it
is independent of treebeard's paths, of prefix minimization and of the range
conditions ``visible_to`` builds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orglife.access.models import Role, RoleAssignment
from orglife.access.roles import ACTIONS, BUILTIN_ROLES
from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_record
from orglife.orgs.choices import OrgKind
from orglife.orgs.models import Organization
from orglife.people.models import Person

MAX_DEPTH = 4
USERS = 3


@dataclass(frozen=True)
class World:
    parents: list[int | None]  # parent index of each org (None: a root)
    kinds: list[str]
    active: list[bool]
    people: list[int]  # org index of each person
    assignments: list[tuple[int, int, str]]  # (user index, org index, role code)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    size = draw(st.integers(min_value=1, max_value=10))
    parents: list[int | None] = []
    depths: list[int] = []
    for index in range(size):
        candidates = [i for i in range(index) if depths[i] < MAX_DEPTH]
        parent = draw(st.one_of(st.none(), st.sampled_from(candidates))) if candidates else None
        if index == 0:
            parent = None
        parents.append(parent)
        depths.append(1 if parent is None else depths[parent] + 1)
    kinds = draw(st.lists(st.sampled_from(OrgKind.values), min_size=size, max_size=size))
    # A few orgs inactive: a role on an inactive org grants nothing.
    inactive = draw(st.sets(st.integers(0, size - 1), max_size=2))
    active = [index not in inactive for index in range(size)]
    people = draw(st.lists(st.integers(0, size - 1), max_size=8))
    assignments = draw(
        st.lists(
            st.tuples(
                st.integers(0, USERS - 1), st.integers(0, size - 1), st.sampled_from(sorted(BUILTIN_ROLES))
            ),
            max_size=6,
        )
    )
    return World(parents, kinds, active, people, assignments)


def _build(
    world: World,
) -> tuple[list[Organization], list[Person], list[RoleAssignment], list[AuditEvent], list]:
    orgs: list[Organization] = []
    for index, parent in enumerate(world.parents):
        fields = {
            "code": f"O{index}",
            "name": f"org {index}",
            "kind": world.kinds[index],
            "jurisdiction": "CN",
            "is_active": world.active[index],
        }
        if parent is None:
            org = Organization.objects.add_root(create_kwargs=fields)
        else:
            parent_org = Organization.objects.get(pk=orgs[parent].pk)
            org = Organization.objects.add_child(parent_org, create_kwargs=fields)
        orgs.append(org)
    orgs = [Organization.objects.get(pk=org.pk) for org in orgs]
    people = [
        Person.objects.create(org=orgs[org_index], full_name=f"p{n}", status="applicant")
        for n, org_index in enumerate(world.people)
    ]
    users = [get_user_model().objects.create_user(username=f"u{n}") for n in range(USERS)]
    roles = {role.code: role for role in Role.objects.all()}
    assignments = [
        RoleAssignment.objects.get_or_create(user=users[u], org=orgs[o], role=roles[code])[0]
        for u, o, code in world.assignments
    ]
    events = [audit_record(actor=None, action="test.event", org=org) for org in orgs]
    events.append(audit_record(actor=None, action="test.unowned"))
    return orgs, people, assignments, events, users


def _ancestors_or_self(world: World, index: int) -> set[int]:
    found = set()
    current: int | None = index
    while current is not None:
        found.add(current)
        current = world.parents[current]
    return found


def _granted(world: World, user_index: int, action: str) -> set[int]:
    """Indices of orgs where one of the user's roles grants ``action`` (on an active org)."""
    return {
        o
        for u, o, code in world.assignments
        if u == user_index and world.active[o] and action in BUILTIN_ROLES[code][1]
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds(), user_index=st.integers(0, USERS - 1), action=st.sampled_from(sorted(ACTIONS)))
def test_visible_to_is_exactly_the_granted_subtrees(db, world, user_index, action):
    with transaction.atomic():
        # given a random tree, people, role assignments and audit events
        orgs, people, assignments, events, users = _build(world)
        granted = _granted(world, user_index, action)
        inside = {i for i in range(len(orgs)) if _ancestors_or_self(world, i) & granted}
        org_index = {org.pk: i for i, org in enumerate(orgs)}
        user = users[user_index]

        # when each scoped model is asked what the user may see
        results = {
            "orgs": Organization.objects.visible_to(user, action),
            "people": Person.objects.visible_to(user, action),
            "assignments": RoleAssignment.objects.visible_to(user, action),
            "events": AuditEvent.objects.visible_to(user, action),
        }

        # then every id lies inside a granted subtree, and every such id is there
        expected = {
            "orgs": {org.pk for i, org in enumerate(orgs) if i in inside},
            "people": {p.pk for p in people if org_index[p.org_id] in inside},
            "assignments": {a.pk for a in assignments if org_index[a.org_id] in inside},
            "events": {e.pk for e in events if e.org_id is not None and org_index[e.org_id] in inside},
        }
        for name, queryset in results.items():
            ids = [row.pk for row in queryset]
            assert set(ids) == expected[name], name
            assert len(ids) == len(set(ids)), name
            assert queryset.count() == len(ids), name
        transaction.set_rollback(True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds(), action=st.sampled_from(sorted(ACTIONS)))
def test_superuser_sees_everything_and_anonymous_nothing(db, world, action):
    from django.contrib.auth.models import AnonymousUser

    with transaction.atomic():
        # given
        orgs, people, _assignments, _events, _users = _build(world)
        root = get_user_model().objects.create_user(username="root", is_superuser=True)
        # when / then
        assert set(Person.objects.visible_to(root, action).values_list("pk", flat=True)) == {
            p.pk for p in people
        }
        assert Organization.objects.visible_to(root, action).count() == len(orgs)
        assert Person.objects.visible_to(AnonymousUser(), action).count() == 0
        assert Organization.objects.visible_to(None, action).count() == 0
        transaction.set_rollback(True)
