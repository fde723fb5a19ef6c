"""
The meeting pages: list, plan, and the recording flow (ADR 0006, issue 3).

Thin: parse the request, call ``meetings.selectors`` and
``meetings.services``, render. The detail page is the whole recording
flow; each section posts on its own with htmx and gets back its fragment
with the header, the checks and the meeting's version swapped out of band.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, time
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orglife.access.roles import MANAGE_MEETINGS
from orglife.access.scope import can
from orglife.access.shortcuts import get_visible_or_404
from orglife.common.htmx import htmx_partial, render_htmx
from orglife.meetings import selectors, services
from orglife.meetings.activity_types import GENERAL_MEETING, REGULAR_MEETING
from orglife.meetings.choices import AttendanceStatus, MeetingStatus, VoteKind
from orglife.meetings.forms import (
    AmendForm,
    ElectionForm,
    FollowUpForm,
    GuestForm,
    HeldForm,
    PlanForm,
    ResolutionForm,
    VoteForm,
)
from orglife.meetings.models import Meeting
from orglife.meetings.rules import CN, CN_THREE_MEETINGS_ONE_LESSON, MUST, SHOULD
from orglife.orgs.models import Organization

PAGE_SIZE = 50
SECTIONS = ("held", "attendance", "agenda", "resolutions", "votes", "followups", "finalize")
DEFAULT_TYPE = {"CN": GENERAL_MEETING, "VN": REGULAR_MEETING}
DEFAULT_START, DEFAULT_END = time(9, 0), time(11, 0)
ROLL_CALL_CYCLE = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT)


def _first_item_title() -> str:
    return _("Study of the latest central documents (first agenda item)")


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _error_texts(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


# ------------------------------------------------------------------- list


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings of a branch or subtree: filters by year, month, status and type."""
    org = None
    org_code = request.GET.get("org", "")[:40]
    if org_code:
        org = get_visible_or_404(Organization.objects.all(), request.user, code=org_code)
    today = timezone.localdate()
    year = _int(request.GET.get("year"))
    month = _int(request.GET.get("month"))
    if month is not None and not 1 <= month <= 12:
        month = None
    date_from = date_to = None
    if year is not None and 1900 < year < 3000:
        if month:
            date_from = date(year, month, 1)
            date_to = date(year, month, calendar.monthrange(year, month)[1])
        else:
            date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    else:
        year = None
    status = request.GET.get("status", "")
    if status not in MeetingStatus.values:
        status = ""
    type_code = request.GET.get("type", "")[:40]
    meetings = selectors.meeting_list(
        actor=request.user, org=org, status=status, type_code=type_code, date_from=date_from, date_to=date_to
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {
        key: value
        for key, value in (
            ("org", org_code),
            ("year", year),
            ("month", month),
            ("status", status),
            ("type", type_code),
        )
        if value
    }
    plan_org = org
    if plan_org is None:
        manageable = list(selectors.meeting_branches_for(actor=request.user, action=MANAGE_MEETINGS)[:2])
        plan_org = manageable[0] if len(manageable) == 1 else None
    context = {
        "page": page,
        "org": org,
        "year": year,
        "month": month,
        "status": status,
        "type_code": type_code,
        "years": list(range(today.year + 1, today.year - 5, -1)),
        "months": list(range(1, 13)),
        "statuses": MeetingStatus.choices,
        "types": selectors.activity_type_list(jurisdiction=org.jurisdiction if org else ""),
        "filter_query": urlencode(filters),
        "plan_org": plan_org,
        "can_plan": plan_org is not None and can(request.user, MANAGE_MEETINGS, plan_org),
        "can_plan_somewhere": selectors.meeting_branches_for(
            actor=request.user, action=MANAGE_MEETINGS
        ).exists(),
    }
    return render_htmx(request, "meetings/meeting_list.html", "meetings/partials/_meeting_rows.html", context)


# ------------------------------------------------------------------- plan


def _next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plan_initial(request: HttpRequest, org: Organization) -> dict[str, Any]:
    """Pre-fill from the branch's previous meeting: place, time of day, types."""
    today = timezone.localdate()
    previous = selectors.meeting_previous(actor=request.user, org=org)
    initial: dict[str, Any] = {"day": today, "start": DEFAULT_START, "end": DEFAULT_END}
    initial["types"] = [DEFAULT_TYPE.get(org.jurisdiction, "")]
    if previous is not None:
        start = timezone.localtime(previous.planned_start)
        end = timezone.localtime(previous.planned_end)
        following = _next_month(start.date())
        initial.update(
            day=following if following >= today else today,
            start=start.time().replace(second=0, microsecond=0),
            end=end.time().replace(second=0, microsecond=0),
            place=previous.place,
            online_link=previous.online_link,
            types=[item.code for item in previous.types.all()],
        )
    initial["topic"] = _("Branch meeting, %(month)s") % {"month": initial["day"].strftime("%Y-%m")}
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def meeting_plan(request: HttpRequest) -> HttpResponse:
    """Plan a meeting of a branch, pre-filled from its previous meeting."""
    code = (request.POST.get("org") if request.method == "POST" else request.GET.get("org")) or ""
    if not code:
        branches = list(selectors.meeting_branches_for(actor=request.user, action=MANAGE_MEETINGS)[:200])
        if len(branches) == 1:
            code = branches[0].code
        else:
            return render(request, "meetings/meeting_plan.html", {"org": None, "branches": branches})
    org = get_visible_or_404(Organization.objects.all(), request.user, MANAGE_MEETINGS, code=code[:40])
    type_choices = [(t.code, t.name) for t in selectors.activity_type_list(jurisdiction=org.jurisdiction)]
    joint = selectors.joint_branch_choices(actor=request.user, org=org)
    joint_choices = [(branch.code, branch.name) for branch in joint]
    options = {"type_choices": type_choices, "joint_choices": joint_choices}
    if request.method == "POST":
        form = PlanForm(request.POST, **options)
        if form.is_valid():
            start, end = form.planned()
            data = form.cleaned_data
            try:
                meeting = services.meeting_plan(
                    actor=request.user,
                    org=org,
                    topic=data["topic"],
                    type_codes=data["types"],
                    planned_start=start,
                    planned_end=end,
                    place=data["place"],
                    online_link=data["online_link"],
                    joint_branches=list(joint.filter(code__in=data["joint_branches"])),
                )
            except ValidationError as exc:
                for message in _error_texts(exc):
                    form.add_error(None, message)
            else:
                return HttpResponseRedirect(reverse("meetings:meeting_detail", args=[meeting.pk]))
        status = 400
    else:
        form = PlanForm(initial=_plan_initial(request, org), **options)
        status = 200
    return render(request, "meetings/meeting_plan.html", {"org": org, "form": form}, status=status)


# ---------------------------------------------------------- detail & record


def _attendance_rows(meeting: Meeting, posted: dict[int, dict[str, Any]] | None) -> list[dict[str, Any]]:
    rows = []
    for row in meeting.attendance.all():
        status = row.status if row.status != AttendanceStatus.PENDING else AttendanceStatus.PRESENT
        entry = {
            "row": row,
            "status": status,
            "reason": row.excuse_reason,
            "late": row.arrived_late_minutes or "",
        }
        if posted and row.person_id in posted:
            entry.update(posted[row.person_id])
        rows.append(entry)
    return rows


def _agenda_rows(request: HttpRequest, meeting: Meeting) -> list[dict[str, Any]]:
    """The agenda as recorded, else the previous meeting's structure, else the first item."""
    items = list(meeting.agenda.all())
    if items:
        return [
            {"title": item.title, "discussion": item.discussion, "first": item.is_first_item}
            for item in items
        ]
    rows: list[dict[str, Any]] = []
    previous = selectors.meeting_previous(actor=request.user, org=meeting.org, before=meeting)
    if previous is not None:
        rows = [
            {"title": item.title, "discussion": "", "first": item.is_first_item}
            for item in previous.agenda.all()
        ]
    codes = {item.code for item in meeting.types.all()}
    three_meetings = meeting.org.jurisdiction == CN and codes & CN_THREE_MEETINGS_ONE_LESSON
    if three_meetings and not any(row["first"] for row in rows):
        rows.insert(0, {"title": _first_item_title(), "discussion": "", "first": True})
    if not rows:
        rows = [{"title": "", "discussion": "", "first": False}]
    return rows


def _detail_context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    errors: dict[str, list[str]] | None = None,
    saved: str = "",
    forms: dict[str, Any] | None = None,
    posted_attendance: dict[int, dict[str, Any]] | None = None,
    posted_agenda: list[dict[str, Any]] | None = None,
    posted_reasons: dict[str, str] | None = None,
) -> dict[str, Any]:
    actor = request.user
    can_manage = can(actor, MANAGE_MEETINGS, meeting.org)
    sealed = meeting.status == MeetingStatus.SEALED
    writable = can_manage and meeting.status not in (MeetingStatus.SEALED, MeetingStatus.CANCELLED)
    roster = list(selectors.meeting_roster(actor=actor, meeting=meeting))
    full_members = [(p.pk, p.full_name) for p in roster if p.status in ("full", "probationary")]
    subjects = [(p.pk, f"{p.full_name} · {p.get_status_display()}") for p in roster if p.status != "full"]
    agenda = list(meeting.agenda.all())
    agenda_choices = [(item.order, f"{item.order}. {item.title}") for item in agenda]
    start = timezone.localtime(meeting.actual_start or meeting.planned_start)
    end = timezone.localtime(meeting.actual_end or meeting.planned_end)
    forms = forms or {}
    findings = []
    if meeting.status != MeetingStatus.PLANNED:
        findings = selectors.meeting_findings_for(actor=actor, meeting=meeting)
    reasons = dict(meeting.should_reasons or {})
    reasons.update(posted_reasons or {})
    versions = selectors.meeting_versions(actor=actor, meeting=meeting) if sealed else []
    attendance = _attendance_rows(meeting, posted_attendance)
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for row in meeting.attendance.all():
        counts[row.status] += 1
    follow_ups = selectors.followup_open_for_branch(actor=actor, org=meeting.org).exclude(
        resolution__meeting=meeting
    )
    return {
        "meeting": meeting,
        "org": meeting.org,
        "can_manage": can_manage,
        "writable": writable,
        "sealed": sealed,
        "errors": errors or {},
        "saved": saved,
        "types": list(meeting.types.all()),
        "joint": [row.branch for row in meeting.meetingjointbranch_set.all()],
        "held_form": forms.get("held")
        or HeldForm(initial={"day": start.date(), "start": start.time(), "end": end.time()}),
        "attendance": attendance,
        "counts": counts,
        "guests": list(meeting.guests.all()),
        "guest_form": forms.get("guest") or GuestForm(),
        "agenda_rows": posted_agenda if posted_agenda is not None else _agenda_rows(request, meeting),
        "first_item_title": _first_item_title(),
        "resolutions": list(meeting.resolutions.all()),
        "resolution_form": forms.get("resolution") or ResolutionForm(owner_choices=full_members),
        "votes": list(meeting.votes.all()),
        "vote_form": forms.get("vote")
        or VoteForm(
            initial={"kind": VoteKind.MOTION}, agenda_choices=agenda_choices, subject_choices=subjects
        ),
        "elections": list(meeting.elections.all()),
        "election_form": forms.get("election") or ElectionForm(),
        "is_cn": meeting.org.jurisdiction == CN,
        "follow_ups": list(follow_ups),
        "findings": findings,
        "blocking": [item for item in findings if item["finding"].blocks],
        "unmet_should": [
            item for item in findings if not item["finding"].passed and item["finding"].strength == SHOULD
        ],
        "MUST": MUST,
        "SHOULD": SHOULD,
        "reasons": reasons,
        "versions": versions,
        "latest_version": versions[-1] if versions else None,
        "amend_form": forms.get("amend")
        or AmendForm(initial={"topic": meeting.topic, "place": meeting.place, "minutes": meeting.minutes}),
        "cycle": ROLL_CALL_CYCLE,
        "status_labels": dict(AttendanceStatus.choices),
    }


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting: the recording flow while open, the sealed record afterwards."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


