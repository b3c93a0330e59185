"""The staff site's sign-in pages (/staff/ on every body's host): apps.accounts' pages, letting in
only this body's staff (the staff gate's lookup, which sits above apps.accounts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from apps.accounts.urls import patterns
from apps.complaints.access import staff_member


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


app_name = "accounts"
urlpatterns = patterns("staff", login_form=StaffLoginForm)
