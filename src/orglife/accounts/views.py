"""Login in one or two steps (password, then TOTP when required), logout."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from orglife.accounts import services
from orglife.accounts.forms import LoginForm, TotpForm

_PENDING = "orglife_pending_user"
_NEXT = "orglife_next"


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Password step. Users who need a second factor continue to the TOTP step."""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check_password(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except services.LoginLocked:
            form.add_error(
                None,
                _("Too many failed attempts. Try again in %(minutes)s minutes.")
                % {"minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)},
            )
        else:
            if user is None:
                form.add_error(None, _("Wrong username or password."))
            elif services.totp_required(user):
                request.session.cycle_key()
                request.session[_PENDING] = user.pk
                request.session[_NEXT] = _safe_next(request, request.GET.get("next"))
                if services.totp_has_device(user):
                    return redirect("accounts:totp")
                return redirect("accounts:totp_setup")
            else:
                login(request, user)
                return redirect(_safe_next(request, request.GET.get("next")))
    return render(request, "accounts/login.html", {"form": form})


def _pending_user(request: HttpRequest):  # type: ignore[no-untyped-def]
    pk = request.session.get(_PENDING)
    if pk is None:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


@require_http_methods(["GET", "POST"])
def totp_view(request: HttpRequest) -> HttpResponse:
    """Second step: a code from the authenticator app, accepted once."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(user=user, code=form.cleaned_data["code"]):
            target = request.session.get(_NEXT, "/")
            login(request, user)
            return redirect(target)
        form.add_error("code", _("This code is wrong or was already used."))
    return render(request, "accounts/totp.html", {"form": form})


@require_http_methods(["GET", "POST"])
def totp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (required for administrators)."""
    user = _pending_user(request)
    if user is None and request.user.is_authenticated:
        user = request.user
    if user is None:
        return redirect("accounts:login")
    if not request.user.is_authenticated and services.totp_has_device(user):
        # A password alone must never re-enrol a second factor.
        return redirect("accounts:totp")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(user=user, code=form.cleaned_data["code"]):
            target = request.session.get(_NEXT, "/")
            if not request.user.is_authenticated:
                login(request, user)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(target)
        form.add_error("code", _("This code is wrong or was already used."))
        device = user.totp_device
    else:
        device = services.totp_device_pending(user=user)
    uri = services.totp_provisioning_uri(device=device)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5)
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "qr": qr, "secret": device.secret},
    )


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """Send the Django admin's login to orglife's (throttled, logged, 2FA)."""
    target = _safe_next(request, request.GET.get("next") or "/admin/")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the session on the server."""
    logout(request)
    return redirect("accounts:login")
