"""DRF glue: every viewset reads through ``visible_to`` (404 out of scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orglife.access.querysets import OrgScopedQuerySet
from orglife.access.shortcuts import get_visible_or_404


class OrgScopedViewSetMixin:
    """
    ``get_queryset`` and ``get_object`` restricted to the caller's scope.

    Subclasses set ``scoped_queryset`` (an unrestricted OrgScopedQuerySet)
    and may set ``object_action`` per DRF action for write endpoints, e.g.
    ``{"partial_update": "manage_people"}``: out of scope → 404, in scope
    without the action → 403.
    """

    scoped_queryset: OrgScopedQuerySet[Any]
    object_actions: dict[str, str] = {}
    request: Any
    kwargs: dict[str, Any]
    lookup_field = "pk"

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset.all().visible_to(self.request.user, "view")

    def get_object(self) -> Model:
        action = self.object_actions.get(getattr(self, "action", None) or "", "view")
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        obj = get_visible_or_404(queryset, self.request.user, action, pk=self.kwargs[self.lookup_field])
        return obj


class NulSafeSlugRelatedField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """
    A SlugRelatedField that refuses NUL characters as invalid input: PostgreSQL
    cannot compare text containing NUL and would fail the look-up with a 500.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class ScopedOrgField(NulSafeSlugRelatedField):
    """An organization named by its code, looked up only inside the caller's scope."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        from orglife.orgs.models import Organization

        request = self.context.get("request")
        user = request.user if request is not None else None
        return Organization.objects.visible_to(user, "view")