def _respond(
    request: HttpRequest,
    pk: int,
    section: str,
    errors: list[str],
    **extra: Any,
) -> HttpResponse:
    """
    After a section's POST: htmx gets the section (and the header, the
    checks and the version out of band); a plain form post is redirected
    back to the section, or gets the whole page with the errors.
    """
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk)
    context = _detail_context(
        request,
        meeting,
        errors={section: errors} if errors else None,
        saved="" if errors else section,
        **extra,
    )
    if not htmx_partial(request):
        if errors:
            return render(request, "meetings/meeting_detail.html", context, status=400)
        return HttpResponseRedirect(reverse("meetings:meeting_detail", args=[pk]) + f"#section-{section}")
    context["section"] = section
    context["section_template"] = f"meetings/partials/_section_{section}.html"
    return render(request, "meetings/partials/_section_response.html", context)


def _write(
    request: HttpRequest, pk: int, section: str, write: Callable[[Meeting], None], **extra: Any
) -> Any:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk, action=MANAGE_MEETINGS)
    try:
        write(meeting)
    except ValidationError as exc:
        return _respond(request, pk, section, _error_texts(exc), **extra)
    return _respond(request, pk, section, [])


def _version(request: HttpRequest) -> int | None:
    return _int(request.POST.get("version"))


