"""
Field rules for person records, shared by the forms, the API and the roster
import so that a value is judged the same way wherever it is entered.

Each problem is an ``Issue(field, code, params)``; ``people.messages`` turns
codes into sentences in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any

from orglife.people.choices import MEMBER_STATUSES, MembershipStatus
from orglife.people.idnumbers import IdNumberError, normalize_id, parse_id

MINIMUM_JOIN_AGE = 18  # CN 党章 Art.1 / 细则 Art.5; VN Điều lệ Đảng Art.1


@dataclass(frozen=True)
class Issue:
    """One problem with one field of a person record."""

    field: str
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def validate_person(data: dict[str, Any], *, jurisdiction: str, today: date) -> list[Issue]:
    """
    Check a person record; ``data`` holds already-parsed values.

    Rules: ID format and check digit; birth date consistent with the ID; no
    date in the future; joined at 18 or older; conversion after joining;
    members have a join date.
    """
    issues: list[Issue] = []
    if not str(data.get("full_name") or "").strip():
        issues.append(Issue("full_name", "required"))
    birth = data.get("birth_date")
    joined = data.get("joined_on")
    converted = data.get("converted_on")
    for name, value in (("birth_date", birth), ("joined_on", joined), ("converted_on", converted)):
        if value is not None and value > today:
            issues.append(Issue(name, "date_in_future", {"value": value.isoformat()}))
    national_id = normalize_id(str(data.get("national_id") or ""))
    if national_id:
        try:
            info = parse_id(national_id, jurisdiction)
        except IdNumberError as exc:
            issues.append(Issue("national_id", exc.code, {"value": national_id}))
        else:
            if birth is not None:
                if info.birth_date is not None and info.birth_date != birth:
                    issues.append(
                        Issue(
                            "birth_date",
                            "birth_date_mismatch_id",
                            {"value": birth.isoformat(), "id_date": info.birth_date.isoformat()},
                        )
                    )
                elif info.birth_year is not None and info.birth_year != birth.year:
                    issues.append(
                        Issue(
                            "birth_date",
                            "birth_year_mismatch_id",
                            {"value": birth.isoformat(), "id_year": info.birth_year},
                        )
                    )
            gender = data.get("gender")
            if gender and info.gender and gender != info.gender:
                issues.append(Issue("gender", "gender_mismatch_id", {"value": gender}))
    if birth is not None and joined is not None and _age_on(birth, joined) < MINIMUM_JOIN_AGE:
        issues.append(
            Issue("joined_on", "joined_under_age", {"value": joined.isoformat(), "age": MINIMUM_JOIN_AGE})
        )
    if converted is not None:
        if joined is None:
            issues.append(Issue("converted_on", "converted_without_join", {"value": converted.isoformat()}))
        elif converted < joined:
            issues.append(Issue("converted_on", "converted_before_join", {"value": converted.isoformat()}))
    status = data.get("status")
    if status in MEMBER_STATUSES and joined is None:
        issues.append(Issue("joined_on", "member_without_join"))
    if status == MembershipStatus.FULL and joined is not None and converted is None:
        issues.append(Issue("converted_on", "full_without_conversion"))
    return issues
