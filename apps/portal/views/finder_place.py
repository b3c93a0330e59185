"""The platform's finder by place: which body serves this ตำบล and หมู่ที่, or this point (the
phone's location). Answers come from the bodies' service areas (tenants.ServiceArea, public data);
two bodies of one name are told apart by type, district and the area each serves."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from apps.portal import selectors
from apps.portal.page_cache import cached_page
from apps.ui import thai
from tenants.locate import place_locate
from tenants.models import LocalBody, ServiceArea, ServiceAreaSource, Subdistrict
from tenants.service_areas import MAX_MOO, areas_by_body, moo_text, subdistricts_of

from .finder import _finder_item


def area_label(row: ServiceArea) -> str:
    name = thai.localised_name(row.subdistrict)
    if not row.moo:
        return _("ต.%(name)s (ทั้งตำบล)") % {"name": name}
    return _("ต.%(name)s หมู่ที่ %(moo)s") % {"name": name, "moo": moo_text(row.moo)}


def answer_items(request: HttpRequest, bodies: list[LocalBody]) -> list[dict[str, object]]:
    """Each body as the finder names it: its name, type, district and the area it serves."""
    areas = areas_by_body(bodies)
    items: list[dict[str, object]] = []
    for body in bodies:
        item: dict[str, object] = dict(_finder_item(request, body))
        item["areas"] = [area_label(row) for row in areas[body.pk]]
        item["guessed"] = any(row.source == ServiceAreaSource.REGISTRY for row in areas[body.pk])
        item["file_url"] = f"{item['url']}complaints/new/"
        items.append(item)
    return items


def _moo(text: str) -> tuple[int | None, str]:
    text = text.strip()[:3]
    if not text:
        return None, ""
    if not text.isdigit() or not 1 <= int(text) <= MAX_MOO:
        return None, _("หมู่ที่ต้องเป็นตัวเลข 1 ถึง %(max)d") % {"max": MAX_MOO}
    return int(text), ""


def _point(lat: str, lng: str) -> tuple[Decimal, Decimal] | None:
    try:
        latitude, longitude = Decimal(lat[:20]), Decimal(lng[:20])
    except InvalidOperation:
        return None
    if not (Decimal("5") <= latitude <= Decimal("21") and Decimal("97") <= longitude <= Decimal("106")):
        return None
    return latitude, longitude


@require_GET
@cached_page(params=("province", "district", "subdistrict", "moo"))  # a location: never stored
def finder_place(request: HttpRequest) -> HttpResponse:
    get = request.GET
    province, district, code = get.get("province", "")[:2], get.get("district", "")[:4], get.get("subdistrict", "")[:6]
    subdistrict = Subdistrict.objects.select_related("district").filter(code=code).first() if code else None
    if subdistrict is not None:
        district, province = subdistrict.district_id, subdistrict.district.province_id
    moo, error = _moo(get.get("moo", ""))
    answer: list[dict[str, object]] | None = None
    nearest = False
    if get.get("lat") or get.get("lng"):
        point = _point(get.get("lat", ""), get.get("lng", ""))
        if point is None:
            error = _("ตำแหน่งไม่อยู่ในประเทศไทยหรือไม่ถูกต้อง เลือกตำบลแทน")
        elif not error:
            place = place_locate(latitude=point[0], longitude=point[1], moo=moo)
            answer, nearest, subdistrict = answer_items(request, place.bodies), True, place.subdistrict
            if subdistrict is not None:
                district, province = subdistrict.district_id, subdistrict.district.province_id
    elif subdistrict is not None and not error:
        answer = answer_items(request, place_locate(subdistrict_code=subdistrict.code, moo=moo).bodies)
    elif code and subdistrict is None:
        error = _("ไม่พบตำบลที่เลือก")
    return render(request, "portal/finder_place.html", {
        "provinces": selectors.provinces_list(), "province": province,
        "districts": selectors.districts_list(province_code=province) if province else [], "district": district,
        "subdistricts": subdistricts_of(district_code=district) if district else [],
        "subdistrict": subdistrict, "subdistrict_name": thai.localised_name(subdistrict),
        "district_name": thai.localised_name(subdistrict.district) if subdistrict else "",
        "moo": "" if moo is None else moo, "answer": answer, "nearest": nearest,
        "error": error, "max_moo": MAX_MOO,
        "labels": {"pick_district": _("— เลือกอำเภอ —"), "pick_subdistrict": _("— เลือกตำบล —"),
                   "locating": _("กำลังหาตำแหน่ง…"), "denied": _("ไม่สามารถระบุตำแหน่งได้ กรุณาเลือกตำบล"),
                   "no_geo": _("เครื่องนี้ไม่รองรับการระบุตำแหน่ง")},
    }, status=400 if error else 200)


@require_GET
@cache_control(public=True, max_age=300)
@cached_page(params=("district",))
def finder_subdistricts(request: HttpRequest) -> JsonResponse:
    rows = [{"code": s.code, "name": thai.localised_name(s)}
            for s in subdistricts_of(district_code=request.GET.get("district", "")[:4])]
    return JsonResponse({"subdistricts": rows})
