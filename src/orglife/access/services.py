"""Granting and revoking roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orglife.access.models import Role, RoleAssignment
from orglife.access.policy import require
from orglife.access.roles import MANAGE_ROLES
from orglife.access.scope import scope_cache_clear, scope_for
from orglife.audit.services import audit_record


@transaction.atomic
def role_assign(*, actor: Any, user: Any, org: Any, role: Role) -> RoleAssignment:
    """
    Grant ``role`` to ``user`` on ``org``'s subtree.

    An actor can only grant actions it holds itself on that org, so nobody
    can raise their own or anyone else's privileges above their own.
    """
    require(actor, MANAGE_ROLES, org)
    if actor is not None:
        missing = [action for action in role.actions if not scope_for(actor, action).covers(org.path)]
        if missing:
            raise ValidationError(_("You cannot grant a role with more rights than your own."))
    assignment, created = RoleAssignment.objects.get_or_create(user=user, org=org, role=role)
    if created:
        audit_record(
            actor=actor,
            action="access.role_assign",
            target=assignment,
            org=org,
            data={"user": user.get_username(), "role": role.code},
        )
    scope_cache_clear(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """Revoke one role assignment."""
    require(actor, MANAGE_ROLES, assignment.org)
    audit_record(
        actor=actor,
        action="access.role_revoke",
        target=assignment,
        org=assignment.org,
        data={"user": assignment.user.get_username(), "role": assignment.role.code},
    )
    user = assignment.user
    assignment.delete()
    scope_cache_clear(user)
