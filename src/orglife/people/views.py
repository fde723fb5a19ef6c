"""Member list with cross-script search, and member detail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode

from orglife.access.roles import EXPORT_PEOPLE, IMPORT_PEOPLE
from orglife.access.scope import can
from orglife.access.shortcuts import get_visible_or_404
from orglife.common.htmx import render_htmx
from orglife.orgs.models import Organization
from orglife.people.choices import MembershipStatus
from orglife.people.models import Person
from orglife.people.selectors import person_list, person_sensitive_view, person_status_history
from orglife.people.services import person_needs_read_log, person_sensitive_read_log

PAGE_SIZE = 50


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    """Members visible to the user; ``q`` searches names across scripts."""
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    if status not in MembershipStatus.values:
        status = ""
    org = None
    org_code = request.GET.get("org", "")
    if org_code:
        org = get_visible_or_404(Organization.objects.all(), request.user, code=org_code)
    people = person_list(actor=request.user, query=query, org=org, status=status)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    # The filters every page link keeps (the page number is added per link).
    filters = {key: value for key, value in (("q", query), ("status", status), ("org", org_code)) if value}
    context = {
        "page": page,
        "query": query,
        "status": status,
        "org": org,
        "filter_query": urlencode(filters),
        "statuses": MembershipStatus.choices,
        "can_export": org is not None and can(request.user, EXPORT_PEOPLE, org),
        "can_import": org is not None and can(request.user, IMPORT_PEOPLE, org),
    }
    return render_htmx(request, "people/person_list.html", "people/partials/_person_rows.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's record; sensitive fields masked without permission."""
    person = get_visible_or_404(Person.objects.select_related("org", "party_group"), request.user, pk=pk)
    sensitive = person_sensitive_view(actor=request.user, person=person)
    read_logged = sensitive.unmasked and person_needs_read_log(actor=request.user, person=person)
    if read_logged:
        with transaction.atomic():
            person_sensitive_read_log(
                actor=request.user,
                person=person,
                fields=["national_id", "phone", "birth_date"],
                purpose="person_detail",
            )
    context = {
        "person": person,
        "sensitive": sensitive,
        "history": person_status_history(actor=request.user, person=person),
        "read_logged": read_logged,
    }
    return render_htmx(request, "people/person_detail.html", None, context)
