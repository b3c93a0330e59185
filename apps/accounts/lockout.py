"""django-axes, per tenant schema: an account is (schema, username), so the lockout key is
"<schema>:<username>". Attempts live in the public schema (axes is a shared app only)."""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.db import current_schema


def client_ip(request: HttpRequest) -> str | None:
    """Behind N trusted proxies (nginx appends the peer to X-Forwarded-For), the client is the Nth
    address from the end; anything before it is whatever the client chose to send."""
    trusted = int(getattr(settings, "PORTAL_TRUSTED_PROXIES", 0))
    candidate = str(request.META.get("REMOTE_ADDR", ""))
    if trusted:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= trusted:
            candidate = chain[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def account_key(username: str) -> str:
    return f"{current_schema()}:{username.strip().lower()}"


USERNAME_MAX_LENGTH = 150  # apps.accounts.models.User.username


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    username = ""
    if credentials:
        username = str(credentials.get("username") or "")
    if not username:
        username = str(request.POST.get("username", "")) if request is not None else ""
    # No account has a longer name, and axes stores the key in 255 characters: a 10 kB "username"
    # must count as a failure against its first 150 characters, not fail the sign-in page.
    return account_key(username[:USERNAME_MAX_LENGTH])


def account_lockout_clear(*, username: str) -> int:
    """Forget this account's failed sign-ins (a password reset by e-mail proved the owner): its
    lockout ends at once. An address's failures against other accounts still count against that
    address. Returns the number of attempt records removed (one per address the failures came from)."""
    return int(axes_reset(username=account_key(username[:USERNAME_MAX_LENGTH])))


def locked_out_response(request: HttpRequest, response: HttpResponse | None = None,
                        credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """The Thai lockout page (429), never a 500; it says for how long, not which limit was hit."""
    return render(request, "accounts/locked_out.html",
                  {"minutes": settings.AUTH_LOCKOUT_MINUTES}, status=settings.AXES_HTTP_RESPONSE_CODE)
