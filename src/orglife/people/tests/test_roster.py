"""Roster import and export (issue item 7): files, CLI, service, API and pages."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from orglife.audit.models import AuditEvent
from orglife.conftest import CN_IDS, PASSWORD
from orglife.orgs.services import org_create
from orglife.people.idnumbers import cn_check_digit
from orglife.people.models import Person, StatusChange
from orglife.people.roster import excel_safe, parse_date, parse_gender, parse_national_id, parse_status
from orglife.people.services_roster import roster_export, roster_import

TODAY = date(2025, 6, 1)
CN_HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "学历",
    "入党时间",
    "转正时间",
    "所在党支部",
]


def cn_id(birth: date, serial: int = 1, *, male: bool = True, region: str = "110105") -> str:
    """A valid 18-character CN resident ID."""
    sequence = serial * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + cn_check_digit(first17)


def write_xlsx(path: Path, rows: list[list[object]], *, title: str = "花名册", preamble: int = 0) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for _number in range(preamble):
        sheet.append(["某某党支部党员花名册"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), StatusChange.objects.count(), AuditEvent.objects.count()


def cn_row(name: str, birth: date, serial: int, branch: str = "BA1", *, male: bool = True) -> list[object]:
    return [
        serial,
        name,
        "男" if male else "女",
        "汉族",
        birth,
        cn_id(birth, serial, male=male),
        "本科",
        date(birth.year + 25, 7, 1),
        date(birth.year + 26, 7, 1),
        branch,
    ]


@pytest.fixture
def cn_file(tmp_path: Path) -> Path:
    rows = [
        CN_HEADERS,
        cn_row("王小明", date(1980, 3, 4), 1),
        cn_row("李红", date(1985, 6, 7), 2, "BA2", male=False),
        cn_row("陳大文", date(1990, 1, 2), 3, "第BA1党支部"),
    ]
    return write_xlsx(tmp_path / "roster.xlsx", rows, preamble=1)


# --- acceptance -------------------------------------------------------------


def test_bad_check_digit_future_birth_and_duplicate_id_are_refused_and_nothing_written(org_tree, tmp_path):
    # given
    good = cn_id(date(1980, 3, 4), 1)
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    future = cn_id(date(2026, 1, 1), 2)
    headers = ["序号", "姓名", "性别", "出生日期", "身份证号", "党员状态", "所在党支部"]
    rows = [
        headers,
        [1, "甲", "男", date(1980, 3, 4), bad_check, "入党积极分子", "BA1"],  # row 2
        [2, "乙", "男", date(1970, 1, 1), cn_id(date(1970, 1, 1), 3), "入党积极分子", "BA1"],  # row 3
        [3, "丙", "男", date(2026, 1, 1), future, "入党积极分子", "BA1"],  # row 4
        [4, "丁", "男", date(1970, 1, 1), cn_id(date(1970, 1, 1), 3), "入党积极分子", "BA1"],  # row 5
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    before = counts()
    # when
    report = roster_import(actor=None, org=org_tree.province, source=path, today=TODAY)
    # then
    assert report.ok is False
    assert report.written is False
    assert counts() == before
    by_row = {error.row: error for error in report.errors}
    assert sorted(by_row) == [2, 4, 5]
    assert len(report.errors) == 3
    assert by_row[2].code == "id_check_digit"
    assert by_row[2].column == "E (身份证号)"
    assert by_row[2].value == bad_check
    assert by_row[4].code == "date_in_future"
    assert by_row[5].code == "duplicate_in_file"
    assert "3" in by_row[5].message
    assert {error.sheet for error in report.errors} == {"花名册"}


def test_cli_refuses_bad_roster_with_nonzero_exit_and_lists_rows(org_tree, tmp_path, capsys):
    rows = [
        CN_HEADERS,
        [1, "甲", "男", "汉族", date(1980, 3, 4), "110105198003040010", "", "2005-07-01", "", "BA1"],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-members", str(path), org="P", stdout=out, stderr=io.StringIO())
    assert counts() == before
    text = out.getvalue()
    assert "花名册\t2\tF (身份证号)\t110105198003040010\t" in text
    assert "errors: 1" in text


def test_cli_reports_in_requested_language(org_tree, tmp_path):
    rows = [CN_HEADERS, [1, "甲", "男", "汉族", date(2030, 3, 4), "", "", "", "", "BA1"]]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-members", str(path), org="P", language="en", stdout=out, stderr=io.StringIO())
    assert "is in the future" in out.getvalue()


# --- happy paths -----------------------------------------------------------------


def test_chinese_roster_imports_with_status_history_and_one_audit_event(org_tree, cn_file):
    # given
    people_before, changes_before, events_before = counts()
    # when
    report = roster_import(actor=None, org=org_tree.province, source=cn_file, today=TODAY)
    # then
    assert report.ok, report.as_dict()
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert Person.objects.count() == people_before + 3
    assert StatusChange.objects.count() == changes_before + 3
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "people.import"
    assert event.data["created"] == 3
    assert len(event.data["sha256"]) == 64
    wang = Person.objects.get(full_name="王小明")
    assert wang.org == org_tree.branch_a1
    assert wang.status == "full"
    assert wang.gender == "male"
    assert wang.national_id == cn_id(date(1980, 3, 4), 1)
    assert wang.national_id_hash
    assert "wxm" in wang.search_key
    assert Person.objects.get(full_name="李红").org == org_tree.branch_a2
    # A branch named by its name, not its code.
    assert Person.objects.get(full_name="陳大文").org == org_tree.branch_a1
    opening = StatusChange.objects.get(person=wang)
    assert (opening.from_status, opening.to_status, opening.effective_on) == ("", "full", date(2006, 7, 1))


def test_reimport_of_same_file_changes_nothing(org_tree, cn_file):
    roster_import(actor=None, org=org_tree.province, source=cn_file, today=TODAY)
    before = counts()
    report = roster_import(actor=None, org=org_tree.province, source=cn_file, today=TODAY)
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert counts() == before


def test_changed_row_is_updated_and_version_bumped(org_tree, tmp_path):
    birth = date(1980, 3, 4)
    first = write_xlsx(tmp_path / "a.xlsx", [CN_HEADERS, cn_row("王小明", birth, 1)])
    roster_import(actor=None, org=org_tree.province, source=first, today=TODAY)
    row = cn_row("王小明", birth, 1)
    row[6] = "硕士"
    second = write_xlsx(tmp_path / "b.xlsx", [CN_HEADERS, row])
    report = roster_import(actor=None, org=org_tree.province, source=second, today=TODAY)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    person = Person.objects.get(full_name="王小明")
    assert person.education == "硕士"
    assert person.version == 2


def test_id_of_person_in_other_branch_is_an_error_naming_them(org_tree, person_a1, tmp_path):
    rows = [
        CN_HEADERS,
        [1, "张三丰", "女", "汉族", date(1949, 12, 31), CN_IDS["zhang"], "", date(1975, 7, 1), "", "BA2"],
        [
            2,
            "别人",
            "女",
            "汉族",
            date(1949, 12, 31),
            CN_IDS["zhang"].lower(),
            "",
            date(1975, 7, 1),
            "",
            "BA1",
        ],
    ]
    path = write_xlsx(tmp_path / "dup.xlsx", rows)
    before = counts()
    report = roster_import(actor=None, org=org_tree.province, source=path, today=TODAY)
    assert counts() == before
    errors = {error.row: error for error in report.errors}
    assert errors[2].code == "duplicate_in_database"
    assert "张三丰" in errors[2].message
    assert "第BA1党支部" in errors[2].message
    assert errors[3].code == "duplicate_in_file"


def test_same_person_same_branch_is_unchanged_not_an_error(org_tree, person_a1, tmp_path):
    rows = [
        ["姓名", "身份证号码", "所在党支部", "入党日期", "转正日期"],
        ["张三丰", CN_IDS["zhang"], "BA1", "1975-07-01", "1976/07/01"],
    ]
    path = write_xlsx(tmp_path / "same.xlsx", rows)
    report = roster_import(actor=None, org=org_tree.province, source=path, today=TODAY)
    assert report.ok, report.as_dict()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_dry_run_writes_nothing(org_tree, cn_file):
    before = counts()
    report = roster_import(actor=None, org=org_tree.province, source=cn_file, dry_run=True, today=TODAY)
    assert report.ok
    assert report.created == 3
    assert report.written is False
    assert counts() == before


def test_cli_imports_and_prints_summary(org_tree, cn_file):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-members", str(cn_file), org="P", progress_every=1, stdout=out, stderr=err)
    assert "created: 3" in out.getvalue()
    assert "read: 1 rows" in err.getvalue()
    assert Person.objects.count() == 3


def test_cli_dry_run_writes_nothing(org_tree, cn_file):
    out = io.StringIO()
    call_command("import-members", str(cn_file), org="P", dry_run=True, stdout=out, stderr=io.StringIO())
    assert Person.objects.count() == 0
    assert "created: 3" in out.getvalue()


def test_cli_as_user_without_permission_fails(org_tree, personas, cn_file):
    with pytest.raises(CommandError):
        call_command("import-members", str(cn_file), org="P", as_user="member", stdout=io.StringIO())
    assert Person.objects.count() == 0


def test_cli_unknown_org_fails(org_tree, cn_file):
    with pytest.raises(CommandError):
        call_command("import-members", str(cn_file), org="NOPE", stdout=io.StringIO())


def test_vietnamese_roster_without_diacritics_imports(db, tmp_path):
    province = org_create(
        actor=None,
        parent=None,
        code="VNP",
        name="Tỉnh ủy Ninh Bình",
        kind="province_committee",
        jurisdiction="VN",
    )
    ward = org_create(
        actor=None, parent=province, code="VNW", name="Đảng ủy phường Nam Định", kind="grassroots_committee"
    )
    org_create(actor=None, parent=ward, code="VNB1", name="Chi bộ khu phố 1", kind="branch")
    rows = [
        [
            "STT",
            "Ho va ten",
            "Gioi tinh",
            "Dan toc",
            "Ngay sinh",
            "So CCCD",
            "Que quan",
            "Ngay vao Dang",
            "Ngay chinh thuc",
            "Chi bo",
            "So dien thoai",
        ],
        [
            1,
            "Nguyễn Văn An",
            "Nam",
            "Kinh",
            "15/03/1985",
            36085001234,
            "Nam Định",
            "20/05/2010",
            "20/05/2011",
            "Chi bộ khu phố 1",
            "0912345678",
        ],
        [
            2,
            "Trần Thị Bình",
            "Nữ",
            "Kinh",
            "01/02/2001",
            "036301005678",
            "Ninh Bình",
            "03.02.2022",
            "",
            "chi bo khu pho 1",
            "",
        ],
    ]
    path = write_xlsx(tmp_path / "vn.xlsx", rows, title="Danh sách")
    report = roster_import(actor=None, org=province, source=path, today=TODAY)
    assert report.ok, report.as_dict()
    an = Person.objects.get(full_name="Nguyễn Văn An")
    assert an.national_id == "036085001234"  # the number's leading zero restored
    assert (an.gender, an.status, an.birth_date) == ("male", "full", date(1985, 3, 15))
    assert an.phone == "0912345678"
    binh = Person.objects.get(full_name="Trần Thị Bình")
    assert (binh.gender, binh.status, binh.joined_on) == ("female", "probationary", date(2022, 2, 3))
    assert "nguyen van an" in an.search_key


def test_vietnamese_id_with_wrong_century_digit_is_refused(db, tmp_path):
    province = org_create(
        actor=None, parent=None, code="VNP", name="Tỉnh ủy", kind="province_committee", jurisdiction="VN"
    )
    org_create(actor=None, parent=province, code="VNB", name="Chi bộ 1", kind="branch")
    rows = [
        ["Họ và tên", "Ngày sinh", "Số định danh", "Chi bộ", "Trạng thái", "Ngày vào Đảng"],
        ["Lê Văn C", "01/01/1990", "036890001234", "VNB", "Đảng viên dự bị", "01/01/2020"],
    ]
    report = roster_import(
        actor=None, org=province, source=write_xlsx(tmp_path / "vn.xlsx", rows), today=TODAY
    )
    assert [error.code for error in report.errors] == ["id_century"]


def test_english_headers_and_status_words(org_tree, tmp_path):
    birth = date(1990, 3, 7)
    rows = [
        ["Full Name", "SEX", "Date of Birth", "National ID", "Joined on", "Status", "Branch", "Phone"],
        [
            "Wang Wei",
            "male",
            birth,
            cn_id(birth, 4),
            "2015-07-01",
            "Probationary member",
            "BA1",
            "+86 138 0000 0000",
        ],
        ["Li Na", "F", "", "", "", "Activist", "BA2", ""],
    ]
    report = roster_import(
        actor=None, org=org_tree.province, source=write_xlsx(tmp_path / "en.xlsx", rows), today=TODAY
    )
    assert report.ok, report.as_dict()
    assert Person.objects.get(full_name="Wang Wei").status == "probationary"
    assert Person.objects.get(full_name="Li Na").status == "activist"


def test_traditional_chinese_headers(org_tree, tmp_path):
    birth = date(1975, 11, 30)
    rows = [
        [
            "姓名",
            "性別",
            "出生日期",
            "公民身份號碼",
            "入黨時間",
            "轉正時間",
            "黨員狀態",
            "所在黨支部",
            "聯繫電話",
        ],
        [
            "陳志強",
            "男",
            birth,
            cn_id(birth, 5),
            "2000年7月1日",
            "2001年7月1日",
            "正式黨員",
            "BA1",
            13800000000,
        ],
    ]
    report = roster_import(
        actor=None, org=org_tree.province, source=write_xlsx(tmp_path / "tw.xlsx", rows), today=TODAY
    )
    assert report.ok, report.as_dict()
    person = Person.objects.get(full_name="陳志強")
    assert (person.status, person.converted_on, person.phone) == ("full", date(2001, 7, 1), "13800000000")


def test_branch_outside_target_subtree_is_refused(org_tree, tmp_path):
    rows = [CN_HEADERS, cn_row("王小明", date(1980, 3, 4), 1, "BB1")]
    before = counts()
    report = roster_import(
        actor=None, org=org_tree.district_a, source=write_xlsx(tmp_path / "x.xlsx", rows), today=TODAY
    )
    assert counts() == before
    assert [error.code for error in report.errors] == ["branch_out_of_scope"]


def test_unknown_branch_and_missing_branch_column(org_tree, tmp_path):
    rows = [CN_HEADERS, cn_row("王小明", date(1980, 3, 4), 1, "不存在支部")]
    report = roster_import(
        actor=None, org=org_tree.province, source=write_xlsx(tmp_path / "x.xlsx", rows), today=TODAY
    )
    assert [error.code for error in report.errors] == ["unknown_branch"]
    no_branch = [row[:-1] for row in [CN_HEADERS, cn_row("王小明", date(1980, 3, 4), 1)]]
    path = write_xlsx(tmp_path / "y.xlsx", no_branch)
    assert [
        e.code for e in roster_import(actor=None, org=org_tree.province, source=path, today=TODAY).errors
    ] == ["branch_required"]
    # Into a branch itself, no branch column is needed.
    report = roster_import(actor=None, org=org_tree.branch_b1, source=path, today=TODAY)
    assert report.ok
    assert report.created == 1
    assert Person.objects.get().org == org_tree.branch_b1


def test_unreadable_file_and_file_without_header(org_tree, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert [
        e.code for e in roster_import(actor=None, org=org_tree.province, source=junk, today=TODAY).errors
    ] == ["file_unreadable"]
    empty = write_xlsx(tmp_path / "empty.xlsx", [["hello", "world"]])
    assert [
        e.code for e in roster_import(actor=None, org=org_tree.province, source=empty, today=TODAY).errors
    ] == ["no_header"]


def test_cell_level_errors_are_located(org_tree, tmp_path):
    rows = [
        ["姓名", "性别", "出生日期", "入党时间", "所在党支部", "党员状态"],
        ["甲", "未知", "1980-13-01", "", "BA1", "正式党员"],
        ["乙", "男", "1990-01-01", "2000-01-01", "BA1", "什么"],
        ["", "男", "", "", "BA1", "入党积极分子"],
    ]
    report = roster_import(
        actor=None, org=org_tree.province, source=write_xlsx(tmp_path / "x.xlsx", rows), today=TODAY
    )
    found = {(error.row, error.code) for error in report.errors}
    assert (2, "invalid_gender") in found
    assert (2, "invalid_date") in found
    assert (3, "invalid_status") in found
    assert (3, "joined_under_age") in found
    assert (4, "required") in found


# --- value parsing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 5, 1, 0, 0), date(2024, 5, 1)),
        (date(2024, 5, 1), date(2024, 5, 1)),
        ("2024-05-01", date(2024, 5, 1)),
        ("2024/5/1", date(2024, 5, 1)),
        ("2024.05.01", date(2024, 5, 1)),
        ("01/05/2024", date(2024, 5, 1)),
        ("2024年5月1日", date(2024, 5, 1)),
        ("2024年5月", date(2024, 5, 1)),
        ("20240501", date(2024, 5, 1)),
        (20240501, date(2024, 5, 1)),
        (45413, date(2024, 5, 1)),
        ("2024-05-01 00:00:00", date(2024, 5, 1)),
    ],
)
def test_date_formats(value, expected):
    assert parse_date(value).value == expected


def test_dates_of_every_format_import(org_tree, tmp_path):
    birth = date(1980, 5, 17)
    rows = [["姓名", "出生年月", "身份证号", "入党时间", "转正时间", "所在党支部"]]
    forms = ["1980年5月", "1980.05.17", "17/05/1980", 19800517, "1980/5/17", birth]
    for serial, form in enumerate(forms, start=1):
        rows.append([f"人{serial}", form, cn_id(birth, serial), "2005年7月1日", 20060701, "BA1"])
    report = roster_import(
        actor=None, org=org_tree.province, source=write_xlsx(tmp_path / "d.xlsx", rows), today=TODAY
    )
    assert report.ok, report.as_dict()
    assert set(Person.objects.values_list("birth_date", flat=True)) == {birth}


def test_choice_words():
    assert parse_gender("Nữ") == parse_gender("nu") == parse_gender("女") == "female"
    assert parse_status("đảng viên chính thức") == parse_status("正式黨員") == "full"
    assert parse_status("Đối tượng kết nạp") == "candidate"
    assert parse_national_id(11010519491231002.0, "CN") == "11010519491231002"
    assert parse_national_id("11010519491231002x", "CN") == "11010519491231002X"
    assert excel_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert excel_safe("张三") == "张三"


# --- permissions ---------------------------------------------------------------


def test_member_without_import_permission_gets_403_from_api(client, personas, cn_file):
    client.login(username="member", password=PASSWORD)
    with open(cn_file, "rb") as handle:
        response = client.post("/api/people/import/", {"file": handle, "org": "BA1"})
    assert response.status_code == 403
    assert Person.objects.count() == 0


def test_sibling_secretary_gets_404_for_other_branch(client, personas, cn_file):
    client.login(username="sibling_secretary", password=PASSWORD)
    with open(cn_file, "rb") as handle:
        response = client.post("/api/people/import/", {"file": handle, "org": "BA1"})
    assert response.status_code == 404
    assert client.get("/api/people/export/", {"org": "BA1"}).status_code == 404
    assert Person.objects.count() == 0


def test_secretary_cannot_import_rows_for_a_sibling_branch(client, personas, tmp_path):
    rows = [CN_HEADERS, cn_row("王小明", date(1980, 3, 4), 1, "BA2")]
    path = write_xlsx(tmp_path / "x.xlsx", rows)
    client.login(username="branch_secretary", password=PASSWORD)
    with open(path, "rb") as handle:
        response = client.post("/api/people/import/", {"file": handle, "org": "BA1"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "branch_out_of_scope"
    assert Person.objects.count() == 0


# --- API -------------------------------------------------------------------------


def test_api_import_dry_run_then_import(client, personas, cn_file):
    client.login(username="district_organizer", password=PASSWORD)
    with open(cn_file, "rb") as handle:
        response = client.post("/api/people/import/", {"file": handle, "org": "DA", "dry_run": "true"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["written"], body["dry_run"]) == (3, False, True)
    assert Person.objects.count() == 0
    with open(cn_file, "rb") as handle:
        response = client.post("/api/people/import/", {"file": handle, "org": "DA"})
    assert response.status_code == 200
    assert response.json()["written"] is True
    assert Person.objects.count() == 3
    event = AuditEvent.objects.get(action="people.import")
    assert event.actor_name == "district_organizer"


def test_api_import_errors_answer_400_with_rows(client, personas, tmp_path):
    rows = [
        CN_HEADERS,
        [1, "甲", "男", "汉族", date(1980, 3, 4), "110105198003040010", "", "2005-07-01", "", "BA1"],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    client.login(username="branch_secretary", password=PASSWORD)
    with open(path, "rb") as handle:
        response = client.post(
            "/api/people/import/", {"file": handle, "org": "BA1"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["sheet"], error["row"], error["code"]) == ("花名册", 2, "id_check_digit")


def test_api_import_requires_file_and_org(client, personas):
    client.login(username="branch_secretary", password=PASSWORD)
    assert client.post("/api/people/import/", {"org": "BA1"}).status_code == 400


def test_api_export_returns_xlsx(client, personas, person_a1):
    client.login(username="branch_secretary", password=PASSWORD)
    response = client.get("/api/people/export/", {"org": "BA1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "张三丰"
    assert rows[1][4] == CN_IDS["zhang"]


def test_api_export_needs_export_permission(client, personas, person_a1):
    client.login(username="member", password=PASSWORD)
    assert client.get("/api/people/export/", {"org": "BA1"}).status_code == 403


def test_api_schema_stays_valid(client, personas):
    client.login(username="branch_secretary", password=PASSWORD)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/people/import/" in paths
    assert "/api/people/export/" in paths


# --- export ----------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))


def test_export_masks_sensitive_fields_without_view_sensitive(org_tree, personas, person_a1, tmp_path):
    # An inspector may export but not see sensitive fields.
    from orglife.conftest import make_user

    inspector = make_user("inspector", org=org_tree.province, role="inspector")
    path = tmp_path / "out.xlsx"
    result = roster_export(actor=inspector, org=org_tree.province, destination=path)
    assert (result.rows, result.masked_rows) == (1, 1)
    row = read_rows(path)[1]
    assert row[4] == "110*************2X"
    assert row[3] == "1949-**-**"
    assert row[14] == "138******00"
    assert AuditEvent.objects.filter(action="people.export").count() == 1


def test_export_guards_against_formula_injection(org_tree, personas, tmp_path):
    from orglife.people.services import person_create

    person_create(
        actor=None,
        org=org_tree.branch_a1,
        status="applicant",
        full_name='=HYPERLINK("x")',
        work_unit="@SUM(A1)",
    )
    path = tmp_path / "out.xlsx"
    roster_export(actor=personas.branch_secretary, org=org_tree.branch_a1, destination=path)
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["H2"].value == "'@SUM(A1)"


def test_exported_file_reimports_unchanged(org_tree, personas, person_a1, cn_file, tmp_path):
    roster_import(actor=None, org=org_tree.province, source=cn_file, today=TODAY)
    path = tmp_path / "out.xlsx"
    for language in ("zh-hans", "vi", "en"):
        with translation.override(language):
            result = roster_export(actor=personas.province_admin, org=org_tree.province, destination=path)
        assert (result.rows, result.masked_rows) == (4, 0)
        before = counts()
        report = roster_import(actor=personas.province_admin, org=org_tree.province, source=path, today=TODAY)
        assert report.ok, (language, report.as_dict())
        assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
        assert counts() == before


def test_cli_export_writes_file(org_tree, person_a1, tmp_path):
    path = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command("export-members", org="P", output=str(path), language="zh-hans", stdout=out)
    rows = read_rows(path)
    assert rows[0][0] == "姓名" or rows[0][0] == "Name"
    assert rows[1][0] == "张三丰"
    assert "1" in out.getvalue()


# --- pages ------------------------------------------------------------------------


def test_import_page_preview_then_confirm(client, personas, cn_file):
    client.login(username="district_organizer", password=PASSWORD)
    assert client.get("/people/import/", {"org": "DA"}).status_code == 200
    with open(cn_file, "rb") as handle:
        response = client.post("/people/import/", {"file": handle, "org": "DA"})
    assert response.status_code == 200
    assert Person.objects.count() == 0
    token = response.context["token"]
    assert token
    response = client.post("/people/import/", {"token": token, "org": "DA", "confirm": "1"})
    assert response.status_code == 302
    assert Person.objects.count() == 3
    # The token is single-use.
    response = client.post("/people/import/", {"token": token, "org": "DA", "confirm": "1"})
    assert response.status_code == 200
    assert Person.objects.count() == 3


def test_import_page_shows_errors_and_offers_no_confirm(client, personas, tmp_path):
    rows = [
        CN_HEADERS,
        [1, "甲", "男", "汉族", date(1980, 3, 4), "110105198003040010", "", "2005-07-01", "", "BA1"],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    client.login(username="branch_secretary", password=PASSWORD)
    with open(path, "rb") as handle:
        response = client.post("/people/import/", {"file": handle, "org": "BA1"})
    assert response.status_code == 200
    assert response.context["token"] == ""
    assert "110105198003040010" in response.content.decode()


def test_import_page_permissions(client, personas):
    client.login(username="member", password=PASSWORD)
    assert client.get("/people/import/", {"org": "BA1"}).status_code == 403
    client.login(username="sibling_secretary", password=PASSWORD)
    assert client.get("/people/import/", {"org": "BA1"}).status_code == 404
    client.logout()
    assert client.get("/people/import/").status_code == 302


def test_export_page_download(client, personas, person_a1):
    client.login(username="branch_secretary", password=PASSWORD)
    response = client.get("/people/export/", {"org": "BA1"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    client.login(username="member", password=PASSWORD)
    assert client.get("/people/export/", {"org": "BA1"}).status_code == 403
