"""The host → body table, held whole in each process, so no request costs a registry query.

Every row of the Domain model (each body's `<slug>.` and `<dla_code>.` names, and whatever other
domains the registry holds) is read at once — two queries, ≈ 15,700 domains and 7,850 bodies, one
body object per body however many names it has — and kept until it changes. A host that is not in
the table is unknown without asking the database, so traffic spread over random hosts (or made-up
ones) costs nothing per request.

A change to a body or a domain clears this process's table at once; every other process reloads
within TENANT_CACHE_CHECK_SECONDS: a database trigger bumps HostCacheVersion in the changing
transaction, and each process reads that one row at most that often (one primary-key read a
second per process, not one per request). TENANT_CACHE_TTL bounds how long a table lives at all.
"""

from __future__ import annotations

import copy
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models.signals import post_delete, post_save

from tenants.models import Domain, LocalBody

logger = logging.getLogger(__name__)
_lock = threading.Lock()


class _State:
    table: dict[str, Domain] | None = None
    primary: dict[int, str] = {}  # body id → its primary domain (where a redirect host points)
    loaded_at = 0.0  # monotonic time the table was read
    version: int | None = None  # HostCacheVersion when the table was read
    checked_at = 0.0  # monotonic time the version was last read


_state = _State()


def _read_version() -> int | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version FROM public.tenants_hostcacheversion WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:  # the database is down: the request fails on its own; keep the table
        logger.warning("host cache version unreadable", exc_info=True)
        return None
    return int(row[0]) if row else None


def _load() -> tuple[dict[str, Domain], dict[int, str]]:
    # With their province and district (one instance of each, shared): pages name them, and each
    # request works on its own copy of the body (request_copy), which keeps these cached.
    bodies = {body.pk: body for body in LocalBody.objects.select_related("province", "district")}
    shared: dict[tuple[str, object], object] = {}
    for body in bodies.values():
        for name in ("province", "district"):
            cached = body._state.fields_cache.get(name)
            if cached is not None:
                body._state.fields_cache[name] = shared.setdefault((name, cached.pk), cached)
    table: dict[str, Domain] = {}
    primary: dict[int, str] = {}
    for domain in Domain.objects.all():
        body = bodies.get(domain.tenant_id)
        if body is None:  # a body deleted between the two reads: the next version check reloads
            continue
        domain.tenant = body  # one body object for all its names
        table[domain.domain.lower().rstrip(".")] = domain
        if domain.is_primary and not domain.redirect:
            primary[body.pk] = domain.domain
    for body in bodies.values():
        # Where canonical links point (a custom domain once it is primary) and redirect hosts send.
        body.primary_host = primary.get(body.pk, "")  # type: ignore[attr-defined]
    return table, primary


def version() -> int | None:
    """The HostCacheVersion the current table was read under (part of the citizen pages' cache key)."""
    _table()
    return _state.version


def _table() -> dict[str, Domain]:
    now = time.monotonic()
    current: int | None = None
    checked = now >= _state.checked_at + settings.TENANT_CACHE_CHECK_SECONDS
    if checked:
        current = _read_version()
        with _lock:
            _state.checked_at = now
            if current is not None and current != _state.version:
                _state.table = None
    table = _state.table
    if table is None or now >= _state.loaded_at + settings.TENANT_CACHE_TTL:
        # Read the version first: a change committed while the rows are read bumps it again,
        # so the next check reloads rather than keeping a table older than its version.
        if not checked:
            current = _read_version()
        table, primary = _load()
        with _lock:
            _state.table, _state.primary, _state.loaded_at, _state.checked_at = table, primary, now, now
            _state.version = current
    return table


def request_copy(body: LocalBody) -> LocalBody:
    """A request's own copy of a body from the table: what one request caches on it (a related
    profile, an attribute set by a view) never reaches the next request through the shared row."""
    clone = copy.copy(body)  # Model.__getstate__: its own _state and fields cache
    clone._state.fields_cache = {k: v for k, v in body._state.fields_cache.items() if k in ("province", "district")}
    return clone


def lookup(host: str) -> Domain | None:
    """The domain row (with its body as `.tenant`) for a host name, or None when unknown."""
    return _table().get(host.lower().rstrip("."))


def primary_host(body_id: int) -> str:
    """The body's primary domain (not a redirect host), or "" when it has none."""
    _table()
    return _state.primary.get(body_id, "")


def size() -> int:
    return len(_table())


def clear(**_: object) -> None:
    with _lock:
        _state.table = None
        _state.checked_at = 0.0  # and read the version again on the next lookup


def _connect() -> None:
    for model in (LocalBody, Domain):
        post_save.connect(clear, sender=model, dispatch_uid=f"tenant-cache-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"tenant-cache-delete-{model.__name__}")


_connect()
