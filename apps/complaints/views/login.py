"""Signing in to a body's staff pages, and the staff-only gate for every staff view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.complaints.policies import staff_member
from tenants.db import current_schema

SESSION_SCHEMA = "staff_schema"

View = Callable[..., HttpResponseBase]


def _signed_in_here(request: HttpRequest) -> bool:
    """Sessions live in the body's schema already; the schema stamp is a second lock, so a session
    can never be honoured on another body's host."""
    return request.user.is_authenticated and request.session.get(SESSION_SCHEMA) == current_schema()


def staff_view(view: View | None = None, *, hide: bool = False, roles: tuple[str, ...] = ()) -> Any:
    """Signed-in staff of this body only. `hide`: for pages about one case, an anonymous visitor
    gets the same 404 as anyone else (with a sign-in link), never a hint that the case exists."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not _signed_in_here(request):
                if request.user.is_authenticated:
                    auth_logout(request)
                if hide:
                    return render(request, "complaints/not_found.html", {"next": request.get_full_path()},
                                  status=404)
                return redirect_to_login(request.get_full_path(), reverse("staff:login"))
            member = staff_member(request.user)
            if member is None:
                if hide:
                    raise Http404
                raise PermissionDenied
            if roles and member.role not in roles:
                raise PermissionDenied
            request.staff = member  # type: ignore[attr-defined]
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("staff:inbox")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("staff:inbox")
    form = AuthenticationForm(request, data=request.POST or None)
    not_staff = ""
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if staff_member(user) is None:
            not_staff = _("บัญชีนี้ไม่ใช่เจ้าหน้าที่ของหน่วยงานนี้")
            form.add_error(None, not_staff)
        else:
            auth_login(request, user)
            request.session[SESSION_SCHEMA] = current_schema()
            return redirect(next_url)
    return render(request, "complaints/login.html", {"form": form, "next": next_url, "not_staff": not_staff},
                  status=400 if request.method == "POST" else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("staff:login")
