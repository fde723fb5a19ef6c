from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """The only place that decides who sees and does what (ADR 0002)."""

    name = "orglife.access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from orglife.access import checks  # noqa: F401  (registers the check)
