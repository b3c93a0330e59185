from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint, Department
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_close,
    complaint_reply,
    complaint_resolve,
)
from apps.portal.models import BodyProfile
from tenants.models import LocalBody
from tests.conftest import staff

from .helpers import filed, form_data, jpeg

pytestmark = pytest.mark.django_db


def _file(client: Client, body: LocalBody) -> Complaint:
    assert client.post("/complaints/new/", form_data(body)).status_code == 302
    return filed(client, body)


def _start_work(complaint: Complaint, actor: object) -> None:
    complaint_assign(complaint=complaint, actor=actor, department=Department.objects.get(code="engineering"))


def _look_up(client: Client, code: str, factor: str = "4567") -> object:
    return client.post("/track/", {"code": code, "second_factor": factor})


def test_code_and_phone_digits_open_the_case_with_its_pending_deadlines(
    banlat_client: Client, banlat: LocalBody,
) -> None:
    complaint = _file(banlat_client, banlat)
    fresh = Client(HTTP_HOST="banlat.localhost")
    response = _look_up(fresh, complaint.tracking_code.lower().replace("-", ""))
    assert response.status_code == 302 and response["Location"] == "/track/case/"
    page = fresh.get("/track/case/").content.decode()
    assert complaint.tracking_code in page
    assert "รับเรื่องแล้ว" in page
    assert "<strong>รับเรื่องภายใน " in page and "เหลือ" in page  # a pending deadline with its time left
    assert " 256" in page  # Buddhist-era year on the timeline


def test_a_wrong_second_factor_reveals_nothing(banlat_client: Client, banlat: LocalBody) -> None:
    complaint = _file(banlat_client, banlat)
    fresh = Client(HTTP_HOST="banlat.localhost")
    wrong = _look_up(fresh, complaint.tracking_code, "0000")
    missing = _look_up(fresh, "ZZZZ-ZZZZ", "4567")
    assert wrong.status_code == missing.status_code == 400
    assert "ไม่พบเรื่อง หรือข้อมูลยืนยันไม่ถูกต้อง" in wrong.content.decode()
    assert fresh.get("/track/case/")["Location"] == "/track/"


def test_another_bodys_portal_does_not_find_the_case(banlat_client: Client, banlat: LocalBody,
                                                      thasen_client: Client) -> None:
    complaint = _file(banlat_client, banlat)
    assert _look_up(thasen_client, complaint.tracking_code).status_code == 400
    assert thasen_client.get("/track/case/")["Location"] == "/track/"


def test_lookups_are_rate_limited_per_address(banlat_client: Client, banlat: LocalBody) -> None:
    fresh = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.9.9.9")
    # Inside one 15-minute window of the limit: at a real clock the 21 look-ups could straddle two.
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 1, tzinfo=dt.UTC), tick=False):
        for _ in range(20):
            assert _look_up(fresh, "ZZZZ-ZZZZ", "1234").status_code == 400
        assert _look_up(fresh, "ZZZZ-ZZZZ", "1234").status_code == 429


