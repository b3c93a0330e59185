"""A case filed on the web or at the counter is followed on LINE: the receipt (web page and the
printed slip) shows a QR code to add the body's LINE account and a one-time link code; sent in the
chat (through the real webhook), it binds the case to that LINE user, whose pushes follow."""

from __future__ import annotations

import secrets

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.linking import link_hash
from apps.complaints.models import Complaint
from apps.complaints.services.workflow import complaint_reply
from apps.portal.models import BodyProfile
from tests.apps.complaints.staff_helpers import category, signed_in
from tests.apps.line.conftest import Chat, deliver_line
from tests.apps.portal.helpers import filed, form_data

CITIZEN = "U" + "7" * 32
OTHER = "U" + "8" * 32
NBSP = "\u00a0"


@pytest.fixture
def profile(banlat):  # type: ignore[no-untyped-def]
    BodyProfile.objects.update_or_create(body=banlat, defaults={"line_id": "@banlat"})


def _web_receipt(banlat) -> tuple[Complaint, str, str]:  # type: ignore[no-untyped-def]
    # A number and an address of its own: the intake throttle counts committed filings of other tests.
    address = f"10.78.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    citizen = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR=address)
    phone = f"081{secrets.randbelow(10**7):07d}"
    assert citizen.post("/complaints/new/", form_data(banlat, phone=phone)).status_code == 302
    code = citizen.session["portal_receipt"]["line_code"]
    return filed(citizen, banlat), code, citizen.get("/complaints/receipt/").content.decode()


def test_the_web_receipt_shows_the_qr_and_a_one_time_code_that_binds_the_case_in_the_chat(
        line, banlat, profile) -> None:  # type: ignore[no-untyped-def]
    complaint, code, receipt = _web_receipt(banlat)
    assert len(code) == 9 and code[0] == "L" and code[1:].isdigit()
    assert f'id="line-link-code">L{NBSP}{code[1:5]}{NBSP}{code[5:]}<' in receipt
    assert "เพิ่มเพื่อน LINE ของหน่วยงาน (@banlat) แล้วส่งรหัสนี้ในแชต" in receipt
    assert '<svg width="' in receipt and 'class="qr"' in receipt
    with schema_context(banlat.schema_name):
        stored = Complaint.objects.get(pk=complaint.pk)
        assert stored.line_link_hash == link_hash(code) and code not in stored.line_link_hash

    chat = Chat(CITIZEN)
    chat.send(chat.text(f"l {code[1:5]} {code[5:]}"))  # typed as it reads, in lower case
    assert line.reply_texts()[-1] == [
        f"ติดตามเรื่อง {complaint.tracking_code} ทาง LINE แล้ว ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้"]
    with schema_context(banlat.schema_name):
        stored = Complaint.objects.get(pk=complaint.pk)
        assert (stored.complainant_line_id, stored.line_link_hash) == (CITIZEN, "")
        # Once used, the code binds nothing more: another LINE user sending it gets a refusal.
    other = Chat(OTHER)
    other.send(other.text(code))
    assert line.reply_texts()[-1] == ["รหัสเชื่อม LINE ไม่ถูกต้องหรือใช้ไปแล้ว กรุณาตรวจสอบรหัสบนใบรับเรื่อง"]
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=complaint.pk).complainant_line_id == CITIZEN
        # Staff reply: the citizen who linked the case is told on LINE.
        complaint_reply(complaint=stored, actor=User.objects.get(username="officer"), text="ช่างจะเข้าไปซ่อมพรุ่งนี้")
        assert deliver_line() == 1
    push = line.pushes()[-1]
    assert push["to"] == CITIZEN
    assert push["messages"][0]["text"] == \
        f"{banlat.display_name} ตอบเรื่อง {complaint.tracking_code}: ช่างจะเข้าไปซ่อมพรุ่งนี้"


def test_wrong_codes_are_throttled(line, banlat) -> None:  # type: ignore[no-untyped-def]
    chat = Chat("U" + "9" * 32)
    for _ in range(5):
        chat.send(chat.text("L 0000 0000"))
        assert line.reply_texts()[-1] == ["รหัสเชื่อม LINE ไม่ถูกต้องหรือใช้ไปแล้ว กรุณาตรวจสอบรหัสบนใบรับเรื่อง"]
    chat.send(chat.text("L 0000 0000"))
    assert line.reply_texts()[-1] == ["ลองยืนยันบ่อยเกินไป กรุณารอ 15 นาทีแล้วลองใหม่"]


def test_the_printed_counter_slip_shows_the_code_and_the_qr(line, banlat, profile) -> None:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        road = category("road").pk
    response = signed_in(banlat, "clerk").post("/staff/intake/", {
        "channel": "walk_in", "category": road, "description": "ถนนหน้าตลาดเป็นหลุมลึก", "moo": "3",
        "location_text": "หน้าตลาดสด", "name": "นายสมศักดิ์ ทดสอบ", "phone": "081-234-5678"})
    assert response.status_code == 200
    result = response.context["result"]
    html = response.content.decode()
    code = result.line_link_code
    assert f'id="line-link-code">L{NBSP}{code[1:5]}{NBSP}{code[5:]}<' in html
    assert 'class="qr"' in html and "window.print()" in html
    chat = Chat(CITIZEN)
    chat.send(chat.text(code))
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=result.complaint.pk).complainant_line_id == CITIZEN


def test_a_case_filed_in_the_chat_or_anonymously_has_no_link_code(banlat) -> None:  # type: ignore[no-untyped-def]
    citizen = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.10")
    assert citizen.post("/complaints/new/", form_data(banlat, anonymous="on", name="", phone="")).status_code == 302
    assert citizen.session["portal_receipt"]["line_code"] == ""
    assert 'id="line-follow"' not in citizen.get("/complaints/receipt/").content.decode()
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=filed(citizen, banlat).pk).line_link_hash == ""
