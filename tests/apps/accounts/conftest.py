from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import Max
from django_tenants.utils import schema_context

from tenants.models import LocalBody
from tests import signin
from tests.conftest import BANLAT, THASEN


@pytest.fixture(autouse=True)
def _audit_baseline(db: None) -> Iterator[None]:
    """Account events counted from this test on: tests on committed data (the browser tests) leave
    the standing cast's sign-ins in the audit log."""
    from apps.audit.models import AuditEntry  # noqa: PLC0415

    schemas = ["public", *LocalBody.objects.filter(dla_code__in=[BANLAT, THASEN]).values_list("schema_name", flat=True)]
    for schema in schemas:
        with schema_context(schema):
            signin.AUDIT_BASELINE[schema] = AuditEntry.objects.aggregate(top=Max("id"))["top"] or 0
    yield
    signin.AUDIT_BASELINE.clear()
