"""
iCalendar feeds (RFC 5545) of planned and held meetings, per branch and per member.

Calendar apps cannot log in, so a feed URL carries the user's secret
:class:`CalendarFeedToken`. The token opens feeds only, is revocable
(rotate it and the old URL stops working) and reads through the token
owner's own view scope: a branch feed needs view scope on that branch;
a member feed lists the meetings where the owner's person is expected.

The text is written by hand: CRLF line ends, lines folded at 75 octets
(never inside a UTF-8 sequence), and ``\\``, ``;``, ``,`` and newlines
escaped in text values.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from orglife.access.querysets import subtree_condition
from orglife.audit.services import audit_record
from orglife.meetings.choices import MeetingStatus
from orglife.meetings.models import Attendance, CalendarFeedToken, Meeting
from orglife.orgs.models import Organization

CRLF = "\r\n"
FOLD_OCTETS = 75
PRODID = "-//orglife//meetings//EN"
# Meetings planned up to this long ago stay in the feeds.
FEED_HISTORY = timedelta(days=400)


# ----------------------------------------------------------------- tokens


def feed_token_get(user: Any) -> CalendarFeedToken | None:
    """The user's current feed token, if one was made."""
    return CalendarFeedToken.objects.filter(user=user).first()


@transaction.atomic
def feed_token_rotate(*, actor: Any) -> CalendarFeedToken:
    """
    Make a new feed token for ``actor`` (replacing any old one, whose URLs
    stop working) and record one audit event (never the token itself).
    """
    CalendarFeedToken.objects.filter(user=actor).delete()
    token = CalendarFeedToken.objects.create(user=actor, token=secrets.token_urlsafe(32))
    audit_record(actor=actor, action="meetings.feed_token", target=token, data={})
    return token


def feed_user(token: str) -> Any | None:
    """The active user a feed token stands for, or None."""
    if not token or len(token) > 64:
        return None
    row = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        return None
    return row.user


# ---------------------------------------------------------------- selectors


def _recent(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    since = timezone.now() - FEED_HISTORY
    return meetings.filter(planned_start__gte=since).prefetch_related("types").order_by("planned_start", "pk")


def branch_feed_meetings(*, actor: Any, org: Organization) -> QuerySet[Meeting]:
    """Meetings hosted in ``org``'s subtree or joined by ``org``, within ``actor``'s scope."""
    meetings = Meeting.objects.visible_to(actor).select_related("org")
    meetings = meetings.filter(subtree_condition("org__path", org.path) | Q(meetingjointbranch__branch=org))
    return _recent(meetings.distinct())


def member_feed_meetings(*, user: Any) -> QuerySet[Meeting]:
    """
    Meetings where ``user``'s person is an expected attendee. The user's
    own attendance needs no role: these are the meetings they are called to.
    """
    person_id = getattr(getattr(user, "person", None), "pk", None)
    if person_id is None:
        return Meeting.objects.none()
    meeting_ids = Attendance.objects.filter(person_id=person_id, expected=True).values("meeting_id")
    return _recent(Meeting.objects.filter(pk__in=meeting_ids).select_related("org"))


# -------------------------------------------------------------- RFC 5545


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets, continuation lines starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= FOLD_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            # Continuation lines begin with one space, which counts towards the 75.
            limit = FOLD_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def meeting_path(pk: int) -> str:
    """The meeting's page (the recording UI), or its API answer where that UI is absent."""
    try:
        return reverse("meetings:meeting_detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return f"/api/meetings/{pk}/"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, *, host: str, base_url: str) -> list[str]:
    start = meeting.actual_start or meeting.planned_start
    end = meeting.actual_end or meeting.planned_end
    types = ", ".join(sorted(item.name for item in meeting.types.all()))
    summary = f"{meeting.topic} ({types})" if types else meeting.topic
    location = meeting.place or meeting.online_link
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_utc(meeting.updated_at)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"STATUS:{'CANCELLED' if meeting.status == MeetingStatus.CANCELLED else 'CONFIRMED'}",
        f"SEQUENCE:{meeting.version}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    description = f"{meeting.org.name}"
    if meeting.status == MeetingStatus.CANCELLED and meeting.cancel_reason:
        description += f"\n{meeting.cancel_reason}"
    lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append(f"URL:{base_url}{meeting_path(meeting.pk)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, name: str, host: str, base_url: str) -> str:
    """A VCALENDAR of ``meetings``: CRLF line ends, folded lines, escaped text."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines.extend(_event(meeting, host=host, base_url=base_url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
