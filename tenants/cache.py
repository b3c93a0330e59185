"""In-process cache of host → body, so a request costs no registry query.

Entries live TENANT_CACHE_TTL seconds. A change to a body or a domain clears this process's cache
at once; other processes see it when their entries expire (at most TTL seconds later).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models.signals import post_delete, post_save

if TYPE_CHECKING:
    from tenants.models import LocalBody

_lock = threading.Lock()
_entries: dict[str, tuple[float, LocalBody | None]] = {}
MISSING = object()


def get(host: str) -> LocalBody | None | object:
    """The cached body for a host, None for a cached "no such host", or MISSING."""
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


def _connect() -> None:
    from tenants.models import Domain, LocalBody  # noqa: PLC0415

    for model in (LocalBody, Domain):
        post_save.connect(clear, sender=model, dispatch_uid=f"tenant-cache-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"tenant-cache-delete-{model.__name__}")


_connect()
