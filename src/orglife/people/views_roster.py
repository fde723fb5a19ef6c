"""Roster pages: "Import roster" (upload, dry-run preview, confirm) and export."""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from orglife.access.roles import EXPORT_PEOPLE, IMPORT_PEOPLE
from orglife.access.shortcuts import get_visible_or_404
from orglife.orgs.models import Organization
from orglife.people.forms_roster import RosterImportForm
from orglife.people.services_roster import RosterReport, roster_export, roster_import

_SESSION_KEY = "roster_uploads"
_UPLOAD_MAX_AGE_SECONDS = 24 * 3600
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_dir() -> Path:
    directory = Path(settings.VAR_DIR) / "roster-uploads"
    directory.mkdir(parents=True, exist_ok=True)
    # Previews that were never confirmed are dropped after a day.
    cutoff = time.time() - _UPLOAD_MAX_AGE_SECONDS
    for stale in directory.glob("*.xlsx"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)
    return directory


def _org(request: HttpRequest, code: str, action: str) -> Organization:
    return get_visible_or_404(Organization.objects.all(), request.user, action, code=code)


def _render(
    request: HttpRequest,
    *,
    form: RosterImportForm,
    org: Organization | None,
    report: RosterReport | None = None,
    token: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "org": org, "report": report, "token": token}
    return render(request, "people/roster_import.html", context)


def _confirm(request: HttpRequest, org: Organization) -> HttpResponse:
    token = request.POST.get("token", "")
    pending: dict[str, dict[str, str]] = request.session.get(_SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[_SESSION_KEY] = pending
    form = RosterImportForm(initial={"org": org.code})
    if entry is None or entry["org"] != org.code or not Path(entry["path"]).is_file():
        messages.error(request, _("The preview has expired; upload the file again."))
        return _render(request, form=form, org=org)
    path = Path(entry["path"])
    try:
        report = roster_import(actor=request.user, org=org, source=path, file_name=entry["name"])
    finally:
        path.unlink(missing_ok=True)
    if not report.ok:
        return _render(request, form=form, org=org, report=report)
    messages.success(
        request,
        _("Roster imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect(reverse("people:person_list") + "?" + urlencode({"org": org.code}))


@login_required
@require_http_methods(["GET", "POST"])
def roster_import_view(request: HttpRequest) -> HttpResponse:
    """
    Upload a roster and see the dry-run report; with no error, confirm to
    import the same file (kept on the server under a one-time token).
    """
    if request.method == "GET":
        code = request.GET.get("org", "")
        org = _org(request, code, IMPORT_PEOPLE) if code else None
        return _render(request, form=RosterImportForm(initial={"org": code}), org=org)
    org = _org(request, request.POST.get("org", ""), IMPORT_PEOPLE)
    if request.POST.get("confirm"):
        return _confirm(request, org)
    form = RosterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form=form, org=org)
    upload = form.cleaned_data["file"]
    token = secrets.token_urlsafe(16)
    path = _upload_dir() / f"{token}.xlsx"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    report = roster_import(actor=request.user, org=org, source=path, file_name=upload.name, dry_run=True)
    if report.ok and (report.created or report.updated):
        pending = request.session.get(_SESSION_KEY, {})
        pending[token] = {"path": str(path), "org": org.code, "name": upload.name}
        request.session[_SESSION_KEY] = pending
    else:
        path.unlink(missing_ok=True)
        token = ""
    return _render(
        request, form=RosterImportForm(initial={"org": org.code}), org=org, report=report, token=token
    )


@login_required
@require_GET
def roster_export_view(request: HttpRequest) -> FileResponse:
    """Download the roster of ``?org=CODE`` (masked where the user may not see)."""
    code = request.GET.get("org", "")
    org = _org(request, code, EXPORT_PEOPLE) if code else None
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    roster_export(actor=request.user, org=org, destination=handle)
    handle.seek(0)
    name = f"roster-{org.code if org else 'all'}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
