"""The outbox never loses a notification and never sends one twice in effect: a real HTTP SMS
gateway (slow, failing, then recovered) and two dispatches of the same notification at once; a
database connection killed between the provider's answer and our record of it."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint, Notification, OutboxStatus
from apps.complaints.notifications import deliver, idempotency_key
from apps.complaints.services.intake import complaint_submit
from apps.complaints.validation import Complainant
from apps.reporting.models import ComplaintFact, OutboxEntry
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import category
from tests.conftest import BANLAT
from tests.faultkit import SmsGateway, broker_at, free_port


@pytest.fixture
def gateway(settings) -> Iterator[SmsGateway]:  # type: ignore[no-untyped-def]
    server = SmsGateway().start()
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "sms": "apps.complaints.notifications.HttpSmsBackend"}
    settings.SMS_GATEWAY_URL = server.url
    settings.SMS_GATEWAY_TIMEOUT = 30
    yield server
    server.stop()


@pytest.fixture
def body(committed: None) -> Iterator[LocalBody]:
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = f"outbox-claim-{uuid.uuid4().hex[:8]}"
    body.test_marker = marker  # type: ignore[attr-defined]
    yield body
    with schema_context(body.schema_name):
        ids = list(Complaint.objects.filter(description__contains=marker).values_list("pk", flat=True))
        sent = list(Notification.objects.filter(complaint_id__in=ids).values_list("pk", flat=True))
        OutboxEntry.objects.filter(body=body, notification_id__in=sent).delete()
        Notification.objects.filter(pk__in=sent).delete()
        ComplaintFact.objects.filter(body=body, complaint_id__in=ids).delete()
        Complaint.objects.filter(pk__in=ids).delete()


def _file(body: LocalBody) -> Notification:
    """A web complaint with a phone number; its "received" SMS waits in the outbox (the broker is
    a closed port here, so only this test's dispatches ever see it)."""
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"), schema_context(body.schema_name):
        complaint = complaint_submit(
            channel="web", category=category("road"), description=f"ถนนเป็นหลุม {body.test_marker}",  # type: ignore[attr-defined]
            complainant=Complainant(name="นางสาวรอ ข้อความ", phone="0817776666")).complaint
        return Notification.objects.get(complaint_id=complaint.pk)


def _deliver_in_thread(schema: str, notification_id: int, results: dict[str, object]) -> threading.Thread:
    def run() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                results["pid"] = cursor.fetchone()[0]
            with schema_context(schema):
                results["sent"] = deliver([notification_id])
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _state(body: LocalBody, pk: int) -> Notification:
    with schema_context(body.schema_name):
        return Notification.objects.get(pk=pk)


def test_slow_failing_provider_and_a_second_dispatch_deliver_exactly_once(body, gateway):
    notification = _file(body)
    key = idempotency_key(body.schema_name, notification.pk)
    gateway.failing = gateway.hold = True

    # First dispatch: claimed and committed, then stuck in the slow provider.
    first: dict[str, object] = {}
    worker = _deliver_in_thread(body.schema_name, notification.pk, first)
    assert gateway.arrived.acquire(timeout=30)
    claimed = _state(body, notification.pk)
    assert (claimed.status, claimed.attempts) == (OutboxStatus.SENDING, 1)
    # Second dispatch of the same id meanwhile: the claim is held, nothing is sent.
    with schema_context(body.schema_name):
        assert deliver([notification.pk]) == 0
    before = timezone.now()
    gateway.release()
    worker.join(timeout=60)
    assert first["sent"] == 0
    failed = _state(body, notification.pk)
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 1)
    assert failed.last_error == "HTTP Error 503: Service Unavailable"
    entry = OutboxEntry.objects.get(body=body, notification_id=notification.pk)
    assert entry.due_at == failed.next_attempt_at  # a retry row, two minutes on
    assert dt.timedelta(minutes=2) <= failed.next_attempt_at - before < dt.timedelta(minutes=2, seconds=30)

    # The provider recovers; two dispatches race again: one sends, the other finds it claimed.
    gateway.failing = False
    gateway.hold = True
    gateway._gate.clear()
    results = [{}, {}]
    threads = [_deliver_in_thread(body.schema_name, notification.pk, r) for r in results]
    assert gateway.arrived.acquire(timeout=30)
    gateway.release()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r["sent"] for r in results) == [0, 1]  # type: ignore[type-var]
    assert gateway.requests == [(key, 503), (key, 200)]
    assert list(gateway.delivered) == [key]
    assert "เลขติดตามเรื่อง" in gateway.delivered[key]
    sent = _state(body, notification.pk)
    assert (sent.status, sent.attempts) == (OutboxStatus.SENT, 2)
    assert not OutboxEntry.objects.filter(body=body, notification_id=notification.pk).exists()
    with schema_context(body.schema_name):
        assert deliver([notification.pk]) == 0
    assert len(gateway.requests) == 2


def test_a_lost_record_of_a_send_is_retried_with_the_same_key_and_delivered_once(body, gateway):
    notification = _file(body)
    key = idempotency_key(body.schema_name, notification.pk)
    gateway.hold = True
    outcome: dict[str, object] = {}
    worker = _deliver_in_thread(body.schema_name, notification.pk, outcome)
    assert gateway.arrived.acquire(timeout=30)
    # The worker's database connection dies while the provider is sending (a database restart).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [outcome["pid"]])
    gateway.release()
    worker.join(timeout=60)
    assert "error" in outcome  # the send happened; recording it did not
    stuck = _state(body, notification.pk)
    assert (stuck.status, stuck.attempts) == (OutboxStatus.SENDING, 1)
    assert OutboxEntry.objects.get(body=body, notification_id=notification.pk).due_at == stuck.next_attempt_at

    # Nothing retries it before the claim's lease ends; after it, the sweep's dispatch does.
    with schema_context(body.schema_name):
        assert deliver([notification.pk]) == 0
    with time_machine.travel(stuck.next_attempt_at + dt.timedelta(seconds=1)), schema_context(body.schema_name):
        assert deliver([notification.pk]) == 1
    assert gateway.requests == [(key, 200), (key, 200)]
    assert list(gateway.delivered) == [key]  # the gateway delivered it once
    final = _state(body, notification.pk)
    assert (final.status, final.attempts) == (OutboxStatus.SENT, 2)
