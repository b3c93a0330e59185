"""Body admin pages (departments, categories, staff, identity audit, outbox) and the register
(export with identity only for allowed roles; import with a dry run first)."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Category, Complaint, Department, IdentityAccess, StaffMember
from apps.reporting.models import ComplaintFact
from tests.apps.complaints.staff_helpers import make_case, signed_in


def test_admin_pages_are_for_admins_only(banlat):
    for url in ("/staff/admin/departments/", "/staff/admin/categories/", "/staff/admin/staff/",
                "/staff/admin/audit/", "/staff/admin/outbox/", "/staff/register/import/"):
        assert signed_in(banlat, "admin").get(url).status_code == 200, url
        for role in ("officer", "clerk", "executive"):
            assert signed_in(banlat, role).get(url).status_code == 403, (url, role)


def test_admin_adds_department_and_category_with_default_routing(banlat):
    client = signed_in(banlat, "admin")
    response = client.post("/staff/admin/departments/", {"code": "education", "name_th": "กองการศึกษา",
                                                         "name_en": "Education", "is_active": "on", "position": 9})
    assert response.status_code == 302
    with schema_context(banlat.schema_name):
        education = Department.objects.get(code="education")
    duplicate = client.post("/staff/admin/departments/", {"code": "education", "name_th": "ซ้ำ", "position": 1})
    assert duplicate.status_code == 400 and "รหัสกอง/สำนักนี้มีอยู่แล้ว" in duplicate.content.decode()
    response = client.post("/staff/admin/categories/", {"name_th": "ไฟฟ้าโรงเรียน", "national_category": "streetlight",
                                                        "department": education.pk, "is_active": "on", "position": 1})
    assert response.status_code == 302
    with schema_context(banlat.schema_name):
        new = Category.objects.get(name_th="ไฟฟ้าโรงเรียน")
        assert (new.national_category_id, new.department_id) == ("streetlight", education.pk)


def test_admin_creates_staff_user_who_can_then_sign_in(banlat):
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        health = Department.objects.get(code="health")
    response = client.post("/staff/admin/staff/", {"username": "nurse", "full_name": "พยาบาล ตัวอย่าง",
                                                   "role": "officer", "department": health.pk, "is_active": "on",
                                                   "password": "long-enough-password"})
    assert response.status_code == 302
    with schema_context(banlat.schema_name):
        member = StaffMember.objects.get(user__username="nurse")
        assert (member.role, member.department_id) == ("officer", health.pk)
    missing = client.post("/staff/admin/staff/", {"username": "nodept", "role": "officer", "is_active": "on",
                                                  "password": "long-enough-password"})
    assert missing.status_code == 400 and "ต้องระบุกอง/สำนัก" in missing.content.decode()
    with schema_context(banlat.schema_name):
        assert not User.objects.filter(username="nodept").exists()
        admin = User.objects.get(username="admin")
    demote = client.post(f"/staff/admin/staff/{admin.pk}/", {"role": "clerk", "is_active": "on"})
    assert demote.status_code == 400 and "ไม่สามารถลดสิทธิ์" in demote.content.decode()


def test_outbox_page_shows_status_counts(banlat):
    make_case(banlat)  # queues a "received" SMS
    page = signed_in(banlat, "admin").get("/staff/admin/outbox/")
    counts = {s: n for s, _label, n in page.context["counts"]}
    assert counts["pending"] == 1
    assert "0812345678" not in page.content.decode()


def _rows_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_register_export_with_identity_for_clerk_and_audited(banlat):
    case = make_case(banlat, name="นางสาวมะลิ ทดสอบ")
    response = signed_in(banlat, "clerk").get("/staff/register/export/?format=xlsx")
    assert response.status_code == 200
    rows = _rows_xlsx(response.content)
    assert "ชื่อผู้ร้อง" in rows[0]
    row = next(r for r in rows if r[0] == case.tracking_code)
    assert "นางสาวมะลิ ทดสอบ" in row
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint_id=case.pk, context="register export").count() == 1


def test_register_export_without_identity_for_officer(banlat):
    case = make_case(banlat, name="นางสาวมะลิ ทดสอบ")
    response = signed_in(banlat, "officer").get("/staff/register/export/?format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert "ชื่อผู้ร้อง" not in rows[0] and "โทรศัพท์" not in rows[0]
    assert any(r[0] == case.tracking_code for r in rows[1:])
    assert "มะลิ" not in text and "0812345678" not in text


def test_register_export_hides_confidential_identity_from_clerk(banlat):
    case = make_case(banlat, name="ผู้ร้องลับมาก", is_confidential=True)
    rows = _rows_xlsx(signed_in(banlat, "clerk").get("/staff/register/export/?format=xlsx").content)
    row = next(r for r in rows if r[0] == case.tracking_code)
    assert "ผู้ร้องลับมาก" not in row


def _sheet(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("register.xlsx", buffer.getvalue())


HEADER = ["วันที่รับเรื่อง", "ช่องทาง", "หมวดเรื่อง", "รายละเอียด", "หมู่ที่", "ชื่อผู้ร้อง", "โทรศัพท์", "สถานะ",
          "ผลการดำเนินการ", "วันที่ปิดเรื่อง"]


def test_register_import_dry_run_then_confirm(banlat):
    with schema_context(banlat.schema_name):
        road = Category.objects.filter(national_category_id="road").first().name_th
        before = Complaint.objects.count()
    sheet = _sheet([
        HEADER,
        ["15/03/2568", "หนังสือ/จดหมาย", road, "ถนนลูกรังเป็นหลุม", "4", "นายเก่า ทะเบียน", "0812223333", "ปิดเรื่อง",
         "ลงหินคลุกแล้ว", "30/03/2568"],
        ["2568-05-01", "", road, "ท่อระบายน้ำอุดตัน", "", "", "", "", "", ""],
        ["31/02/2568", "", road, "วันที่ผิด", "", "", "", "", "", ""],
        ["01/06/2568", "", "ไม่มีหมวดนี้", "หมวดผิด", "", "", "", "", "", ""],
        ["01/06/2568", "", road, "มีชื่อแต่ไม่มีเบอร์", "", "นายไม่มีเบอร์", "", "", "", ""],
    ])
    client = signed_in(banlat, "admin")
    response = client.post("/staff/register/import/", {"file": sheet})
    assert response.status_code == 200
    report = response.context["report"]
    assert [(r.number, r.ok) for r in report.rows] == [(2, True), (3, True), (4, False), (5, False), (6, False)]
    assert "วันที่รับเรื่องไม่ถูกต้อง" in report.rows[2].message
    assert "ไม่พบหมวดเรื่อง" in report.rows[3].message
    assert "ช่องทางติดต่อกลับ" in report.rows[4].message
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == before  # the dry run saved nothing
    token = response.context["token"]
    done = client.post("/staff/register/import/", {"confirm": "1", "token": token})
    assert done.status_code == 200
    assert done.context["report"].imported == 2
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == before + 2
        closed = Complaint.objects.get(description="ถนนลูกรังเป็นหลุม")
        assert (closed.status, closed.channel, closed.complainant_name) == ("closed", "letter", "นายเก่า ทะเบียน")
        assert closed.received_at.astimezone().date().isoformat() == "2025-03-15"
        assert closed.closed_at.astimezone().date().isoformat() == "2025-03-30"
        assert not closed.events.filter(kind="notification").exists()
        from apps.complaints.models import Notification

        assert not Notification.objects.filter(complaint=closed).exists()
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=closed.pk)
    assert fact.status == "closed" and fact.received_at == closed.received_at
    again = client.post("/staff/register/import/", {"confirm": "1", "token": token})
    assert again.status_code == 302  # the token is spent: no double import


def test_register_import_refuses_a_file_that_is_not_a_sheet(banlat):
    response = signed_in(banlat, "admin").post("/staff/register/import/", {
        "file": SimpleUploadedFile("register.xlsx", b"MZ not a workbook")})
    assert response.status_code == 400
    assert "อ่านไฟล์ไม่ได้" in response.content.decode()
