"""Org tree browser and organization detail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from orglife.access.roles import MANAGE_ORGS
from orglife.access.scope import can
from orglife.access.shortcuts import get_visible_or_404
from orglife.common.htmx import htmx_partial
from orglife.orgs.models import Organization
from orglife.orgs.selectors import (
    org_children,
    org_current_posts,
    org_member_counts,
    org_roots_for,
    org_term_expiry,
)


def _with_counts(orgs: list[Organization]) -> list[tuple[Organization, int]]:
    if not orgs:
        return []
    depth = orgs[0].depth
    parent_path = orgs[0].path[: (depth - 1) * Organization.steplen]
    counts = org_member_counts(parent_path=parent_path, depth=depth)
    return [(org, counts.get(org.path, 0)) for org in orgs]


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    """The top of the tree the user can see, with member counts."""
    roots = list(org_roots_for(actor=request.user))
    rows = []
    for root in roots:
        rows.extend(_with_counts([root]))
    return render(request, "orgs/org_tree.html", {"rows": rows})


@login_required
def org_children_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of one org (an htmx fragment when asked by htmx)."""
    org = get_visible_or_404(Organization.objects.all(), request.user, pk=pk)
    rows = _with_counts(list(org_children(actor=request.user, org=org)))
    template = "orgs/partials/_children.html" if htmx_partial(request) else "orgs/org_children.html"
    return render(request, template, {"org": org, "rows": rows})


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization: its posts, term expiry, children and member count."""
    org = get_visible_or_404(Organization.objects.all(), request.user, pk=pk)
    rows = _with_counts(list(org_children(actor=request.user, org=org)))
    own = _with_counts([org])
    term_expires_on = org_term_expiry(org)
    today = timezone.localdate()
    context = {
        "org": org,
        "ancestors": org.get_ancestors(),
        "rows": rows,
        "member_count": own[0][1] if own else 0,
        "posts": org_current_posts(actor=request.user, org=org),
        "term_expires_on": term_expires_on,
        "term_expiring_soon": bool(term_expires_on and (term_expires_on - today).days <= 183),
        "term_expired": bool(term_expires_on and term_expires_on < today),
        "can_manage": can(request.user, MANAGE_ORGS, org),
    }
    return render(request, "orgs/org_detail.html", context)
