"""A hung broker (accepts the TCP connection, never answers) never holds up a citizen's request:
publishing after commit gives up after TASK_PUBLISH_TIMEOUT (the publisher says so in its log), the
receipt is shown, and the outbox sweep delivers the notification once a broker answers again."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint, Notification, OutboxStatus
from apps.complaints.tasks import notifications_sweep
from apps.reporting.models import OutboxEntry
from tenants import cache
from tenants.models import LocalBody
from tests.apps.portal.helpers import form_data
from tests.conftest import BANLAT, wait_for
from tests.faultkit import SilentServer, broker_at

pytestmark = pytest.mark.worker


@pytest.fixture
def silent_broker() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.stop()


def test_a_hung_broker_answers_the_citizen_in_time_and_the_sweep_delivers_later(
        committed: None, celery_worker_process: object, silent_broker: SilentServer,
        caplog: pytest.LogCaptureFixture) -> None:
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = f"hung-broker-{uuid.uuid4().hex[:8]}"
    cache.clear()
    client = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.7.1")
    with broker_at(f"redis://127.0.0.1:{silent_broker.port}/0"), \
            caplog.at_level(logging.WARNING, logger="apps.complaints.publish"):
        response = client.post("/complaints/new/", form_data(body, description=f"น้ำท่วมขัง {marker}",
                                                              phone="0815550007"))
    assert response.status_code == 302, response.content.decode()[-800:]
    assert response["Location"] == "/complaints/receipt/"
    assert silent_broker.accepted  # the publish did reach the hung broker
    # ... and was abandoned at the publish timeout (the broker's own socket timeout is longer), not
    # failed with an error: the request went on to its receipt.
    assert [r.getMessage() for r in caplog.records if r.name == "apps.complaints.publish"] == [
        f"publishing complaints.notifications_deliver took over {settings.TASK_PUBLISH_TIMEOUT}s: "
        "left to the outbox sweep"]
    receipt = client.get("/complaints/receipt/")
    assert receipt.status_code == 200
    code = client.session["portal_receipt"]["code"]
    assert code in receipt.content.decode()
    with schema_context(body.schema_name):
        complaint = Complaint.objects.get(tracking_code=code)
        notification = Notification.objects.get(complaint_id=complaint.pk)
    assert (notification.status, notification.attempts) == (OutboxStatus.PENDING, 0)
    assert OutboxEntry.objects.filter(body=body, notification_id=notification.pk).exists()

    # A broker answers again (the worker's own): the sweep finds the row and the worker sends it.
    assert notifications_sweep() >= 1

    def sent() -> Notification | None:
        with schema_context(body.schema_name):
            n = Notification.objects.get(pk=notification.pk)
        return n if n.status == OutboxStatus.SENT else None

    delivered = wait_for(sent, timeout=90)
    assert (delivered.recipient, delivered.attempts) == ("0815550007", 1)
    assert not OutboxEntry.objects.filter(body=body, notification_id=notification.pk).exists()
