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


class PlatformAdminSite(OTPAdminSite):
    site_header = "Rongthuk"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))

    def logout(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponseBase:
        if request.method != "POST":
            return redirect_to_login(reverse("admin:index"), reverse("accounts:login"))
        return views.logout_view(request, site="oversight")
