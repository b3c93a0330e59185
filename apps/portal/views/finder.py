"""The platform home on the public domain: find a body by province, district or name."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from apps.portal import selectors
from apps.portal.page_cache import cached_page
from apps.ui import thai
from tenants.models import LocalBody
from tenants.service_areas import areas_by_body


def _finder_items(request: HttpRequest, bodies: list[LocalBody]) -> list[dict[str, str]]:
    """Bodies found by name, each with what tells two of one name apart: type, district, area."""
    areas = areas_by_body(bodies)
    return [{**_finder_item(request, b), "area": ", ".join(thai.localised_name(a.subdistrict) for a in areas[b.pk])}
            for b in bodies]


def _finder_item(request: HttpRequest, body: LocalBody) -> dict[str, str]:
    port = request.get_port()
    port = port if port not in ("80", "443") else ""
    return {
        "name": body.name_en if thai.is_english() and body.name_en else body.display_name,
        "name_th": body.display_name,
        "kind": body.get_kind_display(),
        "district": thai.localised_name(body.district),
        "province": thai.localised_name(body.province),
        "url": selectors.body_portal_url(body=body, domain=getattr(body, "primary_domain", None),
                                         scheme=request.scheme or "http", port=port),
    }


@require_GET
@cached_page(params=("province", "district", "q"))
def platform_home(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("province", "")[:2]
    district = request.GET.get("district", "")[:4]
    query = request.GET.get("q", "")[:60]
    results: list[dict[str, str]] = []
    districts = []
    if province:
        districts = list(selectors.districts_list(province_code=province))
    if query.strip():
        results = _finder_items(request, selectors.bodies_search(query=query))
    elif district:
        results = _finder_items(request, selectors.bodies_in_district(district_code=district))
    return render(request, "portal/platform_home.html", {
        "provinces": selectors.provinces_list(), "districts": districts, "province": province,
        "district": district, "query": query, "results": results,
        "searched": bool(query.strip() or district),
        "finder_labels": {"found": _("จำนวนหน่วยงานที่พบ: %(n)s"), "none": _("ไม่พบหน่วยงาน ลองพิมพ์ชื่ออื่น"),
                          "pick_district": _("— เลือกอำเภอ —"), "area": _("ดูแล ต.")},
    })


@require_GET
@cache_control(public=True, max_age=300)
@cached_page(params=("province",))
def finder_districts(request: HttpRequest) -> JsonResponse:
    code = request.GET.get("province", "")[:2]
    rows = [{"code": d.code, "name": thai.localised_name(d)}
            for d in selectors.districts_list(province_code=code)]
    return JsonResponse({"districts": rows})


@require_GET
@cache_control(public=True, max_age=120)
@cached_page(params=("q", "district"))
def finder_bodies(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")[:60]
    district = request.GET.get("district", "")[:4]
    if query.strip():
        bodies = selectors.bodies_search(query=query)
    elif district:
        bodies = selectors.bodies_in_district(district_code=district)
    else:
        bodies = []
    return JsonResponse({"bodies": _finder_items(request, list(bodies))})
