"""The PDPA job against a webhook delivery a worker has claimed, on two real connections (the
delivery in a thread of its own, the erasure in this one or a third), with committed rows:

- claimed, then erased, then sent: what goes out is the row the erasure left (no complainant,
  description or place), never what the worker read when it claimed the row;
- erased while the POST is on the wire: the erasure waits on the row until the receiver has
  answered, so nothing personal leaves after the erasure commits, and the erasure then leaves the
  delivered row's body without the person.

The delivery is held at one point only (the webhook provider's entry, before it reads the row)
so that the interleaving is the one named, not a timing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints import notifications
from apps.complaints.models import Complaint, Notification, OutboxStatus, StaffMember
from apps.complaints.retention import complaints_anonymise
from apps.reporting.models import OutboxEntry
from apps.webhooks.delivery import WebhookBackend
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.services import webhook_endpoint_create
from tenants.models import LocalBody
from tests.api.test_webhooks_http import Receiver
from tests.apps.complaints.staff_helpers import committed_case_delete, make_case
from tests.conftest import wait_for

# A body of the standing registry no other test uses: its rows are committed.
BODY = "6760206"
NAME, PHONE, DESCRIPTION = "สมหญิง ลบข้อมูล", "0891234567", "ถนนหน้าบ้านนางสมหญิงเป็นหลุมลึก"
PERSONAL = ("description", "location_text", "moo", "latitude", "longitude", "complainant")


class HeldReceiver(Receiver):
    """A receiver whose first POST waits for `release` before it answers."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived, self.release = threading.Event(), threading.Event()
        handler = self.server.RequestHandlerClass
        original: Callable[[Any], None] = handler.do_POST  # type: ignore[attr-defined]
        receiver = self

        def do_post(request_handler: Any) -> None:
            receiver.arrived.set()
            assert receiver.release.wait(60)
            original(request_handler)

        handler.do_POST = do_post  # type: ignore[attr-defined]


@dataclass
class Case:
    body: LocalBody
    complaint_id: int
    row_id: int
    endpoint_id: int


