"""Real providers behind the one notification interface, over real connections: SMS through the
ANTS gateway (a local fake of its documented API) with its signed delivery reports, e-mail through
a local SMTP server; failures retried through the outbox with backoff and never lost; the provider
chosen nationally and overridden by the body's admin; the staff's log with delivery status. The
officer works in English throughout; the citizen reads Thai (or English when they chose it)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from apps.complaints import notifications
from apps.complaints.models import Complaint, Notification, NotificationSettings
from apps.complaints.providers import callback_signature
from tenants.models import LocalBody
from tests.apps.complaints.fake_gateways import FakeAnts, FakeSmtp
from tests.apps.complaints.staff_helpers import make_case, signed_in

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)  # 17:00 in Bangkok: outside quiet hours


@pytest.fixture
def ants(settings: Any) -> Iterator[FakeAnts]:
    fake = FakeAnts().start()
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": "ants", "email": "console"}
    settings.ANTS_SMS_URL = fake.url
    settings.ANTS_SMS_USERNAME, settings.ANTS_SMS_PASSWORD = fake.username, fake.password
    settings.ANTS_SMS_SENDER = "BANLAT"
    settings.SMS_CALLBACK_SECRET = "callback-secret-for-tests"  # noqa: S105 - test data
    yield fake
    fake.stop()


@pytest.fixture
def smtp(settings: Any) -> Iterator[FakeSmtp]:
    server = FakeSmtp().start()
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "email": "smtp", "sms": "console"}
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def english_officer(body: LocalBody, username: str = "officer") -> Client:
    client = signed_in(body, username)
    client.cookies["django_language"] = "en"
    return client


def deliver_pending(body: LocalBody, complaint: Complaint, channel: str) -> list[Notification]:
    with schema_context(body.schema_name):
        ids = list(Notification.objects.filter(complaint=complaint, channel=channel, status="pending")
                   .order_by("id").values_list("pk", flat=True))
        notifications.deliver(ids)
        return list(Notification.objects.filter(pk__in=ids).order_by("id"))


@time_machine.travel(NOW, tick=False)
def test_sms_goes_through_ants_in_thai_while_the_officer_works_in_english(banlat: LocalBody, ants: FakeAnts) -> None:
    case = make_case(banlat, phone="0812345678")
    deliver_pending(banlat, case, "sms")  # the receipt
    officer = english_officer(banlat)
    page = officer.get(f"/staff/cases/{case.pk}/")
    assert '<html lang="en"' in page.content.decode()
    assert officer.post(f"/staff/cases/{case.pk}/acknowledge/", {}).status_code == 302
    [sent] = deliver_pending(banlat, case, "sms")

    key = f"rongthuk-{banlat.schema_name}-{sent.pk}"
    request = ants.requests[-1]
    assert ants.headers[-1]["Authorization"] == "Basic " + base64.b64encode(b"body-account:gateway-password").decode()
    assert request == {"messages": [{
        "from": "BANLAT", "destinations": [{"to": "66812345678", "messageId": key}],
        "text": f"{banlat.display_name} แจ้งรับเรื่อง {case.tracking_code} แล้ว และจะดำเนินการตามข้อตกลงระดับการให้บริการ",
        "notifyUrl": f"https://banlat.localhost/notifications/sms/ants/?sig={callback_signature(key)}",
        "notifyContentType": "application/json", "callbackData": key}]}
    assert (sent.status, sent.provider, sent.provider_message_id, sent.delivery_status, sent.language) == \
        ("sent", "ants", key, "accepted", "th")
    # The public timeline keeps the citizen's language too.
    with schema_context(banlat.schema_name):
        assert list(Complaint.objects.get(pk=case.pk).events.filter(to_status="acknowledged")
                    .values_list("text", flat=True)) == ["หน่วยงานได้รับเรื่องของท่านแล้ว"]
    track = Client(HTTP_HOST="banlat.localhost")
    track.post("/track/", {"code": case.tracking_code, "second_factor": "5678"})
    assert "หน่วยงานได้รับเรื่องของท่านแล้ว" in track.get("/track/case/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_citizen_who_chose_english_reads_english_while_the_officer_works_in_thai(
        banlat: LocalBody, ants: FakeAnts) -> None:
    case = make_case(banlat, phone="0812345678", language="en")
    [receipt] = deliver_pending(banlat, case, "sms")
    assert ants.requests[-1]["messages"][0]["text"] == \
        f"{banlat.display_name} has received your complaint. Tracking code: {case.tracking_code}"
    assert signed_in(banlat, "officer").post(f"/staff/cases/{case.pk}/reply/",
                                             {"reply-text": "ช่างจะเข้าไปตรวจพรุ่งนี้"}).status_code == 302
    deliver_pending(banlat, case, "sms")
    assert ants.requests[-1]["messages"][0]["text"] == \
        f"{banlat.display_name} replied on complaint {case.tracking_code}: ช่างจะเข้าไปตรวจพรุ่งนี้"
    with schema_context(banlat.schema_name):
        assert Notification.objects.filter(complaint=case).values_list("subject", flat=True).distinct().get() == \
            f"Complaint {case.tracking_code}"


@time_machine.travel(NOW, tick=False)
def test_delivery_reports_are_verified_and_recorded_once(banlat: LocalBody, ants: FakeAnts) -> None:
    case = make_case(banlat, phone="0812345678")
    [sent] = deliver_pending(banlat, case, "sms")
    message = ants.requests[-1]["messages"][0]
    notify = urlsplit(message["notifyUrl"])
    gateway = Client(HTTP_HOST="banlat.localhost")

    def post(report: dict[str, Any], query: str = notify.query) -> Any:
        return gateway.post(f"{notify.path}?{query}", json.dumps(report), content_type="application/json")

    forged = post(FakeAnts.report(message, 3), query="sig=" + "0" * 32)
    assert (forged.status_code, forged.json()) == (403, {"error": "invalid signature"})
    with schema_context(banlat.schema_name):
        assert Notification.objects.get(pk=sent.pk).delivery_status == "accepted"
    assert post({"details": "nonsense"}).status_code == 400
    assert post(FakeAnts.report(message, 3), query="sig=ลายเซ็น").status_code == 403
    assert gateway.post(f"{notify.path}?{notify.query}", b"\xff", content_type="application/json").status_code == 400

    delivered = post(FakeAnts.report(message, 3))
    assert (delivered.status_code, delivered.json()) == (200, {"status": "OK"})
    assert post(FakeAnts.report(message, 1)).status_code == 200  # a late PENDING changes nothing
    with schema_context(banlat.schema_name):
        row = Notification.objects.get(pk=sent.pk)
    assert (row.delivery_status, row.delivery_detail, row.delivered_at) == (
        "delivered", "DELIVERED DELIVERED_TO_HANDSET Message delivered to handset", NOW)

    # The staff's log: provider and delivery status, for the body's admin.
    log = signed_in(banlat, "admin").get("/staff/admin/outbox/").content.decode()
    assert f'<td data-delivery="{sent.pk}">ถึงผู้รับแล้ว' in log
    assert "<td>ANTS (ants.co.th)</td>" in log


def test_the_gateway_down_is_retried_with_backoff_and_the_message_goes_once(banlat: LocalBody, ants: FakeAnts) -> None:
    ants.fail_next = 2
    with time_machine.travel(NOW, tick=False):
        case = make_case(banlat, phone="0812345678")
        [first] = deliver_pending(banlat, case, "sms")
    assert (first.status, first.attempts, first.next_attempt_at) == ("pending", 1, NOW + dt.timedelta(minutes=2))
    assert first.last_error.startswith("ANTS answered 500")
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        [second] = deliver_pending(banlat, case, "sms")
    assert (second.status, second.attempts, second.next_attempt_at) == (
        "pending", 2, NOW + dt.timedelta(minutes=6))
    with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
        [third] = deliver_pending(banlat, case, "sms")
    assert (third.status, third.attempts, third.delivery_status) == ("sent", 3, "accepted")
    # Every attempt carried the same message id: the gateway can tell a retry from a new message.
    keys = {r["messages"][0]["destinations"][0]["messageId"] for r in ants.requests}
    assert keys == {f"rongthuk-{banlat.schema_name}-{first.pk}"} and len(ants.requests) == 3


@time_machine.travel(NOW, tick=False)
def test_a_refused_number_is_kept_for_retry_not_dropped(banlat: LocalBody, ants: FakeAnts) -> None:
    ants.refuse_group = 5
    case = make_case(banlat, phone="0812345678")
    [row] = deliver_pending(banlat, case, "sms")
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "ANTS refused the message: REJECTED REJECTED_ENROUTE"


@time_machine.travel(NOW, tick=False)
def test_email_through_smtp_in_the_citizens_language(banlat: LocalBody, smtp: FakeSmtp, settings: Any) -> None:
    case = make_case(banlat, phone="", email="somchai@example.org")
    english_officer(banlat).post(f"/staff/cases/{case.pk}/acknowledge/", {})
    rows = deliver_pending(banlat, case, "email")
    assert [(r.status, r.provider) for r in rows] == [("sent", "smtp"), ("sent", "smtp")]
    assert [m["To"] for m in smtp.messages] == ["somchai@example.org", "somchai@example.org"]
    last = smtp.messages[-1]
    assert last["Subject"].strip() == f"เรื่องร้องทุกข์ {case.tracking_code}"
    assert last["Message-ID"] == f"<rongthuk-{banlat.schema_name}-{rows[-1].pk}@localhost>"
    assert last["Content-Language"] == "th"
    assert last.get_content().strip() == \
        f"{banlat.display_name} แจ้งรับเรื่อง {case.tracking_code} แล้ว และจะดำเนินการตามข้อตกลงระดับการให้บริการ"
    assert rows[-1].provider_message_id == last["Message-ID"]


@time_machine.travel(NOW, tick=False)
def test_smtp_down_keeps_the_email_for_later(banlat: LocalBody, smtp: FakeSmtp) -> None:
    smtp.stop()
    case = make_case(banlat, phone="", email="somchai@example.org")
    [row] = deliver_pending(banlat, case, "email")
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, NOW + dt.timedelta(minutes=2))
    assert row.last_error.startswith("SMTP: ")
    restarted = FakeSmtp(port=smtp.port).start()  # back up: the retry goes
    try:
        with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
            [again] = deliver_pending(banlat, case, "email")
    finally:
        restarted.stop()
    assert (again.status, len(restarted.messages)) == ("sent", 1)


@time_machine.travel(NOW, tick=False)
def test_the_body_admin_chooses_its_own_provider_and_it_is_audited(banlat: LocalBody, ants: FakeAnts) -> None:
    admin = signed_in(banlat, "admin")
    page = admin.get("/staff/admin/notifications/").content.decode()
    assert ("ค่ากลางของระบบ: SMS ผ่าน ANTS (ants.co.th) อีเมลผ่าน ทดสอบ (บันทึกไว้ในระบบ ไม่ส่งจริง) "
            "งดส่ง SMS และ LINE ตั้งแต่ 0:00 ถึง 0:00 น.") in page
    refused = admin.post("/staff/admin/notifications/", {"sms_provider": "smtp", "email_provider": "",
                                                         "quiet_start": "", "quiet_end": ""})
    assert refused.status_code == 400
    assert "เลือกตัวเลือกที่ถูกต้อง" in refused.content.decode()
    half = admin.post("/staff/admin/notifications/", {"sms_provider": "", "email_provider": "",
                                                      "quiet_start": "22", "quiet_end": ""})
    assert half.status_code == 400
    assert "กรุณากรอกเวลาเริ่มและเวลาสิ้นสุดช่วงงดส่งข้อความทั้งสองช่อง" in half.content.decode()
    with schema_context(banlat.schema_name):
        assert not NotificationSettings.objects.exists()
    saved = admin.post("/staff/admin/notifications/", {"sms_provider": "console", "email_provider": "",
                                                       "quiet_start": "", "quiet_end": ""})
    assert saved.status_code == 302
    case = make_case(banlat, phone="0812345678")
    [row] = deliver_pending(banlat, case, "sms")
    assert (row.status, row.provider, ants.requests) == ("sent", "console", [])
    with schema_context(banlat.schema_name):
        entry = AuditEntry.objects.filter(kind="notification.settings").get()
        assert entry.changes == {"before": {}, "after": {"sms_provider": "console", "email_provider": ""}}
    assert signed_in(banlat, "officer").get("/staff/admin/notifications/").status_code == 403
    assert timezone.now() == NOW
