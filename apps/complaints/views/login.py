"""Signing in to a body's staff pages (the gate itself is apps.complaints.access)."""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.complaints.access import SESSION_SCHEMA, staff_member
from tenants.db import current_schema


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
