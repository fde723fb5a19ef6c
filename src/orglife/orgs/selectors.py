"""Reads of the org tree, always through the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length, Substr

from orglife.access.querysets import OrgScopedQuerySet
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
        Person.objects.filter(org__path__startswith=parent_path, status__in=MEMBER_STATUSES)
        .annotate(prefix=Substr("org__path", 1, prefix_length))
        .values("prefix")
        .annotate(total=Count("pk"))
    )
    return {row["prefix"]: row["total"] for row in rows}


def org_children(*, actor: Any, org: Organization) -> OrgScopedQuerySet[Organization]:
    """Active children of ``org`` visible to the actor."""
    return (
        Organization.objects.visible_to(actor)
        .filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
        .order_by("code")
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
