"""
Roster spreadsheets: read an .xlsx roster into a checked plan, and the
column layout of exported rosters (issue item 7).

Reading never writes. :func:`roster_plan` recognizes the header row (Chinese,
traditional Chinese, Vietnamese with or without diacritics, English), turns
every cell into a typed value, validates each record with
``people.validation.validate_person``, resolves the branch and party group
inside the target subtree and matches rows against the database. The result
says, row by row, what would be created, updated or left unchanged, and lists
every problem with its sheet, row, column and value. ``services_roster``
writes a plan that has no errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from orglife.access.scope import OrgScope, scope_for
from orglife.common.text import strip_diacritics, to_simplified
from orglife.orgs.choices import BRANCH_KINDS, OrgKind
from orglife.orgs.models import Organization
from orglife.people.choices import Gender, MembershipStatus
from orglife.people.idnumbers import normalize_id
from orglife.people.messages import message_for
from orglife.people.models import Person
from orglife.people.validation import validate_person

# Roster fields, in export order. ``branch_code`` is written on export so a
# re-import names the branch unambiguously; ``branch`` accepts a code or a name.
FIELDS = (
    "full_name",
    "gender",
    "ethnicity",
    "birth_date",
    "national_id",
    "education",
    "native_place",
    "work_unit",
    "joined_on",
    "converted_on",
    "status",
    "branch",
    "branch_code",
    "party_group",
    "phone",
)
DATE_FIELDS = frozenset({"birth_date", "joined_on", "converted_on"})
TEXT_FIELDS = ("ethnicity", "education", "native_place", "work_unit")
# Person fields a roster row can set (the rest are resolved: org, party group, status).
PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "native_place",
    "work_unit",
    "phone",
    "national_id",
    "joined_on",
    "converted_on",
)
MAX_LENGTHS = {
    "full_name": 100,
    "ethnicity": 40,
    "education": 60,
    "native_place": 100,
    "work_unit": 200,
    "phone": 20,
    "national_id": 18,
}
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{0,20}$")
# Keep the report readable and bounded; the count of errors is always exact.
MAX_REPORTED_ERRORS = 5000
HEADER_SEARCH_ROWS = 10
# A leading character that makes a spreadsheet evaluate a cell (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Column headings written on export, in the user's language. They are also
# recognized on import, in every language the UI speaks.
EXPORT_HEADERS: dict[str, Promise] = {
    "full_name": _("Name"),
    "gender": _("Gender"),
    "ethnicity": _("Ethnicity"),
    "birth_date": _("Birth date"),
    "national_id": _("National ID"),
    "education": _("Education"),
    "native_place": _("Native place"),
    "work_unit": _("Work unit"),
    "joined_on": _("Join date"),
    "converted_on": _("Conversion date"),
    "status": _("Membership status"),
    "branch": pgettext_lazy("party organization", "Branch"),
    "branch_code": _("Branch code"),
    "party_group": _("Party group"),
    "phone": _("Phone"),
}

# Headings found on real rosters (CN 花名册, VN danh sách đảng viên, English).
# Traditional characters and Vietnamese without diacritics need no entry:
# headings are compared after simplification and diacritic removal.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "姓名",
        "名字",
        "党员姓名",
        "Họ và tên",
        "Họ tên",
        "Tên",
        "Họ và tên đảng viên",
        "name",
        "full name",
    ),
    "gender": ("性别", "Giới tính", "gender", "sex"),
    "ethnicity": ("民族", "Dân tộc", "ethnicity", "ethnic group"),
    "birth_date": (
        "出生日期",
        "出生年月",
        "出生年月日",
        "出生时间",
        "生日",
        "Ngày sinh",
        "Ngày tháng năm sinh",
        "Năm sinh",
        "birth date",
        "date of birth",
        "dob",
        "birthday",
    ),
    "national_id": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "身份证",
        "Số CCCD",
        "CCCD",
        "Số định danh",
        "Số định danh cá nhân",
        "Số CMND/CCCD",
        "CMND/CCCD",
        "Số căn cước",
        "Số căn cước công dân",
        "national id",
        "national id number",
        "id number",
        "citizen id",
        "id",
    ),
    "education": ("学历", "文化程度", "Trình độ học vấn", "Trình độ văn hóa", "Học vấn", "education"),
    "native_place": ("籍贯", "Quê quán", "native place", "hometown", "place of origin"),
    "work_unit": (
        "工作单位",
        "单位",
        "工作单位及职务",
        "Đơn vị công tác",
        "Đơn vị",
        "Nơi công tác",
        "work unit",
        "employer",
        "workplace",
    ),
    "joined_on": (
        "入党时间",
        "入党日期",
        "Ngày vào Đảng",
        "Ngày kết nạp",
        "Ngày kết nạp Đảng",
        "join date",
        "joined on",
        "date joined",
        "joined",
    ),
    "converted_on": (
        "转正时间",
        "转正日期",
        "Ngày chính thức",
        "Ngày công nhận chính thức",
        "Ngày công nhận đảng viên chính thức",
        "conversion date",
        "converted on",
        "full member since",
    ),
    "status": (
        "党员状态",
        "人员类别",
        "党员类别",
        "状态",
        "类别",
        "Trạng thái",
        "Loại đảng viên",
        "Tình trạng",
        "status",
        "membership status",
    ),
    "branch": (
        "所在党支部",
        "党支部",
        "支部",
        "所在支部",
        "所在党组织",
        "Chi bộ",
        "Chi bộ sinh hoạt",
        "Tên chi bộ",
        "branch",
        "party branch",
    ),
    "branch_code": ("支部代码", "党支部代码", "Mã chi bộ", "branch code"),
    "party_group": ("党小组", "所在党小组", "Tổ đảng", "party group"),
    "phone": (
        "联系电话",
        "手机号码",
        "手机号",
        "手机",
        "电话",
        "Số điện thoại",
        "Điện thoại",
        "SĐT",
        "phone",
        "mobile",
        "telephone",
        "phone number",
    ),
}

GENDER_WORDS: dict[str, str] = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "nam": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
}

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    MembershipStatus.FULL: (
        "正式党员",
        "正式",
        "党员",
        "Đảng viên chính thức",
        "Chính thức",
        "full",
        "full member",
    ),
    MembershipStatus.PROBATIONARY: (
        "预备党员",
        "预备",
        "Đảng viên dự bị",
        "Dự bị",
        "probationary",
        "probationary member",
    ),
    MembershipStatus.APPLICANT: (
        "入党申请人",
        "申请人",
        "Người xin vào Đảng",
        "Người có đơn xin vào Đảng",
        "applicant",
    ),
    MembershipStatus.ACTIVIST: (
        "入党积极分子",
        "积极分子",
        "Quần chúng ưu tú",
        "Cảm tình Đảng",
        "activist",
    ),
    MembershipStatus.CANDIDATE: (
        "发展对象",
        "Đối tượng kết nạp",
        "Đối tượng kết nạp Đảng",
        "candidate",
        "development candidate",
    ),
    MembershipStatus.TRANSFERRED_OUT: (
        "已转出",
        "转出",
        "Đã chuyển đi",
        "Chuyển đi",
        "Chuyển sinh hoạt đảng",
        "transferred out",
        "transferred",
    ),
    MembershipStatus.REMOVED: ("除名", "已除名", "出党", "Xóa tên", "Khai trừ", "removed"),
    MembershipStatus.DECEASED: ("去世", "已故", "死亡", "Từ trần", "Đã mất", "deceased", "dead"),
}

_PUNCTUATION = re.compile(r"[\s\*:：()（）\[\]【】_.\-/、,，']+")
_DATE_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_DATE_CJK = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 (a calendar origin, not an instant)


@lru_cache(maxsize=4096)
def normalize_word(text: str) -> str:
    """Compare headings and choice words across scripts, case and punctuation."""
    return _PUNCTUATION.sub("", strip_diacritics(to_simplified(text.strip())))


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@lru_cache(maxsize=1)
def _header_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for name, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            mapping.setdefault(normalize_word(alias), name)
    # The headings this module exports, in every UI language (round trip).
    for language in _language_codes():
        with translation.override(language):
            for name, label in EXPORT_HEADERS.items():
                mapping.setdefault(normalize_word(str(label)), name)
    return mapping


@lru_cache(maxsize=1)
def _status_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for status, words in STATUS_WORDS.items():
        for word in words:
            mapping.setdefault(normalize_word(word), status)
    for status in MembershipStatus:
        mapping.setdefault(normalize_word(status.value), status.value)
    for language in _language_codes():
        with translation.override(language):
            for status in MembershipStatus:
                mapping.setdefault(normalize_word(str(status.label)), status.value)
    return mapping


@lru_cache(maxsize=1)
def _gender_map() -> dict[str, str]:
    mapping = {normalize_word(word): value for word, value in GENDER_WORDS.items()}
    for language in _language_codes():
        with translation.override(language):
            for gender in Gender:
                mapping.setdefault(normalize_word(str(gender.label)), gender.value)
    return mapping


def header_field(text: Any) -> str | None:
    """The roster field a column heading names, or None."""
    if text is None:
        return None
    return _header_map().get(normalize_word(str(text)))


class CellError(ValueError):
    """A cell that cannot be read; ``code`` is a ``people.messages`` key."""

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


def _text(value: Any) -> str:
    """A cell as text: integral numbers without ``.0``, apostrophe guard removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    # Undo the guard our own export adds against formula injection.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


