"""Person records and their dated membership-status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orglife.access.querysets import OrgScopedQuerySet
from orglife.common.crypto import EncryptedTextField
from orglife.people.choices import Gender, MembershipStatus


class Person(models.Model):
    """
    An applicant or member of a branch.

    ``national_id`` and ``phone`` are encrypted at rest; ``national_id_hash``
    is a keyed hash used to find duplicates without decrypting. Every write
    goes through ``people.services`` so that the search key, the status
    history and the audit trail stay in step.
    """

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    party_group = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    full_name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    education = models.CharField(_("education"), max_length=60, blank=True)
    native_place = models.CharField(_("native place"), max_length=100, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=200, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    national_id = EncryptedTextField(_("national ID"), blank=True, default="")
    national_id_hash = models.CharField(
        _("national ID look-up hash"), max_length=64, blank=True, default="", editable=False
    )
    status = models.CharField(_("membership status"), max_length=20, choices=MembershipStatus.choices)
    joined_on = models.DateField(_("join date"), null=True, blank=True)
    converted_on = models.DateField(_("conversion date"), null=True, blank=True)
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "org__path"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "pk"]
        indexes = [
            models.Index(fields=["org", "status"]),
            models.Index(fields=["national_id_hash"]),
            # Serves the default ordering: the first page of a large scope
            # walks this index instead of sorting the whole scope (bench, P4).
            models.Index(fields=["full_name", "id"], name="person_name_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id_hash"],
                condition=~models.Q(national_id_hash=""),
                name="unique_person_national_id",
            ),
            models.CheckConstraint(
                condition=models.Q(converted_on__isnull=True)
                | models.Q(joined_on__isnull=False, converted_on__gte=models.F("joined_on")),
                name="person_converted_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class StatusChange(models.Model):
    """One dated change of a person's membership status."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=20, choices=MembershipStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=MembershipStatus.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "person__org__path"

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["person", "effective_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.from_status} → {self.to_status} ({self.effective_on})"
