"""
Two people editing the same record (issue 6, quality-anchors B2 / D2 R7):
the second gets a 409 that shows the difference, and nothing is lost.
"""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection, connections
from rest_framework.authtoken.models import Token

from orglife.audit.models import AuditEvent
from orglife.people.models import Person
from orglife.people.services import VersionConflict, person_update

FIELDS = ("work_unit", "native_place", "education", "ethnicity")


def _patch(client, user, person, data):
    token, _created = Token.objects.get_or_create(user=user)
    return client.patch(
        f"/api/people/{person.pk}/",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )


def test_stale_version_answers_409_with_the_stored_values_of_the_fields_sent(client, personas, person_a1):
    # given the first editor saved version 1 → 2
    first = _patch(client, personas.branch_secretary, person_a1, {"work_unit": "甲厂", "version": 1})
    assert first.status_code == 200
    # when the second sends version 1 too
    second = _patch(
        client,
        personas.district_organizer,
        person_a1,
        {"work_unit": "乙厂", "education": "大专", "version": 1},
    )
    # then 409: what they sent beside what is stored, and the current version
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "version_conflict"
    assert (body["your_version"], body["current_version"]) == (1, 2)
    assert body["fields"] == {
        "education": {"yours": "大专", "current": ""},
        "work_unit": {"yours": "乙厂", "current": "甲厂"},
    }
    # and nothing of the refused request was written
    stored = Person.objects.get(pk=person_a1.pk)
    assert (stored.work_unit, stored.education, stored.version) == ("甲厂", "", 2)


def test_conflict_keeps_masked_fields_masked_for_a_caller_without_view_sensitive(
    client, org_tree, personas, person_a1
):
    # given a manager of people who may not see sensitive fields
    from orglife.access.models import Role, RoleAssignment

    role = Role.objects.create(code="clerk", name="Clerk", actions=["view", "manage_people"])
    clerk = personas.no_role
    RoleAssignment.objects.create(user=clerk, org=org_tree.branch_a1, role=role)
    person_update(actor=personas.branch_secretary, person=person_a1, phone="13900139000")
    # when the clerk sends a stale phone change
    response = _patch(client, clerk, person_a1, {"phone": "13700137000", "version": 1})
    # then the stored and the sent phone are masked alike
    assert response.status_code == 409
    shown = response.json()["fields"]["phone"]
    assert shown == {"yours": "137******00", "current": "139******00"}
    assert "13900139000" not in response.content.decode()


def test_plain_validation_errors_stay_400(client, personas, person_a1):
    response = _patch(
        client, personas.branch_secretary, person_a1, {"converted_on": "1900-01-01", "version": 1}
    )
    assert response.status_code == 400


def _outcome_expected(order: list[str]) -> dict[str, bool]:
    """Who must succeed: a save wins when no other save landed after its open."""
    saved_since_open = {"A": False, "B": False}
    accepted = {}
    for step in order:
        editor, action = step[0], step[1:]
        if action == "open":
            saved_since_open[editor] = False
        else:
            accepted[editor] = not saved_since_open[editor]
            if accepted[editor]:
                other = "B" if editor == "A" else "A"
                saved_since_open[other] = True
    return accepted


def test_100_randomized_two_editor_races_lose_no_update(personas, person_a1):
    # given 100 random interleavings of two editors (open = read the version, save = update)
    rng = random.Random(20260610)
    editors = {"A": personas.branch_secretary, "B": personas.district_organizer}
    accepted_total = refused_total = 0
    events_before = AuditEvent.objects.count()
    for _race in range(100):
        order = ["Aopen", "Asave", "Bopen", "Bsave"]
        while True:
            rng.shuffle(order)
            if order.index("Aopen") < order.index("Asave") and order.index("Bopen") < order.index("Bsave"):
                break
        opened: dict[str, int] = {}
        wanted = {editor: (rng.choice(FIELDS), f"{editor}{rng.randrange(10**6)}") for editor in editors}
        results: dict[str, bool] = {}
        told: dict[str, int] = {}
        # when they act in that order
        for step in order:
            editor, action = step[0], step[1:]
            if action == "open":
                opened[editor] = Person.objects.get(pk=person_a1.pk).version
                continue
            field, value = wanted[editor]
            try:
                person_update(
                    actor=editors[editor], person=person_a1, expected_version=opened[editor], **{field: value}
                )
                results[editor] = True
            except VersionConflict as conflict:
                # then the refused one is told the current version
                told[editor] = conflict.current.version
                results[editor] = False
        # then exactly the expected saves were accepted, and each accepted value is stored
        assert results == _outcome_expected(order), order
        stored = Person.objects.get(pk=person_a1.pk)
        assert set(told.values()) <= {stored.version}
        accepted = [editor for editor in ("A", "B") if results[editor]]
        last = [step[0] for step in order if step.endswith("save") and results[step[0]]]
        for editor in accepted:
            field, value = wanted[editor]
            overwritten = editor != last[-1] and wanted[last[-1]][0] == field
            assert overwritten or getattr(stored, field) == value, (order, editor)
        accepted_total += len(accepted)
        refused_total += 2 - len(accepted)
    # and every accepted update left one audit event; every refused one none
    assert AuditEvent.objects.count() - events_before == accepted_total
    assert accepted_total + refused_total == 200
    assert refused_total > 0


@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL (SQLite serializes writes)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_editors_on_postgresql_lose_no_update(org_tree, personas, person_a1):
    # given 100 races of two threads that opened the same version
    rng = random.Random(7)
    editors = (personas.branch_secretary, personas.district_organizer)
    accepted_total = 0
    for _race in range(100):
        version = Person.objects.get(pk=person_a1.pk).version
        barrier = threading.Barrier(2)
        fields = rng.sample(FIELDS, 2)
        results: list[tuple[str, str, bool]] = []

        def edit(actor, field, value, version=version, barrier=barrier, results=results):
            try:
                barrier.wait(timeout=10)
                try:
                    person_update(actor=actor, person=person_a1, expected_version=version, **{field: value})
                    results.append((field, value, True))
                except VersionConflict:
                    results.append((field, value, False))
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=edit, args=(actor, field, f"{field}-{rng.randrange(10**6)}"))
            for actor, field in zip(editors, fields, strict=True)
        ]
        # when both save at once
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # then exactly one wins, its value is stored, the other was told
        assert sorted(ok for _f, _v, ok in results) == [False, True]
        field, value, _ok = next(result for result in results if result[2])
        stored = Person.objects.get(pk=person_a1.pk)
        assert getattr(stored, field) == value
        assert stored.version == version + 1
        accepted_total += 1
    assert accepted_total == 100
