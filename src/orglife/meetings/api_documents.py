"""
API actions for meeting outputs, mixed into ``MeetingViewSet``:
``GET /api/meetings/{id}/minutes/?format=pdf|docx`` and
``GET /api/meetings/ledger/?org=CODE&year=YYYY``.

``format`` is DRF's URL format override, so the binary answers have their
own renderers (pdf, docx, xlsx); errors are answered as JSON whatever the
format asked for.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from orglife.access.shortcuts import get_visible_or_404
from orglife.meetings import documents
from orglife.meetings.ledger import meeting_ledger
from orglife.orgs.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _BinaryRenderer(BaseRenderer):
    """Passes bytes through; anything else (an error body) is written as JSON."""

    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


class PDFRenderer(_BinaryRenderer):
    """application/pdf"""

    media_type = documents.CONTENT_TYPES[documents.PDF]
    format = documents.PDF


class DocxRenderer(_BinaryRenderer):
    """.docx"""

    media_type = documents.CONTENT_TYPES[documents.DOCX]
    format = documents.DOCX


class XlsxRenderer(_BinaryRenderer):
    """.xlsx"""

    media_type = XLSX
    format = "xlsx"


class NotSealed(APIException):
    """409: the meeting has no sealed version, so no official document."""

    status_code = 409
    default_code = "not_sealed"


class LedgerQuerySerializer(serializers.Serializer[Any]):
    """The ledger's query: an organization code and a year."""

    org = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=1990, max_value=2100)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MeetingDocumentsMixin:
    """The minutes and ledger actions of ``MeetingViewSet``."""

    request: Any

    def handle_exception(self, exc: Exception) -> Any:
        response = super().handle_exception(exc)  # type: ignore[misc]
        # An error body is JSON even when the client asked for a PDF, .docx or .xlsx.
        if isinstance(getattr(self.request, "accepted_renderer", None), _BinaryRenderer):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=list(documents.FORMATS), description="pdf (default) or docx"
            ),
            OpenApiParameter(
                "version", int, required=False, description="a sealed version (default: the latest)"
            ),
        ],
        responses={
            (200, documents.CONTENT_TYPES[documents.PDF]): OpenApiTypes.BINARY,
            (200, documents.CONTENT_TYPES[documents.DOCX]): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="the meeting is not sealed yet"),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[PDFRenderer, DocxRenderer, JSONRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def minutes(self, request: Request, pk: str, **kwargs: Any) -> HttpResponse:
        """The sealed minutes as PDF or .docx, with the seal hash and verification code; 409 if not sealed."""
        meeting = self.get_object()  # type: ignore[attr-defined]
        # ?format=docx, or the suffix of /minutes.docx.
        file_format = kwargs.get("format") or request.query_params.get("format") or documents.PDF
        if file_format not in documents.FORMATS:
            file_format = documents.PDF
        version = request.query_params.get("version", "")
        try:
            result = documents.minutes_export(
                actor=request.user,
                meeting=meeting,
                file_format=file_format,
                version_number=int(version) if version.isdigit() else None,
            )
        except documents.MeetingNotSealed as refusal:
            raise NotSealed(str(refusal)) from None
        return _file(result.content, result.filename, result.content_type)

    @extend_schema(
        parameters=[LedgerQuerySerializer],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[XlsxRenderer, JSONRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def ledger(self, request: Request, **kwargs: Any) -> HttpResponse:
        """The yearly ledger (.xlsx) of a branch or a committee's subtree: meetings, attendance, resolutions."""
        query = LedgerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        org = get_visible_or_404(Organization.objects.all(), request.user, code=query.validated_data["org"])
        buffer = io.BytesIO()
        year = query.validated_data["year"]
        meeting_ledger(actor=request.user, org=org, year=year, destination=buffer)
        return _file(buffer.getvalue(), f"ledger-{org.code}-{year}.xlsx", XLSX)
