"""Staff pages cost the same statements however much there is: the inbox at two page sizes and
two inbox sizes, the case page with a short and a long timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint
from apps.complaints.services.workflow import complaint_note
from tenants import cache
from tests.apps.complaints.staff_helpers import make_case, signed_in, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _steady(settings: Any) -> None:
    cache.clear()
    settings.TENANT_CACHE_CHECK_SECONDS = 3600


def _count(client: Client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as counted:
        assert client.get(path).status_code == 200
    return len(counted.captured_queries)


def test_the_inbox_costs_twelve_statements_at_any_page_size_and_inbox_size(banlat) -> None:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        Complaint.objects.all().delete()
    client = signed_in(banlat, "admin")
    counts = {}
    for total in (4, 60):
        while _cases(banlat) < total:
            make_case(banlat, description=f"ถนนชำรุด {_cases(banlat)}")
        for per in (25, 100):
            counts[(total, per)] = _count(client, f"/staff/?per={per}")
    assert counts == {(4, 25): 12, (4, 100): 12, (60, 25): 12, (60, 100): 12}


def _cases(body) -> int:  # type: ignore[no-untyped-def]
    with schema_context(body.schema_name):
        return Complaint.objects.count()


def test_the_case_page_costs_the_same_for_a_short_and_a_long_timeline(banlat) -> None:  # type: ignore[no-untyped-def]
    short, long = make_case(banlat), make_case(banlat)
    with schema_context(banlat.schema_name):
        admin = user(banlat, "admin")
        for i in range(30):
            complaint_note(complaint=long, actor=admin, text=f"บันทึกภายใน {i}")
    client = signed_in(banlat, "admin")
    assert _count(client, f"/staff/cases/{short.pk}/") == _count(client, f"/staff/cases/{long.pk}/") == CASE_PAGE


CASE_PAGE = 17
