"""The landing page after login: the user's roles and the organizations they cover."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from orglife.access.roles import ROLE_LABELS
from orglife.orgs.selectors import org_role_assignments, org_subtree_member_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One card per organization the user holds a role on, with its roles and member count."""
    assignments = list(org_role_assignments(actor=request.user))
    cards: dict[int, dict[str, Any]] = {}
    for assignment in assignments:
        card = cards.setdefault(assignment.org_id, {"org": assignment.org, "roles": []})
        card["roles"].append(ROLE_LABELS.get(assignment.role.code, assignment.role.name))
    counts = org_subtree_member_counts([card["org"] for card in cards.values()])
    for pk, card in cards.items():
        card["member_count"] = counts.get(pk, 0)
    return render(request, "accounts/home.html", {"cards": list(cards.values())})
