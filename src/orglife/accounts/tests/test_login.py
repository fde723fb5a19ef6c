"""Login, logout, lockout, TOTP and API tokens (quality-anchors S5, S9)."""

from __future__ import annotations

import io
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from orglife.accounts.models import LoginAttempt, TotpDevice
from orglife.accounts.services import TOTP_STEP_SECONDS
from orglife.audit.models import AuditEvent
from orglife.conftest import PASSWORD


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _logged_in_as(client: Client):
    return client.session.get("_auth_user_id")


def test_login_issues_a_new_session_id(personas):
    # given an anonymous session
    client = Client()
    before = client.session.session_key
    assert Session.objects.filter(session_key=before).exists()
    # when
    response = _login(client, "branch_secretary")
    # then
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert response.status_code == 302
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert _logged_in_as(client) == str(personas.branch_secretary.pk)


def test_logout_ends_the_session_on_the_server(personas):
    # given a logged-in client
    client = Client()
    _login(client, "branch_secretary")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # when
    response = client.post("/accounts/logout/")
    # then the stored session is gone, and replaying the old cookie gets the login page
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/people/")["Location"].startswith("/accounts/login/")


def test_logout_by_get_is_refused(personas):
    # given
    client = Client()
    _login(client, "branch_secretary")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # when
    response = client.get("/accounts/logout/")
    # then
    assert response.status_code == 405
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/people/").status_code == 200


def test_wrong_password_is_refused_and_logged(personas):
    client = Client()
    response = _login(client, "branch_secretary", "wrong password")
    assert response.status_code == 200
    assert _logged_in_as(client) is None
    attempt = LoginAttempt.objects.get()
    assert (attempt.username, attempt.succeeded) == ("branch_secretary", False)


def test_lockout_after_repeated_failures_even_with_the_right_password(personas):
    # given LOGIN_FAILURE_LIMIT failures
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong password")
    # when the right password comes next
    response = _login(client, "branch_secretary")
    # then it is refused, and every attempt is in the login log
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert _logged_in_as(client) is None
    attempts = LoginAttempt.objects.filter(username="branch_secretary")
    assert attempts.count() == settings.LOGIN_FAILURE_LIMIT + 1
    assert not attempts.filter(succeeded=True).exists()


def test_lockout_ends_after_the_window(personas):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong password")
    later = timezone.now() + timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
    with time_machine.travel(later):
        response = _login(client, "branch_secretary")
    assert response.status_code == 302
    assert _logged_in_as(client) == str(personas.branch_secretary.pk)


def test_lockout_of_one_user_leaves_others_alone(personas):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong password")
    assert _login(Client(), "member").status_code == 302


def _code(device: TotpDevice, at: float | None = None) -> str:
    totp = pyotp.TOTP(device.secret)
    return totp.at(at) if at is not None else totp.now()


@override_settings(REQUIRE_ADMIN_TOTP=True)
def test_administrator_must_enrol_totp_before_being_logged_in(personas):
    # given an administrator without an authenticator
    client = Client()
    # when the password is right
    response = _login(client, "province_admin")
    # then the user is sent to enrol, not logged in
    assert response["Location"] == "/accounts/totp/setup/"
    assert _logged_in_as(client) is None
    assert client.get("/people/")["Location"].startswith("/accounts/login/")
    # when the setup page is shown and a code from the new secret is entered
    assert client.get("/accounts/totp/setup/").status_code == 200
    device = TotpDevice.objects.get(user=personas.province_admin)
    assert device.confirmed is False
    response = client.post("/accounts/totp/setup/", {"code": _code(device)})
    # then the device is confirmed, audited, and the user logged in
    assert response.status_code == 302
    assert _logged_in_as(client) == str(personas.province_admin.pk)
    device.refresh_from_db()
    assert device.confirmed is True
    assert (
        AuditEvent.objects.filter(action="accounts.totp_enabled", actor_id=personas.province_admin.pk).count()
        == 1
    )


@override_settings(REQUIRE_ADMIN_TOTP=True)
def test_superuser_must_use_totp_too(personas):
    client = Client()
    assert _login(client, "root")["Location"] == "/accounts/totp/setup/"
    assert _logged_in_as(client) is None


