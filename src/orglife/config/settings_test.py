"""Overrides for the test suite (pytest-django loads this module)."""

import os

os.environ.setdefault("ORGLIFE_SECRET_KEY", "test-secret-key-not-for-production-0123456789")

from orglife.config.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REQUIRE_ADMIN_TOTP = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
