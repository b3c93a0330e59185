"""The national admin (Django admin on the platform domain), behind the second factor.

django-otp's OTPAdminSite lets only verified sessions in; signing in (password, then the second
factor, with lockout and audit) goes through the platform's own sign-in pages, not the admin's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from apps.accounts import views

# Library admin pages left out: second-factor devices are enrolled and renewed by their owner only
# (a page that shows or sets a TOTP key would bypass that), lockout attempts expire by themselves.
UNLISTED_APPS = frozenset({"otp_totp", "otp_static", "axes"})


class PlatformAdminSite(OTPAdminSite):
    site_header = "Rongthuk"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models = model_or_iterable if isinstance(model_or_iterable, (list, tuple)) else [model_or_iterable]
        kept = [model for model in models if model._meta.app_label not in UNLISTED_APPS]
        if kept:
            super().register(kept, admin_class, **options)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))

    def logout(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponseBase:
        if request.method != "POST":
            return redirect_to_login(reverse("admin:index"), reverse("accounts:login"))
        return views.logout_view(request, site="oversight")
