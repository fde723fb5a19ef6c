"""Outputs of meeting records: minutes (PDF, .docx), verification, iCal feeds and the ledger."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from orglife.audit.models import AuditEvent
from orglife.meetings import documents, ical, services
from orglife.meetings.models import CalendarFeedToken, Meeting, MeetingVersion
from orglife.meetings.tests.factories import moment, plan, sealed
from orglife.orgs.models import Organization
from orglife.orgs.services import org_create
from orglife.people.models import Person

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed; .ci/run installs it",
)

CN_NAMES = ["王建国", "李秀英", "张伟", "陈静", "赵丽华"]
VN_NAMES = ["Nguyễn Văn Thành", "Trần Thị Hương", "Lê Văn Đức", "Phạm Thị Ngọc Ánh", "Hoàng Văn Dũng"]


@pytest.fixture(autouse=True)
def _activity_types(db: Any) -> None:
    """
    The seeded activity types, restored if a transactional test on this
    worker flushed them (the data migration's rows do not survive a flush).
    """
    from orglife.meetings.activity_types import ACTIVITY_TYPES
    from orglife.meetings.models import ActivityType

    for index, entry in enumerate(ACTIVITY_TYPES):
        ActivityType.objects.get_or_create(
            jurisdiction=entry["jurisdiction"],
            code=entry["code"],
            defaults={"names": entry["names"], "sort_order": index * 10},
        )


def _members(org: Organization, names: list[str]) -> list[Person]:
    return [
        Person.objects.create(
            org=org, full_name=name, status="full", joined_on=date(2000, 1, 1), converted_on=date(2001, 1, 1)
        )
        for name in names
    ]


def _record(org: Organization, *, types: tuple[str, ...], topic: str, texts: dict[str, str]) -> Meeting:
    """A full meeting (late, excused, absent, guest, agenda, resolution, vote), sealed."""
    people = _members(org, texts["names"])  # type: ignore[arg-type]
    meeting = services.meeting_plan(
        actor=None,
        org=org,
        topic=topic,
        type_codes=types,
        planned_start=moment(),
        planned_end=moment(hour=21),
        place=texts["place"],
    )
    start = moment()
    meeting = services.meeting_record_held(
        actor=None, meeting=meeting, actual_start=start, actual_end=start + timedelta(minutes=125)
    )
    services.attendance_record(
        actor=None,
        meeting=meeting,
        entries=[
            {"person": people[0].pk, "status": "present"},
            {"person": people[1].pk, "status": "present", "arrived_late_minutes": 10},
            {"person": people[2].pk, "status": "present"},
            {"person": people[3].pk, "status": "excused", "excuse_reason": texts["excuse"]},
            {"person": people[4].pk, "status": "present"},
        ],
    )
    services.guest_add(
        actor=None, meeting=meeting, name=texts["guest"], unit=texts["unit"], is_upper_level=True
    )
    services.agenda_set(
        actor=None,
        meeting=meeting,
        items=[
            {"title": texts["first"], "is_first_item": True, "discussion": texts["discussion"]},
            {"title": texts["second"]},
        ],
        minutes=texts["minutes"],
    )
    services.resolution_add(
        actor=None,
        meeting=meeting,
        text=texts["resolution"],
        owner_person=people[0],
        due_on=timezone.localdate() + timedelta(days=30),
    )
    services.vote_record(actor=None, meeting=meeting, kind="motion", question=texts["question"], votes_for=4)
    meeting, _findings = services.meeting_finalize(actor=None, meeting=meeting)
    return meeting


@pytest.fixture
def cn_meeting(org_tree: Any) -> Meeting:
    branch = org_create(
        actor=None, parent=org_tree.district_a, code="BZ", name="城关社区第一党支部", kind="branch"
    )
    return _record(
        Organization.objects.get(pk=branch.pk),
        types=("general_meeting", "party_lecture"),
        topic="学习贯彻党的二十届三中全会精神",
        texts={
            "names": CN_NAMES,
            "place": "社区党员活动室",
            "excuse": "外出培训",
            "guest": "周主任",
            "unit": "街道党工委",
            "first": "学习最新中央文件（第一议题）",
            "discussion": "王建国领学，大家逐一发言，结合本职工作谈体会。",
            "second": "讨论年度工作计划",
            "minutes": "会议由支部书记王建国主持。\n全体党员一致同意年度工作计划。",
            "resolution": "完成老旧小区加装电梯摸底调查",
            "question": "通过年度工作计划",
        },
    )


@pytest.fixture
def vn_meeting(db: Any) -> Meeting:
    province = org_create(
        actor=None,
        parent=None,
        code="VHN",
        name="Tỉnh ủy Hà Nam",
        kind="province_committee",
        jurisdiction="VN",
    )
    branch = org_create(
        actor=None, parent=province, code="VDB", name="Chi bộ Thôn Đông", kind="grassroots_branch"
    )
    return _record(
        Organization.objects.get(pk=branch.pk),
        types=("regular_meeting",),
        topic="Biên bản họp chi bộ — Nguyễn Văn Thành chủ trì",
        texts={
            "names": VN_NAMES,
            "place": "Nhà văn hóa thôn Đông",
            "excuse": "Đi công tác tỉnh",
            "guest": "Đồng chí Vũ Minh Tuấn",
            "unit": "Đảng ủy xã",
            "first": "Quán triệt nghị quyết mới của Trung ương",
            "discussion": "Các đồng chí thảo luận sôi nổi, thống nhất cao.",
            "second": "Bàn kế hoạch tháng tới",
            "minutes": "Chi bộ thống nhất kế hoạch công tác quý.",
            "resolution": "Hoàn thành sửa đường liên thôn trước mùa mưa",
            "question": "Thông qua kế hoạch công tác",
        },
    )


def _png_is_not_blank(path: Path) -> bool:
    """True when the PNG's pixel data holds more than one value (not a blank page)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return len(set(pixels[1:4000:3])) > 2 or len(set(pixels)) > 3


def _pdf_pages(pdf: bytes, tmp_path: Path, stem: str) -> tuple[list[Path], str]:
    source = tmp_path / f"{stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(tmp_path / stem)], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return sorted(tmp_path.glob(f"{stem}*.png")), text


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(paragraph.text for paragraph in section.footer.paragraphs)
    return "\n".join(parts)


# ----------------------------------------------------------------- minutes


@needs_poppler
@pytest.mark.parametrize(("fixture", "language"), [("cn_meeting", "zh-hans"), ("vn_meeting", "vi")])
def test_sealed_minutes_render_to_pdf_pages_with_the_names_and_the_seal(fixture, language, request, tmp_path):
    # given a sealed meeting recorded with Chinese or Vietnamese names
    meeting = request.getfixturevalue(fixture)
    version = documents.sealed_version(meeting=meeting)
    # when its minutes are printed in the user's language
    with translation.override(language):
        pdf = documents.minutes_render(version, documents.PDF)
    # then the PDF renders to non-blank PNG pages
    assert pdf.startswith(b"%PDF")
    pages, text = _pdf_pages(pdf, tmp_path, f"minutes-{language}")
    assert pages
    assert all(_png_is_not_blank(page) for page in pages)
    # and its text carries the names, the topic, the hash and the verification code
    names = CN_NAMES if fixture == "cn_meeting" else VN_NAMES
    flat = re.sub(r"\s+", "", text)
    for name in names:
        assert re.sub(r"\s+", "", name) in flat
    assert re.sub(r"\s+", "", meeting.topic) in flat
    assert version.content_hash in flat
    assert documents.verification_code(version.content_hash) in flat
    assert f"/meetings/verify/{documents.verification_code(version.content_hash)}/" in flat


def test_sealed_minutes_as_docx_carry_text_hash_and_east_asian_font(cn_meeting, vn_meeting):
    for meeting, names in ((cn_meeting, CN_NAMES), (vn_meeting, VN_NAMES)):
        # given a sealed meeting
        version = documents.sealed_version(meeting=meeting)
        # when printed as .docx
        with translation.override("zh-hans" if meeting.org.jurisdiction == "CN" else "vi"):
            content = documents.minutes_render(version, documents.DOCX)
        # then reopening it finds the names, the hash and the code
        text = _docx_text(content)
        for name in names:
            assert name in text
        assert version.content_hash in text
        assert documents.verification_code(version.content_hash) in text
        # and runs name the CJK font for East Asian text
        assert b'w:eastAsia="Noto Sans CJK SC"' in _document_xml(content)


def _document_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml")


def test_minutes_labels_follow_the_language_and_mark_the_first_item(cn_meeting):
    version = documents.sealed_version(meeting=cn_meeting)
    with translation.override("en"):
        data = documents.minutes_data(version)
    assert data["types"] == ["Branch general meeting", "Party lecture"] or len(data["types"]) == 2
    assert data["agenda"][0]["is_first_item"] is True
    assert data["attendance"]["present_count"] == 4
    assert data["attendance"]["excused"] == [{"name": "陈静", "reason": "外出培训"}]
    assert data["attendance"]["present"][1]["late"]
    assert data["seal"]["code"] == documents.verification_code(version.content_hash)
    assert data["votes"][0]["for"] == 4


def test_minutes_print_the_sealed_content_not_later_row_edits(cn_meeting):
    # given sealed minutes, and a row changed behind the seal's back
    version = documents.sealed_version(meeting=cn_meeting)
    Meeting.objects.filter(pk=cn_meeting.pk).update(topic="篡改后的主题")
    # then the document still prints what was sealed
    data = documents.minutes_data(MeetingVersion.objects.get(pk=version.pk))
    assert data["topic"] == "学习贯彻党的二十届三中全会精神"


def test_amended_minutes_list_the_amendment_and_the_new_hash(cn_meeting):
    services.meeting_amend(
        actor=None, meeting=cn_meeting, reason="地点记录有误", changes={"fields": {"place": "村委会议室"}}
    )
    version = documents.sealed_version(meeting=cn_meeting)
    data = documents.minutes_data(version)
    assert version.number == 2
    assert data["amendments"][0]["reason"] == "地点记录有误"
    assert data["place"] == "村委会议室"
    assert "地点记录有误" in _docx_text(documents.render_docx(data))


def test_unsealed_meeting_has_no_document_409(org_tree, personas):
    meeting = plan(org_tree.branch_a1)
    client = Client()
    client.force_login(personas.branch_secretary)
    response = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 409
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.branch_secretary).key}")
    answer = api.get(f"/api/meetings/{meeting.pk}/minutes/", {"format": "docx"})
    assert answer.status_code == 409
    assert answer["Content-Type"].startswith("application/json")
    assert not AuditEvent.objects.filter(action="meetings.document").exists()


