"""Schema pieces shared by the API's viewsets (drf-spectacular)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers


class FieldErrorsSerializer(serializers.Serializer[Any]):
    """DRF's answer to refused input: a list of messages per field (documentation only)."""


class FieldErrorsSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """``{"field": ["message", …]}``: any field name, each a list of strings."""

    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        """An object whose every property is a list of messages."""
        return {
            "type": "object",
            "description": "Messages per input field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
