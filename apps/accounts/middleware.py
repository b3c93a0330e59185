"""Rules for every signed-in request, on a body's host and on the platform domain:

- the session ends after AUTH_SESSION_IDLE_MINUTES without a request, and AUTH_SESSION_MAX_HOURS
  after sign-in, whatever happens;
- until the second factor is passed, the session reaches only the sign-in pages: any other page
  redirects to the verification (or enrolment) step, the JSON APIs answer 403, the Django admin too;
- signed-in pages, and every staff, oversight and admin page, are `Cache-Control: no-store`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts import second_factor
from apps.accounts.audit import AuthEventKind, auth_event_record
from apps.accounts.models import User
from apps.accounts.signin import SESSION_SEEN, SESSION_SINCE

PRIVATE_PREFIXES = ("/staff/", "/oversight/", "/admin/", "/api/staff/")
# Reachable before the second factor besides the sign-in views themselves.
EXEMPT_URL_NAMES = frozenset({"set_language", "healthz"})


class SignedInSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        expired = self._expire(request)
        response = expired or self.get_response(request)
        private = request.path.startswith(PRIVATE_PREFIXES) or request.user.is_authenticated
        if private and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response

    def _expire(self, request: HttpRequest) -> HttpResponseBase | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        now = int(time.time())
        since = int(request.session.get(SESSION_SINCE) or now)
        seen = int(request.session.get(SESSION_SEEN) or now)
        idle = settings.AUTH_SESSION_IDLE_MINUTES * 60
        if now - seen > idle or now - since > settings.AUTH_SESSION_MAX_HOURS * 3600:
            auth_event_record(request=request, kind=AuthEventKind.SESSION_EXPIRED, user=user)
            auth_logout(request)
            return self._refuse(request, "accounts:login", _("หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่"), status=401)
        # Written at most once a minute: a page view need not cost a session write.
        if SESSION_SINCE not in request.session or now - seen >= 60:
            request.session[SESSION_SINCE] = since
            request.session[SESSION_SEEN] = now
            # A little beyond the idle limit, so the expiry is seen here (and audited), not lost.
            request.session.set_expiry(idle + 300)
        return None

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any,
                     view_kwargs: Any) -> HttpResponseBase | None:
        user = request.user
        if not user.is_authenticated or second_factor.is_verified(request):
            return None
        if not second_factor.second_factor_required(user):  # type: ignore[arg-type]
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in EXEMPT_URL_NAMES:
            return None
        step = "accounts:verify" if second_factor.has_second_factor(user) else "accounts:setup"  # type: ignore[arg-type]
        return self._refuse(request, step, _("ต้องยืนยันตัวตนขั้นที่สองก่อน"), status=403)

    @staticmethod
    def _refuse(request: HttpRequest, step: str, message: str, *, status: int) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"message": message}, status=status)
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