def test_minutes_download_ui_and_api_scope_and_audit(org_tree, personas, person_a1):
    # given a sealed BA1 meeting
    meeting = sealed(org_tree.branch_a1)
    member = Client()
    member.force_login(personas.member)
    # when the member downloads the .docx, then it is a file and one audit event without names
    response = member.get(f"/meetings/{meeting.pk}/minutes.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == documents.CONTENT_TYPES["docx"]
    event = AuditEvent.objects.get(action="meetings.document")
    assert event.data["format"] == "docx"
    assert set(event.data) == {"version", "format", "content_hash"}
    # and the sibling branch's secretary gets 404, as if absent
    sibling = Client()
    sibling.force_login(personas.sibling_secretary)
    assert sibling.get(f"/meetings/{meeting.pk}/minutes.pdf").status_code == 404
    assert sibling.get(f"/meetings/{meeting.pk}/minutes.txt").status_code == 404
    # and the API answers the PDF by ?format=
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.member).key}")
    answer = api.get(f"/api/meetings/{meeting.pk}/minutes/", {"format": "pdf"})
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    outsider = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.sibling_secretary).key}")
    assert outsider.get(f"/api/meetings/{meeting.pk}/minutes/", {"format": "pdf"}).status_code == 404


def test_meeting_minutes_command_writes_the_file(cn_meeting, tmp_path):
    target = tmp_path / "minutes.docx"
    out = io.StringIO()
    call_command(
        "meeting-minutes", str(cn_meeting.pk), "--format", "docx", "--output", str(target), stdout=out
    )
    assert target.read_bytes()[:2] == b"PK"
    assert documents.verification_code(cn_meeting.versions.get().content_hash) in out.getvalue()


