"""The national admin (Django admin on the platform domain), behind the second factor.

django-otp's OTPAdminSite lets only verified sessions in; signing in (password, then the second
factor, with lockout and audit) goes through the platform's own sign-in pages, not the admin's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.admin import OTPAdminSite

from apps.accounts import views
from apps.accounts.models import User
from apps.accounts.second_factor import has_second_factor, second_factor_reset


class SecondFactorResetForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("ชื่อผู้ใช้ (ผู้ใช้กำกับดูแลหรือผู้ดูแลระดับประเทศ)"), max_length=150)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("ไม่พบผู้ใช้ชื่อ %(username)s") % {"username": username})
        if user.pk == self.actor.pk:
            raise forms.ValidationError(_("ไม่สามารถรีเซ็ตการยืนยันตัวตนสองขั้นตอนของตนเองได้ "
                                          "กรุณาให้ผู้ดูแลระบบอีกคนดำเนินการ"))
        return user

# Library admin pages left out: second-factor devices are enrolled and renewed by their owner only
# (a page that shows or sets a TOTP key would bypass that), lockout attempts expire by themselves.
UNLISTED_APPS = frozenset({"otp_totp", "otp_static", "axes"})


class PlatformAdminSite(OTPAdminSite):
    site_header = "Rongthuk"
    index_template = "admin/rongthuk_index.html"

    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [path("second-factor-reset/", self.admin_view(self.second_factor_reset_view),
                     name="second-factor-reset"), *super().get_urls()]

    def second_factor_reset_view(self, request: HttpRequest) -> HttpResponse:
        """An oversight or national user who lost their authenticator: removed here by a national
        admin, so their next sign-in enrols a new one (audited in the platform's log)."""
        actor = request.user
        if not isinstance(actor, User) or not actor.is_superuser:
            raise PermissionDenied
        form = SecondFactorResetForm(request.POST or None, actor=actor)
        if request.method == "POST" and form.is_valid():
            user = form.cleaned_data["username"]
            second_factor_reset(request=request, user=user, actor=actor)
            messages.success(request, _("รีเซ็ตการยืนยันตัวตนสองขั้นตอนของ %(username)s แล้ว "
                                        "เมื่อเข้าสู่ระบบครั้งถัดไป ผู้ใช้ต้องลงทะเบียนแอปยืนยันตัวตนใหม่") % {
                "username": user.get_username()})
            return redirect("admin:second-factor-reset")
        enrolled = [(u.get_username(), has_second_factor(u)) for u in User.objects.order_by("username")[:200]]
        return TemplateResponse(request, "admin/second_factor_reset.html", {
            **self.each_context(request), "title": _("รีเซ็ตการยืนยันตัวตนสองขั้นตอน"), "form": form,
            "users": enrolled}, status=400 if request.method == "POST" else 200)

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
