"""
Field-level protection of person records (quality-anchors S4, S9): masking,
mass assignment, and the audit of sensitive reads from outside the branch.
"""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from orglife.access.testing import db_changes, db_snapshot
from orglife.audit.models import AuditEvent
from orglife.conftest import CN_IDS, make_user

NATIONAL_ID = CN_IDS["zhang"]
PHONE = "13800138000"
BIRTH = "1949-12-31"
MASKED = {"national_id": "110*************2X", "phone": "138******00", "birth_date": "1949-**-**"}
UNMASKED = {"national_id": NATIONAL_ID, "phone": PHONE, "birth_date": BIRTH}


def _api(user) -> Client:
    token, _created = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def _ui(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _user(personas, org_tree, name):
    if name == "linked_leader":
        return make_user("linked_leader", org=org_tree.district_a, role="linked_leader")
    return getattr(personas, name)


def _sensitive(body: dict) -> dict:
    return {key: body[key] for key in ("national_id", "phone", "birth_date")}


@pytest.mark.parametrize("persona", ["member", "linked_leader"])
def test_api_detail_masks_sensitive_fields(persona, personas, org_tree, person_a1):
    # given a persona who may view BA1 but not its sensitive fields
    client = _api(_user(personas, org_tree, persona))
    # when
    body = client.get(f"/api/people/{person_a1.pk}/").json()
    # then
    assert _sensitive(body) == MASKED


@pytest.mark.parametrize("persona", ["member", "linked_leader"])
def test_api_list_masks_sensitive_fields(persona, personas, org_tree, person_a1):
    client = _api(_user(personas, org_tree, persona))
    rows = client.get("/api/people/").json()["results"]
    assert [_sensitive(row) for row in rows] == [MASKED]


@pytest.mark.parametrize("persona", ["member", "linked_leader"])
def test_person_page_masks_sensitive_fields(persona, personas, org_tree, person_a1):
    # given
    client = _ui(_user(personas, org_tree, persona))
    # when
    page = client.get(f"/people/{person_a1.pk}/").content.decode()
    # then no raw value is on the page, and the masked ones are
    for value in UNMASKED.values():
        assert value not in page
    assert MASKED["national_id"] in page
    assert MASKED["phone"] in page


def test_export_masks_sensitive_fields_without_view_sensitive(org_tree, person_a1):
    # given an inspector on BA1: may export, may not see sensitive fields
    client = _ui(make_user("inspector", org=org_tree.branch_a1, role="inspector"))
    # when
    response = client.get("/people/export/", {"org": "BA1"})
    # then
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    text = json.dumps([[str(cell) for cell in row] for row in rows], ensure_ascii=False)
    assert person_a1.full_name in text
    assert NATIONAL_ID not in text
    assert PHONE not in text
    assert MASKED["national_id"] in text


def test_sibling_secretary_gets_nothing_of_another_branch(personas, person_a1):
    # given the secretary of the sibling branch BA2
    api, ui = _api(personas.sibling_secretary), _ui(personas.sibling_secretary)
    # when / then: 404 everywhere, none of BA1's people in lists and exports
    assert api.get(f"/api/people/{person_a1.pk}/").status_code == 404
    assert ui.get(f"/people/{person_a1.pk}/").status_code == 404
    assert api.get("/api/people/").json()["count"] == 0
    assert api.get("/api/people/export/", {"org": "BA1"}).status_code == 404
    assert ui.get("/people/export/", {"org": "BA1"}).status_code == 404
    own = ui.get("/people/export/")
    assert own.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(own.streaming_content)), read_only=True)
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert len(rows) == 1  # the heading only
    api_own = api.get("/api/people/export/", {"org": "BA2"})
    assert person_a1.full_name.encode() not in b"".join(api_own.streaming_content)


