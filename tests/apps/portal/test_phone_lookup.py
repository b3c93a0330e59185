"""Without LINE and without the tracking code: a citizen who gave a phone number sees all their
cases in the body after a one-time code by SMS (through the real SMS provider interface, a local
fake ANTS gateway); the code is hashed, expires, allows 5 wrong tries; requests are throttled;
whether a number has cases is never told."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_tenants.utils import schema_context
from pypdf import PdfReader

from apps.complaints import notifications
from apps.complaints.models import Notification, PhoneCode
from tenants.models import LocalBody
from tests.apps.complaints.fake_gateways import FakeAnts
from tests.apps.complaints.staff_helpers import make_case
from tests.apps.portal.helpers import form_data

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def ants(settings: Any) -> Iterator[FakeAnts]:
    fake = FakeAnts().start()
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": "ants", "email": "console"}
    settings.ANTS_SMS_URL = fake.url
    settings.ANTS_SMS_USERNAME, settings.ANTS_SMS_PASSWORD = fake.username, fake.password
    yield fake
    fake.stop()


def citizen(n: int = 1) -> Client:
    return Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR=f"10.77.2.{n}")


def sms_code(body: LocalBody, fake: FakeAnts) -> str:
    """Deliver the code's SMS through the outbox and read it as the phone would."""
    with schema_context(body.schema_name):
        pending = Notification.objects.filter(complaint=None, channel="sms", status="pending")
        ids = list(pending.values_list("pk", flat=True))
        assert notifications.deliver(ids) == 1
    text = fake.requests[-1]["messages"][0]["text"]
    return re.search(r"\d{6}", text).group(0)  # type: ignore[union-attr]


@time_machine.travel(NOW, tick=False)
def test_a_phone_number_opens_all_its_cases_after_an_sms_code(banlat: LocalBody, ants: FakeAnts) -> None:
    mine = [make_case(banlat, phone="0812345678", description=f"ถนนชำรุด จุดที่ {i}") for i in range(2)]
    make_case(banlat, phone="0899999999")  # someone else's
    client = citizen()
    assert "ดูเรื่องทั้งหมดของท่านด้วยหมายเลขโทรศัพท์" in client.get("/track/").content.decode()
    assert client.post("/track/phone/", {"phone": "081-234-5678"})["Location"] == "/track/phone/code/"
    code = sms_code(banlat, ants)
    assert ants.requests[-1]["messages"][0]["destinations"][0]["to"] == "66812345678"
    assert ants.requests[-1]["messages"][0]["text"] == (
        f"รหัส {code} สำหรับดูเรื่องร้องทุกข์ของท่านกับ {banlat.display_name} ใช้ได้ 10 นาที อย่าบอกรหัสนี้แก่ผู้อื่น")
    with schema_context(banlat.schema_name):
        stored = PhoneCode.objects.get()
        assert code not in stored.code_hash and "0812345678" not in stored.phone_key
    assert client.get("/track/mine/")["Location"] == "/track/phone/"  # not yet verified
    wrong = client.post("/track/phone/code/", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "รหัสไม่ถูกต้องหรือหมดอายุ กรุณาตรวจสอบหรือขอรหัสใหม่" in wrong.content.decode()
    assert client.post("/track/phone/code/", {"code": code})["Location"] == "/track/mine/"
    listed = client.get("/track/mine/").content.decode()
    assert re.findall(r'data-code="([A-Z0-9-]+)"', listed) == [c.tracking_code for c in reversed(mine)]
    opened = client.post("/track/mine/", {"case": mine[0].pk})
    assert opened["Location"] == "/track/case/"
    assert mine[0].tracking_code in client.get("/track/case/").content.decode()
    # The code worked once.
    again = citizen(2)
    again.post("/track/phone/", {"phone": "0812345678"})
    assert again.post("/track/phone/code/", {"code": code}).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_a_number_without_cases_gets_the_same_answer_and_no_sms(banlat: LocalBody, ants: FakeAnts) -> None:
    client = citizen(3)
    assert client.post("/track/phone/", {"phone": "0822222222"})["Location"] == "/track/phone/code/"
    page = client.get("/track/phone/code/").content.decode()
    assert "หากหมายเลขที่ลงท้ายด้วย 2222 มีเรื่องที่แจ้งไว้กับหน่วยงานนี้ ท่านจะได้รับรหัสทาง SMS ภายในไม่กี่นาที" in page
    with schema_context(banlat.schema_name):
        assert not Notification.objects.filter(complaint=None, channel="sms").exists()
        assert not PhoneCode.objects.exists()
    refused = client.post("/track/phone/", {"phone": "12345"})
    assert refused.status_code == 400 and "หมายเลขโทรศัพท์ไม่ถูกต้อง (เช่น 0812345678)" in refused.content.decode()


def test_the_code_expires_and_five_wrong_tries_lock_it(banlat: LocalBody, ants: FakeAnts) -> None:
    with time_machine.travel(NOW, tick=False):
        make_case(banlat, phone="0812345678")
        client = citizen(4)
        client.post("/track/phone/", {"phone": "0812345678"})
        code = sms_code(banlat, ants)
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        assert client.post("/track/phone/code/", {"code": code}).status_code == 400  # expired
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        client.post("/track/phone/", {"phone": "0812345678"})
        code = sms_code(banlat, ants)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            assert client.post("/track/phone/code/", {"code": wrong}).status_code == 400
        assert client.post("/track/phone/code/", {"code": code}).status_code == 400  # locked after 5


@time_machine.travel(NOW, tick=False)
def test_requests_are_throttled_per_number(banlat: LocalBody, ants: FakeAnts) -> None:
    make_case(banlat, phone="0812345678")
    for n in range(3):
        assert citizen(10 + n).post("/track/phone/", {"phone": "0812345678"}).status_code == 302
    throttled = citizen(20).post("/track/phone/", {"phone": "0812345678"})
    assert throttled.status_code == 429
    assert "ขอรหัสบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่" in throttled.content.decode()


def test_the_anonymous_pin_is_grouped_and_the_receipt_downloads_as_pdf(banlat: LocalBody) -> None:
    client = citizen(30)
    assert client.post("/complaints/new/", form_data(banlat, anonymous="on", name="", phone="")).status_code == 302
    pin = client.session["portal_receipt"]["factor"]
    receipt = client.get("/complaints/receipt/").content.decode()
    assert f'class="receipt-code receipt-code--nowrap" id="second-factor">{pin[:3]}\u00a0{pin[3:]}<' in receipt
    assert 'id="receipt-pdf" href="/complaints/receipt.pdf" download' in receipt
    pdf = client.get("/complaints/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    code = client.session["portal_receipt"]["code"]
    assert pdf["Content-Disposition"] == f'attachment; filename="receipt-{code}.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert code in text and pin[:3] in text and pin[3:] in text
    assert Client(HTTP_HOST="banlat.localhost").get("/complaints/receipt.pdf")["Location"] == "/complaints/new/"
