"""Views of the platform itself: health checks and the two home pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, on the public domain and on every body."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    tenant = getattr(request, "tenant", None)
    return JsonResponse({
        "status": "ok",
        "schema": connection.schema_name,
        "dla_code": getattr(tenant, "dla_code", None),
    })


def platform_home(request: HttpRequest) -> HttpResponse:
    return render(request, "platform/home.html")


def body_home(request: HttpRequest) -> HttpResponse:
    return render(request, "platform/body_home.html", {"body": request.tenant})  # type: ignore[attr-defined]
