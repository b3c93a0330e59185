from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User


class TokenForm(forms.Form):
    token = forms.CharField(label=_("รหัสจากแอปยืนยันตัวตน หรือรหัสกู้คืน"), max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                          "autofocus": True}))


class ResetRequestForm(PasswordResetForm):
    """The same answer whether or not the address belongs to an account (no existence leak)."""

    def get_users(self, email: str) -> Any:
        return (user for user in User.objects.filter(email__iexact=email, is_active=True)
                if user.has_usable_password())
