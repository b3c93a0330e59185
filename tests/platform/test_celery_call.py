"""The operator's `celery call` of the periodic sweeps works: the task names resolve, the arguments
serialise, and the real worker runs them (the notification sweep delivers what waits in the
outbox)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from apps.complaints.models import Notification, OutboxStatus
from apps.complaints.services.intake import complaint_submit
from apps.complaints.validation import Complainant
from apps.reporting.models import OutboxEntry
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import category
from tests.conftest import BANLAT, REPO, _test_env, _worker_log, wait_for
from tests.faultkit import broker_at, free_port

pytestmark = pytest.mark.worker


def _celery_call(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "celery", "-A", "rongthuk.celery", "call", *args],
                          cwd=REPO, env=_test_env(), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    task_id = done.stdout.strip()
    uuid.UUID(task_id)
    return task_id


def test_celery_call_of_the_notification_sweep_delivers_the_outbox(committed: None, celery_worker_process: object,
                                                                   ) -> None:
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = uuid.uuid4().hex
    # Filed while the web process's broker is absent: only the sweep can deliver it.
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"), schema_context(body.schema_name):
        complaint = complaint_submit(
            channel="web", category=category("road"), description=f"ทางเท้าชำรุด {marker}",
            complainant=Complainant(name="นายเรียก งาน", phone="0814443333")).complaint
        notification = Notification.objects.get(complaint_id=complaint.pk)
    assert OutboxEntry.objects.filter(body=body, notification_id=notification.pk).exists()

    task_id = _celery_call("complaints.notifications_sweep", "--args", "[5000]")

    def sent() -> Notification | None:
        with schema_context(body.schema_name):
            n = Notification.objects.get(pk=notification.pk)
        return n if n.status == OutboxStatus.SENT else None

    assert wait_for(sent, timeout=90).recipient == "0814443333"
    wait_for(lambda: f"Task complaints.notifications_sweep[{task_id}] succeeded" in
             _worker_log().read_text(errors="replace"), timeout=30)


def test_celery_call_of_the_sla_sweep_runs_in_the_worker(committed: None, celery_worker_process: object) -> None:
    task_id = _celery_call("sla.sweep")
    wait_for(lambda: f"Task sla.sweep[{task_id}] succeeded" in _worker_log().read_text(errors="replace"),
             timeout=90)
    assert settings.CELERY_BEAT_SCHEDULE["sla-sweep"]["task"] == "sla.sweep"
