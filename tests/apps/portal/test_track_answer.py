"""The citizen answers a request for information on the web, with photos (re-encoded, EXIF
stripped, as at filing), and lands back on the case with the clock running again; the receipt and
the tracking page say each deadline in plain Thai and never show a progress report due after
the resolution deadline."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image

from apps.complaints.deadlines import case_deadlines
from apps.complaints.models import Attachment, Complaint, ComplaintEvent, Department
from apps.complaints.services.workflow import complaint_acknowledge, complaint_assign, complaint_request_info
from apps.sla.selectors import pending_deadlines
from tenants.models import LocalBody
from tests.apps.complaints.test_staff_intake import jpeg_with_gps
from tests.conftest import staff

from .helpers import category_id, filed, form_data, jpeg

pytestmark = pytest.mark.django_db


def _waiting(client: Client, body: LocalBody, question: str = "ขอรูปเสาไฟต้นที่ดับ") -> Complaint:
    assert client.post("/complaints/new/", form_data(body)).status_code == 302
    complaint = filed(client, body)
    with schema_context(body.schema_name):
        officer = staff(body, "clerk")
        complaint_acknowledge(complaint=complaint, actor=officer, text="")
        complaint_assign(complaint=Complaint.objects.get(pk=complaint.pk), actor=officer,
                         department=Department.objects.get(code="engineering"))
        complaint_request_info(complaint=Complaint.objects.get(pk=complaint.pk), actor=officer, text=question)
    assert client.post("/track/", {"code": complaint.tracking_code, "second_factor": "4567"}).status_code == 302
    return complaint


def test_the_question_is_shown_above_the_answer_form_with_a_photo_field(banlat_client: Client,
                                                                        banlat: LocalBody) -> None:
    _waiting(banlat_client, banlat)
    page = banlat_client.get("/track/case/").content.decode()
    ask = page.split('id="request-info"', 1)[1].split("</blockquote>", 1)[0]
    assert "ขอรูปเสาไฟต้นที่ดับ" in ask and "หน่วยงานถามเมื่อ" in ask
    assert ('<input type="file" name="photos" id="id_respond_photos" accept="image/jpeg,image/png,image/webp" '
            'multiple aria-describedby="respond-photos-help">') in page
    assert 'enctype="multipart/form-data" action="/track/case/"' in page


def test_an_answer_with_photos_resumes_the_clock_and_lands_on_the_case(banlat_client: Client, banlat: LocalBody,
                                                                        settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    complaint = _waiting(banlat_client, banlat)
    gps = SimpleUploadedFile("IMG_0002.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = banlat_client.post("/track/case/", {"action": "respond", "text": "ส่งรูปเสาไฟให้แล้วค่ะ",
                                                   "photos": [gps, jpeg("b.jpg")]})
    assert response.status_code == 302 and response["Location"] == "/track/case/"
    with schema_context(banlat.schema_name):
        case = Complaint.objects.get(pk=complaint.pk)
        assert case.status == "in_progress"
        answer = ComplaintEvent.objects.filter(complaint=case).order_by("-id").first()
        assert (answer.from_status, answer.to_status, answer.actor_id, answer.text) == (
            "waiting", "in_progress", None, "ส่งรูปเสาไฟให้แล้วค่ะ")
        photos = list(Attachment.objects.filter(complaint=case).order_by("id"))
        assert [(p.event_id, p.is_public, p.content_type) for p in photos] == [
            (answer.pk, False, "image/jpeg"), (answer.pk, False, "image/jpeg")]
        assert all(not d.paused for d in pending_deadlines(complaint=case))  # the clock runs again
        with photos[0].file.open("rb") as handle:
            stored = handle.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif().get_ifd(0x8825) and 0x010F not in image.getexif()
    assert b"PhoneMaker" not in stored
    page = banlat_client.get("/track/case/").content.decode()
    assert "ส่งข้อมูลเพิ่มเติมให้หน่วยงานแล้ว" in page and 'id="request-info"' not in page


def test_too_many_photos_or_a_file_that_is_not_a_photo_changes_nothing(banlat_client: Client, banlat: LocalBody,
                                                                       settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    complaint = _waiting(banlat_client, banlat)
    six = banlat_client.post("/track/case/", {"action": "respond", "text": "รูปครับ",
                                              "photos": [jpeg(f"{n}.jpg") for n in range(6)]})
    assert six.status_code == 400
    assert '<p class="errorlist" id="respond-photos-error">แนบรูปได้ไม่เกิน 5 รูป รูปละไม่เกิน 10 MB</p>' in \
        six.content.decode()
    assert "รูปครับ" in six.content.decode()  # the text typed is kept
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    refused = banlat_client.post("/track/case/", {"action": "respond", "text": "รูปครับ", "photos": [exe]})
    assert refused.status_code == 400 and 'id="respond-photos-error"' in refused.content.decode()
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=complaint.pk).status == "waiting"
        assert Attachment.objects.filter(complaint_id=complaint.pk).count() == 0


def test_an_answer_when_nothing_was_asked_is_refused(banlat_client: Client, banlat: LocalBody) -> None:
    assert banlat_client.post("/complaints/new/", form_data(banlat)).status_code == 302
    complaint = filed(banlat_client, banlat)
    assert banlat_client.post("/track/", {"code": complaint.tracking_code, "second_factor": "4567"}).status_code == 302
    page = banlat_client.get("/track/case/").content.decode()
    assert "id_respond_photos" not in page
    refused = banlat_client.post("/track/case/", {"action": "respond", "text": "ข้อมูลเพิ่ม"})
    assert refused.status_code == 400
    assert "หน่วยงานไม่ได้ขอข้อมูลเพิ่มเติมสำหรับเรื่องนี้" in refused.content.decode()


def test_the_receipt_says_each_stage_in_plain_thai(banlat_client: Client, banlat: LocalBody) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        assert banlat_client.post("/complaints/new/", form_data(banlat)).status_code == 302
        page = banlat_client.get("/complaints/receipt/").content.decode()
    promises = page.split('<ol class="promises" id="deadlines">', 1)[1].split("</ol>", 1)[0]
    assert '<li data-stage="ack"><strong>รับเรื่องภายใน 4 มี.ค. 2569 10:00 น.</strong>' in promises  # 3 March: มาฆบูชา
    assert "<strong>แจ้งผลเบื้องต้นภายใน " in promises and "<strong>แก้ไขเสร็จภายใน " in promises
    assert "หน่วยงานบอกท่านว่าจะแก้ไขอย่างไร" in promises


def test_no_progress_report_is_shown_after_the_resolution_deadline(banlat_client: Client, banlat: LocalBody) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        assert banlat_client.post("/complaints/new/", form_data(banlat)).status_code == 302
        complaint = filed(banlat_client, banlat)
        with schema_context(banlat.schema_name):
            case = Complaint.objects.get(pk=complaint.pk)
            owed = {d.stage: d.due_at for d in pending_deadlines(complaint=case)}
            shown = case_deadlines(complaint=case)
        page = banlat_client.get("/complaints/receipt/").content.decode()
    # The clock owes a progress report at 15 days, on the same day as (or after) the resolution
    # deadline of a general-service case: it is not shown, so the two dates cannot contradict.
    assert owed["progress"] >= owed["resolve"]
    assert [d.stage for d in shown] == [s for s in ("ack", "route", "reply", "resolve") if s in owed]
    assert 'data-stage="progress"' not in page and "แจ้งความคืบหน้าภายใน" not in page


def test_an_urgent_case_shows_no_first_reply_after_its_resolution_deadline(banlat_client: Client,
                                                                             banlat: LocalBody) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        data = form_data(banlat, category=category_id(banlat, "urgent_hazard"))
        assert banlat_client.post("/complaints/new/", data).status_code == 302
        with schema_context(banlat.schema_name):
            case = Complaint.objects.get(pk=filed(banlat_client, banlat).pk)
            owed = {d.stage: d.due_at for d in pending_deadlines(complaint=case)}
            shown = [d.stage for d in case_deadlines(complaint=case)]
    assert owed["reply"] > owed["resolve"]  # class A: resolved within a working day, first reply in 15 days
    assert "reply" not in shown and "progress" not in shown and "resolve" in shown
