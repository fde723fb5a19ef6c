from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Applicants and members: records, status history, roster import/export."""

    name = "orglife.people"
    verbose_name = _("People")
