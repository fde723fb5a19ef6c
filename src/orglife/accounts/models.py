"""Login attempts (the authentication log) and TOTP devices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orglife.common.crypto import EncryptedTextField


class LoginAttempt(models.Model):
    """Every password attempt, kept for throttling and as the login log."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"))
    attempted_at = models.DateTimeField(_("attempted at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.succeeded else 'failed'} {self.attempted_at}"


class TotpDevice(models.Model):
    """
    A user's authenticator app (RFC 6238, 30-second steps).

    ``last_counter`` is the time step of the last accepted code, so a code
    works once (ASVS 6.5.1).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    secret = EncryptedTextField(_("secret"))
    confirmed = models.BooleanField(_("confirmed"), default=False)
    last_counter = models.BigIntegerField(_("last accepted time step"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("TOTP device")
        verbose_name_plural = _("TOTP devices")

    def __str__(self) -> str:
        return f"TOTP for {self.user}"
