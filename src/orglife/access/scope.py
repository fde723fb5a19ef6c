"""
Which part of the org tree a user may act on.

``scope_for(user, action)`` answers with an :class:`OrgScope`: either
everything, or a set of materialized-path prefixes. It costs one query per
request (all the user's assignments, with their roles' actions), cached on
the user object like Django's ``_perm_cache``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_CACHE_ATTRIBUTE = "_orglife_scope_cache"


@dataclass(frozen=True)
class OrgScope:
    """A set of subtrees, given by their path prefixes, or the whole tree."""

    everything: bool = False
    prefixes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        """True when the scope covers no organization at all."""
        return not self.everything and not self.prefixes

    def covers(self, path: str) -> bool:
        """True when the org at ``path`` is inside the scope."""
        if self.everything:
            return True
        return any(path.startswith(prefix) for prefix in self.prefixes)


EMPTY_SCOPE = OrgScope()
FULL_SCOPE = OrgScope(everything=True)


def _minimal_prefixes(paths: set[str]) -> frozenset[str]:
    """Drop every path already covered by a shorter one in the set."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return frozenset(kept)


def _load_action_paths(user: Any) -> dict[str, set[str]]:
    from orglife.access.models import RoleAssignment

    action_paths: dict[str, set[str]] = {}
    rows = RoleAssignment.objects.filter(user=user, org__is_active=True).values_list(
        "org__path", "role__actions"
    )
    for path, actions in rows:
        for action in actions:
            action_paths.setdefault(action, set()).add(path)
    return action_paths


def scope_for(user: Any, action: str) -> OrgScope:
    """Return the part of the tree where ``user`` may perform ``action``."""
    # Anonymous and inactive users act nowhere.
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    # Superusers (the installation's operators) act everywhere.
    if user.is_superuser:
        return FULL_SCOPE
    # Everyone else: the subtrees of the orgs where a role grants the action.
    cache: dict[str, set[str]] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = _load_action_paths(user)
        setattr(user, _CACHE_ATTRIBUTE, cache)
    paths = cache.get(action)
    if not paths:
        return EMPTY_SCOPE
    return OrgScope(prefixes=_minimal_prefixes(paths))


def scope_cache_clear(user: Any) -> None:
    """Forget cached scopes after the user's assignments changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def can(user: Any, action: str, org: Any) -> bool:
    """True when ``user`` may perform ``action`` on ``org`` (an Organization)."""
    return scope_for(user, action).covers(org.path)