@override_settings(REQUIRE_ADMIN_TOTP=True)
def test_non_administrator_logs_in_with_password_alone(personas):
    client = Client()
    assert _login(client, "branch_secretary").status_code == 302
    assert _logged_in_as(client) == str(personas.branch_secretary.pk)


@pytest.fixture
def enrolled_admin(personas):
    """The province admin with a confirmed authenticator."""
    device = TotpDevice.objects.create(
        user=personas.province_admin, secret=pyotp.random_base32(), confirmed=True
    )
    return personas.province_admin, device


@override_settings(REQUIRE_ADMIN_TOTP=True)
def test_totp_code_works_once(enrolled_admin):
    # given an administrator who logged in with a code
    user, device = enrolled_admin
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = Client()
        assert _login(first, user.username)["Location"] == "/accounts/login/totp/"
        code = _code(device)
        assert first.post("/accounts/login/totp/", {"code": code}).status_code == 302
        assert _logged_in_as(first) == str(user.pk)
        # when the same code is replayed in another session within its validity
        second = Client()
        _login(second, user.username)
        response = second.post("/accounts/login/totp/", {"code": code})
        # then it is refused
        assert response.status_code == 200
        assert _logged_in_as(second) is None
    # and the next time step's code works
    with time_machine.travel(now + timedelta(seconds=TOTP_STEP_SECONDS), tick=False):
        assert second.post("/accounts/login/totp/", {"code": _code(device)}).status_code == 302
        assert _logged_in_as(second) == str(user.pk)


@override_settings(REQUIRE_ADMIN_TOTP=True)
def test_wrong_totp_code_is_refused(enrolled_admin):
    user, device = enrolled_admin
    client = Client()
    _login(client, user.username)
    wrong = "000000" if _code(device) != "000000" else "111111"
    assert client.post("/accounts/login/totp/", {"code": wrong}).status_code == 200
    assert _logged_in_as(client) is None


@override_settings(REQUIRE_ADMIN_TOTP=True)
def test_password_alone_cannot_re_enrol_totp(enrolled_admin):
    # given an administrator with a confirmed device, past the password step only
    user, device = enrolled_admin
    client = Client()
    _login(client, user.username)
    # when the setup page is asked for, and a code from an attacker's secret is posted
    page = client.get("/accounts/totp/setup/")
    attacker = pyotp.TOTP(pyotp.random_base32()).now()
    posted = client.post("/accounts/totp/setup/", {"code": attacker})
    # then both are sent to the code step, and the device is unchanged
    assert page["Location"] == "/accounts/login/totp/"
    assert posted["Location"] == "/accounts/login/totp/"
    assert _logged_in_as(client) is None
    stored = TotpDevice.objects.get(user=user)
    assert (stored.secret, stored.confirmed) == (device.secret, True)


@override_settings(REQUIRE_ADMIN_TOTP=True)
def test_totp_step_without_password_step_goes_back_to_login(enrolled_admin):
    client = Client()
    assert client.get("/accounts/login/totp/")["Location"] == "/accounts/login/"
    assert client.post("/accounts/login/totp/", {"code": "123456"})["Location"] == "/accounts/login/"


def test_production_settings_hash_passwords_with_argon2():
    import orglife.config.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hasher_is_installed():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("correct horse battery staple", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("correct horse battery staple", encoded) is True


def test_create_token_prints_a_token_that_authenticates_api_calls(personas, person_a1):
    # given
    out = io.StringIO()
    # when
    call_command("create-token", "branch_secretary", stdout=out)
    key = out.getvalue().strip()
    # then
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/people/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [person_a1.pk]
    assert Client(HTTP_AUTHORIZATION="Token not-a-token").get("/api/people/").status_code == 401
    assert Client().get("/api/people/").status_code == 401


def test_create_token_is_stable_until_rotated(personas):
    first, second, rotated = io.StringIO(), io.StringIO(), io.StringIO()
    call_command("create-token", "member", stdout=first)
    call_command("create-token", "member", stdout=second)
    call_command("create-token", "member", "--rotate", stdout=rotated)
    assert first.getvalue() == second.getvalue()
    assert rotated.getvalue() != first.getvalue()
    assert (
        Client(HTTP_AUTHORIZATION=f"Token {first.getvalue().strip()}").get("/api/people/").status_code == 401
    )


def test_create_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("create-token", "nobody")
