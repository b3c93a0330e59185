"""LINE pushes per second the outbox delivers with one Celery worker, against a local fake LINE
platform (real HTTP), and the same outbox with the console provider as the baseline in the same run.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_line .venv/bin/python bench/line_push.py --pushes 500

For each provider: N notifications to N LINE users of one body are written to the outbox (as a
staff reply writes them, in one transaction, without dispatch), then a real worker process
(`celery worker --concurrency=1 --pool=solo`, broker: Redis at REDIS_URL, or a filesystem
folder) is sent the ids in batches of `--batch` as `complaints.notifications_deliver` tasks,
exactly as the outbox sweep sends them. Timed from the first task sent to the last notification
recorded as sent: claim (its own committed transaction), the provider call, the record.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import _setup  # noqa: I001  (the path)

REPO = _setup.REPO

import line_webhook  # noqa: E402  (first: it starts Django on the LINE bench's database)
from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from apps.complaints.models import Category, Complaint, Notification, OutboxStatus  # noqa: E402
from apps.complaints.tasks import notifications_deliver  # noqa: E402
from apps.line.models import LineUser  # noqa: E402
from apps.reporting.models import OutboxEntry  # noqa: E402
from tests.apps.line.conftest import TOKEN  # noqa: E402
from tests.apps.line.fake_line import FakeLine  # noqa: E402


def _cases(body: Any, n: int, marker: str) -> list[Complaint]:
    """N complaints filed in the chat by N LINE users (rows written directly: the intake is not
    what this measures)."""
    with schema_context(body.schema_name):
        category = Category.objects.filter(is_active=True, national_category_id="road").get()
        now = timezone.now()
        users = [LineUser(user_id="U" + uuid.uuid4().hex, language="th", created_at=now) for _ in range(n)]
        LineUser.objects.bulk_create(users)
        cases = [Complaint(tracking_code=f"B{marker[:5]}{i:05d}", channel="line", category=category,
                           national_category="road", sla_class="B", description=f"bench {marker} {i}",
                           complainant_name="LINE", complainant_line_id=u.user_id, received_at=now,
                           cycle_started_at=now, status="acknowledged")
                 for i, u in enumerate(users)]
        return Complaint.objects.bulk_create(cases)


def _queue(body: Any, cases: list[Complaint]) -> list[int]:
    with schema_context(body.schema_name), transaction.atomic():
        now = timezone.now()
        rows = Notification.objects.bulk_create([
            Notification(complaint=c, channel="line", recipient=c.complainant_line_id, language="th",
                         subject=f"เรื่องร้องทุกข์ {c.tracking_code}",
                         body=f"{body.display_name} ตอบเรื่อง {c.tracking_code}: ช่างจะเข้าไปตรวจพรุ่งนี้",
                         next_attempt_at=now) for c in cases])
        OutboxEntry.objects.bulk_create([OutboxEntry(body=body, notification_id=n.pk, due_at=now) for n in rows])
        return [n.pk for n in rows]


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rongthuk.celery", "worker", "--loglevel=WARNING",
         "--concurrency=1", "--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _run(body: Any, *, label: str, backend: str, fake: FakeLine, n: int, batch: int) -> dict[str, Any]:
    marker = uuid.uuid4().hex[:8].upper()
    ids = _queue(body, _cases(body, n, marker))
    env = {**os.environ, "NOTIFY_LINE_BACKEND": backend, "LINE_API_BASE": fake.url,
           "LINE_DATA_API_BASE": fake.url, "QUIET_HOURS_START": "0", "QUIET_HOURS_END": "0",
           "PYTHONUNBUFFERED": "1"}
    log = Path(tempfile.gettempdir()) / f"bench-line-push-{marker}.log"
    worker = _worker(env, log)
    try:
        time.sleep(8)  # the worker's imports (the LINE SDK takes seconds) are not the outbox's time
        pushes_before = len(fake.pushes())
        started = time.perf_counter()
        with schema_context(body.schema_name):
            for i in range(0, len(ids), batch):
                notifications_deliver.delay(ids[i:i + batch])
            deadline = time.monotonic() + 600
            while Notification.objects.filter(pk__in=ids, status=OutboxStatus.SENT).count() < len(ids):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{label}: not all sent within 600 s; see {log}")
                time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {"label": label, "n": n, "seconds": elapsed, "per_second": n / elapsed,
            "pushes": len(fake.pushes()) - pushes_before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pushes", type=int, default=500)
    parser.add_argument("--batch", type=int, default=50, help="notification ids per task (the sweep's batch)")
    args = parser.parse_args()
    body = line_webhook.setup()
    fake = FakeLine(token=TOKEN).start()
    settings.LINE_API_BASE = settings.LINE_DATA_API_BASE = fake.url
    results = [
        _run(body, label="console provider (outbox only, baseline)",
             backend="apps.complaints.notifications.ConsoleBackend", fake=fake, n=args.pushes, batch=args.batch),
        _run(body, label="LINE push to the fake platform (real HTTP)", backend="apps.line.backend.LinePushBackend",
             fake=fake, n=args.pushes, batch=args.batch),
    ]
    fake.stop()
    print(f"command: RONGTHUK_DATABASE_NAME={os.environ['RONGTHUK_DATABASE_NAME']} "
          f".venv/bin/python bench/line_push.py {' '.join(sys.argv[1:])}")
    load = os.getloadavg()
    print(f"broker: {settings.CELERY_BROKER_URL.split('@')[-1]}; one worker, --pool=solo; batch {args.batch}")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    print()
    base = results[0]["per_second"]
    print(f"| {'provider':<44} | {'messages':>8} | {'seconds':>7} | {'per second':>10} | {'vs baseline':>11} | "
          f"{'pushes at LINE':>14} |")
    print(f"| {'-' * 44} | {'-' * 8} | {'-' * 7} | {'-' * 10} | {'-' * 11} | {'-' * 14} |")
    for r in results:
        print(f"| {r['label']:<44} | {r['n']:>8} | {r['seconds']:>7.1f} | {r['per_second']:>10.1f} | "
              f"{r['per_second'] / base:>10.2f}x | {r['pushes']:>14} |")


if __name__ == "__main__":
    main()
