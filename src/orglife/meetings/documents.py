"""
Printable minutes of a sealed meeting: PDF (WeasyPrint) and .docx (python-docx).

The document is built only from a sealed :class:`MeetingVersion` — its
stored canonical content, not the current rows — so what is printed is
exactly what was sealed, and it carries the version's sha256 and a short
verification code derived from it. Labels are in the active language;
content is printed as recorded. Unsealed meetings have no official
document (:class:`MeetingNotSealed`, answered 409 by the views).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from orglife.access.querysets import OrgScopedQuerySet
from orglife.audit.services import audit_record
from orglife.meetings.choices import AttendanceStatus, MeetingStatus, VoteKind
from orglife.meetings.models import ActivityType, Meeting, MeetingVersion
from orglife.meetings.sealing import content_hash, meeting_content
from orglife.orgs.models import Organization

PDF = "pdf"
DOCX = "docx"
FORMATS = (PDF, DOCX)
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The verification code: the first 16 hex digits of the content hash, in groups of 4.
CODE_DIGITS = 16
CODE_GROUP = 4
_CODE_PATTERN = re.compile(r"^[0-9a-f]{16}$")

# Fonts (fonts-noto-cjk and DejaVu, installed by .ci/run): CJK first for Chinese text,
# a Latin font with full Vietnamese coverage first otherwise; each falls back to the others.
CJK_SC = "Noto Sans CJK SC"
CJK_TC = "Noto Sans CJK TC"
LATIN_FONTS = ("Noto Sans", "DejaVu Sans")


class MeetingNotSealed(Exception):
    """The meeting has no sealed version yet: there is no official document."""


# ------------------------------------------------------------ verification


def verification_code(digest: str) -> str:
    """``"1A2B-3C4D-5E6F-7081"``: the first 16 hex digits of ``digest``, grouped."""
    head = digest[:CODE_DIGITS].upper()
    return "-".join(head[i : i + CODE_GROUP] for i in range(0, CODE_DIGITS, CODE_GROUP))


def normalize_code(code: str) -> str | None:
    """The 16 lower-case hex digits of a typed code (dashes and spaces ignored), or None."""
    digits = re.sub(r"[\s\-]", "", code or "").lower()
    return digits if _CODE_PATTERN.match(digits) else None


def verification_path(digest: str) -> str:
    """The page where anyone with view scope checks a printed code."""
    return reverse("meeting_documents:verify", kwargs={"code": verification_code(digest)})


@dataclass(frozen=True)
class VerificationResult:
    """What a verification code names, as far as the reader may see."""

    code: str
    valid_format: bool
    version: MeetingVersion | None = None
    latest_number: int | None = None
    records_intact: bool = False

    @property
    def found(self) -> bool:
        """True when the code names a sealed version the reader may see."""
        return self.version is not None

    @property
    def is_current(self) -> bool:
        """True when the code names the latest sealed version of its meeting."""
        return self.version is not None and self.version.number == self.latest_number


def verify_code(*, actor: Any, code: str) -> VerificationResult:
    """
    Look a printed code up among the sealed versions ``actor`` may see and
    say whether it is the meeting's current version and whether the
    current records still hash to it. Out of scope reads as "not found".
    """
    digits = normalize_code(code)
    if digits is None:
        return VerificationResult(code=code, valid_format=False)
    display = verification_code(digits)
    versions: OrgScopedQuerySet[MeetingVersion] = MeetingVersion.objects.select_related("meeting__org")
    match = (
        versions.visible_to(actor)
        .filter(content_hash__startswith=digits)
        .order_by("-sealed_at", "-pk")
        .first()
    )
    if match is None:
        return VerificationResult(code=display, valid_format=True)
    latest = MeetingVersion.objects.filter(meeting_id=match.meeting_id).order_by("-number").first()
    latest_number = latest.number if latest is not None else None
    intact = False
    if match.number == latest_number and match.meeting.status == MeetingStatus.SEALED:
        intact = content_hash(meeting_content(match.meeting)) == match.content_hash
    return VerificationResult(
        code=display,
        valid_format=True,
        version=match,
        latest_number=latest_number,
        records_intact=intact and content_hash(match.content) == match.content_hash,
    )


# ------------------------------------------------------------- the content


def _local(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    return timezone.localtime(moment) if moment is not None else None


def _day(value: str | None) -> str:
    return date.fromisoformat(value).isoformat() if value else ""


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).lower()


def font_stack(*, jurisdiction: str) -> list[str]:
    """Font families for the document, best first, by language and jurisdiction."""
    language = _language()
    cjk = CJK_TC if language == "zh-hant" else CJK_SC
    if language.startswith("zh") or (jurisdiction == "CN" and language != "vi"):
        return [cjk, *LATIN_FONTS]
    return [*LATIN_FONTS, cjk]


def _status_label(status: str) -> str:
    return str(AttendanceStatus(status).label) if status in AttendanceStatus.values else status


def _vote_kind_label(kind: str) -> str:
    return str(VoteKind(kind).label) if kind in VoteKind.values else kind


def _attendance(content: dict[str, Any]) -> dict[str, Any]:
    rows = sorted(content["attendance"].values(), key=lambda row: (row["name"], row["branch_id"]))
    expected = [row for row in rows if row["expected"]]
    present = [row for row in rows if row["status"] == AttendanceStatus.PRESENT]
    excused = [row for row in rows if row["status"] == AttendanceStatus.EXCUSED]
    absent = [row for row in rows if row["status"] in (AttendanceStatus.ABSENT, AttendanceStatus.PENDING)]
    late = [row for row in present if row["arrived_late_minutes"]]
    return {
        "expected": len(expected),
        "present_count": len(present),
        "excused_count": len(excused),
        "absent_count": len(absent),
        "late_count": len(late),
        "voting_present": sum(1 for row in present if row["voting_right"]),
        "voting_expected": sum(1 for row in expected if row["voting_right"]),
        "present": [
            {
                "name": row["name"],
                "late": (
                    _("late %(minutes)s min") % {"minutes": row["arrived_late_minutes"]}
                    if row["arrived_late_minutes"]
                    else ""
                ),
            }
            for row in present
        ],
        "excused": [{"name": row["name"], "reason": row["excuse_reason"]} for row in excused],
        "absent": [{"name": row["name"], "status": _status_label(row["status"])} for row in absent],
    }


def minutes_data(version: MeetingVersion) -> dict[str, Any]:
    """
    Everything the minutes print, from ``version``'s sealed content, with
    labels in the active language (types by their names in that language).
    """
    content = version.content
    meeting = version.meeting
    org: Organization = meeting.org
    facts = content["meeting"]
    names = {
        item.code: item.name
        for item in ActivityType.objects.filter(jurisdiction=org.jurisdiction, code__in=content["types"])
    }
    type_names = [names.get(code, code) for code in content["types"]]
    joint = list(
        Organization.objects.filter(pk__in=content["joint_branches"])
        .order_by("path")
        .values_list("name", flat=True)
    )
    start = _local(facts["actual_start"]) or _local(facts["planned_start"])
    end = _local(facts["actual_end"]) or _local(facts["planned_end"])
    duration = int((end - start).total_seconds() // 60) if start and end else None
    votes = [
        {
            "order": vote["order"],
            "kind": _vote_kind_label(vote["kind"]),
            "question": vote["question"],
            "subject": vote["subject_name"],
            "eligible": vote["eligible_voters"],
            "present": vote["present_voters"],
            "for": vote["votes_for"],
            "against": vote["votes_against"],
            "abstain": vote["abstain"],
            "written": (
                f"{vote['written_for']}/{vote['written_against']}"
                if vote["written_for"] or vote["written_against"]
                else ""
            ),
            "outcome": _("Passed") if vote["passed"] else _("Not passed"),
            "passed": vote["passed"],
            "rule": vote["rule_id"],
        }
        for vote in content["votes"]
    ]
    elections = [
        {
            "title": election["title"],
            "seats": election["seats"],
            "should_attend": election["should_attend"],
            "present": election["present_voters"],
            "ballots": f"{election['ballots_issued']}/{election['ballots_returned']}/{election['ballots_valid']}",
            "valid": _("Valid") if election["is_valid"] else _("Not valid"),
            "candidates": [
                {
                    "name": candidate["name"],
                    "votes": candidate["votes"],
                    "elected": _("Elected") if candidate["elected"] else "",
                }
                for candidate in sorted(election["candidates"], key=lambda c: (-c["votes"], c["name"]))
            ],
        }
        for election in content["elections"]
    ]
    amendments = [
        {
            "number": item.number,
            "sealed_at": timezone.localtime(item.sealed_at),
            "sealed_by": item.sealed_by_name,
            "reason": item.amendment_reason,
            "hash": item.content_hash,
        }
        for item in MeetingVersion.objects.filter(meeting=meeting, number__gt=1, number__lte=version.number)
        .order_by("number")
        .only("number", "sealed_at", "sealed_by_name", "amendment_reason", "content_hash")
    ]
    attendance = _attendance(content)
    return {
        "org_name": org.name,
        "org_code": org.code,
        "jurisdiction": org.jurisdiction,
        "joint_branches": joint,
        "topic": facts["topic"],
        "types": type_names,
        "title": _("Minutes of the meeting"),
        "date": start.date().isoformat() if start else "",
        "time": f"{start:%H:%M}–{end:%H:%M}" if start and end else "",
        "duration": duration,
        "place": facts["place"],
        "online_link": facts["online_link"],
        "invited_upper_level": facts["invited_upper_level"],
        "attendance": attendance,
        "attendance_summary": attendance_summary(attendance),
        "guests": content["guests"],
        "agenda": content["agenda"],
        "minutes": facts["minutes"],
        "resolutions": [
            {
                "order": item["order"],
                "text": item["text"],
                "owner": item["owner_name"],
                "due": _day(item["due_on"]),
            }
            for item in content["resolutions"]
        ],
        "votes": votes,
        "elections": elections,
        "should_reasons": sorted(facts["should_reasons"].items()),
        "seal": {
            "version": version.number,
            "sealed_at": timezone.localtime(version.sealed_at),
            "sealed_by": version.sealed_by_name,
            "hash": version.content_hash,
            "code": verification_code(version.content_hash),
            "verify_path": verification_path(version.content_hash),
        },
        "amendments": amendments,
        "fonts": font_stack(jurisdiction=org.jurisdiction),
        "language": _language(),
    }


# --------------------------------------------------------------- renderers


def render_pdf(data: dict[str, Any]) -> bytes:
    """The minutes as an A4 PDF (WeasyPrint; page numbers and the seal hash in the footer)."""
    from weasyprint import HTML

    html = render_to_string("meetings/documents/minutes_pdf.html", {"doc": data})
    # Nothing external: the template carries its CSS and names local fonts only.
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _set_fonts(element: Any, fonts: list[str], *, east_asia: str) -> None:
    """Set the Latin and East Asian fonts of a run or style (``w:rFonts``)."""
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, r_fonts)
    latin = next(font for font in fonts if font not in (CJK_SC, CJK_TC))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        r_fonts.set(qn(attribute), latin)
    r_fonts.set(qn("w:eastAsia"), east_asia)


def render_docx(data: dict[str, Any]) -> bytes:
    """The minutes as a .docx (python-docx; East Asian runs in Noto Sans CJK SC/TC)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    fonts = data["fonts"]
    east_asia = CJK_TC if data["language"] == "zh-hant" else CJK_SC
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2)
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = fonts[0] if fonts[0] not in (CJK_SC, CJK_TC) else LATIN_FONTS[0]
        _set_fonts(style.element, fonts, east_asia=east_asia)
    document.styles["Normal"].font.size = Pt(10.5)

    def para(text: str = "", *, bold: bool = False, style: str | None = None) -> Any:
        paragraph = document.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold = bold
            _set_fonts(run._element, fonts, east_asia=east_asia)
        return paragraph

    def heading(text: str, level: int = 1) -> None:
        paragraph = document.add_heading(level=level)
        run = paragraph.add_run(text)
        _set_fonts(run._element, fonts, east_asia=east_asia)

    def table(headers: list[str], rows: list[list[Any]]) -> None:
        grid = document.add_table(rows=1, cols=len(headers))
        grid.style = document.styles["Table Grid"]
        for cell, text in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = True
            _set_fonts(run._element, fonts, east_asia=east_asia)
        for row in rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                run = cell.paragraphs[0].add_run("" if value is None else str(value))
                _set_fonts(run._element, fonts, east_asia=east_asia)

    seal = data["seal"]
    title = document.add_heading(level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(title.add_run(f"{data['org_name']} · {data['title']}")._element, fonts, east_asia=east_asia)
    subtitle = para(" · ".join(data["types"]), bold=True)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(f"{_('Topic')}: {data['topic']}", bold=True)
    para(f"{_('Date')}: {data['date']}    {_('Time')}: {data['time']}")
    if data["duration"] is not None:
        para(f"{_('Duration')}: {_('%(minutes)s minutes') % {'minutes': data['duration']}}")
    if data["place"]:
        para(f"{_('Place')}: {data['place']}")
    if data["online_link"]:
        para(f"{_('Online')}: {data['online_link']}")
    if data["joint_branches"]:
        para(f"{_('Joint branches')}: {', '.join(data['joint_branches'])}")

    attendance = data["attendance"]
    heading(_("Attendance"))
    para(attendance_summary(attendance))
    para(
        f"{_('Present')}: "
        + ", ".join(
            f"{row['name']} ({row['late']})" if row["late"] else row["name"] for row in attendance["present"]
        )
    )
    if attendance["excused"]:
        para(
            f"{_('Excused')}: "
            + "; ".join(f"{row['name']} — {row['reason']}" for row in attendance["excused"])
        )
    if attendance["absent"]:
        para(f"{_('Absent')}: " + ", ".join(row["name"] for row in attendance["absent"]))
    if data["guests"] or data["invited_upper_level"]:
        heading(_("Guests"), 2)
        for guest in data["guests"]:
            para(f"{guest['name']}" + (f" — {guest['unit']}" if guest["unit"] else ""))
        if data["invited_upper_level"]:
            para(data["invited_upper_level"])

    heading(_("Agenda"))
    for item in data["agenda"]:
        marker = f" [{_('First agenda item')}]" if item["is_first_item"] else ""
        para(f"{item['order']}. {item['title']}{marker}", bold=True)
        if item["discussion"]:
            para(item["discussion"])
    if data["minutes"]:
        heading(_("Minutes"))
        for line in data["minutes"].splitlines() or [""]:
            para(line)
    if data["resolutions"]:
        heading(_("Resolutions"))
        table(
            ["#", _("Resolution"), _("Owner"), _("Due on")],
            [[r["order"], r["text"], r["owner"], r["due"]] for r in data["resolutions"]],
        )
    if data["votes"]:
        heading(_("Votes"))
        table(
            [
                "#",
                _("Question"),
                _("Present / eligible"),
                _("For"),
                _("Against"),
                _("Abstentions"),
                _("Outcome"),
            ],
            [
                [
                    v["order"],
                    " ".join(part for part in (v["kind"], v["subject"], v["question"]) if part),
                    f"{v['present']}/{v['eligible']}",
                    v["for"],
                    v["against"],
                    v["abstain"],
                    f"{v['outcome']} ({v['rule']})",
                ]
                for v in data["votes"]
            ],
        )
    for election in data["elections"]:
        heading(f"{_('Election')}: {election['title']}", 2)
        para(
            _(
                "Seats %(seats)s; present %(present)s of %(should)s; ballots issued/returned/valid %(ballots)s; %(valid)s"
            )
            % {
                "seats": election["seats"],
                "present": election["present"],
                "should": election["should_attend"],
                "ballots": election["ballots"],
                "valid": election["valid"],
            }
        )
        table(
            [_("Candidate"), _("Votes"), _("Elected")],
            [[c["name"], c["votes"], c["elected"]] for c in election["candidates"]],
        )
    if data["should_reasons"]:
        heading(_("Reasons for unmet recommendations"), 2)
        for rule_id, reason in data["should_reasons"]:
            para(f"{rule_id}: {reason}")
    if data["amendments"]:
        heading(_("Amendments"))
        for amendment in data["amendments"]:
            para(
                f"{_('Version')} {amendment['number']} · {amendment['sealed_at']:%Y-%m-%d %H:%M} · "
                f"{amendment['sealed_by']}: {amendment['reason']}"
            )

    heading(_("Seal"))
    table(
        [_("Version"), _("Sealed at"), _("Sealed by"), _("Verification code")],
        [[seal["version"], f"{seal['sealed_at']:%Y-%m-%d %H:%M}", seal["sealed_by"], seal["code"]]],
    )
    para(f"{_('Content hash (sha256)')}: {seal['hash']}")
    para(f"{_('Verify at')}: {seal['verify_path']}")

    # Footer: the seal hash and "page N".
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_run = footer.add_run(f"{seal['code']} · sha256 {seal['hash']} · {_('Page')} ")
    footer_run.font.size = Pt(7)
    _set_fonts(footer_run._element, fonts, east_asia=east_asia)
    page_run = footer.add_run()
    page_run.font.size = Pt(7)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            page_run._element.append(char)
        else:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            page_run._element.append(instruction)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attendance_summary(attendance: dict[str, Any]) -> str:
    """One line: expected, present (voting present), excused, absent, late."""
    return _(
        "Expected %(expected)s; present %(present)s (voting members %(voting_present)s of %(voting_expected)s); "
        "excused %(excused)s; absent %(absent)s; late %(late)s."
    ) % {
        "expected": attendance["expected"],
        "present": attendance["present_count"],
        "voting_present": attendance["voting_present"],
        "voting_expected": attendance["voting_expected"],
        "excused": attendance["excused_count"],
        "absent": attendance["absent_count"],
        "late": attendance["late_count"],
    }


# ------------------------------------------------------------ the download


@dataclass(frozen=True)
class MinutesFile:
    """A rendered document, ready to download."""

    content: bytes
    filename: str
    content_type: str
    version: MeetingVersion


def sealed_version(*, meeting: Meeting, number: int | None = None) -> MeetingVersion:
    """The latest sealed version of ``meeting`` (or version ``number``); MeetingNotSealed if none."""
    versions = MeetingVersion.objects.filter(meeting=meeting).select_related("meeting__org")
    if number is not None:
        versions = versions.filter(number=number)
    version = versions.order_by("-number").first()
    if version is None:
        raise MeetingNotSealed(_("The meeting is not sealed yet: there is no official record to print."))
    return version


def minutes_render(version: MeetingVersion, file_format: str) -> bytes:
    """The document of ``version`` in ``file_format`` (pdf or docx), no audit event."""
    data = minutes_data(version)
    return render_pdf(data) if file_format == PDF else render_docx(data)


def minutes_export(
    *, actor: Any, meeting: Meeting, file_format: str, version_number: int | None = None
) -> MinutesFile:
    """
    Render the minutes of ``meeting`` (already fetched through the actor's
    scope) and append one ``meetings.document`` audit event (version,
    format and hash; no personal values).
    """
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    version = sealed_version(meeting=meeting, number=version_number)
    content = minutes_render(version, file_format)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="meetings.document",
            target=meeting,
            org=meeting.org,
            data={"version": version.number, "format": file_format, "content_hash": version.content_hash},
        )
    filename = f"minutes-{meeting.org.code}-{meeting.pk}-v{version.number}.{file_format}"
    return MinutesFile(content, filename, CONTENT_TYPES[file_format], version)
