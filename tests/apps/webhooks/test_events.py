"""Webhook events in the outbox: the body's endpoints read once per transaction whatever the
number of events; the transfer events seen from both bodies, delivered to a local receiver; and
the PDPA job, which leaves an undelivered event its endpoint and a body without the person."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints import notifications
from apps.complaints.models import Complaint, Notification, OutboxStatus
from apps.complaints.retention import complaints_anonymise
from apps.complaints.services.transfer import complaint_transfer, complaint_transfer_accept, complaint_transfer_return
from apps.complaints.services.workflow import complaint_note
from apps.complaints.webhooks import webhook_delivery_redeliver
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.services import webhook_endpoint_create, webhook_endpoint_update
from apps.webhooks.signing import verify
from tenants.models import LocalBody
from tests.api.test_webhooks_http import Receiver
from tests.apps.complaints.staff_helpers import make_case


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()


def _endpoint(body: LocalBody, url: str, events: list[str], *, personal_data: bool = False,
              name: str = "ระบบของกองช่าง") -> tuple[WebhookEndpoint, str]:
    with schema_context(body.schema_name), override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True):
        return webhook_endpoint_create(actor=User.objects.get(username="admin"), name=name, url=url, events=events,
                                       personal_data=personal_data)


def _deliver(body: LocalBody) -> int:
    with schema_context(body.schema_name), override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True):
        ids = list(Notification.objects.filter(channel="webhook", status=OutboxStatus.PENDING)
                   .order_by("pk").values_list("pk", flat=True))
        return notifications.deliver(ids)


def _endpoint_reads(captured: CaptureQueriesContext) -> int:
    return sum('FROM "webhooks_webhookendpoint"' in q["sql"] for q in captured.captured_queries)


def test_a_transaction_of_many_events_reads_the_endpoints_once(banlat: LocalBody) -> None:
    # (The test runs in one transaction: the case's filing and its 30 notes are a bulk import's.)
    endpoint, _secret = _endpoint(banlat, "http://127.0.0.1:9/in", ["case.note_added"])
    with CaptureQueriesContext(connection) as captured:
        case = make_case(banlat)
        with schema_context(banlat.schema_name):
            officer = User.objects.get(username="admin")
            for n in range(30):
                complaint_note(complaint=case, actor=officer, text=f"บันทึก {n}")
    assert _endpoint_reads(captured) == 1
    with schema_context(banlat.schema_name):
        assert Notification.objects.filter(channel="webhook", recipient=str(endpoint.pk)).count() == 30


def test_an_endpoint_switched_off_in_the_transaction_gets_no_later_event(banlat: LocalBody) -> None:
    endpoint, _secret = _endpoint(banlat, "http://127.0.0.1:9/in", ["case.note_added"])
    case = make_case(banlat)
    with schema_context(banlat.schema_name), transaction.atomic(), \
            override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True):
        admin = User.objects.get(username="admin")
        complaint_note(complaint=case, actor=admin, text="ก่อนปิด")
        webhook_endpoint_update(actor=admin, endpoint=endpoint, name=endpoint.name, url=endpoint.url,
                                events=endpoint.events, personal_data=False, is_active=False)
        complaint_note(complaint=case, actor=admin, text="หลังปิด")
        sent = [json.loads(b)["event"]["text"] for b in Notification.objects.filter(
            channel="webhook", recipient=str(endpoint.pk)).order_by("pk").values_list("body", flat=True)]
    assert sent == [None]  # one event (a note's text is internal: not sent without the scope)


def test_a_savepoint_rolled_back_does_not_keep_the_endpoints_it_read(banlat: LocalBody) -> None:
    case = make_case(banlat)
    with schema_context(banlat.schema_name):
        admin = User.objects.get(username="admin")
        with transaction.atomic():
            complaint_note(complaint=case, actor=admin, text="ไม่มีปลายทาง")  # reads: none yet
            try:
                with transaction.atomic():
                    complaint_note(complaint=case, actor=admin, text="ย้อนกลับ")
                    raise RuntimeError
            except RuntimeError:
                pass
            # Made behind the service's back (a copy read before is of the rolled-back savepoint).
            endpoint = WebhookEndpoint.objects.create(name="ใหม่", url="http://127.0.0.1:9/in",
                                                      events=["case.note_added"], secret_encrypted="x",
                                                      created_at=case.received_at)
            complaint_note(complaint=case, actor=admin, text="หลังย้อนกลับ")
        assert Notification.objects.filter(channel="webhook", recipient=str(endpoint.pk)).count() == 1


TRANSFER_EVENTS = ["case.transferred", "case.transfer_offered", "case.transfer_accepted", "case.transfer_returned"]


def _received(receiver: Receiver, secret: str) -> list[tuple[str, Any, Any]]:
    out = []
    for r in receiver.received:
        headers = r["headers"]
        assert verify(secret, headers["X-Rongthuk-Timestamp"], r["body"], headers["X-Rongthuk-Signature"])
        payload = json.loads(r["body"])
        assert headers["X-Rongthuk-Event"] == payload["type"]
        out.append((payload["type"], payload["case"]["tracking_code"], payload["event"]["data"]))
    return out


def test_transfers_are_announced_to_both_bodies_endpoints(banlat: LocalBody, thasen: LocalBody,
                                                          receiver: Receiver) -> None:
    sender_hook = Receiver()
    try:
        _e, sender_secret = _endpoint(banlat, sender_hook.url, TRANSFER_EVENTS)
        _e, receiver_secret = _endpoint(thasen, receiver.url, TRANSFER_EVENTS)
        accepted, returned = make_case(banlat), make_case(banlat, description="ไฟฟ้าดับทั้งซอย")
        with schema_context(banlat.schema_name):
            clerk = User.objects.get(username="clerk")
            for case in (accepted, returned):
                complaint_transfer(complaint=case, actor=clerk, reason="อยู่ในเขตของท่าเสน", to_body=thasen)
        with schema_context(thasen.schema_name):
            clerk = User.objects.get(username="clerk")
            complaint_transfer_accept(complaint=Complaint.objects.get(tracking_code=accepted.tracking_code),
                                      actor=clerk)
            complaint_transfer_return(complaint=Complaint.objects.get(tracking_code=returned.tracking_code),
                                      actor=clerk, reason="ไม่ใช่เขตของเรา")
        assert _deliver(banlat) == 4
        assert _deliver(thasen) == 4
        a, r = accepted.tracking_code, returned.tracking_code
        assert _received(sender_hook, sender_secret) == [
            ("case.transferred", a, {"to_agency": "", "to_body": thasen.dla_code}),
            ("case.transferred", r, {"to_agency": "", "to_body": thasen.dla_code}),
            ("case.transfer_accepted", a, {"accepted_by": thasen.dla_code}),
            ("case.transfer_returned", r, {"returned_by": thasen.dla_code}),
        ]
        assert _received(receiver, receiver_secret) == [
            ("case.transfer_offered", a, {"from_body": banlat.dla_code}),
            ("case.transfer_offered", r, {"from_body": banlat.dla_code}),
            ("case.transfer_accepted", a, {}),
            ("case.transfer_returned", r, {}),
        ]
    finally:
        sender_hook.server.shutdown()


def test_the_pdpa_job_lets_an_undelivered_event_go_out_without_the_person(banlat: LocalBody,
                                                                         receiver: Receiver) -> None:
    personal, personal_secret = _endpoint(banlat, receiver.url, ["case.created"], personal_data=True,
                                          name="ระบบที่ได้รับข้อมูลส่วนบุคคล")
    case = make_case(banlat, description="ถนนหน้าบ้านนายสมชายเป็นหลุม", name="สมชาย ใจดี")
    with schema_context(banlat.schema_name):
        row = Notification.objects.get(channel="webhook", recipient=str(personal.pk))
        before = json.loads(row.body)
        assert before["case"]["description"] == "ถนนหน้าบ้านนายสมชายเป็นหลุม"
        assert before["case"]["complainant"]["name"] == "สมชาย ใจดี"
        email = Notification.objects.create(complaint=case, channel="email", recipient="a@example.org", body="สมชาย",
                                            next_attempt_at=case.received_at)
        report = complaints_anonymise(complaint_ids=[case.pk])
        assert report.complaints == 1
        email.refresh_from_db()
        assert (email.recipient, email.body, email.status) == ("", "", OutboxStatus.FAILED)
        row.refresh_from_db()
        assert (row.recipient, row.status) == (str(personal.pk), OutboxStatus.PENDING)
    assert _deliver(banlat) == 1
    [(kind, code, _data)] = _received(receiver, personal_secret)
    sent = json.loads(receiver.received[0]["body"])
    expected = dict(before)
    expected["case"] = {k: v for k, v in before["case"].items()
                        if k not in ("description", "location_text", "moo", "latitude", "longitude", "complainant")}
    assert sent == expected
    assert (kind, code, sent["id"]) == ("case.created", case.tracking_code, before["id"])


def test_a_delivery_emptied_by_the_pdpa_job_is_not_sent_again(banlat: LocalBody, receiver: Receiver) -> None:
    endpoint, _secret = _endpoint(banlat, receiver.url, ["case.created"])
    case = make_case(banlat)
    assert _deliver(banlat) == 1
    with schema_context(banlat.schema_name):
        row = Notification.objects.get(channel="webhook", recipient=str(endpoint.pk))
        assert row.status == OutboxStatus.SENT
        complaints_anonymise(complaint_ids=[case.pk])
        row.refresh_from_db()
        assert (row.recipient, row.body) == ("", "")
        Notification.objects.filter(pk=row.pk).update(recipient=str(endpoint.pk))  # even with its endpoint back
        assert webhook_delivery_redeliver(notification_id=row.pk, endpoint=endpoint) is None
    assert len(receiver.received) == 1
