"""Appending to and verifying the audit chain."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from orglife.audit.chain import GENESIS_HASH, canonical_json, chain_hash, event_payload
from orglife.audit.models import AuditEvent
from orglife.audit.seals import verify_seals

# Arbitrary constant naming the PostgreSQL advisory lock that serializes
# chain appends; on SQLite the IMMEDIATE write transaction does the same.
_CHAIN_LOCK_KEY = 0x6F72676C  # "orgl"


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    org: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """
    Append one event to the chain inside the caller's transaction.

    Must be called from a service that is already atomic, so that the write
    and its audit event commit or roll back together.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    # Store exactly what is hashed: dates and other values as their canonical text.
    data = json.loads(canonical_json(data or {}))
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] + 1) if last else 1
    prev_hash = last["hash"] if last else GENESIS_HASH
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_name = actor.get_username() if actor_id is not None else "system"
    object_type = target._meta.label_lower if target is not None else ""
    object_id = str(target.pk) if target is not None else ""
    org_id = org.pk if org is not None else None
    occurred_at = timezone.now()
    payload = event_payload(
        seq=seq,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        object_type=object_type,
        object_id=object_id,
        org_id=org_id,
        data=data,
    )
    return AuditEvent.objects.create(
        seq=seq,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        object_type=object_type,
        object_id=object_id,
        org_id=org_id,
        data=data,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, payload),
    )


@dataclass(frozen=True)
class Verification:
    """The outcome of verifying the chain."""

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""
    # Sealed records (meetings, ADR 0006) whose content no longer matches its seal.
    seal_problems: tuple[str, ...] = ()

    @property
    def chain_ok(self) -> bool:
        """True when the hash chain itself is intact (seals aside)."""
        return self.broken_seq is None


def _event_hash(event: AuditEvent) -> str:
    payload = event_payload(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        org_id=event.org_id,
        data=event.data,
    )
    return chain_hash(event.prev_hash, payload)


def audit_verify(*, checkpoint: dict[str, Any] | None = None, seals: bool = True) -> Verification:
    """
    Recompute the whole chain and name the first broken event.

    With a ``checkpoint`` (written earlier outside the database), also check
    that the event it names is still there with the same hash, which makes
    a truncated tail detectable. With ``seals``, also run every registered
    seal verifier (``audit.seals``): a sealed record edited in the database
    makes the result not ok and is named in ``seal_problems``.
    """
    result = _verify_chain(checkpoint)
    if not seals:
        return result
    problems = tuple(verify_seals())
    if not problems:
        return result
    reason = result.reason or f"{len(problems)} sealed record(s) differ from their seal"
    return replace(result, ok=False, reason=reason, seal_problems=problems)


def _verify_chain(checkpoint: dict[str, Any] | None) -> Verification:
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    rows = AuditEvent.objects.order_by("seq", "pk").iterator(chunk_size=5000)
    checkpoint_seen = False
    for event in rows:
        if event.seq != expected_seq:
            reason = (
                f"event #{expected_seq} is missing (next stored event is #{event.seq})"
                if event.seq > expected_seq
                else f"event #{event.seq} appears twice or out of order"
            )
            return Verification(False, count, expected_seq - 1, prev_hash, expected_seq, reason)
        if event.prev_hash != prev_hash:
            return Verification(
                False,
                count,
                event.seq - 1,
                prev_hash,
                event.seq,
                f"event #{event.seq} does not link to event #{event.seq - 1} "
                "(a row was deleted, inserted or reordered)",
            )
        recomputed = _event_hash(event)
        if recomputed != event.hash:
            return Verification(
                False,
                count,
                event.seq - 1,
                prev_hash,
                event.seq,
                f"event #{event.seq} was altered (stored hash does not match its content)",
            )
        if checkpoint and event.seq == checkpoint["head_seq"]:
            checkpoint_seen = True
            if event.hash != checkpoint["head_hash"]:
                return Verification(
                    False,
                    count,
                    event.seq,
                    event.hash,
                    event.seq,
                    f"event #{event.seq} differs from the checkpoint written at "
                    f"{checkpoint.get('written_at', '?')} (the chain was rewritten)",
                )
        prev_hash = event.hash
        expected_seq += 1
        count += 1
    if checkpoint and not checkpoint_seen and checkpoint["head_seq"] > 0:
        return Verification(
            False,
            count,
            expected_seq - 1,
            prev_hash,
            expected_seq,
            f"the chain ends at event #{expected_seq - 1} but the checkpoint written at "
            f"{checkpoint.get('written_at', '?')} records event #{checkpoint['head_seq']} "
            "(the tail was truncated)",
        )
    return Verification(True, count, expected_seq - 1, prev_hash)


def audit_checkpoint_write(*, path: Path) -> dict[str, Any]:
    """Write the chain head, count and time to ``path`` (outside the database)."""
    with transaction.atomic():
        head = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        count = AuditEvent.objects.count()
    checkpoint = {
        "head_seq": head["seq"] if head else 0,
        "head_hash": head["hash"] if head else GENESIS_HASH,
        "count": count,
        "written_at": timezone.now().isoformat(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(checkpoint, indent=2) + "\n")
    return checkpoint


def audit_checkpoint_read(*, path: Path) -> dict[str, Any]:
    """Read a checkpoint written by :func:`audit_checkpoint_write`."""
    data: dict[str, Any] = json.loads(path.read_text())
    for key in ("head_seq", "head_hash", "count"):
        if key not in data:
            raise ValueError(f"{path}: checkpoint lacks {key!r}")
    return data
