"""REST endpoints for person records."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from orglife.access.drf import OrgScopedViewSetMixin, ScopedOrgField
from orglife.access.roles import MANAGE_PEOPLE
from orglife.people import services
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
        unknown = set(self.initial_data) - set(self.fields) - {"org", "status", "version"}
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

    @extend_schema(request=PersonUpdateSerializer, responses=PersonSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change fields; send ``version`` to be told of a concurrent change."""
        person = self.get_object()
        payload = PersonUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version", None)
        person = services.person_update(actor=request.user, person=person, expected_version=version, **data)  # type: ignore[arg-type]
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
