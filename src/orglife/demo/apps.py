from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data loader (the ``orglife demo`` command); it has no models."""

    name = "orglife.demo"
    verbose_name = _("Demo data")
