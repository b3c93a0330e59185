from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.complaints.access import staff_member
from apps.oversight.scoping import scope_for_user


class StaffLoginForm(AuthenticationForm):
    """Staff of this body only (the user table is the body's own)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": _("บัญชีนี้ไม่ใช่เจ้าหน้าที่ของหน่วยงานนี้"),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if staff_member(user) is None:
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


class OversightLoginForm(AuthenticationForm):
    """Public-schema users with an oversight scope (national admins oversee the nation); a body's
    staff live in the body's schema and are not found here at all."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if scope_for_user(user) is None:
            raise forms.ValidationError(_("บัญชีนี้ไม่มีสิทธิ์กำกับดูแล"), code="no_scope")


class TokenForm(forms.Form):
    token = forms.CharField(label=_("รหัสจากแอปยืนยันตัวตน หรือรหัสกู้คืน"), max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                          "autofocus": True}))


class ResetRequestForm(PasswordResetForm):
    """The same answer whether or not the address belongs to an account (no existence leak)."""

    def get_users(self, email: str) -> Any:
        return (user for user in User.objects.filter(email__iexact=email, is_active=True)
                if user.has_usable_password())
