"""On the body's own host: its admin's page for the area the body serves (/staff/setup/service-area/):
which subdistricts of its district, and which หมู่ที่ of each (tenants.service_areas, audited). The
platform's finder and the transfer suggestion read it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.complaints.access import staff_view
from apps.complaints.context import current_body
from apps.complaints.models import Role
from apps.ui import thai
from tenants.models import ServiceAreaSource, Subdistrict
from tenants.service_areas import (
    AreaEntry,
    ServiceAreaRefused,
    moo_parse,
    moo_text,
    others_serving,
    service_area_of,
    service_area_set,
    subdistricts_of,
)


@never_cache
@staff_view(roles=(Role.ADMIN,))
def service_area_view(request: HttpRequest) -> HttpResponse:
    body = current_body()
    current = {row.subdistrict_id: row for row in service_area_of(body)}
    choices: list[Subdistrict] = subdistricts_of(district_code=body.district_id) if body.district_id else []
    listed = {s.code for s in choices}
    choices += [row.subdistrict for code, row in current.items() if code not in listed]
    entered = {s.code: (s.code in current, moo_text(current[s.code].moo) if s.code in current else "")
               for s in choices}
    errors: dict[str, str] = {}
    problem = ""
    if request.method == "POST":
        entries: list[AreaEntry] = []
        for s in choices:
            served, text = f"sd-{s.code}" in request.POST, str(request.POST.get(f"moo-{s.code}", ""))[:200]
            entered[s.code] = (served, text)
            if not served:
                continue
            try:
                entries.append(AreaEntry(s.code, tuple(moo_parse(text))))
            except ServiceAreaRefused as error:
                errors[s.code] = error.message
        if not errors:
            try:
                service_area_set(body=body, entries=entries, actor=request.user)
            except ServiceAreaRefused as error:
                problem = error.message
            else:
                messages.success(request, _("บันทึกพื้นที่ให้บริการแล้ว"))
                return redirect(request.path)
    others = others_serving(body=body, subdistrict_codes=[s.code for s in choices])
    rows = [{"code": s.code, "name": thai.localised_name(s), "served": entered[s.code][0], "moo": entered[s.code][1],
             "error": errors.get(s.code, ""),
             "others": [{"name": b.display_name, "moo": moo_text(m)} for b, m in others.get(s.code, [])]}
            for s in choices]
    return render(request, "onboarding/service_area.html", {
        "body": body, "rows": rows, "problem": problem, "has_errors": bool(errors or problem),
        "guessed": any(row.source == ServiceAreaSource.REGISTRY for row in current.values()),
        "district": thai.localised_name(body.district),
    }, status=400 if errors or problem else 200)
