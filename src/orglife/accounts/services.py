"""Authentication services: throttled password check and TOTP."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from orglife.access.roles import ADMINISTRATOR
from orglife.accounts.models import LoginAttempt, TotpDevice
from orglife.audit.services import audit_record

TOTP_STEP_SECONDS = 30


class LoginLocked(Exception):
    """Too many recent failures for this username."""


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def login_is_locked(*, username: str) -> bool:
    """True when the username had too many failures since its last success."""
    window_start = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    attempts = LoginAttempt.objects.filter(username=username, attempted_at__gte=window_start)
    last_success = attempts.filter(succeeded=True).order_by("-attempted_at").first()
    failures = attempts.filter(succeeded=False)
    if last_success is not None:
        failures = failures.filter(attempted_at__gt=last_success.attempted_at)
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


def login_check_password(*, request: HttpRequest | None, username: str, password: str) -> Any:
    """
    Check a password, record the attempt, and return the user or None.

    Raises LoginLocked, without checking the password, when the username is
    locked by repeated failures. Not atomic on purpose: the refused attempt
    must stay in the login log when LoginLocked propagates.
    """
    username = username.strip()[:150]
    if login_is_locked(username=username):
        LoginAttempt.objects.create(username=username, ip_address=_client_ip(request), succeeded=False)
        raise LoginLocked
    user = authenticate(request, username=username, password=password)
    LoginAttempt.objects.create(username=username, ip_address=_client_ip(request), succeeded=user is not None)
    return user


def totp_required(user: Any) -> bool:
    """True when ``user`` must use a second factor (administrators, outside the demo)."""
    if hasattr(user, "totp_device") and user.totp_device.confirmed:
        return True
    if not settings.REQUIRE_ADMIN_TOTP:
        return False
    return bool(user.is_superuser or user.role_assignments.filter(role__code=ADMINISTRATOR).exists())


def totp_has_device(user: Any) -> bool:
    """True when the user has a confirmed authenticator."""
    return TotpDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_device_start(*, user: Any) -> TotpDevice:
    """Create (or restart) an unconfirmed device with a fresh secret."""
    device, _created = TotpDevice.objects.update_or_create(
        user=user,
        defaults={"secret": pyotp.random_base32(), "confirmed": False, "last_counter": 0},
    )
    return device


def totp_device_pending(*, user: Any) -> TotpDevice:
    """The user's unconfirmed device, started if there is none yet."""
    device = TotpDevice.objects.filter(user=user, confirmed=False).first()
    return device if device is not None else totp_device_start(user=user)


def totp_provisioning_uri(*, device: TotpDevice) -> str:
    """The otpauth:// URI shown as a QR code."""
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name="orglife")


@transaction.atomic
def totp_verify(*, user: Any, code: str, at: float | None = None) -> bool:
    """
    Accept ``code`` once: the current or previous 30-second step, never a
    step already used. Confirms an unconfirmed device on first success.
    """
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return False
    code = code.strip().replace(" ", "")
    now = time.time() if at is None else at
    totp = pyotp.TOTP(device.secret)
    current = int(now // TOTP_STEP_SECONDS)
    for counter in (current, current - 1):
        if counter <= device.last_counter:
            continue
        if totp.at(counter * TOTP_STEP_SECONDS) == code:
            was_confirmed = device.confirmed
            device.last_counter = counter
            device.confirmed = True
            device.save(update_fields=["last_counter", "confirmed"])
            if not was_confirmed:
                audit_record(actor=user, action="accounts.totp_enabled", target=user)
            return True
    return False
