"""verify-audit detects an edited, deleted, reordered and truncated chain."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction

from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_checkpoint_read, audit_checkpoint_write, audit_record, audit_verify


def _append(count: int) -> None:
    for index in range(count):
        with transaction.atomic():
            audit_record(actor=None, action="test.event", data={"n": index})


@pytest.fixture
def chain(db):
    _append(6)
    return list(AuditEvent.objects.order_by("seq"))


def test_intact_chain_verifies(chain):
    result = audit_verify()
    assert result.ok is True
    assert result.count == 6
    assert result.head_seq == 6


def test_audit_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="test.event")


def test_edited_event_is_named(chain):
    # given an event whose data is changed behind the application's back
    AuditEvent.objects.filter(seq=3).update(data={"n": 99})
    # when
    result = audit_verify()
    # then
    assert result.ok is False
    assert result.broken_seq == 3
    assert "altered" in result.reason


def test_deleted_event_is_named(chain):
    AuditEvent.objects.filter(seq=4).delete()
    result = audit_verify()
    assert result.ok is False
    assert result.broken_seq == 4
    assert "missing" in result.reason


def test_reordered_events_are_detected(chain):
    # swap the sequence numbers of events 2 and 5
    with transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(seq=1000)
        AuditEvent.objects.filter(seq=5).update(seq=2)
        AuditEvent.objects.filter(seq=1000).update(seq=5)
    result = audit_verify()
    assert result.ok is False
    assert result.broken_seq == 2


def test_truncated_tail_is_detected_against_a_checkpoint(chain, tmp_path):
    checkpoint_file = tmp_path / "checkpoint.json"
    audit_checkpoint_write(path=checkpoint_file)
    AuditEvent.objects.filter(seq__gte=5).delete()
    # without the checkpoint the shorter chain looks consistent
    assert audit_verify().ok is True
    result = audit_verify(checkpoint=audit_checkpoint_read(path=checkpoint_file))
    assert result.ok is False
    assert "truncated" in result.reason
    assert result.broken_seq == 5


def test_rewritten_chain_differs_from_checkpoint(chain, tmp_path):
    checkpoint_file = tmp_path / "checkpoint.json"
    audit_checkpoint_write(path=checkpoint_file)
    checkpoint = json.loads(checkpoint_file.read_text())
    checkpoint["head_hash"] = "f" * 64
    result = audit_verify(checkpoint=checkpoint)
    assert result.ok is False
    assert "checkpoint" in result.reason


def test_chain_keeps_growing_after_checkpoint(chain, tmp_path):
    checkpoint_file = tmp_path / "checkpoint.json"
    audit_checkpoint_write(path=checkpoint_file)
    _append(2)
    result = audit_verify(checkpoint=audit_checkpoint_read(path=checkpoint_file))
    assert result.ok is True
    assert result.count == 8


def test_verify_audit_command_exits_non_zero_and_names_the_event(chain, tmp_path, capsys):
    AuditEvent.objects.filter(seq=2).update(action="tampered")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify-audit")
    assert exit_info.value.code == 1
    assert "#2" in capsys.readouterr().err


def test_verify_audit_command_reports_success(chain, capsys, tmp_path):
    call_command("audit-checkpoint", "--output", str(tmp_path / "c.json"))
    call_command("verify-audit", "--checkpoint", str(tmp_path / "c.json"))
    assert "intact" in capsys.readouterr().out
