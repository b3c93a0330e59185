"""Faults while citizens file complaints over HTTP, on a stack of the suite's own (a private
PostgreSQL, a private Redis broker, the web server and a Celery worker as real processes, an HTTP
SMS gateway). After each fault: every acknowledged submission is stored (lost = 0), no submission
made two cases (duplicated = 0), and every stored case's notification reached the gateway once
(notifications lost = 0; a resend carries the same Idempotency-Key and is delivered once)."""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from PIL import Image

from tests.faults.conftest import record
from tests.faults.stack import Filing, Stack, run_citizens, wait_until

pytestmark = pytest.mark.faults

SUBMISSIONS = 24


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _stored(stack: Stack, prefix: str) -> list[tuple[int, str, str]]:
    with stack.pg.connect() as conn:
        rows = conn.execute(
            f'SELECT id, tracking_code, description FROM "{stack.schema}".complaints_complaint '  # noqa: S608
            "WHERE description LIKE %s", [f"%{prefix}-%"]).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def _notifications(stack: Stack, ids: list[int]) -> dict[int, tuple[int, str]]:
    """complaint id → (notification id, status)"""
    with stack.pg.connect() as conn:
        rows = conn.execute(f'SELECT complaint_id, id, status FROM "{stack.schema}".complaints_notification '  # noqa: S608
                            "WHERE complaint_id = ANY(%s)", [ids]).fetchall()
    return {int(r[0]): (int(r[1]), str(r[2])) for r in rows}


def _key(stack: Stack, notification_id: int) -> str:
    return f"rongthuk-{stack.schema}-{notification_id}"


def campaign(stack: Stack, fault: str, inject: Callable[[], None], recover: Callable[[], None], *,
             photo: bytes | None = None) -> tuple[list[Filing], list[tuple[int, str, str]]]:
    """SUBMISSIONS citizens, three at a time; the fault at a third of them, the recovery at two
    thirds (or after a few seconds of the fault, whichever is later); then the outbox drained."""
    prefix = f"fault-{fault}"
    injected = threading.Event()
    recovered = threading.Event()

    def progress(done: int) -> None:
        if done >= SUBMISSIONS // 3 and not injected.is_set():
            injected.set()
            inject()
            threading.Timer(4.0, lambda: (recover(), recovered.set())).start()

    filings = run_citizens(stack, prefix, SUBMISSIONS, photo=photo, on_progress=progress)
    recovered.wait(timeout=60)
    stored = _stored(stack, prefix)
    acknowledged = [f for f in filings if f.code]
    codes = {code for _id, code, _text in stored}
    per_marker = Counter(next(f.marker for f in filings if f.marker in text) for _id, _code, text in stored)

    # Drain: what beat would do each minute, done every few seconds until every case's SMS is out.
    ids = [cid for cid, _code, _text in stored]

    def drained() -> bool:
        found = _notifications(stack, ids)
        # Delivered by the gateway and recorded as sent: a worker killed after the gateway took a
        # message leaves its claim "sending" until the lease ends and the sweep resends (same key).
        if len(found) == len(ids) and all(_key(stack, nid) in stack.gateway.delivered and status == "sent"
                                          for nid, status in found.values()):
            return True
        stack.sweep()
        return False

    wait_until(drained, timeout=240, interval=2.0)
    found = _notifications(stack, ids)
    keys = {_key(stack, nid) for nid, _status in found.values()}
    repeats = sum(1 for key, code in stack.gateway.requests if key in keys and code == 200) - len(keys)
    row = {
        "fault": fault, "submissions": len(filings), "acknowledged": len(acknowledged),
        "lost": sum(1 for f in acknowledged if f.code not in codes),
        "duplicated": sum(count - 1 for count in per_marker.values()),
        "notifications": len(ids), "notif_lost": sum(1 for key in keys if key not in stack.gateway.delivered)
        + (len(ids) - len(found)),
        "notif_repeats": repeats, "citizen_retries": sum(len(f.errors) for f in filings),
    }
    record(row)
    assert row["submissions"] == SUBMISSIONS
    assert row["acknowledged"] == SUBMISSIONS, [f.errors for f in filings if not f.code]
    assert (row["lost"], row["duplicated"], row["notif_lost"]) == (0, 0, 0)
    assert all(status == "sent" for _nid, status in found.values())
    return filings, stored


def test_postgresql_crash_restart_under_load(stack: Stack) -> None:
    campaign(stack, "postgres-restart", stack.pg.restart, lambda: None)


def test_broker_stopped_under_load(stack: Stack) -> None:
    campaign(stack, "broker-stopped", stack.redis.stop, stack.redis.start)


def test_broker_hung_under_load(stack: Stack) -> None:
    filings, _stored_rows = campaign(stack, "broker-hung", stack.redis.hang, stack.redis.resume)
    # Nobody waited on the hung broker for long: no citizen needed a retry because of it.
    assert sum(len(f.errors) for f in filings) == 0


def test_worker_killed_mid_drain(stack: Stack) -> None:
    """The worker is killed with SIGKILL while the provider is sending: the gateway has the
    message, our record of it is lost; a new worker retries after the claim's lease, with the
    same key, and the gateway delivers it once."""
    stack.kill_worker()
    stack.gateway.arrived = threading.Semaphore(0)
    stack.gateway.hold = True
    stack.gateway._gate.clear()
    killed = threading.Event()

    def kill_mid_send() -> None:
        stack.start_worker()
        assert stack.gateway.arrived.acquire(timeout=120)
        stack.kill_worker()  # SIGKILL while the send is in the provider's hands
        killed.set()
        stack.gateway.release()
        stack.start_worker()

    campaign(stack, "worker-killed", lambda: threading.Thread(target=kill_mid_send).start(), lambda: None)
    assert killed.is_set()


def test_storage_unwritable_under_load(stack: Stack) -> None:
    filings, stored = campaign(stack, "storage-unwritable", stack.media.break_, stack.media.mend, photo=_jpeg())
    refused = [f for f in filings if f.photo_refused]
    assert refused, f"the store ({stack.media.how}) should have refused some photos"
    with stack.pg.connect() as conn:
        failed_events = conn.execute(
            f'SELECT count(*) FROM "{stack.schema}".complaints_complaintevent e '  # noqa: S608
            f'JOIN "{stack.schema}".complaints_complaint c ON c.id = e.complaint_id '
            "WHERE e.kind = 'attachment' AND e.data ? 'failed' AND c.description LIKE %s",
            ["%fault-storage-unwritable-%"]).fetchone()[0]
        attachments = conn.execute(
            f'SELECT count(*) FROM "{stack.schema}".complaints_attachment a '  # noqa: S608
            f'JOIN "{stack.schema}".complaints_complaint c ON c.id = a.complaint_id WHERE c.description LIKE %s',
            ["%fault-storage-unwritable-%"]).fetchone()[0]
    # Every case has its photo, or a timeline event saying it was not received: never neither.
    assert (failed_events, attachments) == (len(refused), len(stored) - len(refused))