# ------------------------------------------------------------ verification


def test_verification_code_is_the_grouped_hash_prefix():
    digest = "0123456789abcdef" + "0" * 48
    assert documents.verification_code(digest) == "0123-4567-89AB-CDEF"
    assert documents.normalize_code("0123 4567-89ab-CDEF") == "0123456789abcdef"
    assert documents.normalize_code("xyz") is None


def test_verify_page_says_current_superseded_or_unknown(org_tree, personas, person_a1):
    meeting = sealed(org_tree.branch_a1)
    first = meeting.versions.get()
    code = documents.verification_code(first.content_hash)
    member = Client()
    member.force_login(personas.member)
    # the current version matches
    page = member.get(f"/meetings/verify/{code}/")
    assert page.status_code == 200
    assert page.context["result"].is_current
    assert page.context["result"].records_intact
    # after an amendment the old code names a superseded version
    services.meeting_amend(
        actor=None, meeting=meeting, reason="更正", changes={"fields": {"place": "会议室"}}
    )
    result = member.get(f"/meetings/verify/{code}/").context["result"]
    assert result.found
    assert not result.is_current
    assert result.latest_number == 2
    # a tampered row makes the current code report broken records
    latest = documents.verification_code(documents.sealed_version(meeting=meeting).content_hash)
    Meeting.objects.filter(pk=meeting.pk).update(minutes="改过的记录")
    result = member.get(f"/meetings/verify/{latest}/").context["result"]
    assert result.is_current
    assert not result.records_intact
    # out of scope reads as unknown; the form redirects to the code's page
    sibling = Client()
    sibling.force_login(personas.sibling_secretary)
    assert not sibling.get(f"/meetings/verify/{code}/").context["result"].found
    redirect = member.get("/meetings/verify/", {"code": code.lower().replace("-", " ")})
    assert redirect.status_code == 302
    assert redirect["Location"] == f"/meetings/verify/{code}/"


