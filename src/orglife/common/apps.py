from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared helpers with no domain logic."""

    name = "orglife.common"
    verbose_name = "Common"