def test_branch_secretary_sees_own_branch_unmasked_without_read_log(personas, person_a1):
    # given
    before = AuditEvent.objects.count()
    # when
    body = _api(personas.branch_secretary).get(f"/api/people/{person_a1.pk}/").json()
    page = _ui(personas.branch_secretary).get(f"/people/{person_a1.pk}/").content.decode()
    # then
    assert _sensitive(body) == UNMASKED
    assert NATIONAL_ID in page
    assert PHONE in page
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["district_organizer", "province_admin", "superuser"])
@pytest.mark.parametrize("surface", ["api_detail", "api_list", "page"])
def test_sensitive_read_from_outside_the_branch_is_logged_without_values(
    persona, surface, personas, person_a1
):
    # given a reader above the branch, who sees the fields unmasked
    user = getattr(personas, persona)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    # when
    if surface == "api_detail":
        body = _api(user).get(f"/api/people/{person_a1.pk}/").json()
        assert _sensitive(body) == UNMASKED
    elif surface == "api_list":
        body = _api(user).get("/api/people/").json()["results"][0]
        assert _sensitive(body) == UNMASKED
    else:
        assert NATIONAL_ID in _ui(user).get(f"/people/{person_a1.pk}/").content.decode()
    # then exactly one read event, naming the person and the fields but no value
    event = AuditEvent.objects.exclude(pk__in=before).get()
    assert event.action == "people.sensitive_read"
    assert event.actor_id == user.pk
    assert (event.object_type, event.object_id) == ("people.person", str(person_a1.pk))
    assert event.org_id == person_a1.org_id
    assert event.data["fields"] == ["birth_date", "national_id", "phone"]
    stored = json.dumps(event.data)
    for value in (NATIONAL_ID, PHONE, BIRTH, "13800138000"):
        assert value not in stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("national_id_hash", "0" * 64),
        ("version", 99),
        ("search_key", "zsf"),
        ("org", "BA2"),
        ("status", "removed"),
        ("id", 12345),
        ("user", 1),
        ("created_at", "2020-01-01T00:00:00Z"),
    ],
)
def test_api_patch_rejects_fields_a_client_may_not_set(field, value, personas, person_a1):
    # given
    client = _api(personas.branch_secretary)
    before = db_snapshot()
    # when
    response = client.patch(
        f"/api/people/{person_a1.pk}/", json.dumps({field: value}), content_type="application/json"
    )
    # then refused; a stale ``version`` alone is a conflict (409), not a field change
    if field == "version":
        assert response.status_code == 409
        assert response.json()["code"] == "version_conflict"
    else:
        assert response.status_code == 400
        assert field in response.json() or "__all__" in response.json()
    assert db_changes(before, db_snapshot()) == {}


def test_api_create_rejects_fields_a_client_may_not_set(personas, org_tree):
    # given
    client = _api(personas.branch_secretary)
    before = db_snapshot()
    payload = {
        "org": "BA1",
        "status": "applicant",
        "full_name": "王五",
        "national_id_hash": "x",
        "version": 7,
    }
    # when
    response = client.post("/api/people/", json.dumps(payload), content_type="application/json")
    # then
    assert response.status_code == 400
    assert set(response.json()) == {"national_id_hash", "version"}
    assert db_changes(before, db_snapshot()) == {}


def test_duplicate_id_message_hides_a_holder_outside_the_scope(personas, person_a1):
    # given the sibling secretary entering a person with the ID of BA1's member
    client = _api(personas.sibling_secretary)
    payload = {"org": "BA2", "status": "applicant", "full_name": "冒名", "national_id": NATIONAL_ID}
    # when
    response = client.post("/api/people/", json.dumps(payload), content_type="application/json")
    # then the ID is refused without naming the holder or the branch
    assert response.status_code == 400
    message = " ".join(response.json()["national_id"])
    assert person_a1.full_name not in message
    assert person_a1.org.name not in message


def test_duplicate_id_message_names_a_holder_inside_the_scope(personas, person_a1):
    client = _api(personas.district_organizer)
    payload = {"org": "BA2", "status": "applicant", "full_name": "冒名", "national_id": NATIONAL_ID}
    response = client.post("/api/people/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert person_a1.full_name in " ".join(response.json()["national_id"])
