"""Every write to person records: validation, concurrency, status history, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orglife.access.testing import db_changes, db_snapshot
from orglife.audit.models import AuditEvent
from orglife.conftest import CN_IDS
from orglife.people.models import Person, StatusChange
from orglife.people.services import (
    person_create,
    person_status_change,
    person_transfer,
    person_update,
)

TODAY = date(2025, 6, 1)


def _new_events(count: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq")[count:])


def _create(org, **values):
    fields = {"status": "applicant", "full_name": "李四", "today": TODAY}
    fields.update(values)
    return person_create(actor=None, org=org, **fields)


# ------------------------------------------------------------------ create


def test_person_create_stores_encrypted_hash_search_key_history_and_one_event(org_tree, personas):
    # given
    count = AuditEvent.objects.count()
    # when
    person = person_create(
        actor=personas.branch_secretary,
        org=org_tree.branch_a1,
        status="full",
        full_name=" 李四 ",
        gender="male",
        birth_date=date(1980, 1, 1),
        national_id=CN_IDS["li"].lower(),
        phone="13900139000",
        joined_on=date(2000, 1, 1),
        converted_on=date(2001, 1, 1),
        today=TODAY,
    )
    # then
    stored = Person.objects.get(pk=person.pk)
    assert (stored.full_name, stored.national_id, stored.version) == ("李四", CN_IDS["li"], 1)
    assert stored.national_id_hash != ""
    assert "ls" in stored.search_key
    raw = Person.objects.filter(pk=person.pk).values_list("national_id", flat=True).query
    assert CN_IDS["li"] not in str(raw)
    [change] = StatusChange.objects.filter(person=person)
    assert (change.from_status, change.to_status, change.effective_on) == ("", "full", date(2001, 1, 1))
    [event] = _new_events(count)
    assert (event.action, event.object_id, event.org_id) == (
        "people.create",
        str(person.pk),
        org_tree.branch_a1.pk,
    )
    assert CN_IDS["li"] not in str(event.data)
    assert "13900139000" not in str(event.data)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"national_id": "110105198001010017"}, "national_id"),  # wrong check digit
        ({"birth_date": TODAY + timedelta(days=1)}, "birth_date"),
        ({"status": "probationary", "joined_on": TODAY + timedelta(days=1)}, "joined_on"),
        (
            {"status": "probationary", "birth_date": date(2000, 1, 1), "joined_on": date(2017, 12, 31)},
            "joined_on",
        ),
        (
            {"status": "full", "joined_on": date(2010, 1, 1), "converted_on": date(2009, 12, 31)},
            "converted_on",
        ),
        ({"status": "full", "joined_on": date(2010, 1, 1)}, "converted_on"),
        ({"status": "probationary"}, "joined_on"),
        ({"full_name": "  "}, "full_name"),
        ({"national_id": CN_IDS["li"], "birth_date": date(1980, 1, 2)}, "birth_date"),
        ({"status": "no-such-status"}, "status"),
    ],
)
def test_person_create_validation_writes_nothing(values, field, org_tree):
    # given
    before = db_snapshot()
    # when / then
    with pytest.raises(ValidationError) as raised:
        _create(org_tree.branch_a1, **values)
    assert field in raised.value.message_dict
    assert db_changes(before, db_snapshot()) == {}


def test_person_create_refuses_a_duplicate_national_id(org_tree, person_a1):
    before = db_snapshot()
    with pytest.raises(ValidationError) as raised:
        _create(org_tree.branch_b1, national_id=CN_IDS["zhang"])
    assert person_a1.full_name in raised.value.message_dict["national_id"][0]
    assert db_changes(before, db_snapshot()) == {}


def test_person_create_requires_a_branch_and_the_right(org_tree, personas):
    before = db_snapshot()
    with pytest.raises(ValidationError):
        _create(org_tree.district_a)
    with pytest.raises(PermissionDenied):
        person_create(
            actor=personas.sibling_secretary, org=org_tree.branch_a1, status="applicant", full_name="x"
        )
    with pytest.raises(PermissionDenied):
        person_create(actor=personas.member, org=org_tree.branch_a1, status="applicant", full_name="x")
    with pytest.raises(TypeError):
        _create(org_tree.branch_a1, version=5)
    assert db_changes(before, db_snapshot()) == {}


# ------------------------------------------------------------------ update


def test_person_update_bumps_version_and_audits_without_values(personas, person_a1):
    # given
    count = AuditEvent.objects.count()
    # when
    updated = person_update(
        actor=personas.branch_secretary,
        person=person_a1,
        expected_version=1,
        phone="13700137000",
        work_unit="农机站",
    )
    # then
    assert (updated.version, updated.phone, updated.work_unit) == (2, "13700137000", "农机站")
    [event] = _new_events(count)
    assert event.action == "people.update"
    assert event.data["changes"] == {
        "phone": {"from": "***", "to": "***"},
        "work_unit": {"from": "", "to": "农机站"},
    }


def test_second_editor_with_a_stale_version_gets_a_conflict_and_nothing_is_written(personas, person_a1):
    # given two people who opened version 1; the first saves
    first = Person.objects.get(pk=person_a1.pk)
    second = Person.objects.get(pk=person_a1.pk)
    person_update(actor=personas.branch_secretary, person=first, expected_version=1, work_unit="甲")
    before = db_snapshot()
    # when the second saves with the version it opened
    with pytest.raises(ValidationError) as raised:
        person_update(actor=personas.district_organizer, person=second, expected_version=1, work_unit="乙")
    # then a conflict, and the first editor's change stands
    assert "__all__" in raised.value.message_dict
    assert db_changes(before, db_snapshot()) == {}
    assert Person.objects.get(pk=person_a1.pk).work_unit == "甲"


def test_person_update_without_change_writes_nothing(personas, person_a1):
    before = db_snapshot()
    person_update(actor=personas.branch_secretary, person=person_a1, work_unit="")
    assert db_changes(before, db_snapshot()) == {}


def test_person_update_refusals_write_nothing(org_tree, personas, person_a1):
    other = _create(org_tree.branch_a1, national_id=CN_IDS["wang"])
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        person_update(actor=personas.member, person=person_a1, work_unit="x")
    with pytest.raises(PermissionDenied):
        person_update(actor=personas.sibling_secretary, person=person_a1, work_unit="x")
    with pytest.raises(ValidationError):
        person_update(actor=personas.branch_secretary, person=other, national_id=CN_IDS["zhang"])
    with pytest.raises(ValidationError):
        person_update(actor=personas.branch_secretary, person=person_a1, converted_on=date(1970, 1, 1))
    with pytest.raises(TypeError):
        person_update(actor=personas.branch_secretary, person=person_a1, status="removed")
    assert db_changes(before, db_snapshot()) == {}


def test_api_second_editor_gets_a_conflict(client, personas, person_a1):
    # given
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=personas.branch_secretary)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    url = f"/api/people/{person_a1.pk}/"
    # when two PATCHes carry the same version
    first = client.patch(url, {"work_unit": "甲", "version": 1}, content_type="application/json", **headers)
    second = client.patch(url, {"work_unit": "乙", "version": 1}, content_type="application/json", **headers)
    # then
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    assert Person.objects.get(pk=person_a1.pk).work_unit == "甲"


# ------------------------------------------------------------ status change


def test_status_path_from_applicant_to_full_member_keeps_dated_history(org_tree, personas):
    # given an applicant born in 1990
    person = _create(org_tree.branch_a1, birth_date=date(1990, 5, 5))
    count = AuditEvent.objects.count()
    steps = [
        ("activist", date(2020, 1, 1)),
        ("candidate", date(2021, 1, 1)),
        ("probationary", date(2022, 1, 1)),
        ("full", date(2023, 1, 1)),
    ]
    # when it walks the road to membership
    for to_status, on in steps:
        person = person_status_change(
            actor=personas.branch_secretary, person=person, to_status=to_status, effective_on=on, today=TODAY
        )
    # then admission and conversion dates are set, the history is dated, and each step is audited once
    assert (person.status, person.joined_on, person.converted_on, person.version) == (
        "full",
        date(2022, 1, 1),
        date(2023, 1, 1),
        5,
    )
    history = list(
        StatusChange.objects.filter(person=person)
        .order_by("pk")
        .values_list("from_status", "to_status", "effective_on")
    )
    assert history[1:] == [
        ("applicant", "activist", date(2020, 1, 1)),
        ("activist", "candidate", date(2021, 1, 1)),
        ("candidate", "probationary", date(2022, 1, 1)),
        ("probationary", "full", date(2023, 1, 1)),
    ]
    assert [e.action for e in _new_events(count)] == ["people.status_change"] * 4
    assert _new_events(count)[-1].data["effective_on"] == "2023-01-01"


@pytest.mark.parametrize(
    ("to_status", "effective_on"),
    [
        ("probationary", date(2020, 1, 1)),  # full → probationary is not a transition
        ("applicant", date(2020, 1, 1)),
        ("removed", TODAY + timedelta(days=1)),  # in the future
        ("nonsense", date(2020, 1, 1)),
    ],
)
def test_refused_status_changes_write_nothing(to_status, effective_on, personas, person_a1):
    before = db_snapshot()
    with pytest.raises(ValidationError):
        person_status_change(
            actor=personas.branch_secretary,
            person=person_a1,
            to_status=to_status,
            effective_on=effective_on,
            today=TODAY,
        )
    assert db_changes(before, db_snapshot()) == {}


def test_conversion_before_admission_is_refused(org_tree, personas):
    person = _create(org_tree.branch_a1, status="probationary", joined_on=date(2022, 1, 1))
    before = db_snapshot()
    with pytest.raises(ValidationError):
        person_status_change(
            actor=personas.branch_secretary,
            person=person,
            to_status="full",
            effective_on=date(2021, 1, 1),
            today=TODAY,
        )
    assert db_changes(before, db_snapshot()) == {}


def test_ended_statuses_are_final(personas, person_a1):
    person = person_status_change(
        actor=personas.branch_secretary,
        person=person_a1,
        to_status="deceased",
        effective_on=date(2024, 1, 1),
        today=TODAY,
    )
    with pytest.raises(ValidationError):
        person_status_change(
            actor=personas.branch_secretary,
            person=person,
            to_status="full",
            effective_on=date(2024, 2, 1),
            today=TODAY,
        )


def test_status_change_needs_manage_people_on_the_branch(personas, person_a1):
    before = db_snapshot()
    for actor in (personas.member, personas.sibling_secretary):
        with pytest.raises(PermissionDenied):
            person_status_change(
                actor=actor, person=person_a1, to_status="removed", effective_on=date(2024, 1, 1)
            )
    assert db_changes(before, db_snapshot()) == {}


# ---------------------------------------------------------------- transfer


def test_transfer_within_the_managed_subtree(org_tree, personas, person_a1):
    count = AuditEvent.objects.count()
    moved = person_transfer(actor=personas.district_organizer, person=person_a1, to_org=org_tree.branch_a2)
    assert (moved.org_id, moved.version) == (org_tree.branch_a2.pk, 2)
    [event] = _new_events(count)
    assert (event.action, event.data) == ("people.transfer", {"from": "BA1", "to": "BA2"})


def test_transfer_out_of_scope_or_to_a_committee_writes_nothing(org_tree, personas, person_a1):
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        person_transfer(actor=personas.branch_secretary, person=person_a1, to_org=org_tree.branch_a2)
    with pytest.raises(PermissionDenied):
        person_transfer(actor=personas.district_organizer, person=person_a1, to_org=org_tree.branch_b1)
    with pytest.raises(ValidationError):
        person_transfer(actor=personas.district_organizer, person=person_a1, to_org=org_tree.district_a)
    assert db_changes(before, db_snapshot()) == {}
