"""Security headers and cookie flags on pages and the API (quality-anchors S6, S5)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from orglife.conftest import PASSWORD


def _directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def _get(kind: str, url: str, personas) -> object:
    client = Client()
    if kind == "session":
        client.force_login(personas.branch_secretary)
    elif kind == "token":
        token, _created = Token.objects.get_or_create(user=personas.branch_secretary)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client.get(url)


ROUTES = [
    ("anonymous", "/accounts/login/"),
    ("session", "/"),
    ("session", "/orgs/"),
    ("session", "/people/"),
    ("session", "/people/{person}/"),
    ("session", "/audit/"),
    ("token", "/api/people/"),
    ("token", "/api/people/{person}/"),
    ("anonymous", "/api/schema/"),
    ("anonymous", "/api/docs/"),
    ("anonymous", "/api/people/"),
]


@pytest.mark.parametrize(("kind", "url"), ROUTES)
def test_every_route_family_sends_the_security_headers(kind, url, personas, person_a1):
    # when
    response = _get(kind, url.format(person=person_a1.pk), personas)
    # then
    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


def test_personal_data_pages_are_not_cached(personas, person_a1):
    client = Client()
    client.force_login(personas.branch_secretary)
    response = client.get(f"/people/{person_a1.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_docs_allow_inline_styles_but_never_inline_scripts(db):
    response = Client().get("/api/docs/")
    csp = _directives(response["Content-Security-Policy"])
    assert response.status_code == 200
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_https_answers_carry_hsts_for_a_year(db):
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _login(client: Client, username: str = "branch_secretary") -> object:
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def test_session_cookie_is_http_only_and_same_site_lax(personas):
    # given
    client = Client()
    # when
    response = _login(client)
    # then
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP in the test settings


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_when_served_over_https(personas):
    # given a login page fetched over HTTPS (the CSRF cookie is set there)
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    # when
    response = _login(client)
    # then
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True
    assert page.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
    assert page.cookies[settings.CSRF_COOKIE_NAME]["httponly"] is True


def test_https_settings_switch_on_secure_cookies_and_hsts(monkeypatch):
    # given ORGLIFE_HTTPS=1 in the environment
    import importlib

    import orglife.config.settings as production

    monkeypatch.setenv("ORGLIFE_HTTPS", "1")
    try:
        # when the settings module is read again
        reloaded = importlib.reload(production)
        # then
        assert reloaded.SESSION_COOKIE_SECURE is True
        assert reloaded.CSRF_COOKIE_SECURE is True
        assert reloaded.SECURE_HSTS_SECONDS >= 31_536_000
        assert reloaded.SESSION_COOKIE_NAME.startswith("__Host-")
    finally:
        monkeypatch.delenv("ORGLIFE_HTTPS")
        importlib.reload(production)