@pytest.fixture
def case(committed: None, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[Callable[[str], Case]]:
    """A case filed with a webhook row for an endpoint allowed personal data, the row known to no
    worker: not dispatched (this test delivers it) and without its outbox pointer (the sweep's)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on 127.0.0.1
    monkeypatch.setattr("apps.complaints.webhooks.dispatch", lambda schema, ids: None)
    body = LocalBody.objects.get(dla_code=BODY)
    made: list[Case] = []

    def make(url: str) -> Case:
        stamp = str(time.time_ns())[-9:]
        with schema_context(body.schema_name):
            admin = User.objects.create_user(f"erasure-admin-{stamp}", None)
            StaffMember.objects.create(user=admin, role="admin")
            User.objects.get_or_create(username="clerk", defaults={"password": "!"})
            StaffMember.objects.get_or_create(user=User.objects.get(username="clerk"), defaults={"role": "clerk"})
            WebhookEndpoint.objects.update(is_active=False)  # an earlier run's endpoints hear nothing more
            endpoint, _secret = webhook_endpoint_create(actor=admin, name=f"ระบบรับข้อมูล {stamp}", url=url,
                                                        events=["case.created"], personal_data=True)
            complaint = make_case(body, description=DESCRIPTION, name=NAME, phone=PHONE)
            row = Notification.objects.get(channel="webhook", recipient=str(endpoint.pk), complaint=complaint)
        OutboxEntry.objects.filter(body=body, notification_id=row.pk).delete()
        made.append(Case(body, complaint.pk, row.pk, endpoint.pk))
        return made[-1]

    yield make
    for each in made:  # nothing left behind for the tests that count every fact or outbox row
        with schema_context(body.schema_name):
            WebhookEndpoint.objects.filter(pk=each.endpoint_id).update(is_active=False)
        committed_case_delete(body, each.complaint_id)


def _held_delivery(monkeypatch: pytest.MonkeyPatch, case: Case) -> tuple[threading.Event, threading.Event,
                                                                          threading.Thread, list[int]]:
    """A delivery of the case's row on a connection of its own, stopped after the claim (committed:
    the row is `sending`, its lease taken) until `go` is set."""
    claimed, go, sent = threading.Event(), threading.Event(), []
    send = WebhookBackend.send

    def held_send(self: WebhookBackend, notification: Notification, *, idempotency_key: str) -> None:
        claimed.set()
        assert go.wait(60)
        send(self, notification, idempotency_key=idempotency_key)

    monkeypatch.setattr(WebhookBackend, "send", held_send)

    def run() -> None:
        try:
            with schema_context(case.body.schema_name):
                sent.append(notifications.deliver([case.row_id]))
        finally:
            connections.close_all()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    assert claimed.wait(60)
    return claimed, go, worker, sent


def _row(case: Case) -> Notification:
    with schema_context(case.body.schema_name):
        return Notification.objects.get(pk=case.row_id)


def test_a_row_claimed_before_the_erasure_is_sent_without_the_person(
        case: Callable[[str], Case], monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = Receiver()
    try:
        filed = case(receiver.url)
        before = json.loads(_row(filed).body)
        assert (before["case"]["description"], before["case"]["complainant"]["name"]) == (DESCRIPTION, NAME)
        _claimed, go, worker, sent = _held_delivery(monkeypatch, filed)
        assert (_row(filed).status, _row(filed).attempts) == (OutboxStatus.SENDING, 1)

        with schema_context(filed.body.schema_name):
            report = complaints_anonymise(complaint_ids=[filed.complaint_id])
        assert report.complaints == 1
        go.set()
        worker.join(60)
        assert sent == [1]
    finally:
        receiver.server.shutdown()
    [request] = receiver.received
    delivered = json.loads(request["body"])
    assert delivered == {**before, "case": {k: v for k, v in before["case"].items() if k not in PERSONAL}}
    text = request["body"].decode()
    assert (NAME in text, PHONE in text, DESCRIPTION in text) == (False, False, False)
    assert (_row(filed).status, _row(filed).body.encode()) == (OutboxStatus.SENT, request["body"])


def _waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        found = cursor.fetchone()
    return bool(found) and found[0] == "Lock"


def test_an_erasure_waits_for_a_post_on_the_wire_and_nothing_personal_leaves_after_it(
        case: Callable[[str], Case], monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = HeldReceiver()
    erased: list[int] = []
    backend: list[int] = []
    try:
        filed = case(receiver.url)
        before = json.loads(_row(filed).body)
        _claimed, go, worker, sent = _held_delivery(monkeypatch, filed)
        go.set()
        assert receiver.arrived.wait(60)  # the POST is on the wire, the row locked by the delivery

        def erase() -> None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    backend.append(cursor.fetchone()[0])
                with schema_context(filed.body.schema_name):
                    erased.append(complaints_anonymise(complaint_ids=[filed.complaint_id]).complaints)
            finally:
                connections.close_all()

        eraser = threading.Thread(target=erase, daemon=True)
        eraser.start()
        wait_for(lambda: backend and _waiting_on_a_lock(backend[0]))
        assert (erased, receiver.received) == ([], [])  # blocked on the row while the POST is unanswered
        receiver.release.set()
        worker.join(60)
        eraser.join(60)
        assert (sent, erased) == ([1], [1])
    finally:
        receiver.release.set()
        receiver.server.shutdown()
    # The one POST was answered before the erasure could commit: it carried the person, as sent
    # before the erasure. The row it leaves holds the person no more.
    [request] = receiver.received
    assert json.loads(request["body"]) == before
    row = _row(filed)
    assert (row.status, json.loads(row.body)) == (
        OutboxStatus.SENT, {**before, "case": {k: v for k, v in before["case"].items() if k not in PERSONAL}})
    with schema_context(filed.body.schema_name):
        assert Complaint.objects.get(pk=filed.complaint_id).complainant_name == ""
