"""
Roster import and export: the writes behind ``orglife import-members``,
``orglife export-members``, the "Import roster" page and the API.

An import is planned first (``people.roster``: read and check every cell,
nothing written), then written in one transaction with bulk inserts and
updates and one audit event. Any error anywhere means nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from orglife.access.policy import require
from orglife.access.roles import EXPORT_PEOPLE, IMPORT_PEOPLE, VIEW_SENSITIVE
from orglife.access.scope import FULL_SCOPE, scope_for
from orglife.audit.services import audit_record
from orglife.common.crypto import lookup_hash, mask
from orglife.common.text import search_key
from orglife.orgs.models import Organization
from orglife.people.choices import Gender, MembershipStatus
from orglife.people.models import Person, StatusChange
from orglife.people.roster import (
    EXPORT_HEADERS,
    FIELDS,
    PERSON_FIELDS,
    PlannedRow,
    ProgressCallback,
    RosterPlan,
    RowError,
    excel_safe,
    roster_plan,
)
from orglife.people.selectors import person_export_list

DEFAULT_BATCH_SIZE = 2000


@dataclass
class RosterReport:
    """The outcome of an import or a dry run, for the CLI, the page and the API."""

    org_code: str
    file_name: str
    sha256: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        """True when the file has no error."""
        return self.error_count == 0

    def as_dict(self) -> dict[str, Any]:
        """JSON form (messages in the active language)."""
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "written": self.written,
            "org": self.org_code,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [error.as_dict() for error in self.errors],
            "sheets": self.sheets,
            "ignored_columns": self.ignored_columns,
        }


class _ConcurrentChange(Exception):
    """A planned update found its record changed since it was read."""


def file_sha256(source: str | Path | IO[bytes]) -> str:
    """SHA-256 of a file given by path or as a binary stream (rewound after)."""
    digest = hashlib.sha256()
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    source.seek(0)
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _opening_date(row: PlannedRow, today: date) -> date:
    values = row.values
    if row.status == MembershipStatus.FULL and values.get("converted_on"):
        return values["converted_on"]  # type: ignore[no-any-return]
    if row.status in (MembershipStatus.FULL, MembershipStatus.PROBATIONARY) and values.get("joined_on"):
        return values["joined_on"]  # type: ignore[no-any-return]
    return today


def _new_person(row: PlannedRow) -> Person:
    values = {name: row.values.get(name) for name in PERSON_FIELDS}
    for name, value in values.items():
        if value is None and name not in ("birth_date", "joined_on", "converted_on"):
            values[name] = ""
    person = Person(org_id=row.org_id, party_group_id=row.party_group_id, status=row.status, **values)
    person.national_id_hash = lookup_hash(person.national_id)
    person.search_key = search_key(person.full_name)
    return person


def _write(
    *,
    actor: Any,
    plan: RosterPlan,
    report: RosterReport,
    today: date,
    batch_size: int,
    progress: ProgressCallback | None,
) -> None:
    recorded_by = actor if actor is not None and getattr(actor, "pk", None) else None
    reason = gettext_noop("Roster import")  # stored untranslated, translated when shown
    done = 0
    creates = [row for row in plan.rows if row.action == "create"]
    updates = [row for row in plan.rows if row.action == "update"]
    for batch in _batches(creates, batch_size):
        new_people = [_new_person(row) for row in batch]
        Person.objects.bulk_create(new_people, batch_size=batch_size)
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    person=person,
                    from_status="",
                    to_status=row.status,
                    effective_on=_opening_date(row, today),
                    reason=reason,
                    recorded_by=recorded_by,
                )
                for person, row in zip(new_people, batch, strict=True)
            ],
            batch_size=batch_size,
        )
        done += len(batch)
        if progress is not None:
            progress("write", done)
    now = timezone.now()
    update_fields = {"version", "updated_at"}
    for batch in _batches(updates, batch_size):
        planned_versions = {row.existing.pk: row.existing.version for row in batch if row.existing}
        current = Person.objects.filter(pk__in=list(planned_versions))
        if connection.features.has_select_for_update:
            current = current.select_for_update()
        if dict(current.values_list("pk", "version")) != planned_versions:
            raise _ConcurrentChange
        people: list[Person] = []
        status_changes: list[StatusChange] = []
        for row in batch:
            person = row.existing
            if person is None:  # planned updates always carry their record
                continue
            previous_status = person.status
            for name, value in row.changes.items():
                setattr(person, name, value)
                update_fields.add(name)
            if "full_name" in row.changes:
                person.search_key = search_key(person.full_name)
                update_fields.add("search_key")
            if "status" in row.changes:
                status_changes.append(
                    StatusChange(
                        person=person,
                        from_status=previous_status,
                        to_status=row.changes["status"],
                        effective_on=_opening_date(row, today),
                        reason=reason,
                        recorded_by=recorded_by,
                    )
                )
            person.version += 1
            person.updated_at = now
            people.append(person)
        Person.objects.bulk_update(people, sorted(update_fields), batch_size=batch_size)
        StatusChange.objects.bulk_create(status_changes, batch_size=batch_size)
        done += len(batch)
        if progress is not None:
            progress("write", done)
    audit_record(
        actor=actor,
        action="people.import",
        org=plan.org,
        data={
            "file_name": report.file_name,
            "sha256": report.sha256,
            "org": plan.org.code,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )


def roster_import(
    *,
    actor: Any,
    org: Organization,
    source: str | Path | IO[bytes],
    file_name: str = "",
    dry_run: bool = False,
    today: date | None = None,
    progress: ProgressCallback | None = None,
    progress_every: int = 10000,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> RosterReport:
    """
    Import the roster in ``source`` (.xlsx) into ``org``'s subtree.

    Every cell is checked first; with any error, or with ``dry_run``, nothing
    is written and the report says what would happen. Otherwise people are
    created and updated in one transaction, each new person gets an opening
    status entry, and one ``people.import`` audit event records the file's
    SHA-256 and the counts. Rows that match a stored person (same ID, same
    name, same branch) with nothing new are "unchanged", so importing the
    same file twice writes nothing the second time.
    """
    require(actor, IMPORT_PEOPLE, org)
    today = today or timezone.localdate()
    if isinstance(source, Path):
        source = str(source)
    if not file_name:
        file_name = Path(source).name if isinstance(source, str) else getattr(source, "name", "") or ""
    report = RosterReport(org_code=org.code, file_name=file_name, sha256=file_sha256(source), dry_run=dry_run)
    plan = roster_plan(
        source=source, org=org, actor=actor, today=today, progress=progress, progress_every=progress_every
    )
    report.rows = plan.row_count
    report.created = plan.count("create")
    report.updated = plan.count("update")
    report.unchanged = plan.count("unchanged")
    report.error_count = plan.error_count
    report.errors = plan.errors
    report.sheets = plan.sheets
    report.ignored_columns = plan.ignored_columns
    if not report.ok or dry_run:
        return report
    if report.created == 0 and report.updated == 0:
        return report  # nothing to write: the same file imported again
    try:
        with transaction.atomic():
            _write(
                actor=actor, plan=plan, report=report, today=today, batch_size=batch_size, progress=progress
            )
    except (_ConcurrentChange, IntegrityError):
        report.errors = [RowError("", 0, "", "", "concurrent_change")]
        report.error_count = 1
        return report
    report.written = True
    return report


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    rows: int
    masked_rows: int


def _export_cells(worksheet: Any, person: Person, unmasked: bool) -> list[Any]:
    birth: Any
    if unmasked:
        national_id, phone, birth = person.national_id, person.phone, person.birth_date
    else:
        national_id = mask(person.national_id, keep_start=3, keep_end=2)
        phone = mask(person.phone, keep_start=3, keep_end=2)
        birth = f"{person.birth_date.year}-**-**" if person.birth_date else None
    values: dict[str, Any] = {
        "full_name": person.full_name,
        "gender": str(Gender(person.gender).label) if person.gender in Gender.values else person.gender,
        "ethnicity": person.ethnicity,
        "birth_date": birth,
        "national_id": national_id,
        "education": person.education,
        "native_place": person.native_place,
        "work_unit": person.work_unit,
        "joined_on": person.joined_on,
        "converted_on": person.converted_on,
        "status": str(MembershipStatus(person.status).label),
        "branch": person.org.name,
        "branch_code": person.org.code,
        "party_group": person.party_group.code if person.party_group else "",
        "phone": phone,
    }
    cells: list[Any] = []
    for name in FIELDS:
        value = values[name]
        if isinstance(value, date):
            cell = WriteOnlyCell(worksheet, value=value)  # type: ignore[arg-type]  # stubs omit date
            cell.number_format = "yyyy-mm-dd"
        else:
            # Text cells only: a value starting with = + - @ is never a formula.
            cell = WriteOnlyCell(worksheet, value=excel_safe(str(value)) if value else None)
            if value:
                cell.data_type = "s"
        cells.append(cell)
    return cells


def roster_export(
    *,
    actor: Any,
    org: Organization | None,
    destination: str | Path | IO[bytes],
    progress: ProgressCallback | None = None,
    progress_every: int = 10000,
) -> ExportResult:
    """
    Write the people of ``org``'s subtree (all visible people when None) that
    ``actor`` may export to an .xlsx file, headings in the active language.

    National ID, phone and birth date are masked unless ``actor`` holds
    ``view_sensitive`` on the person's branch (decided from one scope, not a
    query per row). Text that a spreadsheet would evaluate is stored as text
    with a leading apostrophe. One ``people.export`` audit event records the
    counts.
    """
    if org is not None:
        require(actor, EXPORT_PEOPLE, org)
    sensitive_scope = FULL_SCOPE if actor is None else scope_for(actor, VIEW_SENSITIVE)
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=_("Roster")[:31])
    header = []
    for name in FIELDS:
        cell = WriteOnlyCell(worksheet, value=str(EXPORT_HEADERS[name]))
        cell.font = Font(bold=True)
        header.append(cell)
    worksheet.append(header)
    rows = masked = 0
    for person in person_export_list(actor=actor, org=org).iterator(chunk_size=2000):
        unmasked = sensitive_scope.covers(person.org.path)
        worksheet.append(_export_cells(worksheet, person, unmasked))
        rows += 1
        masked += 0 if unmasked else 1
        if progress is not None and rows % progress_every == 0:
            progress("export", rows)
    if isinstance(destination, Path):
        destination = str(destination)
    workbook.save(destination)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="people.export",
            org=org,
            data={"org": org.code if org else "", "rows": rows, "masked_rows": masked},
        )
    return ExportResult(rows=rows, masked_rows=masked)
