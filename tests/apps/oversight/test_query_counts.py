"""Oversight pages read the roll-ups, not the facts: the same statements for a province with a
handful of complaints as for one with hundreds, spread over every body of the province."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants.models import LocalBody
from tests.apps.oversight.factories import BKK, fact, officer
from tests.signin import verified_login

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 20, 10, 0, tzinfo=BKK)


def _facts(count: int) -> None:
    bodies = list(LocalBody.objects.bodies().filter(province_id="76").order_by("dla_code"))
    for i in range(count):
        received = NOW - dt.timedelta(days=1 + i % 300)
        fact(bodies[i % len(bodies)], received=received, status=("received", "resolved")[i % 2],
             resolved_at=received + dt.timedelta(days=i % 20) if i % 2 else None, resolve_met=i % 3 != 0,
             national_category=("road", "water", "waste")[i % 3])


def _statements(client: Client, path: str) -> list[str]:
    client.get(path)  # the host table and the session are read once before counting
    with CaptureQueriesContext(connection) as counted:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in counted.captured_queries]


@pytest.mark.parametrize("path", ["/oversight/", "/oversight/performance/"])
def test_a_provincial_page_costs_the_same_statements_for_few_and_many_complaints(path: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TENANT_CACHE_CHECK_SECONDS = 3600
    client = verified_login(Client(HTTP_HOST="localhost"), officer("p-count", "province", "76"))
    counts = []
    with time_machine.travel(NOW, tick=False):
        for size in (6, 240):
            _facts(size)
            statements = _statements(client, path)
            assert not [s for s in statements if "reporting_complaintfact" in s], "read the roll-ups"
            counts.append(len(statements))
    assert counts[0] == counts[1] == PAGE_STATEMENTS[path]


PAGE_STATEMENTS = {"/oversight/": 13, "/oversight/performance/": 11}
