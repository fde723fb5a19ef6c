from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API root: router, schema and docs."""

    name = "orglife.api"
    verbose_name = "API"
