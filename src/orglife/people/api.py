"""REST endpoints for person records."""

from __future__ import annotations

import copy
import json
import tempfile
from typing import Any, cast

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from orglife.access.drf import OrgScopedViewSetMixin, ScopedOrgField
from orglife.access.roles import EXPORT_PEOPLE, IMPORT_PEOPLE, MANAGE_PEOPLE
from orglife.access.shortcuts import get_visible_or_404
from orglife.api.schema import FieldErrorsSerializer
from orglife.orgs.models import Organization
from orglife.people import services, services_roster
from orglife.people.choices import Gender, MembershipStatus
from orglife.people.filtersets import PersonFilterSet
from orglife.people.models import Person
from orglife.people.selectors import person_sensitive_view


class PersonSerializer(serializers.ModelSerializer[Person]):
    """
    A person as the API shows it. National ID, phone and birth date are
    masked unless the caller holds ``view_sensitive`` on the person's branch.
    """

    org = serializers.CharField(source="org.code", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    party_group = serializers.CharField(source="party_group.code", read_only=True, allow_null=True)
    # Declared so the schema allows the blank (unknown) gender the model allows.
    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True, read_only=True)
    national_id = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "gender",
            "birth_date",
            "ethnicity",
            "education",
            "native_place",
            "work_unit",
            "phone",
            "national_id",
            "status",
            "joined_on",
            "converted_on",
            "org",
            "org_name",
            "party_group",
            "version",
        ]
        read_only_fields = fields

    def _sensitive(self, obj: Person) -> Any:
        cache: dict[int, Any] = self.__dict__.setdefault("_sensitive_cache", {})
        if obj.pk not in cache:
            request = self.context.get("request")
            cache[obj.pk] = person_sensitive_view(actor=request.user if request else None, person=obj)
        return cache[obj.pk]

    def get_national_id(self, obj: Person) -> str:
        """National ID, masked without ``view_sensitive``."""
        return str(self._sensitive(obj).national_id)

    def get_phone(self, obj: Person) -> str:
        """Phone, masked without ``view_sensitive``."""
        return str(self._sensitive(obj).phone)

    def get_birth_date(self, obj: Person) -> str:
        """Birth date (YYYY-MM-DD), only the year without ``view_sensitive``."""
        return str(self._sensitive(obj).birth_date)


class PersonWriteSerializer(serializers.Serializer[Any]):
    """Fields a client may set; anything else is rejected (mass assignment)."""

    full_name = serializers.CharField(max_length=100)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    ethnicity = serializers.CharField(max_length=40, required=False, allow_blank=True)
    education = serializers.CharField(max_length=60, required=False, allow_blank=True)
    native_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    work_unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.RegexField(r"^\+?[0-9 ()-]{0,20}$", required=False, allow_blank=True)
    national_id = serializers.CharField(max_length=18, required=False, allow_blank=True)
    joined_on = serializers.DateField(required=False, allow_null=True)
    converted_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Only this serializer's own fields: an update cannot move a person
        # (org) or skip the status history (status) by naming them.
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: ["This field cannot be set."] for name in sorted(unknown)}
            )
        return attrs


class PersonCreateSerializer(PersonWriteSerializer):
    """Create input: the branch and the opening status as well."""

    org = ScopedOrgField()
    status = serializers.ChoiceField(choices=MembershipStatus.choices)


class PersonUpdateSerializer(PersonWriteSerializer):
    """Update input: every field optional, ``version`` for conflict detection."""

    full_name = serializers.CharField(max_length=100, required=False)
    version = serializers.IntegerField(required=False, min_value=1)


class StatusChangeSerializer(serializers.Serializer[Any]):
    """Input for a status change."""

    to_status = serializers.ChoiceField(choices=MembershipStatus.choices)
    effective_on = serializers.DateField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConflictFieldSerializer(serializers.Serializer[Any]):
    """One field of a refused update: the value sent and the value stored now (masked alike)."""

    yours = serializers.JSONField(allow_null=True)
    current = serializers.JSONField(allow_null=True)


class VersionConflictSerializer(serializers.Serializer[Any]):
    """
    The answer to an update with a stale ``version`` (409): nothing was
    written; ``fields`` shows, for every field the client tried to change,
    what it sent and what is stored now, masked as in a read.
    """

    detail = serializers.CharField()
    code = serializers.CharField()
    your_version = serializers.IntegerField()
    current_version = serializers.IntegerField()
    # The metaclass moves declared fields aside, so Serializer.fields stays intact.
    fields = serializers.DictField(child=ConflictFieldSerializer())  # type: ignore[assignment]


def version_conflict_body(conflict: services.VersionConflict, request: Request) -> dict[str, Any]:
    """The 409 body: the client's values beside the stored ones, both shown as a read would show them."""
    current = conflict.current
    proposed = copy.copy(current)
    for name, value in conflict.attempted.items():
        setattr(proposed, name, value)
    context = {"request": request}
    now = PersonSerializer(current, context=context).data
    sent = PersonSerializer(proposed, context=context).data
    return {
        "detail": conflict.messages[0],
        "code": "version_conflict",
        "your_version": conflict.expected_version,
        "current_version": current.version,
        "fields": {name: {"yours": sent[name], "current": now[name]} for name in sorted(conflict.attempted)},
    }


