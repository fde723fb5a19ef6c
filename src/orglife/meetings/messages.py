"""Sentences for rule findings and meeting errors, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from orglife.meetings.rules import Finding

# Each sentence ends with "(rule id — source)"; the caller appends it.
MESSAGES: dict[str, Any] = {
    "ok": _("Rule satisfied"),
    "attendance_pending": _("Attendance is not recorded for %(pending)s expected attendees"),
    "minutes_missing": _("Neither minutes nor an agenda is recorded"),
    "resolution_missing": _("This meeting decides matters but no resolution is recorded"),
    "gm_no_quorum": _(
        "Quorum not reached: %(present)s of %(expected)s voting members present; more than half are required"
    ),
    "election_no_quorum": _(
        "The election is not valid: %(present)s of %(expected)s voting members present; "
        "more than four fifths are required"
    ),
    "duration_short": _("The meeting lasted %(minutes)s minutes; at least %(minimum)s are required"),
    "duration_combined_short": _(
        "A regular meeting combined with a thematic meeting lasted %(minutes)s minutes; "
        "at least %(minimum)s are required"
    ),
    "first_item_missing": _("No first agenda item (study of the latest central documents) is recorded"),
    "vote_passed": _("Passed: %(yes)s votes for, of %(eligible)s voting members entitled to attend"),
    "vote_no_quorum": _(
        "Not passed: only %(present)s of %(eligible)s voting members present; more than half are required"
    ),
    "vote_failed_majority": _(
        "Not passed: %(yes)s votes for; more than half of %(eligible)s voting members are required"
    ),
    "vote_failed_two_thirds": _(
        "Not passed: %(yes)s votes for; at least two thirds of %(eligible)s full members are required"
    ),
    "one_person_per_vote": _(
        "Admissions and conversions are voted one person at a time; this vote names %(count)s people"
    ),
    "should_reason_required": _("Give a reason for this unmet recommendation"),
    "sealed": _("The meeting is sealed; change it by an amendment with a reason"),
}


def message_for(key: str, params: dict[str, Any] | None = None) -> str:
    """Render the message for ``key`` in the active language."""
    template = MESSAGES.get(key)
    if template is None:
        return key
    text = str(template)
    return text % (params or {}) if params else text


def finding_text(finding: Finding) -> str:
    """A finding as one sentence naming its rule and source."""
    return _("%(message)s (%(rule)s — %(source)s)") % {
        "message": message_for(finding.message_key, finding.params),
        "rule": finding.rule_id,
        "source": finding.source,
    }
