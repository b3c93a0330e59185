"""A body's first-run checklist, ticked from real data: the body's own schema (departments and
categories reviewed, staff, LINE) and the public tables (profile and emblem, calendar, the SLA
agreement and its publication).

`checklist_for` runs in the body's schema (the body's admin opens it on the body's host, or the
periodic job visits the body); the adoption view never calls it: it reads `BodySetup`, the copy
of the body-schema ticks that `setup_record` keeps in the public schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditEntry
from apps.complaints.models import Role, StaffMember
from apps.line.models import LineChannel
from apps.oversight.sla_status import sla_status_for
from apps.portal.models import BodyProfile
from apps.sla.models import Agreement, BodyClosure
from tenants.models import LocalBody


@dataclass(frozen=True)
class Item:
    key: str
    label: Promise
    hint: Promise
    url: str
    done: bool
    required: bool = True


@dataclass(frozen=True)
class SchemaTicks:
    """What only the body's schema can tell."""

    departments: bool
    categories: bool
    staff: bool
    line: bool
    admins: int


def schema_ticks() -> SchemaTicks:
    """Read in the body's schema (the caller is in it)."""
    return SchemaTicks(
        # The template's default departments and categories are a starting point: the item is
        # ticked once the admin has reviewed them (added or edited one), as the body's log shows.
        departments=AuditEntry.objects.filter(kind__startswith="department.").exists(),
        categories=AuditEntry.objects.filter(kind__startswith="category.").exists(),
        staff=StaffMember.objects.exclude(role=Role.ADMIN).filter(user__is_active=True).exists(),
        line=LineChannel.objects.exists(),
        admins=StaffMember.objects.filter(role=Role.ADMIN, user__is_active=True).count(),
    )


@dataclass(frozen=True)
class PublicTicks:
    profile: bool
    calendar: bool
    sla_draft: bool
    sla_published: bool


def public_ticks(body_ids: list[int], *, scoped: Any = None) -> dict[int, PublicTicks]:
    """The public-schema ticks of many bodies at once (five statements whatever the number).
    `scoped`: the same bodies as a query, filtered in the database rather than by 7,850 ids."""
    among = scoped if scoped is not None else body_ids
    with_profile = set(BodyProfile.objects.filter(body_id__in=among).exclude(logo="")
                       .exclude(phone="", email="").values_list("body_id", flat=True))
    with_calendar = set(BodyClosure.objects.filter(body_id__in=among).values_list("body_id", flat=True).distinct())
    with_draft = set(Agreement.objects.filter(body_id__in=among).values_list("body_id", flat=True).distinct())
    sla = sla_status_for(body_ids)
    return {pk: PublicTicks(profile=pk in with_profile, calendar=pk in with_calendar, sla_draft=pk in with_draft,
                            sla_published=sla[pk].published and sla[pk].meets_minimum is not False)
            for pk in body_ids}


# The items a body must have done to count as configured; the SLA's publication is its own figure
# in the adoption view and LINE is optional (not every body runs an Official Account).
CONFIGURED = ("profile", "departments", "categories", "staff", "calendar")


def is_configured(schema: SchemaTicks | None, public: PublicTicks) -> bool:
    if schema is None:
        return False
    return all((public.profile, schema.departments, schema.categories, schema.staff, public.calendar))


def checklist_for(body: LocalBody, ticks: SchemaTicks) -> list[Item]:
    public = public_ticks([body.pk])[body.pk]
    return [
        Item("profile", _("ข้อมูลหน่วยงานและตราสัญลักษณ์"),
             _("ตราสัญลักษณ์ และโทรศัพท์หรืออีเมลที่ประชาชนติดต่อได้"), "/settings/profile/", public.profile),
        Item("departments", _("กอง/สำนัก"), _("ตรวจทานรายชื่อกอง/สำนัก เพิ่มหรือแก้ไขให้ตรงกับโครงสร้างจริง"),
             "/staff/admin/departments/", ticks.departments),
        Item("categories", _("หมวดเรื่อง"), _("ตรวจทานหมวดเรื่องและกองที่รับผิดชอบแต่ละหมวด"),
             "/staff/admin/categories/", ticks.categories),
        Item("staff", _("เจ้าหน้าที่"), _("เพิ่มบัญชีเจ้าหน้าที่อย่างน้อยหนึ่งคนนอกจากผู้ดูแลระบบ"),
             "/staff/admin/staff/", ticks.staff),
        Item("calendar", _("วันปิดทำการ"), _("บันทึกวันปิดทำการของหน่วยงานเอง (นอกเหนือจากวันหยุดราชการ)"),
             "/sla/calendar/", public.calendar),
        Item("sla_draft", _("ร่างข้อตกลงระดับการให้บริการ (SLA)"),
             _("จัดทำร่างโดยใช้มาตรฐานกลางของประเทศเป็นเกณฑ์ขั้นต่ำ"), "/sla/manage/", public.sla_draft),
        Item("sla_published", _("ประกาศข้อตกลงระดับการให้บริการ"),
             _("ประกาศข้อตกลงที่ไม่ต่ำกว่ามาตรฐานกลาง ให้ประชาชนเห็นบนหน้าเว็บของหน่วยงาน"), "/sla/manage/",
             public.sla_published),
        Item("line", _("บัญชี LINE Official Account"), _("ไม่บังคับ: ให้ประชาชนแจ้งเรื่องผ่าน LINE ได้"),
             "/staff/admin/line/", ticks.line, required=False),
    ]
