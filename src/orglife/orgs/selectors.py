"""Reads of the org tree, always through the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length, Substr

from orglife.access.querysets import OrgScopedQuerySet, subtree_condition
from orglife.access.scope import scope_for
from orglife.orgs.models import CommitteePost, Organization
from orglife.people.choices import MEMBER_STATUSES


def org_roots_for(*, actor: Any) -> QuerySet[Organization]:
    """The top-most organizations the actor can see (the roots of its scope)."""
    scope = scope_for(actor, "view")
    if scope.everything:
        return Organization.objects.filter(depth=1, is_active=True)
    if scope.is_empty:
        return Organization.objects.none()
    return Organization.objects.filter(path__in=sorted(scope.prefixes), is_active=True)


def org_member_counts(*, parent_path: str, depth: int) -> dict[str, int]:
    """
    Current members (probationary and full) below each org at ``depth``
    under ``parent_path``, keyed by that org's path: one grouped query.
    """
    from orglife.people.models import Person

    prefix_length = depth * Organization.steplen
    rows = (
        Person.objects.filter(subtree_condition("org__path", parent_path), status__in=MEMBER_STATUSES)
        .annotate(prefix=Substr("org__path", 1, prefix_length))
        .values("prefix")
        .annotate(total=Count("pk"))
    )
    return {row["prefix"]: row["total"] for row in rows}


def org_subtree_member_counts(orgs: list[Organization]) -> dict[int, int]:
    """Current members in each org's subtree, keyed by org pk: one query for any number of orgs."""
    from orglife.people.models import Person

    if not orgs:
        return {}
    members = Person.objects.filter(status__in=MEMBER_STATUSES)
    if len(orgs) == 1:
        # The usual case (one role): a plain count lets PostgreSQL join from
        # the path index; the FILTER form below made it scan every person.
        return {orgs[0].pk: members.filter(subtree_condition("org__path", orgs[0].path)).count()}
    # Only rows inside one of the subtrees are read (each an indexed path
    # range); the FILTER clauses then split them per org.
    within = Q()
    for org in orgs:
        within |= subtree_condition("org__path", org.path)
    totals = members.filter(within).aggregate(
        **{f"org_{org.pk}": Count("pk", filter=subtree_condition("org__path", org.path)) for org in orgs}
    )
    return {org.pk: totals.get(f"org_{org.pk}") or 0 for org in orgs}


def org_children(*, actor: Any, org: Organization) -> OrgScopedQuerySet[Organization]:
    """Active children of ``org`` visible to the actor."""
    return (
        Organization.objects.visible_to(actor)
        .filter(subtree_condition("path", org.path), depth=org.depth + 1, is_active=True)
        .order_by("code")
    )


def org_visible_ancestors(*, actor: Any, org: Organization) -> list[Organization]:
    """The ancestors of ``org`` the actor can see, root first (for breadcrumbs)."""
    if org.depth <= 1:
        return []
    paths = [org.path[: depth * Organization.steplen] for depth in range(1, org.depth)]
    return list(Organization.objects.visible_to(actor).filter(path__in=paths).order_by("depth"))


def org_role_assignments(*, actor: Any) -> QuerySet[Any]:
    """The actor's own role assignments on active organizations, with org and role."""
    from orglife.access.models import RoleAssignment

    if actor is None or not actor.is_authenticated:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(user=actor, org__is_active=True)
        .select_related("org", "role")
        .order_by("org__path", "role__code")
    )


def org_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Organization]:
    """Organizations visible to ``actor``."""
    return Organization.objects.visible_to(actor)


def org_term_expiry(org: Organization) -> Any:
    """The earliest term end among the org's current posts, or None."""
    return (
        CommitteePost.objects.filter(org=org, ended_on__isnull=True)
        .aggregate(first=Min("term_end"))
        .get("first")
    )


def org_current_posts(*, actor: Any, org: Organization) -> QuerySet[CommitteePost]:
    """The org's posts that have not ended, holders included."""
    return (
        CommitteePost.objects.visible_to(actor)
        .filter(org=org, ended_on__isnull=True)
        .select_related("person")
        .order_by("post", "term_start")
    )


def org_with_counts(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate direct member counts and the committee term expiry."""
    return queryset.annotate(
        direct_members=Count("people", filter=Q(people__status__in=MEMBER_STATUSES)),
        term_expires_on=Subquery(
            CommitteePost.objects.filter(org=OuterRef("pk"), ended_on__isnull=True)
            .order_by("term_end")
            .values("term_end")[:1]
        ),
    ).annotate(direct_members_or_zero=Coalesce("direct_members", 0))


def org_annotate(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate ``parent_code`` and ``term_expires_on`` in the same query."""
    return queryset.annotate(
        parent_code=Subquery(
            Organization.objects.filter(
                path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
            ).values("code")[:1]
        ),
        term_expires_on=Subquery(
            CommitteePost.objects.filter(org=OuterRef("pk"), ended_on__isnull=True)
            .order_by("term_end")
            .values("term_end")[:1]
        ),
    )