@dataclass(frozen=True)
class ParsedDate:
    """A date read from a cell; ``day_known`` is False for "2024年5月"."""

    value: date
    day_known: bool = True


def _make_date(year: int, month: int, day: int, raw: Any) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError("invalid_date", {"value": raw}) from None


def parse_date(value: Any) -> ParsedDate | None:
    """
    Read a date cell: real Excel dates, Excel serial numbers, YYYYMMDD
    numbers, and the texts YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, DD/MM/YYYY,
    2024年5月1日, 2024年5月 and YYYY-MM (the last two mean the 1st).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return ParsedDate(value.date())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 10000101 <= number <= 99991231:
            text = str(int(number))
            return ParsedDate(_make_date(int(text[:4]), int(text[4:6]), int(text[6:]), text))
        if 1 <= number < 2958466:
            return ParsedDate((_EXCEL_EPOCH + timedelta(days=number)).date())
        raise CellError("invalid_date", {"value": value})
    text = _text(value)
    # "2024-05-01 00:00:00" (a datetime stored as text): the date part.
    if " " in text and ":" in text:
        text = text.split(" ", 1)[0]
    if match := _DATE_YMD.match(text):
        year, month, day = (int(part) for part in match.groups())
        return ParsedDate(_make_date(year, month, day, text))
    if match := _DATE_DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        return ParsedDate(_make_date(year, month, day, text))
    if match := _DATE_CJK.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if match.group(3):
            return ParsedDate(_make_date(year, month, int(match.group(3)), text))
        return ParsedDate(_make_date(year, month, 1, text), day_known=False)
    if match := _DATE_YM.match(text):
        return ParsedDate(_make_date(int(match.group(1)), int(match.group(2)), 1, text), day_known=False)
    if match := _DATE_COMPACT.match(text):
        year, month, day = (int(part) for part in match.groups())
        return ParsedDate(_make_date(year, month, day, text))
    raise CellError("invalid_date", {"value": text})


def parse_gender(value: Any) -> str:
    """男/女, Nam/Nữ, male/female (and M/F) → ``Gender`` value; blank → ""."""
    text = _text(value)
    if not text:
        return ""
    gender = _gender_map().get(normalize_word(text))
    if gender is None:
        raise CellError("invalid_gender", {"value": text})
    return gender


def parse_status(value: Any) -> str:
    """A status word in Chinese, Vietnamese or English → ``MembershipStatus``."""
    text = _text(value)
    if not text:
        return ""
    status = _status_map().get(normalize_word(text))
    if status is None:
        raise CellError("invalid_status", {"value": text})
    return status


def parse_national_id(value: Any, jurisdiction: str) -> str:
    """An ID cell stored as text or as a number; VN leading zeros restored."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_id(_text(value))
    if isinstance(value, int) and jurisdiction == "VN" and len(text) < 12:
        # Excel drops the leading zeros of a numeric cell; VN IDs start 0xx.
        text = text.zfill(12)
    return text


