"""Demo complaints for `make demo`: a few hundred realistic cases across the bodies of อำเภอบ้านลาด,
in every state, spread over the past year. Every case goes through the services (with the clock
set back by time-machine), so timelines, facts and SLA clocks are what real use would give.
Idempotent: a body that already has complaints is skipped."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Category, Complaint, Department, Role, StaffMember
from apps.complaints.services.intake import complaint_submit
from apps.complaints.services.merge import complaint_merge
from apps.complaints.services.transfer import complaint_transfer, complaint_transfer_accept
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_close,
    complaint_rate,
    complaint_reject,
    complaint_reopen,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
)
from apps.complaints.validation import Complainant
from tenants.models import LocalBody, Subdistrict

PER_BODY = 22

STORIES: dict[str, list[str]] = {
    "streetlight": ["ไฟฟ้าส่องสว่างดับทั้งซอย กลางคืนมืดมาก เกรงจะเกิดอันตราย",
                    "เสาไฟถนนเอียงใกล้ล้ม หน้าศาลาประชาคม", "หลอดไฟถนนกะพริบทั้งคืน รบกวนการนอน"],
    "road": ["ถนนคอนกรีตแตกเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย", "ถนนลูกรังเป็นร่องน้ำหลังฝนตก รถเข้าออกลำบาก",
             "ฝาท่อบนถนนชำรุดยุบตัว"],
    "drainage": ["ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าบ้านหลายวัน", "น้ำท่วมถนนทุกครั้งที่ฝนตกหนัก ขอให้ขุดลอกคูระบายน้ำ"],
    "waste": ["ไม่มีรถมาเก็บขยะมาหนึ่งสัปดาห์ ส่งกลิ่นเหม็น", "มีผู้ลักลอบทิ้งขยะริมถนนเป็นกองใหญ่",
              "ถังขยะหน้าตลาดชำรุด ขอถังใหม่"],
    "water_supply": ["น้ำประปาไหลอ่อนมากช่วงเช้า", "น้ำประปาขุ่นมีตะกอน", "ท่อประปาแตกน้ำไหลทิ้งริมถนน"],
    "tree": ["กิ่งไม้ใหญ่พาดสายไฟ เกรงจะหักโค่น", "ต้นไม้ริมทางบดบังป้ายจราจรที่สี่แยก"],
    "stray_animals": ["สุนัขจรจัดรวมฝูงไล่กัดเด็กนักเรียน", "มีงูเห่าเข้ามาในบริเวณบ้าน ขอให้ช่วยจับ"],
    "nuisance": ["โรงงานข้างบ้านเปิดเครื่องจักรเสียงดังตลอดคืน", "มีการเผาขยะควันเข้าบ้าน เด็กไอ",
                 "เลี้ยงสุกรส่งกลิ่นเหม็นรบกวนทั้งหมู่บ้าน"],
    "public_health": ["ยุงลายชุกชุม ขอให้พ่นหมอกควันกำจัดยุง", "ร้านอาหารริมทางไม่ถูกสุขลักษณะ"],
    "welfare": ["ผู้สูงอายุติดเตียงอยู่ลำพัง ขอความช่วยเหลือ", "ขอรับเบี้ยยังชีพคนพิการ ยังไม่ได้รับเงิน"],
    "building": ["เพื่อนบ้านต่อเติมอาคารรุกล้ำที่สาธารณะ", "ป้ายโฆษณาขนาดใหญ่ติดตั้งไม่มั่นคง"],
    "encroachment": ["มีการตั้งแผงค้าขายบนทางเท้า คนเดินไม่ได้"],
    "urgent_hazard": ["สะพานไม้ข้ามคลองผุพัง เด็กใช้เดินไปโรงเรียน อันตรายมาก"],
    "other": ["ขอให้ติดตั้งกระจกโค้งที่ทางแยกในหมู่บ้าน"],
    "corruption": ["สงสัยการจัดซื้อจัดจ้างโครงการก่อสร้างถนนไม่โปร่งใส"],
    "conduct": ["เจ้าหน้าที่พูดจาไม่สุภาพเมื่อไปติดต่อขอใบอนุญาต"],
}
FIRST = ["สมชาย", "สมหญิง", "ประเสริฐ", "วันเพ็ญ", "บุญมี", "สุดา", "ชาญ", "มาลี", "ทองดี", "อำนวย", "จันทร์เพ็ญ",
         "สมพร"]
LAST = ["ใจดี", "รักถิ่น", "บุญมา", "ทองคำ", "ศรีสุข", "แก้วมณี", "พึ่งบุญ", "นาคสวัสดิ์"]
PLACES = ["หน้าวัด", "ข้างโรงเรียน", "ปากซอย", "ใกล้ตลาดนัด", "หลังศาลาประชาคม", "ริมคลองชลประทาน", "หน้าร้านค้าชุมชน"]
# Final states, roughly as a year of real work leaves them.
STATES = (["closed"] * 7 + ["resolved"] * 3 + ["in_progress"] * 3 + ["waiting"] + ["acknowledged"] * 2
          + ["received"] * 2 + ["rejected", "transferred_agency", "merged", "reopened"])


def _staff(body: LocalBody, password: str) -> dict[str, User]:
    """Role rows for the demo accounts (rongthuk.demo made admin/officer in the demo body, with this password)."""
    engineering = Department.objects.filter(code="engineering").first()
    people: dict[str, User] = {}
    for username, role, full_name in (("admin", Role.ADMIN, f"ผู้ดูแลระบบ {body.display_name}"),
                                      ("officer", Role.OFFICER, "เจ้าหน้าที่ กองช่าง"),
                                      ("executive", Role.EXECUTIVE, "ปลัด"),
                                      ("clerk", Role.CLERK, "เจ้าหน้าที่รับเรื่อง")):
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username, password, full_name=full_name)
        StaffMember.objects.get_or_create(user=user, defaults={
            "role": role, "department": engineering if role == Role.OFFICER else None})
        people[role] = user
    return people


def _at(moment: dt.datetime):  # type: ignore[no-untyped-def]
    import time_machine  # a development dependency, like the demo itself

    return time_machine.travel(moment, tick=False)


def _one(rng: random.Random, body: LocalBody, people: dict[str, User], categories: list[Category],
         subdistricts: list[str], received: dt.datetime, state: str) -> Complaint | None:
    category = rng.choice(categories)
    story = rng.choice(STORIES.get(category.national_category_id, STORIES["other"]))
    anonymous = rng.random() < 0.08
    complainant = None if anonymous else Complainant(
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", phone=f"08{rng.randint(10000000, 99999999)}")
    lat = Decimal("13.05") + Decimal(rng.randint(-300, 300)) / 10000
    lng = Decimal("99.92") + Decimal(rng.randint(-300, 300)) / 10000
    clerk, admin = people[Role.CLERK], people[Role.ADMIN]
    with _at(received):
        result = complaint_submit(
            channel=rng.choice(["web", "walk_in", "phone", "phone", "line", "letter", "email", "1111"]),
            category=category, description=f"{story} {rng.choice(PLACES)}", complainant=complainant,
            subdistrict_code=rng.choice(subdistricts) if subdistricts else "", moo=str(rng.randint(1, 12)),
            location_text=rng.choice(PLACES), latitude=lat, longitude=lng, actor=clerk)
    case = result.complaint
    step = received

    def later(hours: int) -> dt.datetime:
        nonlocal step
        step = min(step + dt.timedelta(hours=rng.randint(1, hours)), timezone.now() - dt.timedelta(minutes=5))
        return step

    if state == "received" or case.routed_to_oversight:
        return case  # a conduct case waits for the district office's desk: the body cannot act on it
    if state == "rejected":
        with _at(later(30)):
            complaint_reject(complaint=case, actor=admin, reason="ไม่อยู่ในอำนาจหน้าที่ของหน่วยงาน")
        return case
    if state == "transferred_agency":
        with _at(later(30)):
            complaint_transfer(complaint=case, actor=admin, reason="อยู่ในความรับผิดชอบของหน่วยงานอื่น",
                               to_agency=rng.choice(["การไฟฟ้าส่วนภูมิภาค (PEA)", "การประปาส่วนภูมิภาค (PWA)",
                                                              "กรมทางหลวงชนบท"]))
        return case
    with _at(later(20)):
        complaint_acknowledge(complaint=case, actor=clerk)
    if state == "acknowledged":
        return case
    if state == "merged":
        target = (Complaint.objects.filter(status__in=["acknowledged", "in_progress"],
                                           national_category=case.national_category).exclude(pk=case.pk).first())
        if target is not None:
            with _at(later(10)):
                complaint_merge(duplicate=case, into=target, actor=admin)
            return case
        state = "in_progress"
    department = case.department or category.department or Department.objects.first()
    with _at(later(40)):
        complaint_assign(complaint=case, actor=admin, department=department)
    with _at(later(48)):
        complaint_reply(complaint=case, actor=admin, text="เจ้าหน้าที่ได้ลงพื้นที่ตรวจสอบแล้ว จะดำเนินการโดยเร็ว")
    if state == "in_progress":
        return case
    if state == "waiting":
        with _at(later(24)):
            complaint_request_info(complaint=case, actor=admin,
                                   text="ขอภาพถ่ายและจุดสังเกตเพิ่มเติมเพื่อให้เจ้าหน้าที่หาจุดได้ถูกต้อง")
        return case
    with _at(later(200)):
        complaint_resolve(complaint=case, actor=admin, resolution="ดำเนินการแก้ไขเรียบร้อยแล้ว")
    if state == "resolved":
        return case
    executive = people[Role.EXECUTIVE]
    with _at(later(72)):
        complaint_close(complaint=case, actor=executive)
    if state == "reopened":
        with _at(later(48)):
            complaint_reopen(complaint=case, actor=admin, reason="ผู้ร้องแจ้งว่าปัญหากลับมาอีก")
    elif rng.random() < 0.6:
        with _at(later(24)):
            complaint_rate(complaint=case, rating=rng.choice([3, 4, 4, 5, 5]))
    return case


def demo_complaints(*, district: str, body_code: str, password: str, per_body: int = PER_BODY,
                    seed: int = 2569) -> list[tuple[str, str, str]]:
    """A year of cases in every body of the district (rongthuk.demo names it, the body whose staff
    accounts it prints, and their password); returns those accounts as (where, username, role)."""
    bodies = list(LocalBody.objects.live().filter(district_id=district).order_by("dla_code"))
    now = timezone.now()
    for index, body in enumerate(bodies):
        rng = random.Random(seed + index)  # noqa: S311 - demo data, reproducible
        with schema_context(body.schema_name):
            people = _staff(body, password)
            if Complaint.objects.exists():
                continue
            categories = list(Category.objects.filter(is_active=True).select_related("national_category"))
            subdistricts = list(Subdistrict.objects.filter(district_id=district).values_list("code", flat=True))
            moments = sorted(now - dt.timedelta(days=rng.uniform(1, 365)) for _ in range(per_body))
            for i, received in enumerate(moments):
                state = STATES[i % len(STATES)] if received < now - dt.timedelta(days=20) else \
                    rng.choice(["received", "acknowledged", "in_progress", "waiting", "resolved"])
                _one(rng, body, people, categories, subdistricts, received, state)
    _demo_transfers(bodies, body_code)
    demo = next((b for b in bodies if b.dla_code == body_code), None)
    if demo is None:
        return []
    url = f"http://{demo.slug}.localhost:8000/staff/"
    return [(url, "executive", "executive (ปลัด), เทศบาลตำบลบ้านลาด"),
            (url, "clerk", "intake clerk, เทศบาลตำบลบ้านลาด")]


def _demo_transfers(bodies: list[LocalBody], body_code: str) -> None:
    """Two transfers from the demo body to a neighbour: one waiting to be accepted, one accepted."""
    demo = next((b for b in bodies if b.dla_code == body_code), None)
    neighbour = next((b for b in bodies if b.dla_code != body_code), None)
    if demo is None or neighbour is None:
        return
    with schema_context(demo.schema_name):
        if Complaint.objects.filter(transferred_to_body=neighbour).exists():
            return
        admin = User.objects.get(username="admin")
        cases = list(Complaint.objects.filter(status="received").order_by("-received_at")[:2])
        for case in cases:
            complaint_transfer(complaint=case, actor=admin, to_body=neighbour,
                               reason="จุดเกิดเหตุอยู่ในเขตรับผิดชอบของ " + neighbour.display_name)
    if len(cases) == 2:
        with schema_context(neighbour.schema_name):
            offer = Complaint.objects.get(tracking_code=cases[1].tracking_code)
            complaint_transfer_accept(complaint=offer, actor=User.objects.get(username="admin"))
