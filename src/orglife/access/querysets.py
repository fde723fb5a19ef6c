"""The one queryset method every read goes through: ``visible_to``."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from orglife.access.scope import scope_for

_M = TypeVar("_M", bound=models.Model)


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
            condition |= Q(**{f"{field}__startswith": prefix})
        return self.filter(condition)
