"""All of a citizen's cases in the body by phone number, after a one-time SMS code
(apps.complaints.phone_access): request a code, enter it, see the list, open a case."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from apps.complaints.errors import ComplaintError
from apps.complaints.phone_access import (
    citizen_phone_code_send,
    citizen_phone_code_verify,
    complaints_for_phone,
    phone_key,
)
from apps.complaints.status import Status
from apps.complaints.validation import clean_phone
from apps.portal.forms import PhoneCodeForm, PhoneForm
from tenants.db import current_schema

from .common import TRACKED_KEY, body_of, client_ip, open_deadlines

PHONE_KEY = "portal_phone"  # the number being verified, then verified (session, the body's schema)
VERIFIED_SECONDS = 30 * 60


def _limited(request: HttpRequest, group: str, ident: str, rate: str) -> bool:
    # Keyed by the body's schema: a citizen's tries at one body never count at another.
    key = f"{current_schema()}:{ident}"
    return bool(is_ratelimited(request, group=group, key=lambda _g, _r: key, rate=rate, increment=True))


@never_cache
@require_http_methods(["GET", "POST"])
def track_phone(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                phone = clean_phone(form.cleaned_data["phone"])
            except ComplaintError as error:
                form.add_error("phone", str(error.message))
            else:
                if not phone:
                    form.add_error("phone", _("กรุณากรอกหมายเลขโทรศัพท์"))
                elif (_limited(request, "portal.phone.address", f"ip:{client_ip(request)}",
                               settings.PHONE_CODE_RATE_ADDRESS)
                      or _limited(request, "portal.phone.number", f"phone:{phone_key(phone)}",
                                  settings.PHONE_CODE_RATE_NUMBER)):
                    form.add_error(None, _("ขอรหัสบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"))
                    status = 429
                else:
                    citizen_phone_code_send(phone=phone)
                    request.session[PHONE_KEY] = {"phone": phone, "verified_until": 0}
                    return redirect("portal:track-phone-code")
    return render(request, "portal/track_phone.html", {"body": body_of(request), "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track_phone_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PHONE_KEY)
    if not pending:
        return redirect("portal:track-phone")
    form = PhoneCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            verified = citizen_phone_code_verify(phone=pending["phone"], code=form.cleaned_data["code"])
            if verified is None:
                form.add_error("code", _("รหัสไม่ถูกต้องหรือหมดอายุ กรุณาตรวจสอบหรือขอรหัสใหม่"))
            else:
                request.session.cycle_key()
                request.session[PHONE_KEY] = {"phone": verified, "verified_until": time.time() + VERIFIED_SECONDS}
                return redirect("portal:track-mine")
    # The same words whether or not the number has cases here: a number's cases are nobody's business.
    return render(request, "portal/track_phone_code.html", {
        "body": body_of(request), "form": form, "last4": pending["phone"][-4:]}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track_mine(request: HttpRequest) -> HttpResponse:
    verified = request.session.get(PHONE_KEY) or {}
    if not verified.get("verified_until") or verified["verified_until"] < time.time():
        return redirect("portal:track-phone")
    cases = complaints_for_phone(phone=verified["phone"])
    if request.method == "POST":
        chosen = next((c for c in cases if str(c.pk) == request.POST.get("case", "")), None)
        if chosen is None:
            return HttpResponse(status=400)
        request.session[TRACKED_KEY] = {"id": chosen.pk, "code": chosen.tracking_code}
        return redirect("portal:track-case")
    rows = []
    for case in cases:
        pending = open_deadlines(case)
        rows.append({"case": case, "status": Status(case.status).label if case.status in Status.values else case.status,
                     "next": pending[0] if pending else None})
    return render(request, "portal/track_mine.html", {"body": body_of(request), "rows": rows,
                                                      "last4": verified["phone"][-4:]})
