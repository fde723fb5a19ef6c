"""Org tree browser and organization detail."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from orglife.access.roles import EXPORT_PEOPLE, IMPORT_PEOPLE, MANAGE_ORGS
from orglife.access.scope import can
from orglife.access.shortcuts import get_visible_or_404
from orglife.common.htmx import render_htmx
from orglife.orgs.models import Organization
from orglife.orgs.selectors import (
    org_children,
    org_current_posts,
    org_member_counts,
    org_roots_for,
    org_term_expiry,
    org_visible_ancestors,
)

# A committee whose term ends within this many days must prepare its re-election.
TERM_WARNING_DAYS = 183


def term_state(term_end: date | None, today: date) -> str:
    """'expired', 'soon' (within six months) or '' for a term end date."""
    if term_end is None:
        return ""
    if term_end < today:
        return "expired"
    if (term_end - today).days <= TERM_WARNING_DAYS:
        return "soon"
    return ""


def _with_counts(orgs: list[Organization]) -> list[tuple[Organization, int]]:
    if not orgs:
        return []
    depth = orgs[0].depth
    parent_path = orgs[0].path[: (depth - 1) * Organization.steplen]
    counts = org_member_counts(parent_path=parent_path, depth=depth)
    return [(org, counts.get(org.path, 0)) for org in orgs]


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    """The top of the tree the user can see, with member counts; a single root opens itself."""
    roots = list(org_roots_for(actor=request.user))
    rows = []
    for root in roots:
        rows.extend(_with_counts([root]))
    root_children: list[tuple[Organization, int]] = []
    if len(roots) == 1 and roots[0].numchild:
        root_children = _with_counts(list(org_children(actor=request.user, org=roots[0])))
    context = {"rows": rows, "root_expanded": bool(root_children), "root_children": root_children}
    return render_htmx(request, "orgs/org_tree.html", None, context)


@login_required
def org_children_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of one org (an htmx fragment when asked by htmx)."""
    org = get_visible_or_404(Organization.objects.all(), request.user, pk=pk)
    rows = _with_counts(list(org_children(actor=request.user, org=org)))
    return render_htmx(
        request, "orgs/org_children.html", "orgs/partials/_children.html", {"org": org, "rows": rows}
    )


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization: its posts, term expiry, children and member count."""
    org = get_visible_or_404(Organization.objects.all(), request.user, pk=pk)
    rows = _with_counts(list(org_children(actor=request.user, org=org)))
    own = _with_counts([org])
    today = timezone.localdate()
    term_expires_on = org_term_expiry(org)
    posts: list[dict[str, Any]] = [
        {"post": post, "state": term_state(post.term_end, today)}
        for post in org_current_posts(actor=request.user, org=org)
    ]
    state = term_state(term_expires_on, today)
    context = {
        "org": org,
        "ancestors": org_visible_ancestors(actor=request.user, org=org),
        "rows": rows,
        "member_count": own[0][1] if own else 0,
        "posts": posts,
        "term_expires_on": term_expires_on,
        "term_days_left": (term_expires_on - today).days if term_expires_on else None,
        "term_expiring_soon": state == "soon",
        "term_expired": state == "expired",
        "can_manage": can(request.user, MANAGE_ORGS, org),
        "can_export": can(request.user, EXPORT_PEOPLE, org),
        "can_import": can(request.user, IMPORT_PEOPLE, org),
    }
    return render_htmx(request, "orgs/org_detail.html", None, context)
