"""Probes for load balancers and orchestrators, answered before any other middleware.

`/healthz` (liveness) answers on every host and on the bare IP, with no database query: a probe
that names no body (a pod's IP, an unknown host) must still learn that the process serves. When the
host is a body's, the answer names its schema and DLA code, read from the process's host table.

`/readyz` (readiness) checks what a request needs: the database (`SELECT 1`) and the broker (a
connection to Redis, or the filesystem transport's folders). Either one down: 503 and the reason,
so a load balancer stops sending traffic to this process until it can serve.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from kombu import Connection

from tenants import cache
from tenants.db import use_public_schema

logger = logging.getLogger(__name__)


def _body_of(request: HttpRequest) -> tuple[str | None, str | None]:
    host = str(request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME") or "")
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host  # drop a port, keep an IPv6 literal
    try:
        domain = cache.lookup(host)
    except DatabaseError:  # no table yet and no database: still alive
        return None, None
    if domain is None:
        return None, None
    return domain.tenant.schema_name, getattr(domain.tenant, "dla_code", None)


def healthz(request: HttpRequest) -> JsonResponse:
    schema, dla_code = _body_of(request)
    return JsonResponse({"status": "ok", "schema": schema, "dla_code": dla_code})


def database_problem() -> str | None:
    try:
        use_public_schema()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"database: {type(error).__name__}: {str(error).strip()[:200]}"
    return None


def broker_problem() -> str | None:
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            folder = Path(str(options[key]))
            if not folder.is_dir() or not os.access(folder, os.W_OK):
                return f"broker: folder {folder} is not writable"
        return None
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2,
                        transport_options={**options, "max_retries": 0}) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
            # ensure_connection proves the socket; a command proves the server answers (a hung
            # Redis accepts connections and never replies: socket_timeout ends the wait).
            broker.default_channel.client.ping()  # type: ignore[attr-defined]
    except Exception as error:  # noqa: BLE001 - any failure to reach the broker is "not ready"
        return f"broker: {type(error).__name__}: {str(error).strip()[:200]}"
    return None


def readyz(request: HttpRequest) -> JsonResponse:
    problems = [p for p in (database_problem(), broker_problem()) if p]
    if problems:
        logger.warning("not ready: %s", "; ".join(problems))
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


PROBES = {"/healthz": healthz, "/readyz": readyz}


class ProbeMiddleware:
    """First in MIDDLEWARE: no host check (ALLOWED_HOSTS), no HTTPS redirect, no session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            response = probe(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
