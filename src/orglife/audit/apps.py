from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Hash-chained audit trail: every service write appends an event."""

    name = "orglife.audit"
    verbose_name = _("Audit")