def parse_phone(value: Any) -> str:
    """A phone number as text (numbers lose nothing but a leading zero)."""
    text = _text(value)
    if text and not PHONE_PATTERN.match(text):
        raise CellError("invalid_phone", {"value": text})
    return text


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Names compared for "the same": simplified, without diacritics, case- and space-insensitive."""
    return re.sub(r"\s+", " ", strip_diacritics(to_simplified(name.strip())))


def excel_safe(value: Any) -> Any:
    """Guard a text cell against formula injection with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class RowError:
    """One problem in the file, located for the user."""

    sheet: str
    row: int
    column: str
    value: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The reason, in the active language."""
        return message_for(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the API and the CLI."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class PlannedRow:
    """A checked row: a person to create, update or leave as it is."""

    sheet: str
    row: int
    action: str  # "create" | "update" | "unchanged"
    values: dict[str, Any]
    org_id: int
    party_group_id: int | None
    status: str
    status_given: bool
    existing: Person | None = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class RosterPlan:
    """What an import would do, and every problem found."""

    org: Organization
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    row_count: int = 0
    sheets: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def add_error(self, error: RowError) -> None:
        """Record a problem (the list is capped, the count is not)."""
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def count(self, action: str) -> int:
        """Rows planned for ``action`` (create / update / unchanged)."""
        return sum(1 for row in self.rows if row.action == action)


@dataclass
class _Column:
    index: int
    field: str
    heading: str

    @property
    def label(self) -> str:
        return f"{get_column_letter(self.index + 1)} ({self.heading})"


@dataclass
class _OrgIndex:
    """The orgs of the target subtree, by code and by name."""

    root: Organization
    by_code: dict[str, dict[str, Any]]
    by_name: dict[str, list[dict[str, Any]]]
    groups: dict[tuple[str, str], dict[str, Any]]

    @classmethod
    def load(cls, root: Organization) -> _OrgIndex:
        by_code: dict[str, dict[str, Any]] = {}
        by_name: dict[str, list[dict[str, Any]]] = {}
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        rows = Organization.objects.filter(path__startswith=root.path).values(
            "pk", "path", "code", "name", "short_name", "kind", "is_active"
        )
        for row in rows:
            by_code[row["code"].casefold()] = row
            if row["kind"] == OrgKind.PARTY_GROUP:
                parent_path = row["path"][: -Organization.steplen]
                groups[(parent_path, row["code"].casefold())] = row
                groups.setdefault((parent_path, name_key(row["name"])), row)
                continue
            names = {name_key(row["name"])}
            if row["short_name"]:
                names.add(name_key(row["short_name"]))
            for name in names:
                by_name.setdefault(name, []).append(row)
        return cls(root=root, by_code=by_code, by_name=by_name, groups=groups)


def _is_branch(row: dict[str, Any]) -> bool:
    return row["kind"] in BRANCH_KINDS or row["kind"] == OrgKind.GENERAL_BRANCH


@dataclass
class _Resolver:
    """Branch and party-group look-ups, cached per distinct cell value."""

    index: _OrgIndex
    cache: dict[str, tuple[dict[str, Any] | None, str, dict[str, Any]]] = field(default_factory=dict)

    def branch(self, value: str) -> tuple[dict[str, Any] | None, str, dict[str, Any]]:
        """(org row, error code, params); the code is "" when resolved."""
        if value not in self.cache:
            self.cache[value] = self._branch(value)
        return self.cache[value]

    def _branch(self, value: str) -> tuple[dict[str, Any] | None, str, dict[str, Any]]:
        params = {"value": value}
        found = self.index.by_code.get(value.casefold())
        if found is None:
            candidates = self.index.by_name.get(name_key(value), [])
            branches = [row for row in candidates if _is_branch(row)]
            if len(branches) > 1:
                return None, "ambiguous_branch", params
            found = branches[0] if branches else (candidates[0] if candidates else None)
        if found is None:
            outside = (
                Organization.objects.filter(code=value).exists()
                or Organization.objects.filter(name=value).exists()
            )
            return None, ("branch_out_of_scope" if outside else "unknown_branch"), params
        if not _is_branch(found):
            return None, "not_a_branch", params
        if not found["is_active"]:
            return None, "inactive_branch", params
        return found, "", {}

    def party_group(self, branch: dict[str, Any], value: str) -> dict[str, Any] | None:
        """The party group of ``branch`` named ``value`` (code or name)."""
        groups = self.index.groups
        return groups.get((branch["path"], value.casefold())) or groups.get((branch["path"], name_key(value)))


def _find_header(rows: Iterator[tuple[Any, ...]]) -> tuple[int, list[_Column], list[str]] | None:
    """Scan the first rows for the heading row; return (row number, columns, ignored)."""
    for number, cells in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            return None
        columns: list[_Column] = []
        ignored: list[str] = []
        seen: set[str] = set()
        for index, cell in enumerate(cells):
            heading = _text(cell)
            if not heading:
                continue
            name = header_field(heading)
            if name is None or name in seen:
                ignored.append(heading)
                continue
            seen.add(name)
            columns.append(_Column(index=index, field=name, heading=heading))
        if "full_name" in seen and len(seen) >= 2:
            return number, columns, ignored
    return None


@dataclass
class _RawRow:
    sheet: str
    row: int
    values: dict[str, Any]
    columns: dict[str, _Column]
    bad_fields: set[str]
    branch: dict[str, Any] | None
    party_group_id: int | None
    status: str
    status_given: bool
    day_unknown: set[str]


ProgressCallback = Callable[[str, int], None]


def _iter_sheets(source: str | IO[bytes], plan: RosterPlan) -> Iterator[tuple[str, Iterable[Any]]]:
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        plan.add_error(RowError("", 0, "", "", "file_unreadable"))
        return
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # type: ignore[union-attr]  # trust the rows, not the stored size
            yield sheet.title, sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def roster_plan(
    *,
    source: str | IO[bytes],
    org: Organization,
    actor: Any = None,
    today: date,
    progress: ProgressCallback | None = None,
    progress_every: int = 10000,
) -> RosterPlan:
    """
    Read and check the roster in ``source`` for import into ``org``'s subtree.

    Nothing is written. ``actor`` only decides whether a clashing record
    outside the actor's scope is named (it is not: no leak through errors).
    """
    plan = RosterPlan(org=org)
    jurisdiction = org.jurisdiction
    resolver = _Resolver(_OrgIndex.load(org))
    raw_rows: list[_RawRow] = []
    header_found = False
    for sheet_name, row_iter in _iter_sheets(source, plan):
        rows = iter(row_iter)
        header = _find_header(rows)
        if header is None:
            continue
        header_found = True
        header_row, columns, ignored = header
        plan.sheets.append(sheet_name)
        plan.ignored_columns.extend(f"{sheet_name}: {heading}" for heading in ignored)
        by_field = {column.field: column for column in columns}
        has_branch_column = "branch" in by_field or "branch_code" in by_field
        if not has_branch_column and not _is_branch(resolver.index.by_code[org.code.casefold()]):
            plan.add_error(RowError(sheet_name, header_row, "", org.code, "branch_required"))
            continue
        for number, cells in enumerate(rows, start=header_row + 1):
            if not any(cell is not None and str(cell).strip() for cell in cells):
                continue
            plan.row_count += 1
            if progress is not None and plan.row_count % progress_every == 0:
                progress("read", plan.row_count)
            raw_rows.append(_read_row(plan, resolver, sheet_name, number, cells, by_field, jurisdiction))
    if not header_found and not plan.errors:
        plan.add_error(RowError("", 0, "", "", "no_header"))
    _check_rows(plan, raw_rows, actor=actor, today=today, progress=progress, progress_every=progress_every)
    order = {name: position for position, name in enumerate(plan.sheets)}
    plan.errors.sort(key=lambda error: (order.get(error.sheet, -1), error.row))
    return plan


def _read_row(
    plan: RosterPlan,
    resolver: _Resolver,
    sheet: str,
    number: int,
    cells: tuple[Any, ...],
    by_field: dict[str, _Column],
    jurisdiction: str,
) -> _RawRow:
    values: dict[str, Any] = {}
    bad: set[str] = set()
    day_unknown: set[str] = set()
    status = ""

    def cell(name: str) -> Any:
        column = by_field.get(name)
        if column is None or column.index >= len(cells):
            return None
        return cells[column.index]

    def fail(name: str, code: str, params: dict[str, Any], raw: Any) -> None:
        bad.add(name)
        column = by_field.get(name)
        plan.add_error(RowError(sheet, number, column.label if column else name, _text(raw), code, params))

    for name in by_field:
        raw = cell(name)
        try:
            if name in DATE_FIELDS:
                parsed = parse_date(raw)
                if parsed is not None:
                    values[name] = parsed.value
                    if not parsed.day_known:
                        day_unknown.add(name)
            elif name == "gender":
                values[name] = parse_gender(raw)
            elif name == "status":
                status = parse_status(raw)
            elif name == "national_id":
                values[name] = parse_national_id(raw, jurisdiction)
            elif name == "phone":
                values[name] = parse_phone(raw)
            elif name in ("branch", "branch_code", "party_group"):
                values[name] = _text(raw)
            else:
                values[name] = _text(raw)
        except CellError as exc:
            fail(name, exc.code, exc.params, raw)
            continue
        limit = MAX_LENGTHS.get(name)
        if limit is not None and len(str(values.get(name, ""))) > limit:
            fail(name, "too_long", {"value": values[name], "limit": limit}, raw)
    # The branch: by code column, else the branch column (code or name), else --org.
    branch: dict[str, Any] | None = None
    branch_field = "branch_code" if values.get("branch_code") else "branch"
    branch_value = values.get(branch_field, "")
    if branch_value:
        branch, code, params = resolver.branch(branch_value)
        if code:
            fail(branch_field, code, params, branch_value)
    else:
        root = resolver.index.by_code[resolver.index.root.code.casefold()]
        if _is_branch(root):
            branch = root
        else:
            fail("branch" if "branch" in by_field else "branch_code", "required", {}, "")
    party_group_id: int | None = None
    group_value = values.get("party_group", "")
    if branch is not None and group_value:
        group = resolver.party_group(branch, group_value)
        if group is None:
            fail("party_group", "unknown_party_group", {"value": group_value}, group_value)
        else:
            party_group_id = group["pk"]
    return _RawRow(
        sheet=sheet,
        row=number,
        values={name: value for name, value in values.items() if name in PERSON_FIELDS},
        columns=by_field,
        bad_fields=bad,
        branch=branch,
        party_group_id=party_group_id,
        status=status,
        status_given=bool(status),
        day_unknown=day_unknown,
    )


def _existing_by_hash(hashes: list[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for start in range(0, len(hashes), 2000):
        chunk = hashes[start : start + 2000]
        for person in Person.objects.filter(national_id_hash__in=chunk):
            found[person.national_id_hash] = person
    return found


def _org_labels(org_ids: set[int]) -> dict[int, tuple[str, str]]:
    """(path, name) of the orgs of clashing records, in one query."""
    rows = Organization.objects.filter(pk__in=org_ids).values_list("pk", "path", "name")
    return {pk: (path, name) for pk, path, name in rows}


def _existing_without_id(org: Organization) -> dict[tuple[int, str, date | None], list[Person]]:
    found: dict[tuple[int, str, date | None], list[Person]] = {}
    people = Person.objects.filter(org__path__startswith=org.path, national_id_hash="").order_by("pk")
    for person in people:
        found.setdefault((person.org_id, name_key(person.full_name), person.birth_date), []).append(person)
    return found


def _changes(row: _RawRow, person: Person, party_group_id: int | None) -> dict[str, Any]:
    """Fields the file sets to a new value; blank cells keep the stored value."""
    changes: dict[str, Any] = {}
    for name, value in row.values.items():
        if value in ("", None) or name in row.bad_fields:
            continue
        if getattr(person, name) != value:
            changes[name] = value
    if party_group_id is not None and person.party_group_id != party_group_id:
        changes["party_group_id"] = party_group_id
    if row.status_given and row.status != person.status:
        changes["status"] = row.status
    return changes


def _check_rows(
    plan: RosterPlan,
    raw_rows: list[_RawRow],
    *,
    actor: Any,
    today: date,
    progress: ProgressCallback | None,
    progress_every: int,
) -> None:
    from orglife.common.crypto import lookup_hash

    org = plan.org
    jurisdiction = org.jurisdiction
    hashes: dict[int, str] = {}
    first_row_of_id: dict[str, _RawRow] = {}
    for position, row in enumerate(raw_rows):
        national_id = row.values.get("national_id") or ""
        if not national_id or "national_id" in row.bad_fields:
            continue
        digest = lookup_hash(national_id)
        hashes[position] = digest
        first = first_row_of_id.get(digest)
        if first is not None:
            plan.add_error(
                RowError(
                    row.sheet,
                    row.row,
                    row.columns["national_id"].label,
                    national_id,
                    "duplicate_in_file",
                    {"row": first.row if first.sheet == row.sheet else f"{first.sheet}!{first.row}"},
                )
            )
            row.bad_fields.add("duplicate")
        else:
            first_row_of_id[digest] = row
    existing = _existing_by_hash(list(first_row_of_id))
    without_id = _existing_without_id(org)
    view_scope: OrgScope = scope_for(actor, "view") if actor is not None else OrgScope(everything=True)
    clashes: list[tuple[_RawRow, Person]] = []
    for position, row in enumerate(raw_rows, start=1):
        if progress is not None and position % progress_every == 0:
            progress("check", position)
        digest = hashes.get(position - 1, "")
        person: Person | None = None
        if digest and "duplicate" not in row.bad_fields and row.branch is not None:
            person = existing.get(digest)
            if person is not None and (
                person.org_id != row.branch["pk"]
                or name_key(person.full_name) != name_key(str(row.values.get("full_name", "")))
            ):
                clashes.append((row, person))
                continue
        elif not digest and row.branch is not None and not row.values.get("national_id"):
            key = (
                row.branch["pk"],
                name_key(str(row.values.get("full_name", ""))),
                row.values.get("birth_date"),
            )
            candidates = without_id.get(key)
            if candidates:
                person = candidates.pop(0)
        _plan_row(plan, row, person, jurisdiction=jurisdiction, today=today)
    labels = _org_labels({person.org_id for _row, person in clashes})
    for row, person in clashes:
        column = row.columns["national_id"].label
        value = str(row.values.get("national_id", ""))
        path, org_name = labels[person.org_id]
        # Name the holder only to a user who may see them (no leak through errors).
        if view_scope.covers(path):
            params = {"name": person.full_name, "org": org_name}
            plan.add_error(RowError(row.sheet, row.row, column, value, "duplicate_in_database", params))
        else:
            plan.add_error(RowError(row.sheet, row.row, column, value, "duplicate_in_database_hidden"))


def _plan_row(
    plan: RosterPlan, row: _RawRow, person: Person | None, *, jurisdiction: str, today: date
) -> None:
    values = dict(row.values)
    # "1990年5月" with an ID born 1990-05-17: the month agrees, take the ID's day.
    if "birth_date" in row.day_unknown and values.get("national_id") and jurisdiction == "CN":
        from orglife.people.idnumbers import IdNumberError, parse_cn_id

        try:
            id_birth = parse_cn_id(values["national_id"]).birth_date
        except IdNumberError:
            id_birth = None
        born = values["birth_date"]
        if id_birth is not None and (id_birth.year, id_birth.month) == (born.year, born.month):
            values["birth_date"] = id_birth
            row.values["birth_date"] = id_birth
    status = row.status
    if person is not None:
        merged = {name: getattr(person, name) for name in PERSON_FIELDS}
        merged.update({k: v for k, v in values.items() if v not in ("", None) and k not in row.bad_fields})
        merged["status"] = status or person.status
        record = merged
    else:
        if not status and "joined_on" not in row.bad_fields and "converted_on" not in row.bad_fields:
            if values.get("converted_on"):
                status = MembershipStatus.FULL
            elif values.get("joined_on"):
                status = MembershipStatus.PROBATIONARY
            elif "status" not in row.bad_fields:
                column = row.columns.get("status")
                plan.add_error(
                    RowError(row.sheet, row.row, column.label if column else "status", "", "status_unknown")
                )
                row.bad_fields.add("status")
        record = {**values, "status": status}
    for issue in validate_person(record, jurisdiction=jurisdiction, today=today):
        if issue.field in row.bad_fields:
            continue  # already reported as unreadable
        column = row.columns.get(issue.field)
        label = column.label if column else str(EXPORT_HEADERS.get(issue.field, issue.field))
        value = record.get(issue.field)
        shown = value.isoformat() if isinstance(value, date) else _text(value)
        plan.add_error(RowError(row.sheet, row.row, label, shown, issue.code, issue.params))
        row.bad_fields.add(issue.field)
    if row.bad_fields or row.branch is None:
        return
    if person is None:
        plan.rows.append(
            PlannedRow(
                sheet=row.sheet,
                row=row.row,
                action="create",
                values=values,
                org_id=row.branch["pk"],
                party_group_id=row.party_group_id,
                status=status,
                status_given=row.status_given,
            )
        )
        return
    changes = _changes(row, person, row.party_group_id)
    plan.rows.append(
        PlannedRow(
            sheet=row.sheet,
            row=row.row,
            action="update" if changes else "unchanged",
            values=values,
            org_id=person.org_id,
            party_group_id=row.party_group_id,
            status=changes.get("status", person.status),
            status_given=row.status_given,
            existing=person,
            changes=changes,
        )
    )
