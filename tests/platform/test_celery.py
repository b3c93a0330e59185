import uuid

import pytest
from django_tenants.utils import schema_context

from tenants.models import LocalBody, WorkerProbe
from tenants.tasks import worker_probe
from tests.conftest import BANLAT, wait_for


@pytest.mark.worker
def test_a_task_sent_inside_a_body_runs_in_that_bodys_schema(committed: None, celery_worker_process: object) -> None:
    body = LocalBody.objects.get(dla_code=BANLAT)
    token = uuid.uuid4()
    WorkerProbe.objects.create(token=token, sent_from_schema=body.schema_name)
    with schema_context(body.schema_name):
        worker_probe.delay(str(token))
    probe = wait_for(lambda: WorkerProbe.objects.filter(token=token, ran_at__isnull=False).first(), timeout=60)
    assert probe.ran_in_schema == "b5760601"
