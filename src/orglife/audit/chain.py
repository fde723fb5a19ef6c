"""Canonical serialization and hashing of audit events."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Serialize ``value`` deterministically: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_payload(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    org_id: int | None,
    data: dict[str, Any],
) -> dict[str, Any]:
    """Return the hashed content of an event (every column but the hashes)."""
    return {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "org_id": org_id,
        "data": data,
    }


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    """``sha256(prev_hash || canonical_json(payload))`` as hex."""
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode()).hexdigest()


def content_digest(value: Any) -> str:
    """A sha256 digest of any JSON-able value (before/after snapshots)."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()
