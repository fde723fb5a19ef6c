"""The roster upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class RosterImportForm(forms.Form):
    """An .xlsx roster and the code of the organization to import into."""

    org = forms.CharField(label=_("Organization code"), max_length=40)
    file = forms.FileField(label=_("Roster (.xlsx)"))

    def clean_file(self) -> Any:
        """Accept .xlsx files up to ``ROSTER_MAX_UPLOAD_BYTES``."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if upload.size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload
