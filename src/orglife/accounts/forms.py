"""Login forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    """Username and password."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=256)


class TotpForm(forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.RegexField(label=_("Authenticator code"), regex=r"^\s*\d{3}\s?\d{3}\s*$", max_length=8)
