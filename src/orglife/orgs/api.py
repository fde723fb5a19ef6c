"""REST endpoints for the org tree."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from orglife.access.drf import OrgScopedViewSetMixin, ScopedOrgField
from orglife.access.roles import MANAGE_ORGS
from orglife.orgs import services
from orglife.orgs.choices import OrgKind
from orglife.orgs.filtersets import OrganizationFilterSet
from orglife.orgs.models import Organization
from orglife.orgs.selectors import org_annotate


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    """An organization as the API shows it."""

    parent = serializers.CharField(source="parent_code", read_only=True, allow_null=True)  # type: ignore[assignment]
    term_expires_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "jurisdiction",
            "is_active",
            "depth",
            "parent",
            "term_expires_on",
        ]
        read_only_fields = fields


class OrganizationCreateSerializer(serializers.Serializer[Any]):
    """Input for creating an organization under a parent."""

    parent = ScopedOrgField()  # type: ignore[assignment]
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=80, required=False, default="")
    kind = serializers.ChoiceField(choices=OrgKind.choices)


class OrganizationRenameSerializer(serializers.Serializer[Any]):
    """Input for renaming."""

    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=80, required=False)


class OrganizationMoveSerializer(serializers.Serializer[Any]):
    """Input for moving a subtree."""

    new_parent = ScopedOrgField()


class OrganizationMergeSerializer(serializers.Serializer[Any]):
    """Input for merging into another organization."""

    target = ScopedOrgField()


class OrganizationViewSet(
    OrgScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Organizations in the caller's scope; writes need ``manage_orgs``."""

    scoped_queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["code", "name", "path", "depth"]
    ordering = ["path"]
    object_actions = {"partial_update": MANAGE_ORGS, "move": MANAGE_ORGS, "merge": MANAGE_ORGS}

    def get_queryset(self) -> Any:
        return org_annotate(super().get_queryset())

    def _present(self, org: Organization) -> dict[str, Any]:
        return OrganizationSerializer(org_annotate(Organization.objects.filter(pk=org.pk)).get()).data

    @extend_schema(request=OrganizationCreateSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request) -> Response:
        """Create an organization under ``parent`` (jurisdiction is inherited)."""
        payload = OrganizationCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        org = services.org_create(actor=request.user, **payload.validated_data)
        return Response(self._present(org), status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganizationRenameSerializer, responses=OrganizationSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Rename an organization."""
        org = self.get_object()
        payload = OrganizationRenameSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        org = services.org_rename(actor=request.user, org=org, **payload.validated_data)  # type: ignore[arg-type]
        return Response(self._present(org))

    @extend_schema(request=OrganizationMoveSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Move the organization and its subtree under ``new_parent``."""
        org = self.get_object()
        payload = OrganizationMoveSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        org = services.org_move(actor=request.user, org=org, new_parent=payload.validated_data["new_parent"])  # type: ignore[arg-type]
        return Response(self._present(org))

    @extend_schema(request=OrganizationMergeSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Merge this organization into ``target``; returns the target."""
        org = self.get_object()
        payload = OrganizationMergeSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        target = services.org_merge(actor=request.user, source=org, target=payload.validated_data["target"])  # type: ignore[arg-type]
        return Response(self._present(target))
