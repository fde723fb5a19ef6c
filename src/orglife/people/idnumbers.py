"""
National ID numbers: China's 18-digit resident ID and Vietnam's 12-digit
citizen ID (CCCD). Validation returns message keys so callers translate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_CHECK = "10X98765432"
_CN_PATTERN = re.compile(r"^\d{17}[\dX]$")
_VN_PATTERN = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class IdInfo:
    """What an ID number says about its holder."""

    birth_date: date | None
    birth_year: int | None
    gender: str | None


class IdNumberError(ValueError):
    """An invalid ID; ``code`` names the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalize_id(value: str) -> str:
    """Strip spaces and upper-case the CN check character."""
    return re.sub(r"\s+", "", value).upper()


def cn_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a CN resident ID."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _CN_WEIGHTS, strict=True))
    return _CN_CHECK[total % 11]


def parse_cn_id(value: str) -> IdInfo:
    """Validate a CN 18-digit ID and return its birth date and gender."""
    value = normalize_id(value)
    if not _CN_PATTERN.match(value):
        raise IdNumberError("id_format_cn")
    if cn_check_digit(value[:17]) != value[17]:
        raise IdNumberError("id_check_digit")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError("id_birth_date") from None
    gender = "male" if int(value[16]) % 2 == 1 else "female"
    return IdInfo(birth_date=born, birth_year=born.year, gender=gender)


def parse_vn_id(value: str) -> IdInfo:
    """
    Validate a VN 12-digit citizen ID.

    Digits 1-3 are the province code (001-096), digit 4 encodes century and
    gender (0/1: 1900s male/female, 2/3: 2000s, 4/5: 2100s), digits 5-6 are
    the last two digits of the birth year.
    """
    value = normalize_id(value)
    if not _VN_PATTERN.match(value):
        raise IdNumberError("id_format_vn")
    province = int(value[:3])
    if not 1 <= province <= 96:
        raise IdNumberError("id_province")
    code = int(value[3])
    if code > 5:
        raise IdNumberError("id_century")
    century = 1900 + 100 * (code // 2)
    gender = "male" if code % 2 == 0 else "female"
    return IdInfo(birth_date=None, birth_year=century + int(value[4:6]), gender=gender)


def parse_id(value: str, jurisdiction: str) -> IdInfo:
    """Validate ``value`` under the rules of ``jurisdiction`` (CN or VN)."""
    if jurisdiction == "CN":
        return parse_cn_id(value)
    return parse_vn_id(value)