class RosterImportSerializer(serializers.Serializer[Any]):
    """Input for a roster import: the .xlsx file, the target org and a dry-run flag."""

    file = serializers.FileField()
    org = serializers.CharField(max_length=40)
    dry_run = serializers.BooleanField(required=False, default=False)

    def validate_file(self, value: Any) -> Any:
        """Bound the upload size (ROSTER_MAX_UPLOAD_BYTES)."""
        if value.size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise serializers.ValidationError("The file is too large.")
        return value


class RosterErrorSerializer(serializers.Serializer[Any]):
    """One refused cell: where it is and why, in the caller's language."""

    sheet = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class RosterReportSerializer(serializers.Serializer[Any]):
    """The outcome of an import or a dry run."""

    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    org = serializers.CharField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error_count = serializers.IntegerField()
    # The metaclass moves declared fields aside, so Serializer.errors stays intact.
    errors = RosterErrorSerializer(many=True)  # type: ignore[assignment]
    sheets = serializers.ListField(child=serializers.CharField())
    ignored_columns = serializers.ListField(child=serializers.CharField())


class XlsxRenderer(renderers.BaseRenderer):
    """Lets clients ask for the roster with ``Accept: …spreadsheetml.sheet``; errors stay JSON."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        """Only error answers reach a renderer; the file itself is a FileResponse."""
        return json.dumps(data).encode()


class PersonViewSet(
    OrgScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """People in the caller's scope; writes need ``manage_people``."""

    scoped_queryset = Person.objects.select_related("org", "party_group")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["full_name", "joined_on", "status", "id"]
    ordering = ["full_name", "id"]
    object_actions = {"partial_update": MANAGE_PEOPLE, "status": MANAGE_PEOPLE}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """People in scope; unmasked reads from outside a person's branch are logged."""
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        shown = list(page.object_list) if page is not None else []
        services.person_sensitive_reads_log(actor=request.user, people=shown, purpose="api_person_list")
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One person; an unmasked read from outside the person's branch is logged."""
        person = cast(Person, self.get_object())
        services.person_sensitive_reads_log(actor=request.user, people=[person], purpose="api_person_detail")
        return Response(PersonSerializer(person, context={"request": request}).data)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def create(self, request: Request) -> Response:
        """Add a person to a branch."""
        payload = PersonCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        person = services.person_create(
            actor=request.user, org=data.pop("org"), status=data.pop("status"), **data
        )
        return Response(
            PersonSerializer(person, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=PersonUpdateSerializer,
        responses={200: PersonSerializer, 409: VersionConflictSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """
        Change fields; send ``version`` to be told of a concurrent change: a
        stale version answers 409 with the stored values of the fields sent.
        """
        person = self.get_object()
        payload = PersonUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version", None)
        try:
            person = services.person_update(
                actor=request.user,
                person=person,  # type: ignore[arg-type]
                expected_version=version,
                **data,
            )
        except services.VersionConflict as conflict:
            body = version_conflict_body(conflict, request)
            if set(conflict.attempted) & services.SENSITIVE_FIELDS:
                services.person_sensitive_reads_log(
                    actor=request.user, people=[conflict.current], purpose="api_person_conflict"
                )
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(PersonSerializer(person, context={"request": request}).data)

    @extend_schema(request=StatusChangeSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """Record a dated membership-status change."""
        person = self.get_object()
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        person = services.person_status_change(actor=request.user, person=person, **payload.validated_data)  # type: ignore[arg-type]
        return Response(PersonSerializer(person, context={"request": request}).data)

    @extend_schema(
        request={"multipart/form-data": RosterImportSerializer},
        responses={
            200: RosterReportSerializer,
            400: PolymorphicProxySerializer(
                component_name="RosterImportRefusal",
                # A refused report, or DRF's messages per input field (no file, no org).
                serializers=[RosterReportSerializer, FieldErrorsSerializer],
                resource_type_field_name=None,
            ),
        },
        description="Import an .xlsx roster into an organization's subtree (needs import_people). "
        "Any refused cell means nothing is written; the answer lists every error.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def roster_import(self, request: Request) -> Response:
        """Import a roster, or check it only with ``dry_run``."""
        payload = RosterImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        org = get_visible_or_404(Organization.objects.all(), request.user, IMPORT_PEOPLE, code=data["org"])
        upload = data["file"]
        report = services_roster.roster_import(
            actor=request.user, org=org, source=upload, file_name=upload.name, dry_run=data["dry_run"]
        )
        return Response(
            report.as_dict(), status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.STR, required=True, description="organization code")
        ],
        responses={
            (200, XlsxRenderer.media_type): OpenApiResponse(OpenApiTypes.BINARY, description="the roster"),
            400: OpenApiResponse(description="no org given"),
        },
        filters=False,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        url_name="export",
        renderer_classes=[renderers.JSONRenderer, XlsxRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def roster_export(self, request: Request) -> Any:
        """Download the people of a subtree as .xlsx (masked without view_sensitive)."""
        code = request.query_params.get("org", "")
        if not code:
            return Response({"org": ["This field is required."]}, status=status.HTTP_400_BAD_REQUEST)
        org = get_visible_or_404(Organization.objects.all(), request.user, EXPORT_PEOPLE, code=code)
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        services_roster.roster_export(actor=request.user, org=org, destination=handle)
        handle.seek(0)
        name = f"roster-{org.code}-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XlsxRenderer.media_type)
