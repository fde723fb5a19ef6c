"""Unit cases of access/ that the matrix and the properties do not reach (100% coverage, STYLE §5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.urls import path, re_path

from orglife.access.models import Role, RoleAssignment
from orglife.access.querysets import subtree_condition
from orglife.access.scope import OrgScope, scope_cache_clear, scope_for
from orglife.access.services import role_assign, role_revoke
from orglife.access.testing import (
    Endpoint,
    UnresolvedRoute,
    always,
    iter_routes,
    resolve_endpoint,
    url_kwargs,
)
from orglife.audit.models import AuditEvent
from orglife.conftest import make_user


def _view(request):
    return HttpResponse("")


def test_subtree_condition_of_the_empty_prefix_is_everything():
    assert subtree_condition("path", "") == Q()


def test_subtree_condition_of_the_last_path_has_no_upper_bound():
    assert subtree_condition("path", "ZZZZ") == Q(path__gte="ZZZZ")
    assert subtree_condition("path", "000Z") == Q(path__gte="000Z", path__lt="0010")


def test_nested_grants_collapse_to_the_outer_subtree(org_tree):
    # given a user with a role on a district and on one of its branches
    user = make_user("both", org=org_tree.district_a, role="member")
    RoleAssignment.objects.create(user=user, org=org_tree.branch_a1, role=Role.objects.get(code="member"))
    # when / then
    assert scope_for(user, "view") == OrgScope(prefixes=frozenset({org_tree.district_a.path}))


def test_scope_cache_clear_without_a_cache_is_harmless(org_tree):
    user = make_user("fresh")
    scope_cache_clear(user)
    assert scope_for(user, "view").is_empty is True


def test_scope_cache_clear_makes_a_new_assignment_count(org_tree):
    # given a user whose (empty) scope is cached
    user = make_user("later")
    assert scope_for(user, "view").is_empty is True
    RoleAssignment.objects.create(user=user, org=org_tree.branch_a1, role=Role.objects.get(code="member"))
    assert scope_for(user, "view").is_empty is True  # still the cached answer
    # when
    scope_cache_clear(user)
    # then
    assert scope_for(user, "view").covers(org_tree.branch_a1.path) is True


def test_role_assign_cannot_grant_more_than_the_actor_holds(org_tree, personas):
    # given an actor who may manage roles but lacks view_audit on the branch
    role = Role.objects.create(code="custom_manager", name="Custom", actions=["view", "manage_roles"])
    actor = make_user("custom", org=org_tree.district_a, role="custom_manager")
    assert role.pk
    count = AuditEvent.objects.count()
    # when / then
    with pytest.raises(ValidationError):
        role_assign(
            actor=actor,
            user=personas.no_role,
            org=org_tree.branch_a1,
            role=Role.objects.get(code="inspector"),
        )
    assert AuditEvent.objects.count() == count
    assert not RoleAssignment.objects.filter(user=personas.no_role).exists()


def test_role_assign_is_idempotent_and_audited_once(org_tree, personas):
    member = Role.objects.get(code="member")
    count = AuditEvent.objects.count()
    first = role_assign(actor=None, user=personas.no_role, org=org_tree.branch_a1, role=member)
    again = role_assign(
        actor=personas.province_admin, user=personas.no_role, org=org_tree.branch_a1, role=member
    )
    assert first.pk == again.pk
    assert AuditEvent.objects.count() == count + 1


def test_role_revoke_out_of_scope_is_denied(org_tree, personas):
    assignment = RoleAssignment.objects.get(user=personas.branch_secretary)
    with pytest.raises(PermissionDenied):
        role_revoke(actor=personas.sibling_secretary, assignment=assignment)
    role_revoke(actor=personas.province_admin, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_unnamed_regex_route_with_an_unplaced_group_is_unresolved():
    route = iter_routes([re_path(r"^x/(?P<a>\d+)/(?P<b>\d+)/$", _view)])[0]
    assert route.params == ("a", "b")
    assert route.url({"a": 1, "b": 2}) == "/x/1/2/"
    with pytest.raises(UnresolvedRoute, match="parameters left"):
        route.url({"a": 1})


def test_iter_routes_refuses_an_unknown_entry():
    with pytest.raises(TypeError):
        iter_routes([object()])


def test_rules_resolve_what_the_registry_lacks():
    route = iter_routes([path("r/", _view, name="r")])[0]
    ruled = Endpoint(always(204))

    def no_rule(route, method):
        return None

    assert resolve_endpoint(route, "GET", {}, [no_rule, lambda route, method: ruled]) is ruled


def test_explicit_kwargs_and_format_suffix():
    route = iter_routes([re_path(r"^r\.(?P<format>[a-z]+)$", _view, name="rf")])[0]
    assert url_kwargs(route, Endpoint(always(200)), ctx=None, factories={}) == {"format": "json"}
    explicit = Endpoint(always(200), kwargs=lambda ctx: {"format": "csv"})
    assert url_kwargs(route, explicit, ctx=None, factories={}) == {"format": "csv"}
