"""REST endpoints for role assignments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from orglife.access import services
from orglife.access.drf import NulSafeSlugRelatedField, OrgScopedViewSetMixin, ScopedOrgField
from orglife.access.models import Role, RoleAssignment
from orglife.access.roles import MANAGE_ROLES


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    """A role granted to a user on an org subtree."""

    user = serializers.CharField(source="user.username", read_only=True)
    org = serializers.CharField(source="org.code", read_only=True)
    role = serializers.CharField(source="role.code", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "org", "role", "created_at"]
        read_only_fields = fields


class RoleAssignmentCreateSerializer(serializers.Serializer[Any]):
    """Input for granting a role."""

    user = NulSafeSlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True)
    )
    org = ScopedOrgField()
    role = NulSafeSlugRelatedField(slug_field="code", queryset=Role.objects.all())


class RoleAssignmentViewSet(
    OrgScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Role assignments in the caller's scope; writes need ``manage_roles``."""

    scoped_queryset = RoleAssignment.objects.select_related("user", "org", "role")
    serializer_class = RoleAssignmentSerializer
    filterset_fields = ["role__code", "org__code", "user__username"]
    ordering_fields = ["created_at", "id"]
    ordering = ["id"]
    object_actions = {"destroy": MANAGE_ROLES}

    @extend_schema(request=RoleAssignmentCreateSerializer, responses={201: RoleAssignmentSerializer})
    def create(self, request: Request) -> Response:
        """Grant a role on an org subtree."""
        payload = RoleAssignmentCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        assignment = services.role_assign(actor=request.user, **payload.validated_data)
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        """Revoke a role assignment."""
        assignment = self.get_object()
        services.role_revoke(actor=request.user, assignment=assignment)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
