"""The organization tree (materialized path) and committee posts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from orglife.access.querysets import OrgScopedQuerySet
from orglife.orgs.choices import BRANCH_KINDS, Jurisdiction, OrgKind, PostKind


class OrganizationQuerySet(OrgScopedQuerySet["Organization"], MP_NodeQuerySet):  # type: ignore[misc]
    """Treebeard's queryset with the org scope."""


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):  # type: ignore[misc]
    """Treebeard's manager (ordered by path) returning the scoped queryset."""

    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):  # type: ignore[misc]
    """
    A party organization: committee, branch or party group.

    ``path`` is treebeard's materialized path, so "the subtree of X" is one
    indexed prefix range on SQLite and PostgreSQL alike. Jurisdiction is set
    from the parent on creation and is the same for the whole tree.
    """

    steplen = 4

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganizationManager()
    scope_path_field = "path"

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        """True for the kinds that hold members directly."""
        return self.kind in BRANCH_KINDS


class CommitteePost(models.Model):
    """
    A post on an organization's committee held by a person for a term.

    The term end is the date the organization's committee must be re-elected
    (CN 3 or 5 years, VN per congress); ``ended_on`` closes a post early.
    """

    org = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="posts",
    )
    post = models.CharField(_("post"), max_length=32, choices=PostKind.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "org__path"

    class Meta:
        verbose_name = _("committee post")
        verbose_name_plural = _("committee posts")
        ordering = ["org", "post", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")),
                name="post_term_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display()}: {self.person}"
