from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """The organization tree and committee posts (ADR 0001)."""

    name = "orglife.orgs"
    verbose_name = _("Organizations")
