"""Citizen notifications queued by staff actions are delivered by a real Celery worker; a broker
outage during intake loses nothing (the case is saved, the message waits in the outbox and the
sweep delivers it); a failing provider is retried with backoff and the message is never lost."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from kombu import Connection

from apps.complaints.models import Complaint, Notification, OutboxStatus
from apps.complaints.tasks import notifications_deliver, notifications_sweep
from apps.reporting.models import ComplaintFact, OutboxEntry
from rongthuk.celery import app
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import category, signed_in
from tests.conftest import BANLAT, REPO, _test_env, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def body(committed: None) -> Iterator[LocalBody]:
    """banlat, with what the test commits there removed afterwards (cases, facts, outbox)."""
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = f"notification-test-{uuid.uuid4().hex[:8]}"
    body.test_marker = marker  # type: ignore[attr-defined]
    yield body
    with schema_context(body.schema_name):
        ids = list(Complaint.objects.filter(description__contains=marker).values_list("pk", flat=True))
        notifications = list(Notification.objects.filter(complaint_id__in=ids).values_list("pk", flat=True))
        OutboxEntry.objects.filter(body=body, notification_id__in=notifications).delete()
        Notification.objects.filter(pk__in=notifications).delete()
        ComplaintFact.objects.filter(body=body, complaint_id__in=ids).delete()
        Complaint.objects.filter(pk__in=ids).delete()


def intake(body: LocalBody, **extra: str) -> Complaint:
    with schema_context(body.schema_name):
        road = category("road").pk
    data = {"channel": "phone", "category": road, "name": "นายแจ้ง เตือน", "phone": "0819998888",
            "description": f"ไฟถนนดับ {body.test_marker}"}  # type: ignore[attr-defined]
    data.update(extra)
    response = signed_in(body, "clerk").post("/staff/intake/", data)
    assert response.status_code == 200, response.content.decode()[-1500:]
    return response.context["complaint"]


def notification_of(body: LocalBody, complaint: Complaint) -> Notification:
    with schema_context(body.schema_name):
        return Notification.objects.get(complaint_id=complaint.pk)


def test_notification_queued_on_intake_is_delivered_by_the_worker(body, celery_worker_process):
    complaint = intake(body)

    def sent() -> Notification | None:
        n = notification_of(body, complaint)
        return n if n.status == OutboxStatus.SENT else None

    delivered = wait_for(sent, timeout=60)
    assert (delivered.channel, delivered.recipient, delivered.attempts) == ("sms", "0819998888", 1)
    assert complaint.tracking_code in delivered.body
    assert not OutboxEntry.objects.filter(body=body, notification_id=delivered.pk).exists()


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """The web process's broker points at a port nobody listens on (the worker is untouched)."""
    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "broker_connection_timeout",
                                            "task_publish_retry_policy")}
    app.conf.broker_url = "pyamqp://guest:guest@127.0.0.1:9//"
    app.conf.broker_transport_options = {}
    app.conf.broker_connection_timeout = 1
    app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def test_broker_outage_during_intake_keeps_the_case_and_the_sweep_delivers_later(body, celery_worker_process):
    with broker_unreachable():
        complaint = intake(body)
    with schema_context(body.schema_name):
        assert Complaint.objects.filter(pk=complaint.pk, status="received").exists()
    assert ComplaintFact.objects.filter(body=body, complaint_id=complaint.pk).exists()
    pending = notification_of(body, complaint)
    assert (pending.status, pending.attempts) == (OutboxStatus.PENDING, 0)
    assert OutboxEntry.objects.filter(body=body, notification_id=pending.pk).exists()
    # Broker back: the periodic sweep (beat runs it every minute) finds the outbox entry.
    assert notifications_sweep() >= 1
    wait_for(lambda: notification_of(body, complaint).status == OutboxStatus.SENT, timeout=60)


@pytest.fixture(scope="module")
def failing_worker(django_db_setup: None) -> Iterator[dict[str, object]]:
    """A second real worker whose every provider fails, on a broker folder of its own."""
    folder = Path(settings.BASE_DIR) / ".data" / "broker-staff-failing"
    for sub in ("queue", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for leftover in (folder / "queue").iterdir():
        leftover.unlink()
    env = _test_env()
    env["RONGTHUK_BROKER_FOLDER"] = folder.name
    for channel in ("EMAIL", "SMS", "LINE"):
        env[f"NOTIFY_{channel}_BACKEND"] = "apps.complaints.notifications.FailingBackend"
    log = (REPO / ".data" / "worker-failing.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rongthuk.celery", "worker", "--loglevel=INFO", "--concurrency=1",
         "--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", "failing@%h"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    options = {"data_folder_in": str(folder / "queue"), "data_folder_out": str(folder / "queue"),
               "data_folder_processed": str(folder / "processed"), "store_processed": False}
    yield {"transport_options": options}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_failing_provider_is_retried_with_backoff_and_never_lost(body, failing_worker, settings):
    # Queued while the broker is down, so only the failing worker below ever sees it.
    with broker_unreachable():
        complaint = intake(body)
    notification = notification_of(body, complaint)
    with Connection("filesystem://", transport_options=failing_worker["transport_options"]) as connection:
        for attempt in (1, 2, 3):
            before = timezone.now()
            with schema_context(body.schema_name):
                notifications_deliver.apply_async(args=[[notification.pk]], connection=connection)
            # The claim counts the attempt while the send is in flight ("sending"); wait for its outcome.
            n = wait_for(lambda a=attempt: (x := notification_of(body, complaint)).attempts >= a
                         and x.status != OutboxStatus.SENDING and x, timeout=60)
            assert (n.status, n.attempts, n.last_error) == (OutboxStatus.PENDING, attempt, "provider unavailable")
            # Not before 2, 4, 8 minutes after the attempt began (the failure came later still).
            assert n.next_attempt_at >= before + dt.timedelta(minutes=2 ** attempt)
            entry = OutboxEntry.objects.get(body=body, notification_id=n.pk)
            assert entry.due_at == n.next_attempt_at  # the sweep will come back for it
    # The schedule itself, on a frozen clock: each failure puts the next try 2^attempts minutes after it.
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "sms": "apps.complaints.notifications.FailingBackend"}
    failed_at = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
    with schema_context(body.schema_name):
        from apps.complaints.notifications import deliver

        for attempt, minutes in ((4, 16), (5, 32)):
            with time_machine.travel(failed_at, tick=False):
                assert deliver([notification.pk]) == 0
            n = notification_of(body, complaint)
            assert (n.status, n.attempts, n.next_attempt_at) == (
                OutboxStatus.PENDING, attempt, failed_at + dt.timedelta(minutes=minutes))
            assert OutboxEntry.objects.get(body=body, notification_id=n.pk).due_at == n.next_attempt_at
            failed_at = n.next_attempt_at
        # Provider back (the console backend, delivered here in process): sent, nothing lost.
        settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                          "sms": "apps.complaints.notifications.ConsoleBackend"}
        with time_machine.travel(failed_at, tick=False):
            assert deliver([notification.pk]) == 1
    final = notification_of(body, complaint)
    assert (final.status, final.attempts, final.sent_at) == (OutboxStatus.SENT, 6, failed_at)
    assert not OutboxEntry.objects.filter(body=body, notification_id=final.pk).exists()
