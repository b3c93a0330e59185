"""What a body's maps draw when no tile arrives (none configured, the tile server unreachable, no
internet): the body's office, the subdistricts it serves and the other bodies' offices of its
district, each labelled, so a person can still tell where to put a pin. All public registry data:
DLA publishes one point per body (its office) and no boundaries, so a subdistrict is drawn at the
office of the body named after it (the crosswalk's guess), and only when one is known."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tenants.models import BodyKind, LocalBody
from tenants.service_areas import service_area_of, subdistrict_offices

MAX_NEIGHBOURS = 40


def _point(lat: object, lng: object) -> list[float]:
    return [round(float(lat), 5), round(float(lng), 5)]  # type: ignore[arg-type]


def body_map_context(body: LocalBody, *, english: bool = False) -> dict[str, Any]:
    areas = service_area_of(body)
    offices = subdistrict_offices([row.subdistrict_id for row in areas])
    office = _point(body.latitude, body.longitude) if body.latitude is not None and body.longitude is not None \
        else None
    at_office: list[str] = []
    places = []
    for row in areas:
        name = row.subdistrict.name_en if english and row.subdistrict.name_en else row.subdistrict.name_th
        label = _("ต.%(name)s") % {"name": name}
        point = offices.get(row.subdistrict_id)
        if point is None:
            continue
        if office is not None and _point(*point) == office:
            at_office.append(label)
        else:
            places.append({"point": _point(*point), "label": label})
    neighbours = []
    if body.district_id:
        rows = (LocalBody.objects.live().filter(district_id=body.district_id).exclude(pk=body.pk)
                .exclude(kind=BodyKind.PAO).exclude(latitude__isnull=True).exclude(longitude__isnull=True)
                .order_by("dla_code")[:MAX_NEIGHBOURS])
        neighbours = [{"point": _point(b.latitude, b.longitude), "label": b.display_name} for b in rows]
    office_label = _("สำนักงาน%(name)s") % {"name": body.display_name}
    return {
        "office": {"point": office, "label": " · ".join([office_label, *at_office])} if office else None,
        "places": places,
        "neighbours": neighbours,
        "labels": {
            "no_tiles": _("ไม่มีภาพแผนที่พื้นหลัง แผนที่แสดงสำนักงาน ตำบลที่ดูแล และหน่วยงานใกล้เคียงแทน "
                          "แตะบนแผนที่เพื่อปักหมุดได้ตามปกติ"),
            "office": office_label,
            "follow": _("เปิดเรื่องนี้เพื่อติดตามแทนการแจ้งซ้ำ"),
            "zoom_in": _("ขยายแผนที่"),
            "zoom_out": _("ย่อแผนที่"),
        },
    }
