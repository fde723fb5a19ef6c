"""Write-side checks used by services: the same scope as every read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from orglife.access.scope import can


def require(actor: Any, action: str, org: Any) -> None:
    """
    Raise PermissionDenied unless ``actor`` may do ``action`` on ``org``.

    ``actor=None`` is the system itself (management commands run by the
    operator, the demo loader); it is always allowed.
    """
    if actor is None:
        return
    if not can(actor, action, org):
        raise PermissionDenied
