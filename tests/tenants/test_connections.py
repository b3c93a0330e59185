"""A connection that has served DATABASE_CONN_MAX_BODIES different bodies is closed after the
response, so no PostgreSQL backend keeps the catalog of the whole registry (real requests, no
test transaction: closing is skipped inside one)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client

from tenants import cache
from tenants.models import LocalBody


def _pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def test_a_connection_is_recycled_after_serving_the_most_bodies_it_may(committed: None, settings: Any) -> None:
    settings.DATABASE_CONN_MAX_BODIES = 3
    settings.PORTAL_PAGE_CACHE = False  # nothing written: these requests commit
    cache.clear()
    slugs = list(LocalBody.objects.bodies().order_by("dla_code").values_list("slug", flat=True)[:5])
    client = Client()
    connection.close()  # a backend of its own, whatever earlier tests served on the last one
    client.get("/healthz", HTTP_HOST="localhost")
    first = _pid()
    served = []
    for slug in [slugs[0], slugs[0], slugs[1], slugs[1], slugs[2], slugs[3]]:
        assert client.get("/track/", HTTP_HOST=f"{slug}.localhost").status_code == 200
        served.append(connection.connection is not None)
    # Two bodies, however many requests: kept; the third body: closed after its response.
    assert served == [True, True, True, True, False, True]
    assert _pid() != first