def test_the_citizen_sees_the_reply_and_public_files_then_rates(banlat_client: Client, banlat: LocalBody,
                                                                thasen_client: Client) -> None:
    complaint = _file(banlat_client, banlat)
    with schema_context(banlat.schema_name):
        officer = staff(banlat, "admin")
        complaint_acknowledge(complaint=complaint, actor=officer)
        complaint_reply(complaint=complaint, actor=officer, text="ช่างจะเข้าซ่อมวันพรุ่งนี้",
                        uploads=[jpeg("plan.jpg")])
        attachment = complaint.attachments.get(is_public=True)
        private = complaint.attachments.filter(is_public=False).first()
    page = banlat_client.get("/track/case/").content.decode()
    assert "ช่างจะเข้าซ่อมวันพรุ่งนี้" in page and "หน่วยงานตอบกลับ" in page
    assert (f'<a href="/track/files/{attachment.pk}/"><img src="/track/files/{attachment.pk}/thumbnail/" '
            'alt="รูปภาพจากหน่วยงาน 1"') in page
    small = banlat_client.get(f"/track/files/{attachment.pk}/thumbnail/")
    assert small["Content-Type"] == "image/jpeg" and small["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in small["Cache-Control"] and "no-store" in small["Cache-Control"]
    with schema_context(banlat.schema_name), attachment.thumbnail.open("rb") as handle:
        assert b"".join(small.streaming_content) == handle.read()
    for stranger in (Client(HTTP_HOST="banlat.localhost"), thasen_client):
        assert stranger.get(f"/track/files/{attachment.pk}/thumbnail/").status_code == 404
    download = banlat_client.get(f"/track/files/{attachment.pk}/")
    assert download["Content-Type"] == "image/jpeg" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["Content-Disposition"] == 'attachment; filename="plan.jpg"'
    assert Client(HTTP_HOST="banlat.localhost").get(f"/track/files/{attachment.pk}/").status_code == 404
    if private is not None:
        assert banlat_client.get(f"/track/files/{private.pk}/").status_code == 404
        assert banlat_client.get(f"/track/files/{private.pk}/thumbnail/").status_code == 404
    assert "ประเมินความพึงพอใจ" not in page  # not before it is resolved
    with schema_context(banlat.schema_name):
        _start_work(complaint, officer)
        complaint_resolve(complaint=complaint, actor=officer, resolution="เปลี่ยนหลอดไฟแล้ว")
    bad = banlat_client.post("/track/case/", {"action": "rate", "rating": "9"})
    assert bad.status_code == 400
    assert banlat_client.post("/track/case/", {"action": "rate", "rating": "4", "comment": "เร็วดี"}).status_code == 302
    with schema_context(banlat.schema_name):
        complaint.refresh_from_db()
    assert complaint.rating == 4 and complaint.rating_comment == "เร็วดี"
    assert "ท่านให้คะแนน 4 จาก 5" in banlat_client.get("/track/case/").content.decode()


def test_reopen_within_the_bodys_window_starts_a_new_cycle(banlat_client: Client, banlat: LocalBody) -> None:
    BodyProfile.objects.create(body=banlat, reopen_window_days=7)
    complaint = _file(banlat_client, banlat)
    with schema_context(banlat.schema_name):
        admin = staff(banlat, "admin")
        _start_work(complaint, admin)
        complaint_resolve(complaint=complaint, actor=admin, resolution="ซ่อมแล้ว")
        complaint_close(complaint=complaint, actor=admin)
    assert "ขอให้พิจารณาใหม่" in banlat_client.get("/track/case/").content.decode()
    assert banlat_client.post("/track/case/", {"action": "reopen", "reason": ""}).status_code == 400
    response = banlat_client.post("/track/case/", {"action": "reopen", "reason": "ไฟดับอีกแล้ว"})
    assert response.status_code == 302
    with schema_context(banlat.schema_name):
        complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.reopen_count == 1


def test_reopen_after_the_window_is_refused(banlat_client: Client, banlat: LocalBody) -> None:
    BodyProfile.objects.create(body=banlat, reopen_window_days=7)
    complaint = _file(banlat_client, banlat)
    with schema_context(banlat.schema_name):
        admin = staff(banlat, "admin")
        _start_work(complaint, admin)
        complaint_resolve(complaint=complaint, actor=admin, resolution="ซ่อมแล้ว")
        complaint_close(complaint=complaint, actor=admin)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        page = banlat_client.get("/track/case/").content.decode()
        assert 'value="reopen"' not in page
        response = banlat_client.post("/track/case/", {"action": "reopen", "reason": "ไฟดับอีก"})
        assert response.status_code == 400
        assert "เกินกำหนด 7 วัน" in response.content.decode()
    with schema_context(banlat.schema_name):
        complaint.refresh_from_db()
    assert complaint.status == "closed"


def test_forgetting_the_case_ends_access(banlat_client: Client, banlat: LocalBody) -> None:
    _file(banlat_client, banlat)
    assert banlat_client.get("/track/case/").status_code == 200
    banlat_client.post("/track/forget/")
    assert banlat_client.get("/track/case/")["Location"] == "/track/"


def test_unknown_action_is_a_bad_request(banlat_client: Client, banlat: LocalBody) -> None:
    _file(banlat_client, banlat)
    assert banlat_client.post("/track/case/", {"action": "delete"}).status_code == 400


