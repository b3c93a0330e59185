"""The services (a body's categories, or the national taxonomy) and their definitions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.categories.models import OVERSIGHT_CLASSES, NationalCategory, SlaClass
from apps.complaints.models import Category
from tenants.models import LocalBody, Subdistrict


def _english() -> bool:
    return (get_language() or "th").startswith("en")


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    national: NationalCategory
    category_id: int | None = None

    @property
    def goes_to_oversight(self) -> bool:
        return self.national.sla_class in OVERSIGHT_CLASSES

    def as_open311(self) -> dict[str, Any]:
        national = self.national
        national_name = national.name_en if _english() and national.name_en else national.name_th
        return {
            "service_code": self.code,
            "service_name": self.name,
            "description": national_name,
            "metadata": True,
            "type": "realtime",
            "keywords": ",".join(dict.fromkeys([national.code, national.name_th, national.name_en])),
            "group": str(SlaClass(national.sla_class).label),
        }


def body_services() -> list[Service]:
    """The body's active categories. The service code is the national code; a second category of
    the body under the same national code gets `<national code>.<its id>`."""
    services, taken = [], set()
    for category in Category.objects.filter(is_active=True).select_related("national_category") \
            .order_by("position", "name_th", "pk"):
        national = category.national_category
        if not national.is_active:
            continue
        code = national.code if national.code not in taken else f"{national.code}.{category.pk}"
        taken.add(national.code)
        name = category.name_en if _english() and category.name_en else category.name_th
        services.append(Service(code=code, name=name, national=national, category_id=category.pk))
    return services


def national_services() -> list[Service]:
    return [Service(code=n.code, name=n.name_en if _english() and n.name_en else n.name_th, national=n)
            for n in NationalCategory.objects.filter(is_active=True)]


def service_by_code(services: list[Service], code: str) -> Service | None:
    return next((service for service in services if service.code == code), None)


def definition(service: Service, *, body: LocalBody | None) -> dict[str, Any]:
    """Attributes every service takes: หมู่ที่, the subdistrict (the tambons of the body's district, or
    a DOPA code nationally), — except on conduct and corruption services — the conduct flag, and the
    channels the complainant allows the handling officers to reach them by."""
    subdistrict: dict[str, Any] = {
        "variable": True, "code": "subdistrict", "required": False, "order": 2,
        "description": _("ตำบลที่เกิดเหตุ"),
    }
    if body is not None and body.district_id:
        subdistrict["datatype"] = "singlevaluelist"
        subdistrict["datatype_description"] = _("รหัสตำบลของกรมการปกครอง")
        subdistrict["values"] = [
            {"key": s.code, "name": s.name_en if _english() and s.name_en else s.name_th}
            for s in Subdistrict.objects.filter(district_id=body.district_id).order_by("code")
        ]
    else:
        subdistrict["datatype"] = "string"
        subdistrict["datatype_description"] = _("รหัสตำบลของกรมการปกครอง 6 หลัก เช่น 760601")
    attributes: list[dict[str, Any]] = [
        {"variable": True, "code": "moo", "datatype": "string", "required": False, "order": 1,
         "datatype_description": _("เลขหมู่ที่ เช่น 3"), "description": _("หมู่ที่")},
        subdistrict,
    ]
    if not service.goes_to_oversight:
        attributes.append({
            "variable": True, "code": "conduct", "datatype": "singlevaluelist", "required": False, "order": 3,
            "datatype_description": _("true: เรื่องนี้ร้องเรียนพฤติกรรมเจ้าหน้าที่ ส่งให้ท้องถิ่นอำเภอโดยปกปิดผู้ร้อง"),
            "description": _("ร้องเรียนพฤติกรรมเจ้าหน้าที่"),
            "values": [{"key": "false", "name": _("ไม่ใช่")}, {"key": "true", "name": _("ใช่")}],
        })
    attributes.append({
        "variable": True, "code": "contact_allowed", "datatype": "multivaluelist", "required": False,
        "order": len(attributes) + 1, "description": _("ผู้ร้องยินยอมให้เจ้าหน้าที่ที่รับผิดชอบติดต่อทาง"),
        "datatype_description": _("ช่องทางที่ผู้ร้องยินยอม (ต้องให้โทรศัพท์หรืออีเมลนั้นไว้ด้วย) ไม่ส่ง: ไม่ยินยอม"),
        "values": [{"key": "phone", "name": _("โทรศัพท์ (โทรหรือส่ง SMS)")}, {"key": "email", "name": _("อีเมล")}],
    })
    return {"service_code": service.code, "attributes": attributes}


def conduct_service(services: list[Service]) -> Service | None:
    return next((s for s in services if s.national.sla_class == SlaClass.CONDUCT), None)