@login_required
@require_POST
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the meeting was held, with its actual times."""
    form = HeldForm(request.POST)

    def write(meeting: Meeting) -> None:
        if not form.is_valid():
            raise ValidationError(_("Give the date, the start and the end."))
        start, end = form.actual()
        services.meeting_record_held(
            actor=request.user,
            meeting=meeting,
            actual_start=start,
            actual_end=end,
            expected_version=_version(request),
        )

    return _write(request, pk, "held", write, forms={"held": form})


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call: every listed person with status, reason and minutes late."""
    entries = []
    posted: dict[int, dict[str, Any]] = {}
    for value in request.POST.getlist("person"):
        person_id = _int(value)
        if person_id is None:
            continue
        status = request.POST.get(f"status_{person_id}", AttendanceStatus.PRESENT)
        reason = request.POST.get(f"reason_{person_id}", "")[:300]
        late = request.POST.get(f"late_{person_id}", "")
        entry = {"person": person_id, "status": status, "excuse_reason": reason}
        if status == AttendanceStatus.PRESENT:
            entry["arrived_late_minutes"] = _int(late, 0)
        entries.append(entry)
        posted[person_id] = {"status": status, "reason": reason, "late": late}

    def write(meeting: Meeting) -> None:
        services.attendance_record(actor=request.user, meeting=meeting, entries=entries)

    return _write(request, pk, "attendance", write, posted_attendance=posted)


