"""Fetch one object through the scope: 404 when out of scope, 403 when not allowed."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from orglife.access.querysets import OrgScopedQuerySet

_M = TypeVar("_M", bound=models.Model)


def get_visible_or_404(queryset: OrgScopedQuerySet[_M], user: Any, action: str = "view", **lookup: Any) -> _M:
    """
    Return the object matching ``lookup`` that ``user`` can see.

    Absent and out-of-scope objects raise the same Http404, so an outsider
    cannot learn that an object exists. A visible object whose ``action`` the
    user lacks raises PermissionDenied (403).
    """
    # A NUL character can match nothing stored (PostgreSQL refuses it in text
    # and would answer a DataError, i.e. a 500): treat it as absent.
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        raise Http404
    try:
        obj = queryset.visible_to(user, "view").get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != "view" and not queryset.visible_to(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj
