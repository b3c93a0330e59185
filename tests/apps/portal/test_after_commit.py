"""Once a complaint is stored the citizen gets the receipt with the code and second factor,
whatever fails after the commit; the same form sent twice files one case; a photo the file
store cannot take (full disk, read-only folder) leaves the case and its text stored, says so in
Thai, and puts the failure on the staff timeline."""

from __future__ import annotations

import secrets
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Attachment, Complaint, ComplaintEvent, EventKind
from apps.portal.models import IntakeThrottle
from tenants import cache
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import signed_in
from tests.apps.portal.helpers import filed, form_data, jpeg
from tests.conftest import BANLAT
from tests.faultkit import broken_store


def _client(address: str = "") -> Client:
    """A citizen at an address and with a phone number of their own (the intake throttle's
    counters are committed and outlive a test run)."""
    cache.clear()
    address = address or ".".join(["10"] + [str(secrets.randbelow(250) + 1) for _ in range(3)])
    return Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR=address)


def _phone() -> str:
    return f"08{secrets.randbelow(10**8):08d}"


def test_a_throttle_counter_that_cannot_be_written_after_commit_still_shows_the_receipt(committed: None) -> None:
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = uuid.uuid4().hex
    client = _client()
    table = IntakeThrottle._meta.db_table
    # Another session holds a lock that lets the throttle check read but makes its write wait;
    # this connection gives up waiting at once: the counter update fails after the case commits.
    dsn = settings.DATABASES["default"]
    holder = psycopg.connect(host=dsn["HOST"] or None, port=dsn["PORT"] or None, user=dsn["USER"],
                             dbname=dsn["NAME"], password=dsn["PASSWORD"] or None)
    try:
        holder.execute(f'LOCK TABLE public."{table}" IN SHARE MODE')
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        response = client.post("/complaints/new/", form_data(body, description=f"ท่อระบายน้ำอุดตัน {marker}",
                                                              anonymous="on", name="", phone=""))
    finally:
        holder.rollback()
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert response.status_code == 302, response.content.decode()[-800:]
    receipt = client.get("/complaints/receipt/")
    assert receipt.status_code == 200
    page = receipt.content.decode()
    complaint = filed(client, body)
    assert complaint.tracking_code in page
    pin = client.session["portal_receipt"]["factor"]
    assert len(pin) == 6 and f"{pin[:3]}\u00a0{pin[3:]}" in page  # grouped, never wrapped
    assert marker in complaint.description


def test_the_same_form_sent_twice_files_one_case(committed: None) -> None:
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = uuid.uuid4().hex
    client = _client()
    page = client.get("/complaints/new/").content.decode()
    key = page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    assert len(key) >= 20
    data = form_data(body, description=f"ไฟถนนดับทั้งซอย {marker}", idempotency_key=key, phone=_phone())
    first = client.post("/complaints/new/", data)
    first_code = client.session["portal_receipt"]["code"]
    retry = _client()  # the same page sent again from a fresh connection
    again = retry.post("/complaints/new/", data)
    assert (first.status_code, again.status_code) == (302, 302)
    assert retry.session["portal_receipt"]["code"] == first_code
    with schema_context(body.schema_name):
        assert Complaint.objects.filter(description__contains=marker).count() == 1


def test_the_idempotency_key_header_is_honoured_on_the_portal(committed: None) -> None:
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = uuid.uuid4().hex
    phone = _phone()
    data = form_data(body, description=f"ถนนทรุดตัว {marker}", phone=phone)
    results = []
    for _ in range(2):
        client = _client()
        response = client.post("/complaints/new/", data, HTTP_IDEMPOTENCY_KEY=marker)
        results.append((response.status_code, client.session["portal_receipt"]["code"],
                        client.session["portal_receipt"]["factor"]))
    assert results[0] == results[1]
    assert results[0][2] == phone[-4:]  # the phone's last four digits, shown again
    with schema_context(body.schema_name):
        assert Complaint.objects.filter(description__contains=marker).count() == 1


@pytest.mark.parametrize("kind", ["full", "readonly"])
def test_a_photo_the_store_cannot_take_keeps_the_case_and_says_so(committed: None, settings, kind: str) -> None:  # type: ignore[no-untyped-def]
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = uuid.uuid4().hex
    client = _client()
    with broken_store(kind) as media:
        settings.MEDIA_ROOT = str(media)
        response = client.post("/complaints/new/", {
            **form_data(body, description=f"ขยะล้นถังหน้าตลาด {marker}", phone=_phone()), "photos": [jpeg("หน้าตลาด.jpg")]})
        assert response.status_code == 302, response.content.decode()[-800:]
        receipt = client.get("/complaints/receipt/").content.decode()
    complaint = filed(client, body)
    assert marker in complaint.description
    assert complaint.tracking_code in receipt
    assert ("บันทึกเรื่องของท่านแล้ว แต่ไม่ได้รับรูป หน้าตลาด.jpg เพราะระบบจัดเก็บไฟล์ขัดข้อง "
            "กรุณาส่งรูปอีกครั้งจากหน้าติดตามเรื่อง") in receipt
    with schema_context(body.schema_name):
        assert not Attachment.objects.filter(complaint=complaint).exists()
        event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.ATTACHMENT)
        assert (event.is_public, event.data) == (False, {"failed": ["หน้าตลาด.jpg"]})
        assert event.text == "ระบบจัดเก็บไฟล์ขัดข้อง ไม่ได้รับไฟล์แนบ 1 ไฟล์: หน้าตลาด.jpg"
    staff_page = signed_in(body, "admin").get(f"/staff/cases/{complaint.pk}/").content.decode()
    assert "ระบบจัดเก็บไฟล์ขัดข้อง ไม่ได้รับไฟล์แนบ 1 ไฟล์: หน้าตลาด.jpg" in staff_page
