"""The body's public profile (contacts, office hours, reopen window, map tiles, logo, retention), edited by
its admin."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.models import Role
from apps.portal import selectors
from apps.portal.forms import BodyProfileForm
from apps.portal.services import body_profile_update

from .common import body_of


@never_cache
@staff_view(roles=(Role.ADMIN,), hide=True)  # the same 404 for "not signed in" and "not the admin"
@require_http_methods(["GET", "POST"])
def body_profile_edit(request: StaffRequest) -> HttpResponse:
    body = body_of(request)
    profile = selectors.body_profile_get(body=body)
    initial = {"reopen_window_days": 30}
    if profile:
        initial = {name: getattr(profile, name) for name in
                   ("phone", "email", "line_id", "office_hours", "reopen_window_days", "tile_url",
                    "retention_years")}
    form = BodyProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body_profile_update(body=body, phone=data["phone"], email=data["email"], line_id=data["line_id"],
                            office_hours=data["office_hours"], reopen_window_days=data["reopen_window_days"],
                            tile_url=data["tile_url"], logo=data.get("logo") or None,
                            remove_logo=data["remove_logo"], retention_years=data["retention_years"],
                            actor=request.user)
        messages.success(request, _("บันทึกข้อมูลหน่วยงานแล้ว"))
        return redirect("portal:body-profile")
    national = _("เว้นว่างเพื่อใช้ค่ากลางของประเทศ (%(years)s ปี) เมื่อครบกำหนด ระบบจะลบชื่อ ที่อยู่ "
                 "ข้อมูลติดต่อ และรูปถ่ายของผู้ร้องออก โดยยังเก็บเรื่องไว้เป็นสถิติ") % {
        "years": settings.PDPA_RETENTION_YEARS}
    return render(request, "portal/body_profile.html", {"body": body, "form": form, "profile": profile,
                                                        "national_retention": national},
                  status=400 if form.errors else 200)
