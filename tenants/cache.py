"""In-process cache of host → body, so a request costs no registry query.

Entries live TENANT_CACHE_TTL seconds. A change to a body or a domain clears this process's cache
at once; every other process clears its own within TENANT_CACHE_CHECK_SECONDS: a database trigger
bumps HostCacheVersion in the changing transaction, and each process reads that one row at most
that often (one primary-key read a second, not one per request).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models.signals import post_delete, post_save

if TYPE_CHECKING:
    from tenants.models import LocalBody

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_entries: dict[str, tuple[float, LocalBody | None]] = {}
_version: list[object] = [None, 0.0]  # the version the entries were filled under, when it was read
MISSING = object()


def _read_version() -> int | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version FROM public.tenants_hostcacheversion WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:  # the database is down: the request fails on its own; keep the entries
        logger.warning("host cache version unreadable", exc_info=True)
        return None
    return int(row[0]) if row else None


def _check_version() -> None:
    now = time.monotonic()
    if now < float(_version[1]) + settings.TENANT_CACHE_CHECK_SECONDS:  # type: ignore[arg-type]
        return
    version = _read_version()
    with _lock:
        _version[1] = now
        if version is not None and version != _version[0]:
            _entries.clear()
            _version[0] = version


def get(host: str) -> LocalBody | None | object:
    """The cached body for a host, None for a cached "no such host", or MISSING."""
    _check_version()
    entry = _entries.get(host)
    if entry is None or entry[0] < time.monotonic():
        return MISSING
    return entry[1]


# Hosts are client-controlled (any *.PLATFORM_DOMAIN passes ALLOWED_HOSTS): bound the memory.
MAX_ENTRIES = 20_000


def put(host: str, body: LocalBody | None) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[host] = (time.monotonic() + settings.TENANT_CACHE_TTL, body)


def clear(**_: object) -> None:
    with _lock:
        _entries.clear()
        _version[1] = 0.0  # and read the version again on the next lookup


def _connect() -> None:
    from tenants.models import Domain, LocalBody

    for model in (LocalBody, Domain):
        post_save.connect(clear, sender=model, dispatch_uid=f"tenant-cache-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"tenant-cache-delete-{model.__name__}")


_connect()
