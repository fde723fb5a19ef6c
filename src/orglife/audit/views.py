"""The audit trail page and its verification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from orglife.access.roles import VIEW_AUDIT
from orglife.access.scope import scope_for
from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_verify


@login_required
def audit_event_list(request: HttpRequest) -> HttpResponse:
    """Events about organizations in the user's audit scope, newest first."""
    if scope_for(request.user, VIEW_AUDIT).is_empty:
        raise PermissionDenied
    events = AuditEvent.objects.visible_to(request.user, VIEW_AUDIT).order_by("-seq")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    verification = None
    if request.user.is_superuser and request.GET.get("verify") == "1":
        verification = audit_verify()
    return render(request, "audit/audit_event_list.html", {"page": page, "verification": verification})