# ------------------------------------------------------------------- iCal


def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")


def test_ical_escaping_and_folding_at_75_octets():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "学习贯彻会议精神" * 10
    folded = ical.fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    folded.encode("utf-8").decode("utf-8")  # never split inside a character


def test_member_and_branch_feeds_with_a_token(org_tree, personas):
    # given a member whose person is expected at a BA1 meeting, and a cancelled one
    person = Person.objects.create(
        org=org_tree.branch_a1, full_name="王建国", status="full", user=personas.member
    )
    meeting = services.meeting_plan(
        actor=None,
        org=org_tree.branch_a1,
        topic="主题党日, 学习; 讨论",
        type_codes=["theme_day"],
        planned_start=moment(days_ago=-3),
        planned_end=moment(days_ago=-3, hour=21),
        place="党员活动室",
    )
    cancelled = plan(org_tree.branch_a1, topic="取消的会议")
    services.meeting_cancel(actor=None, meeting=cancelled, reason="台风")
    assert meeting.attendance.filter(person=person).exists()
    token = ical.feed_token_rotate(actor=personas.member)
    # when the calendar app fetches the member feed without logging in
    response = Client().get(f"/meetings/ical/member/{token.token}.ics")
    # then it is CRLF iCalendar with both events, escaped, times in UTC
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    lines = _unfold(text)
    assert f"UID:meeting-{meeting.pk}@testserver" in lines
    assert any(line.startswith("SUMMARY:主题党日\\, 学习\\; 讨论 (") for line in lines)
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", text)
    assert "STATUS:CANCELLED" in lines
    assert "LOCATION:党员活动室" in lines
    # and the branch feed needs a token whose owner sees the branch
    assert Client().get("/meetings/ical/branch/BA1.ics", {"token": token.token}).status_code == 200
    assert Client().get("/meetings/ical/branch/BB1.ics", {"token": token.token}).status_code == 404
    assert Client().get("/meetings/ical/branch/BA1.ics").status_code == 404
    assert Client().get("/meetings/ical/branch/BA1.ics", {"token": "wrong"}).status_code == 404
    # and rotating the token retires the old URL
    ical.feed_token_rotate(actor=personas.member)
    assert Client().get(f"/meetings/ical/member/{token.token}.ics").status_code == 404
    assert CalendarFeedToken.objects.filter(user=personas.member).count() == 1


