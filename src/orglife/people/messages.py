"""Sentences for validation codes, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Any] = {
    "required": _("This value is required."),
    "date_in_future": _("The date %(value)s is in the future."),
    "invalid_date": _("“%(value)s” is not a date (use YYYY-MM-DD, DD/MM/YYYY or 2024年5月1日)."),
    "invalid_choice": _("“%(value)s” is not one of the allowed values."),
    "id_format_cn": _("“%(value)s” is not an 18-character Chinese resident ID."),
    "id_format_vn": _("“%(value)s” is not a 12-digit Vietnamese citizen ID."),
    "id_check_digit": _("The check digit of ID “%(value)s” is wrong."),
    "id_birth_date": _("ID “%(value)s” contains an impossible birth date."),
    "id_province": _("ID “%(value)s” has an unknown province code."),
    "id_century": _("ID “%(value)s” has an invalid century/gender digit."),
    "birth_date_mismatch_id": _("Birth date %(value)s differs from the date in the ID (%(id_date)s)."),
    "birth_year_mismatch_id": _("Birth date %(value)s differs from the birth year in the ID (%(id_year)s)."),
    "gender_mismatch_id": _("The gender does not match the ID."),
    "joined_under_age": _("Joined on %(value)s, before the age of %(age)s."),
    "converted_without_join": _("A conversion date (%(value)s) needs a join date."),
    "converted_before_join": _("Conversion date %(value)s is before the join date."),
    "member_without_join": _("A member needs a join date."),
    "full_without_conversion": _("A full member needs a conversion date."),
    "duplicate_in_file": _("The same ID appears in row %(row)s of this file."),
    "duplicate_in_database": _("This ID already belongs to %(name)s in %(org)s."),
    "unknown_branch": _("Unknown branch “%(value)s”."),
    "branch_out_of_scope": _("Branch “%(value)s” is outside the organization being imported into."),
    "not_a_branch": _("“%(value)s” is not a branch."),
    "version_conflict": _("Someone else changed this record meanwhile; reload and apply your change again."),
    "bad_transition": _("Status cannot change from %(from)s to %(to)s."),
    # Roster import (issue item 7).
    "invalid_gender": _("“%(value)s” is not a gender (use 男/女, Nam/Nữ or male/female)."),
    "invalid_status": _("“%(value)s” is not a membership status."),
    "invalid_phone": _("“%(value)s” is not a phone number."),
    "too_long": _("“%(value)s” is longer than %(limit)s characters."),
    "status_unknown": _("No status and no join date: give the membership status."),
    "duplicate_in_database_hidden": _("This ID already belongs to a person outside your organizations."),
    "ambiguous_branch": _("Several branches are called “%(value)s”; use the branch code."),
    "inactive_branch": _("Branch “%(value)s” is no longer active."),
    "unknown_party_group": _("Unknown party group “%(value)s” in this branch."),
    "branch_required": _("The file has no branch column and “%(value)s” is not a branch."),
    "no_header": _("No sheet has a header row with a name column."),
    "file_unreadable": _("The file is not a readable .xlsx workbook."),
    "concurrent_change": _("Someone changed these records during the import; run it again."),
}


def message_for(code: str, params: dict[str, Any] | None = None) -> str:
    """Render the message for ``code`` in the active language."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    text = str(template)
    return text % (params or {}) if params else text
