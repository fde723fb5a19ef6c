from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logins, login throttling and the TOTP second factor."""

    name = "orglife.accounts"
    verbose_name = _("Accounts")
