"""The oversight site's sign-in pages (/oversight/ on the platform domain): apps.accounts' pages,
letting in only public-schema users with an oversight scope (which sits above apps.accounts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from apps.accounts.urls import patterns
from apps.oversight.scoping import scope_for_user


class OversightLoginForm(AuthenticationForm):
    """Public-schema users with an oversight scope (national admins oversee the nation); a body's
    staff live in the body's schema and are not found here at all."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if scope_for_user(user) is None:
            raise forms.ValidationError(_("บัญชีนี้ไม่มีสิทธิ์กำกับดูแล"), code="no_scope")


app_name = "accounts"
urlpatterns = patterns("oversight", login_form=OversightLoginForm)
