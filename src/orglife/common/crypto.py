"""
Field encryption and keyed look-up hashes for sensitive columns.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key
derived from settings.FIELD_ENCRYPTION_KEY; a separate derived key makes the
HMAC used to find duplicates without decrypting (ARCHITECTURE: "a field that
must be matched also stores a keyed hash").
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


def _derive(purpose: str) -> bytes:
    secret = settings.FIELD_ENCRYPTION_KEY.encode()
    return hashlib.sha256(b"orglife:" + purpose.encode() + b":" + secret).digest()


@lru_cache(maxsize=4)
def _fernet(secret_fingerprint: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive("field-encryption")))


def fernet() -> Fernet:
    """Return the Fernet instance for the configured key."""
    return _fernet(hashlib.sha256(settings.FIELD_ENCRYPTION_KEY.encode()).hexdigest())


def encrypt(value: str) -> str:
    """Encrypt ``value``; the empty string stays empty."""
    if value == "":
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a stored token; an undecryptable one raises ValueError."""
    if token == "":
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt field: wrong ORGLIFE_FIELD_KEY?") from exc


def lookup_hash(value: str) -> str:
    """Keyed hash for equality look-ups of a sensitive value."""
    if value == "":
        return ""
    return hmac.new(_derive("lookup-hash"), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted; Python code sees plain text."""

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value: object) -> str | None:
        if value is None:
            return None
        return encrypt(str(value))


def mask(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """Mask the middle of ``value``: 110101********1234."""
    if value == "":
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
