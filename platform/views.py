"""Views of the platform itself: the health check on every host."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from tenants.db import current_schema


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, on the public domain and on every body."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    tenant = getattr(request, "tenant", None)
    return JsonResponse({
        "status": "ok",
        "schema": current_schema(),
        "dla_code": getattr(tenant, "dla_code", None),
    })
