"""Sign-in, the second factor and password reset, for a body's staff (/staff/ on the body's host)
and for oversight and national users (/oversight/ on the platform domain).

The same views serve both sites; `site` picks the form, the templates' frame and where to go
after. A password opens a session that can do nothing but pass the second factor
(apps.accounts.middleware); lockout after repeated failures is django-axes'.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts import second_factor
from apps.accounts.audit import AuthEventKind, auth_event_record
from apps.accounts.forms import ResetRequestForm, TokenForm
from apps.accounts.lockout import account_lockout_clear
from apps.accounts.models import User
from apps.accounts.signin import SESSION_SCHEMA, SESSION_SEEN, SESSION_SINCE
from tenants.db import current_schema

View = Callable[..., HttpResponseBase]

SITES: dict[str, dict[str, Any]] = {
    "staff": {"base": "ui/base_staff.html", "home": "staff:inbox",
              "title": gettext_lazy("เข้าสู่ระบบเจ้าหน้าที่")},
    "oversight": {"base": "ui/base_oversight.html", "home": "oversight:dashboard",
                  "title": gettext_lazy("เข้าสู่ระบบกำกับดูแล")},
}


def second_factor_exempt(view: View) -> View:
    """Pages a session may reach before its second factor: signing in, out, enrolling, resetting."""
    view.second_factor_exempt = True  # type: ignore[attr-defined]
    return view


class SchemaTokenGenerator(PasswordResetTokenGenerator):
    """Reset links name their schema too: user 7 of one body is not user 7 of another."""

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{current_schema()}:{super()._make_hash_value(user, timestamp)}"


reset_tokens = SchemaTokenGenerator()


def _next(request: HttpRequest, site: str) -> str:
    fallback = reverse(SITES[site]["home"])
    wanted = request.POST.get("next") or request.GET.get("next") or fallback
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return fallback
    return wanted


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _context(site: str, **extra: Any) -> dict[str, Any]:
    return {"base_template": SITES[site]["base"], "site": site, **extra}


@second_factor_exempt
@never_cache
def login_view(request: HttpRequest, *, site: str, login_form: type[AuthenticationForm]) -> HttpResponse:
    next_url = _next(request, site)
    form = login_form(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            now = int(time.time())
            request.session[SESSION_SCHEMA] = current_schema()
            request.session[SESSION_SINCE] = now
            request.session[SESSION_SEEN] = now
            auth_event_record(request=request, kind=AuthEventKind.LOGIN, user=user)
            step = "accounts:verify" if second_factor.has_second_factor(user) else "accounts:setup"
            return redirect(_with_next(step, next_url))
        typed = str(request.POST.get("username", ""))
        locked = bool(getattr(request, "axes_locked_out", False))
        auth_event_record(request=request, kind=AuthEventKind.LOCKED_OUT if locked else AuthEventKind.LOGIN_FAILED,
                          user=User.objects.filter(username=typed).first(), username=typed)
    not_staff = any(e.code == "not_staff" for e in form.errors.as_data().get("__all__", []))
    return render(request, "accounts/login.html", _context(
        site, form=form, next=next_url, not_staff=_("บัญชีนี้ไม่ใช่เจ้าหน้าที่ของหน่วยงานนี้") if not_staff else "",
        title=SITES[site]["title"]), status=400 if request.method == "POST" else 200)


@second_factor_exempt
@require_POST
def logout_view(request: HttpRequest, *, site: str) -> HttpResponse:
    if request.user.is_authenticated:
        auth_event_record(request=request, kind=AuthEventKind.LOGOUT, user=request.user)  # type: ignore[arg-type]
    auth_logout(request)
    return redirect("accounts:login")


def _pending_user(request: HttpRequest, site: str) -> User | None:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    if site == "staff" and request.session.get(SESSION_SCHEMA) != current_schema():
        return None
    return user


@second_factor_exempt
@never_cache
def verify_view(request: HttpRequest, *, site: str) -> HttpResponse:
    next_url = _next(request, site)
    user = _pending_user(request, site)
    if user is None:
        return redirect(_with_next("accounts:login", next_url))
    if second_factor.is_verified(request):
        return redirect(next_url)
    if not second_factor.has_second_factor(user):
        return redirect(_with_next("accounts:setup", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.second_factor_verify(request=request, user=user, token=form.cleaned_data["token"]):
            return redirect(next_url)
        form.add_error("token", _("รหัสไม่ถูกต้องหรือหมดอายุ กรุณาลองใหม่ (หากผิดหลายครั้ง ต้องรอสักครู่ก่อนลองอีก)"))
    return render(request, "accounts/verify.html", _context(site, form=form, next=next_url),
                  status=400 if request.method == "POST" else 200)


@second_factor_exempt
@never_cache
def setup_view(request: HttpRequest, *, site: str) -> HttpResponse:
    """Enrolment: only for a signed-in account with no authenticator yet. One that has one must pass
    it first (verify), so a stolen password can never enrol the thief's phone."""
    next_url = _next(request, site)
    user = _pending_user(request, site)
    if user is None:
        return redirect(_with_next("accounts:login", next_url))
    if second_factor.has_second_factor(user):
        return redirect(next_url if second_factor.is_verified(request) else _with_next("accounts:verify", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.totp_enrolment_confirm(request=request, user=user, token=form.cleaned_data["token"])
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", _context(site, codes=codes, next=next_url))
        form.add_error("token", _("รหัสไม่ถูกต้อง กรุณาสแกนใหม่แล้วกรอกรหัส 6 หลักที่แอปแสดงอยู่"))
    enrolment = second_factor.totp_enrolment_start(user=user)
    return render(request, "accounts/setup.html", _context(
        site, form=form, next=next_url, secret=enrolment.secret, qr_svg=enrolment.qr_svg,
    ), status=400 if request.method == "POST" else 200)


@never_cache
def recovery_codes_view(request: HttpRequest, *, site: str) -> HttpResponse:
    """A new set of recovery codes (the old ones stop working); verified sessions only."""
    user = _pending_user(request, site)
    if user is None or not second_factor.is_verified(request):
        return redirect("accounts:login")
    if request.method == "POST":
        codes = second_factor.recovery_codes_replace(user=user)
        return render(request, "accounts/recovery_codes.html",
                      _context(site, codes=codes, next=reverse(SITES[site]["home"])))
    return render(request, "accounts/recovery_codes_new.html",
                  _context(site, left=second_factor.recovery_codes_left(user=user)))


# --- password reset by e-mail -----------------------------------------------------------------------

class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    token_generator = reset_tokens
    success_url = reverse_lazy("accounts:password-reset-sent")
    site = "staff"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_context(self.site)}

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:  # type: ignore[override]
        for user in form.get_users(form.cleaned_data["email"]):
            auth_event_record(request=self.request, kind=AuthEventKind.PASSWORD_RESET_REQUESTED, user=user)
        return super().form_valid(form)


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"
    site = "staff"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_context(self.site)}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    token_generator = reset_tokens
    success_url = reverse_lazy("accounts:password-reset-done")
    site = "staff"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_context(self.site)}

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        # The link in the mailbox proved the owner: the account's lockout ends with the new password.
        cleared = account_lockout_clear(username=form.user.get_username())
        auth_event_record(request=self.request, kind=AuthEventKind.PASSWORD_RESET_DONE, user=form.user,
                          changes={"lockout_cleared": cleared} if cleared else None)
        return response


class ResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
    site = "staff"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_context(self.site)}


def locked_out_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/locked_out.html", {"minutes": settings.AUTH_LOCKOUT_MINUTES}, status=429)
