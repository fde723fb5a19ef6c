"""The one queryset method every read goes through: ``visible_to``."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from orglife.access.scope import scope_for

_M = TypeVar("_M", bound=models.Model)

# treebeard's default path alphabet: the 36 base-36 digits, in sort order.
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_path(prefix: str) -> str | None:
    """The smallest path of the same length sorting after ``prefix``; None after ZZZZ…"""
    value = int(prefix, 36) + 1
    if value >= 36 ** len(prefix):
        return None
    digits = []
    for _ in prefix:
        value, remainder = divmod(value, 36)
        digits.append(_ALPHABET[remainder])
    return "".join(reversed(digits))


def subtree_condition(field: str, prefix: str) -> Q:
    """
    ``field`` lies in the subtree whose root path is ``prefix``.

    Written as a range (``prefix <= path < next(prefix)``) rather than
    ``LIKE 'prefix%'`` because SQLite only uses an index for LIKE when
    case_sensitive_like is on, and PostgreSQL only with a C collation or
    text_pattern_ops; a range uses the plain B-tree on both (ADR 0001).
    """
    if prefix == "":
        # The empty prefix is the root of every tree: no condition.
        return Q()
    upper = _next_path(prefix)
    if upper is None:
        return Q(**{f"{field}__gte": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


class OrgScopedQuerySet(models.QuerySet[_M]):
    """
    A queryset that can restrict itself to the caller's org scope.

    The model names the path of its owning org in ``scope_path_field``
    (``"path"`` for Organization itself, ``"org__path"`` for owned rows).
    """

    def visible_to(self, user: Any, action: str = "view") -> OrgScopedQuerySet[_M]:
        """Rows whose org lies in a subtree where ``user`` may do ``action``."""
        scope = scope_for(user, action)
        # Nothing granted: nothing visible.
        if scope.is_empty:
            return self.none()
        # Whole tree: no filter at all.
        if scope.everything:
            return self.all()
        # Otherwise one indexed prefix range per granted subtree, OR-ed.
        field = self.model.scope_path_field  # type: ignore[attr-defined]
        condition = Q()
        for prefix in sorted(scope.prefixes):
            condition |= subtree_condition(field, prefix)
        return self.filter(condition)
