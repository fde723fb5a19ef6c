"""The audit trail: one hash-chained row per service write (ADR 0003)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orglife.access.querysets import OrgScopedQuerySet


class AuditEvent(models.Model):
    """
    One recorded write.

    ``hash = sha256(prev_hash || canonical_json(event))`` where the event
    holds every other column; ``seq`` counts 1, 2, 3 … without gaps, so a
    deleted row, an edited row and a reordering all break the chain. Actor
    and org are plain ids (no foreign key) so that deleting a user or an org
    never rewrites history.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    data = models.JSONField(_("data"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "org__path"
    scope_allows_unowned = False

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"