@login_required
@require_POST
def meeting_guest(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a guest to the attendance."""
    form = GuestForm(request.POST)

    def write(meeting: Meeting) -> None:
        if not form.is_valid():
            raise ValidationError(_("A guest needs a name."))
        services.guest_add(actor=request.user, meeting=meeting, **form.cleaned_data)

    return _write(request, pk, "attendance", write, forms={"guest": form})


@login_required
@require_POST
def meeting_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda items with their discussion, and the minutes."""
    titles = request.POST.getlist("title")
    discussions = request.POST.getlist("discussion")
    first = _int(request.POST.get("first"))
    items = []
    for index, title in enumerate(titles):
        discussion = discussions[index] if index < len(discussions) else ""
        if not title.strip() and not discussion.strip():
            continue  # an empty row the user added and left
        items.append({"title": title, "discussion": discussion, "is_first_item": first == index})
    minutes = request.POST.get("minutes")
    posted = [
        {"title": i["title"], "discussion": i["discussion"], "first": i["is_first_item"]} for i in items
    ]

    def write(meeting: Meeting) -> None:
        services.agenda_set(
            actor=request.user,
            meeting=meeting,
            items=items,
            minutes=minutes,
            expected_version=_version(request),
        )

    return _write(request, pk, "agenda", write, posted_agenda=posted)


@login_required
@require_POST
def meeting_resolution(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a resolution with its owner and due date."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk, action=MANAGE_MEETINGS)
    roster = {p.pk: p for p in selectors.meeting_roster(actor=request.user, meeting=meeting)}
    form = ResolutionForm(request.POST, owner_choices=[(pk_, p.full_name) for pk_, p in roster.items()])

    def write(meeting: Meeting) -> None:
        if not form.is_valid():
            raise ValidationError(_("Check the resolution's text, owner and due date."))
        data = form.cleaned_data
        services.resolution_add(
            actor=request.user,
            meeting=meeting,
            text=data["text"],
            owner_person=roster.get(data["owner"]) if data["owner"] else None,
            due_on=data["due_on"],
        )

    return _write(request, pk, "resolutions", write, forms={"resolution": form})


@login_required
@require_POST
def meeting_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a vote's tally; the service refuses a person vote naming two people."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk, action=MANAGE_MEETINGS)
    roster = {p.pk: p for p in selectors.meeting_roster(actor=request.user, meeting=meeting)}
    agenda_choices = [(item.order, item.title) for item in meeting.agenda.all()]
    form = VoteForm(
        request.POST,
        agenda_choices=agenda_choices,
        subject_choices=[(pk_, p.full_name) for pk_, p in roster.items() if p.status != "full"],
    )

    def write(meeting: Meeting) -> None:
        if not form.is_valid():
            raise ValidationError(_("Check the counts: whole numbers, zero or more."))
        data = form.cleaned_data
        services.vote_record(
            actor=request.user,
            meeting=meeting,
            kind=data["kind"],
            question=data["question"],
            agenda_order=data["agenda_order"],
            subjects=[roster[person_id] for person_id in data["subjects"]],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"] or 0,
            abstain=data["abstain"] or 0,
            written_for=data["written_for"] or 0,
            written_against=data["written_against"] or 0,
        )

    return _write(request, pk, "votes", write, forms={"vote": form})


@login_required
@require_POST
def meeting_election(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an election's tallies (never who voted for whom)."""
    form = ElectionForm(request.POST)

    def write(meeting: Meeting) -> None:
        if not form.is_valid():
            raise ValidationError([str(m) for errors in form.errors.values() for m in errors])
        data = form.cleaned_data
        services.election_record(
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            seats=data["seats"],
            ballots_issued=data["ballots_issued"],
            ballots_returned=data["ballots_returned"],
            ballots_valid=data["ballots_valid"],
            candidates=data["candidates"],
        )

    return _write(request, pk, "votes", write, forms={"election": form})


@login_required
@require_POST
def meeting_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the checks and seal; a failed "must" blocks, a failed "should" needs a reason."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk, action=MANAGE_MEETINGS)
    reasons = {
        key.removeprefix("reason_"): request.POST.get(key, "")[:1000]
        for key in request.POST
        if key.startswith("reason_") and request.POST.get(key, "").strip()
    }
    try:
        services.meeting_finalize(
            actor=request.user, meeting=meeting, should_reasons=reasons, expected_version=_version(request)
        )
    except ValidationError as exc:
        return _respond(request, pk, "finalize", _error_texts(exc), posted_reasons=reasons)
    url = reverse("meetings:meeting_detail", args=[pk])
    if htmx_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@login_required
@require_POST
def meeting_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Amend a sealed meeting: the changed fields with a reason; sealed again as the next version."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk, action=MANAGE_MEETINGS)
    form = AmendForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        fields = {
            name: data[name]
            for name in ("topic", "place", "minutes")
            if name in request.POST and data[name] != getattr(meeting, name)
        }
        try:
            services.meeting_amend(
                actor=request.user, meeting=meeting, reason=data["reason"], changes={"fields": fields}
            )
        except ValidationError as exc:
            errors = _error_texts(exc)
        else:
            return HttpResponseRedirect(reverse("meetings:meeting_history", args=[pk]))
    else:
        errors = [str(m) for field_errors in form.errors.values() for m in field_errors]
    context = _detail_context(request, meeting, errors={"amend": errors}, forms={"amend": form})
    return render(request, "meetings/meeting_detail.html", context, status=400)


@login_required
@require_GET
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every sealed version side by side, the changed fields highlighted."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=pk)
    history = selectors.meeting_history(actor=request.user, meeting=meeting)
    return render(request, "meetings/meeting_history.html", {"meeting": meeting, **history})


@login_required
@require_POST
def followup_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the status and outcome of a follow-up item."""
    item = selectors.followup_get(actor=request.user, pk=pk, action=MANAGE_MEETINGS)
    form = FollowUpForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            item = services.followup_update(
                actor=request.user,
                follow_up=item,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            error = " ".join(_error_texts(exc))
    else:
        error = _("Choose a status.")
    if htmx_partial(request):
        item = selectors.followup_get(actor=request.user, pk=pk)
        context = {"item": item, "error": error, "saved": not error, "writable": True}
        return render(request, "meetings/partials/_followup_row.html", context)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("meetings:meeting_detail", args=[item.resolution.meeting_id])
    return HttpResponseRedirect(target)
