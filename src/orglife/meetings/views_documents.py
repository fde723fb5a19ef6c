"""
Pages and downloads for meeting outputs: printable minutes (PDF, .docx),
the verification of a printed code, iCal feeds and the yearly ledger.

Views only parse the request and answer: documents come from
``meetings.documents``, feeds from ``meetings.ical``, the ledger from
``meetings.ledger``; every object is fetched through the caller's scope
(404 out of scope).
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from orglife.access.shortcuts import get_visible_or_404
from orglife.meetings import documents, ical
from orglife.meetings.ledger import meeting_ledger
from orglife.meetings.models import CalendarFeedToken, Meeting
from orglife.orgs.models import Organization

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
LEDGER_YEARS = range(1990, 2101)


def not_sealed_response(message: str) -> HttpResponse:
    """409: the meeting exists and is visible, but has no official record yet."""
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def minutes_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The sealed minutes of meeting ``pk`` as PDF or .docx (409 when not sealed yet)."""
    if file_format not in documents.FORMATS:
        raise Http404
    meeting = get_visible_or_404(Meeting.objects.select_related("org"), request.user, pk=pk)
    version = request.GET.get("version", "")
    try:
        result = documents.minutes_export(
            actor=request.user,
            meeting=meeting,
            file_format=file_format,
            version_number=int(version) if version.isdigit() else None,
        )
    except documents.MeetingNotSealed as refusal:
        return not_sealed_response(str(refusal))
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@login_required
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a verification code printed on minutes; ``?code=`` goes to its page."""
    code = request.GET.get("code", "").strip()
    if code:
        digits = documents.normalize_code(code)
        if digits is not None:
            return redirect("meeting_documents:verify", code=documents.verification_code(digits))
        messages.error(request, _("A verification code has 16 letters and digits (0–9, A–F)."))
    return render(request, "meetings/documents/verify.html", {"result": None, "code": code})


@login_required
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Whether ``code`` names the current sealed version of a meeting the user may see."""
    result = documents.verify_code(actor=request.user, code=code)
    return render(request, "meetings/documents/verify.html", {"result": result, "code": code})


@login_required
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest) -> HttpResponse:
    """The user's calendar feed URLs; POST makes a new secret token (old URLs stop working)."""
    token: CalendarFeedToken | None
    if request.method == "POST":
        # The page itself answers the post: it shows the new links at once.
        token = ical.feed_token_rotate(actor=request.user)
        messages.success(request, _("New calendar links made; the old ones no longer work."))
    else:
        token = ical.feed_token_get(request.user)
    branches = Organization.objects.visible_to(request.user).filter(meetings__isnull=False).distinct()
    context = {
        "token": token,
        "member_url": (
            request.build_absolute_uri(
                reverse("meeting_documents:member_feed", kwargs={"token": token.token})
            )
            if token
            else ""
        ),
        "branch_urls": [
            (
                branch,
                request.build_absolute_uri(
                    reverse("meeting_documents:branch_feed", kwargs={"code": branch.code})
                )
                + f"?token={token.token}",
            )
            for branch in branches.order_by("path")[:50]
        ]
        if token
        else [],
    }
    return render(request, "meetings/documents/feeds.html", context)


def _ics(request: HttpRequest, meetings: object, name: str) -> HttpResponse:
    text = ical.calendar(
        meetings,  # type: ignore[arg-type]
        name=name,
        host=request.get_host().split(":")[0],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(text.encode("utf-8"), content_type=ICS_CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def branch_feed(request: HttpRequest, code: str) -> HttpResponse:
    """
    The meetings of branch ``code`` as iCal. ``?token=`` (a calendar app)
    or the session (a browser) says who reads; either needs view scope.
    """
    token = request.GET.get("token", "")
    user = ical.feed_user(token) if token else (request.user if request.user.is_authenticated else None)
    if user is None:
        raise Http404
    org = get_visible_or_404(Organization.objects.all(), user, code=code)
    return _ics(request, ical.branch_feed_meetings(actor=user, org=org), org.name)


@require_GET
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The meetings the token's owner is expected at, as iCal."""
    user = ical.feed_user(token)
    if user is None:
        raise Http404
    return _ics(request, ical.member_feed_meetings(user=user), _("My meetings"))


@login_required
@require_GET
def ledger_download(request: HttpRequest, code: str, year: int) -> FileResponse:
    """The yearly ledger (.xlsx) of ``code``'s subtree."""
    if year not in LEDGER_YEARS:
        raise Http404
    org = get_visible_or_404(Organization.objects.all(), request.user, code=code)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    meeting_ledger(actor=request.user, org=org, year=year, destination=handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"ledger-{org.code}-{year}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