def test_feed_token_grants_nothing_but_feeds(org_tree, personas):
    token = ical.feed_token_rotate(actor=personas.member)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.token}")
    assert api.get("/api/meetings/").status_code == 401
    assert Client().get("/meetings/ical/", {"token": token.token}).status_code == 302
    assert AuditEvent.objects.filter(action="meetings.feed_token").count() == 1
    assert token.token not in str(AuditEvent.objects.get(action="meetings.feed_token").data)


def test_feeds_page_shows_links_after_post(org_tree, personas):
    client = Client()
    client.force_login(personas.member)
    assert client.get("/meetings/ical/").context["token"] is None
    page = client.post("/meetings/ical/")
    assert page.status_code == 200
    token = CalendarFeedToken.objects.get(user=personas.member)
    assert f"/meetings/ical/member/{token.token}.ics" in page.content.decode()


# ----------------------------------------------------------------- ledger


def _sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def test_ledger_has_meetings_attendance_and_resolutions_and_is_formula_safe(org_tree, personas, cn_meeting):
    # given a meeting whose topic looks like a formula, in BA1's district
    plan(org_tree.branch_a1, topic="=1+2")
    year = timezone.localtime(cn_meeting.planned_start).year
    client = Client()
    client.force_login(personas.district_organizer)
    # when the district organizer downloads the ledger of district DA
    response = client.get(f"/meetings/ledger/DA/{year}.xlsx")
    assert response.status_code == 200
    sheets = _sheets(b"".join(response.streaming_content))
    meetings, attendance, resolutions = sheets.values()
    # then one row per meeting with counts, sealed version and hash
    assert len(meetings) == 1 + 2
    sealed_row = next(row for row in meetings if row[3] == cn_meeting.topic)
    assert sealed_row[5] == "4/5"
    assert sealed_row[11] == 1
    assert sealed_row[12] == cn_meeting.versions.get().content_hash
    # and formula-looking text is stored as text
    hostile_row = next(row for row in meetings if str(row[3]).endswith("=1+2"))
    assert hostile_row[3] == "'=1+2"
    # and the attendance matrix has a row per person and a column per meeting
    assert len(attendance[0]) == 2 + 2
    excused = next(row for row in attendance if row[0] == "陈静")
    assert "外出培训" in "".join(str(cell or "") for cell in excused)
    # and resolutions carry the follow-up status
    assert resolutions[1][4] == "完成老旧小区加装电梯摸底调查"
    assert resolutions[1][7] == "Open"
    assert AuditEvent.objects.filter(action="meetings.ledger").count() == 1


def test_ledger_scope_and_command(org_tree, personas, person_a1, tmp_path):
    meeting = sealed(org_tree.branch_a1)
    year = timezone.localtime(meeting.planned_start).year
    sibling = Client()
    sibling.force_login(personas.sibling_secretary)
    assert sibling.get(f"/meetings/ledger/BA1/{year}.xlsx").status_code == 404
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.member).key}")
    answer = api.get("/api/meetings/ledger/", {"org": "BA1", "year": year})
    assert answer.status_code == 200
    assert len(_sheets(answer.content)["Meetings"]) == 2
    assert api.get("/api/meetings/ledger/", {"org": "BB1", "year": year}).status_code == 404
    assert api.get("/api/meetings/ledger/", {"org": "BA1"}).status_code == 400
    target = tmp_path / "ledger.xlsx"
    call_command(
        "meetings-ledger", "--org", "P", "--year", str(year), "--output", str(target), stdout=io.StringIO()
    )
    assert len(_sheets(target.read_bytes())["Meetings"]) == 2


def test_ledger_headers_follow_the_language(org_tree, tmp_path):
    from orglife.meetings.ledger import meeting_ledger

    target = tmp_path / "ledger.xlsx"
    with translation.override("zh-hans"):
        meeting_ledger(actor=None, org=org_tree.province, year=2026, destination=target)
    assert len(_sheets(target.read_bytes())) == 3


def test_verify_url_is_in_the_documents_namespace():
    assert reverse("meeting_documents:verify", kwargs={"code": "0000-0000-0000-0000"}) == (
        "/meetings/verify/0000-0000-0000-0000/"
    )
