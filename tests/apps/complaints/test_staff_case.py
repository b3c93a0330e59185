"""The case page: every action through its form, every refusal shown beside the form with nothing
changed, identity behind an audited "show", attachments only through an access-checked view,
transfers between two bodies, merges."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from apps.complaints.models import Attachment, Complaint, ComplaintEvent, Department, IdentityAccess
from tests.apps.complaints.staff_helpers import events, fresh, make_case, signed_in, user


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def snapshot(body, case) -> tuple:  # type: ignore[no-untyped-def]
    with schema_context(body.schema_name):
        c = Complaint.objects.get(pk=case.pk)
        return (c.status, c.department_id, c.assignee_id, c.resolution, c.closed_at,
                ComplaintEvent.objects.filter(complaint=c).count(), Attachment.objects.filter(complaint=c).count())


def error_for(response, action: str) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    marker = f'data-error-for="{action}">'
    assert marker in page, f"no error shown for {action}"
    return page.split(marker, 1)[1].split("</p>", 1)[0]


def test_case_page_shows_timeline_public_and_internal(banlat):
    case = make_case(banlat)
    client = signed_in(banlat, "officer")
    client.post(f"/staff/cases/{case.pk}/note/", {"note-text": "โทรประสานหัวหน้าช่างแล้ว"})
    client.post(f"/staff/cases/{case.pk}/reply/", {"reply-text": "จะเข้าซ่อมภายในสัปดาห์นี้"})
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert case.tracking_code in page
    assert 'class="internal" data-kind="note"' in page
    assert "โทรประสานหัวหน้าช่างแล้ว" in page and "จะเข้าซ่อมภายในสัปดาห์นี้" in page
    assert "สมชาย" not in page  # identity hidden until "show"


def test_full_workflow_through_the_forms(banlat):
    case = make_case(banlat)
    client = signed_in(banlat, "officer")
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering")
    officer = user(banlat, "officer")
    steps = [
        ("acknowledge", {"acknowledge-text": ""}, "acknowledged"),
        ("assign", {"assign-department": engineering.pk, "assign-assignee": officer.pk}, "in_progress"),
        ("request_info", {"request_info-text": "ขอรูปถ่ายจุดที่ชำรุด"}, "waiting"),
        ("resume", {"resume-text": ""}, "in_progress"),
        ("resolve", {"resolve-resolution": "ซ่อมผิวถนนเรียบร้อย"}, "resolved"),
        ("close", {"close-text": ""}, "closed"),
    ]
    for action, data, status in steps:
        response = client.post(f"/staff/cases/{case.pk}/{action}/", data)
        assert response.status_code == 302, (action, response.content.decode()[-2000:])
        assert fresh(banlat, case).status == status
    case = fresh(banlat, case)
    assert case.assignee_id == officer.pk
    assert case.resolution == "ซ่อมผิวถนนเรียบร้อย"
    assert [s for k, s in events(banlat, case) if k == "status"] == [
        "acknowledged", "in_progress", "waiting", "in_progress", "resolved", "closed"]


@pytest.mark.parametrize(("action", "data", "message"), [
    ("resolve", {"resolve-resolution": "เสร็จ"}, "ไม่สามารถเปลี่ยนสถานะจาก"),  # received → resolved
    ("close", {}, "ไม่สามารถเปลี่ยนสถานะจาก"),
    ("reply", {"reply-text": ""}, "กรุณากรอกข้อความตอบผู้ร้อง"),
    ("note", {"note-text": "   "}, "กรุณากรอกบันทึกภายใน"),
    ("request_info", {"request_info-text": "ขอรูป"}, "กรุณาแจ้งรับเรื่องก่อน"),
    ("reject", {"reject-reason": ""}, "กรุณากรอกเหตุผลที่ไม่รับเรื่อง"),
    ("transfer", {"transfer-reason": "ไม่ใช่อำนาจหน้าที่"}, "กรุณาเลือกหน่วยงานปลายทาง"),
    ("transfer", {"transfer-agency": "__other__", "transfer-agency_other": "", "transfer-reason": "x"},
     "กรุณาเลือกหน่วยงานปลายทาง"),
    ("merge", {"merge-code": "ZZZZ-ZZZZ"}, "ไม่พบเรื่องเลขที่ที่ระบุ"),
    ("assign", {}, "กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบ"),
    ("resume", {}, "กรุณาแจ้งรับเรื่องก่อน"),
    ("transfer_accept", {}, "เรื่องนี้ไม่ได้รอการรับโอน"),
    ("transfer_return", {"transfer_return-reason": "ไม่ใช่ของเรา"}, "เรื่องนี้ไม่ได้รอการรับโอน"),
    ("reopen", {"reopen-reason": "ยังไม่ซ่อม"}, "เปิดเรื่องใหม่ได้เฉพาะ"),
])
def test_every_refusal_is_shown_beside_its_form_and_changes_nothing(banlat, action, data, message):
    case = make_case(banlat)
    before = snapshot(banlat, case)
    response = signed_in(banlat, "admin").post(f"/staff/cases/{case.pk}/{action}/", data)
    assert response.status_code == 400
    assert message in error_for(response, action)
    assert snapshot(banlat, case) == before


def test_officer_cannot_close_a_complex_case(banlat):
    case = make_case(banlat, national="building", description="อาคารสร้างรุกล้ำที่สาธารณะ")
    with schema_context(banlat.schema_name):
        case = Complaint.objects.get(pk=case.pk)
        Complaint.objects.filter(pk=case.pk).update(sla_class="D")
    admin = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering")
    admin.post(f"/staff/cases/{case.pk}/assign/", {"assign-department": engineering.pk})
    admin.post(f"/staff/cases/{case.pk}/resolve/", {"resolve-resolution": "รื้อถอนแล้ว"})
    before = snapshot(banlat, case)
    response = signed_in(banlat, "officer").post(f"/staff/cases/{case.pk}/close/", {})
    assert response.status_code == 400
    assert "ต้องได้รับอนุมัติจากผู้บริหาร" in error_for(response, "close")
    assert snapshot(banlat, case) == before
    assert signed_in(banlat, "executive").post(f"/staff/cases/{case.pk}/close/", {}).status_code == 302
    assert fresh(banlat, case).status == "closed"


def test_reject_with_reason(banlat):
    case = make_case(banlat)
    response = signed_in(banlat, "clerk").post(f"/staff/cases/{case.pk}/reject/",
                                               {"reject-reason": "เป็นเรื่องส่วนตัวระหว่างเพื่อนบ้าน"})
    assert response.status_code == 302
    case = fresh(banlat, case)
    assert (case.status, case.reject_reason) == ("rejected", "เป็นเรื่องส่วนตัวระหว่างเพื่อนบ้าน")


def test_identity_is_shown_only_on_request_and_audited(banlat):
    case = make_case(banlat, name="สมหญิง รักดี", phone="0898765432")
    client = signed_in(banlat, "clerk")
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "สมหญิง" not in page and "แสดงข้อมูลผู้ร้อง" in page
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint_id=case.pk).count() == 0
    response = client.post(f"/staff/cases/{case.pk}/identity/")
    assert response.status_code == 200
    assert "สมหญิง รักดี" in response.content.decode() and "0898765432" in response.content.decode()
    with schema_context(banlat.schema_name):
        access = IdentityAccess.objects.get(complaint_id=case.pk)
        assert (access.user.username, access.context) == ("clerk", "staff case page")
    audit = signed_in(banlat, "admin").get("/staff/admin/audit/?kind=identity").content.decode()
    assert case.tracking_code in audit and "clerk" in audit


def test_identity_refused_to_an_officer_not_assigned_and_nothing_audited(banlat):
    case = make_case(banlat, name="สมหญิง รักดี")
    response = signed_in(banlat, "officer").post(f"/staff/cases/{case.pk}/identity/")
    assert response.status_code == 403
    assert "สมหญิง" not in response.content.decode()
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint_id=case.pk).count() == 0


def test_confidential_identity_only_for_executives(banlat):
    case = make_case(banlat, name="ผู้ร้องลับ", is_confidential=True)
    assert signed_in(banlat, "admin").post(f"/staff/cases/{case.pk}/identity/").status_code == 403
    response = signed_in(banlat, "executive").post(f"/staff/cases/{case.pk}/identity/")
    assert response.status_code == 200 and "ผู้ร้องลับ" in response.content.decode()


def test_reply_with_photo_and_attachment_served_only_through_access_check(banlat, thasen):
    case = make_case(banlat)
    client = signed_in(banlat, "officer")
    response = client.post(f"/staff/cases/{case.pk}/reply/", {"reply-text": "ภาพหลังซ่อม",
                                                               "reply-attachments": [jpeg()]})
    assert response.status_code == 302
    with schema_context(banlat.schema_name):
        attachment = Attachment.objects.get(complaint_id=case.pk)
        assert attachment.is_public and attachment.content_type == "image/jpeg"
        assert attachment.file.name.startswith(f"bodies/{banlat.schema_name}/")
    url = f"/staff/cases/{case.pk}/files/{attachment.pk}/"
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:3] == b"\xff\xd8\xff"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["Content-Disposition"] == f'attachment; filename="{case.tracking_code}-{attachment.pk}.jpg"'
    assert signed_in(banlat, "health_officer").get(url).status_code == 404
    assert signed_in(thasen, "admin").get(url, HTTP_HOST="banlat.localhost").status_code == 404
    assert signed_in(banlat, "officer").get(f"/staff/cases/{case.pk}/files/{attachment.pk + 1}/").status_code == 404
    assert attachment.file.url not in client.get(f"/staff/cases/{case.pk}/").content.decode()


def test_transfer_to_outside_agency_from_list_and_free_text(banlat):
    listed = make_case(banlat)
    free = make_case(banlat)
    client = signed_in(banlat, "admin")
    assert client.post(f"/staff/cases/{listed.pk}/transfer/", {
        "transfer-agency": "การไฟฟ้าส่วนภูมิภาค (PEA)", "transfer-reason": "สายไฟฟ้าแรงสูงขาด"}).status_code == 302
    assert client.post(f"/staff/cases/{free.pk}/transfer/", {
        "transfer-agency": "__other__", "transfer-agency_other": "สำนักงานชลประทานที่ 14",
        "transfer-reason": "คลองส่งน้ำ"}).status_code == 302
    assert (fresh(banlat, listed).status, fresh(banlat, listed).transferred_to_agency) == (
        "transferred", "การไฟฟ้าส่วนภูมิภาค (PEA)")
    assert fresh(banlat, free).transferred_to_agency == "สำนักงานชลประทานที่ 14"


def test_transfer_round_trip_between_two_bodies(banlat, thasen):
    case = make_case(banlat, description="ถนนในเขต อบต.ท่าเสน ชำรุด")
    sender = signed_in(banlat, "admin")
    page = sender.get(f"/staff/cases/{case.pk}/?tq=ท่าเสน").content.decode()
    assert f'value="{thasen.pk}"' in page
    assert sender.post(f"/staff/cases/{case.pk}/transfer/", {
        "transfer-to_body": thasen.pk, "transfer-reason": "อยู่ในเขตท่าเสน"}).status_code == 302
    assert fresh(banlat, case).status == "transferred"

    receiver = signed_in(thasen, "admin")
    offered = receiver.get("/staff/?status=transfer_offered")
    offers = [c for c, _due in offered.context["rows"] if c.tracking_code == case.tracking_code]
    assert len(offers) == 1
    offer = offers[0]
    response = receiver.post(f"/staff/cases/{offer.pk}/transfer_return/", {"transfer_return-reason": "ไม่ใช่เขตเรา"})
    assert response.status_code == 302
    assert fresh(thasen, offer).status == "rejected"
    assert fresh(banlat, case).status == "in_progress"
    assert "ไม่ใช่เขตเรา" in sender.get(f"/staff/cases/{case.pk}/").content.decode()

    # Sent again; this time accepted: a new case there, with the same code.
    sender.post(f"/staff/cases/{case.pk}/transfer/", {"transfer-to_body": thasen.pk, "transfer-reason": "ส่งอีกครั้ง"})
    with schema_context(thasen.schema_name):
        offer = Complaint.objects.get(tracking_code=case.tracking_code, status="transfer_offered")
    assert receiver.post(f"/staff/cases/{offer.pk}/transfer_accept/").status_code == 302
    accepted = fresh(thasen, offer)
    assert (accepted.status, accepted.tracking_code, accepted.transfer_origin_complaint_id) == (
        "received", case.tracking_code, case.pk)
    assert "รับเรื่องแล้ว" in sender.get(f"/staff/cases/{case.pk}/").content.decode()


def test_officer_cannot_accept_a_transfer(banlat, thasen):
    case = make_case(banlat)
    signed_in(banlat, "admin").post(f"/staff/cases/{case.pk}/transfer/",
                                    {"transfer-to_body": thasen.pk, "transfer-reason": "เขตท่าเสน"})
    with schema_context(thasen.schema_name):
        offer = Complaint.objects.get(tracking_code=case.tracking_code)
    response = signed_in(thasen, "clerk").post(f"/staff/cases/{offer.pk}/transfer_accept/")
    assert response.status_code == 302  # clerks may
    with schema_context(thasen.schema_name):
        Complaint.objects.filter(pk=offer.pk).update(status="transfer_offered", department=None)
    response = signed_in(thasen, "executive").post(f"/staff/cases/{offer.pk}/transfer_accept/")
    assert response.status_code == 302


def test_merge_from_duplicate_suggestions(banlat):
    first = make_case(banlat, national="streetlight", description="ไฟถนนดับหน้าโรงเรียน",
                      latitude="13.0801", longitude="99.9301", name="คนแรก")
    second = make_case(banlat, national="streetlight", description="ไฟดับหน้าโรงเรียนบ้านลาด",
                       latitude="13.0802", longitude="99.9302", name="คนที่สอง", phone="0811111111")
    client = signed_in(banlat, "admin")
    page = client.get(f"/staff/cases/{second.pk}/").content.decode()
    assert f'name="merge-into" value="{first.tracking_code}"' in page
    response = client.post(f"/staff/cases/{second.pk}/merge/", {"merge-into": first.tracking_code})
    assert response.status_code == 302
    merged = fresh(banlat, second)
    assert (merged.status, merged.merged_into_id) == ("merged", first.pk)
    assert ("merge", "") in events(banlat, first)


def test_merge_by_a_code_the_case_had_before_a_merge_of_bodies(banlat):
    """The other complainant may still quote the code their case had in the absorbed body."""
    first = make_case(banlat, description="ไฟถนนดับหน้าวัด", name="คนแรก")
    second = make_case(banlat, description="ไฟดับหน้าวัดบ้านลาด", name="คนที่สอง", phone="0811111112")
    with schema_context(banlat.schema_name):
        Complaint.objects.filter(pk=first.pk).update(former_codes=["ABCD-9999"])
    client = signed_in(banlat, "admin")
    response = client.post(f"/staff/cases/{second.pk}/merge/", {"merge-into": "abcd 9999"})
    assert response.status_code == 302
    merged = fresh(banlat, second)
    assert (merged.status, merged.merged_into_id) == ("merged", first.pk)
    refused = client.post(f"/staff/cases/{first.pk}/merge/", {"merge-into": "ABCD-9998"})
    assert "ไม่พบเรื่องเลขที่ที่ระบุ" in refused.content.decode()
    assert fresh(banlat, first).status != "merged"


def test_reopen_by_staff(banlat):
    case = make_case(banlat)
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering")
    client.post(f"/staff/cases/{case.pk}/assign/", {"assign-department": engineering.pk})
    client.post(f"/staff/cases/{case.pk}/resolve/", {"resolve-resolution": "ซ่อมแล้ว"})
    assert client.post(f"/staff/cases/{case.pk}/reopen/", {"reopen-reason": "ผู้ร้องแจ้งว่ายังชำรุด"}).status_code == 302
    assert fresh(banlat, case).status == "received"


def test_transfer_targets_search(banlat, thasen):
    response = signed_in(banlat, "clerk").get("/staff/transfer-targets/?q=ท่าเสน")
    names = [r["dla_code"] for r in response.json()["results"]]
    assert thasen.dla_code in names and banlat.dla_code not in names
    nearby = signed_in(banlat, "clerk").get("/staff/transfer-targets/").json()["results"]
    assert thasen.dla_code in [r["dla_code"] for r in nearby]


def test_category_and_department_show_their_english_names_on_english_pages(banlat) -> None:  # type: ignore[no-untyped-def]
    case = make_case(banlat, national="road")
    client = signed_in(banlat, "admin")
    thai = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "<dd>ถนน ทางเท้า สะพาน ชำรุด</dd>" in thai and "<dd>กองช่าง</dd>" in thai
    client.cookies["django_language"] = "en"
    english = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "<dd>Roads, footpaths and bridges</dd>" in english and "<dd>Engineering Division</dd>" in english
    inbox = client.get(f"/staff/?q={case.tracking_code}").content.decode()
    assert "<td>Roads, footpaths and bridges</td>" in inbox and "<td>Engineering Division</td>" in inbox


def test_timeline_names_a_status_only_where_it_adds_to_the_event(banlat):
    """A new case's first entry says "received" once, not "received → received"; a status change
    names the status it moved to."""
    case = make_case(banlat)
    client = signed_in(banlat, "admin")
    client.post(f"/staff/cases/{case.pk}/acknowledge/", {"acknowledge-text": ""})
    client.cookies["django_language"] = "en"
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    timeline = page[page.index("<strong>Received</strong>"):]
    assert timeline.startswith("<strong>Received</strong>\n—")
    assert "<strong>Status change</strong> → Acknowledged" in page
    assert page.count("→ Received") == 0
