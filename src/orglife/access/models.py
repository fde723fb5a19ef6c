"""Roles (data) and role assignments on the org tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orglife.access.querysets import OrgScopedQuerySet


class Role(models.Model):
    """A named set of actions; the built-in ones are seeded by migration."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    actions = models.JSONField(_("actions"), default=list)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """Grants ``role`` to ``user`` on ``org`` and every org below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "org__path"

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="unique_role_assignment")]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.org}"
