"""Oversight and national reads from a streaming read replica, within a stated staleness.

With DATABASE_REPLICA_URL set, GET and HEAD requests under DATABASE_REPLICA_PATHS (the oversight
site and the national API) read the reporting facts and their roll-ups (DATABASE_REPLICA_MODELS,
and the raw SQL of apps.oversight.selectors through `reads_connection`) from the replica. Once per
such request the replica is asked how far behind it is; the reads go to the primary instead when
it is more than DATABASE_REPLICA_MAX_LAG_SECONDS behind or cannot be reached (then it is not asked
again for DATABASE_REPLICA_RETRY_SECONDS). A replica that fails after it was chosen — stopped or cut
off between the lag check and a read — costs that read nothing but a second try: the replica's
backend (tenants.replica_backend) runs it again on the primary, and the rest of the request reads
there (`X-Reads-From: primary`). Everything else — sessions, users, API keys, the
registry, every write, and any read inside a transaction — stays on the primary, so a signed-in
officer or a fresh key never depends on the replica having caught up.

How far behind: 0 while the replica has replayed all the WAL it received and is streaming;
otherwise the age of the last transaction it replayed (pg_last_xact_replay_timestamp). On an idle
primary that age grows with nothing to replay, so a replica that is not streaming is taken as
behind; the replica's role needs pg_monitor to read pg_stat_wal_receiver.

Schema-per-tenant: the replica connection is pointed at the same schema (search_path) as the
default connection before each use.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
# In recovery, and the seconds behind (see the module's docstring).
LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
    "AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0 "
    "ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9) END"
)

_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_chosen: ContextVar[str | None] = ContextVar("replica_chosen", default=None)


class _Health:
    down_until = 0.0  # time.monotonic() before which the replica is not asked again


_health = _Health()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads of the replica's models inside this block may go to the replica (decided once)."""
    wanted, chosen = _wanted.set(True), _chosen.set(None)
    try:
        yield
    finally:
        _chosen.reset(chosen)
        _wanted.reset(wanted)


def replica_lag() -> float | None:
    """Seconds the replica is behind; None when it cannot be reached or is not a replica."""
    replica = connections[REPLICA]
    _mirror_schema(replica)
    try:
        with replica.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("read replica unreachable, reading from the primary: %s", str(error).strip()[:200])
        with contextlib.suppress(DatabaseError):
            replica.close()
        return None
    return float(lag) if in_recovery else None


def _choose() -> str:
    now = time.monotonic()
    if now < _health.down_until:
        return DEFAULT_DB_ALIAS
    lag = replica_lag()
    if lag is None:
        _health.down_until = now + settings.DATABASE_REPLICA_RETRY_SECONDS
        return DEFAULT_DB_ALIAS
    if lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        logger.info("read replica %.1f s behind (more than %s s), reading from the primary", lag,
                    settings.DATABASE_REPLICA_MAX_LAG_SECONDS)
        return DEFAULT_DB_ALIAS
    return REPLICA


def replica_may_fall_back() -> bool:
    """A read inside `replica_reads` that the replica was chosen for (never the lag check itself)."""
    return _wanted.get() and _chosen.get() == REPLICA


def replica_failed(error: Exception, replica: BaseDatabaseWrapper) -> BaseDatabaseWrapper:
    """The replica failed under a read it was chosen for: this request's reads move to the primary,
    and the replica is not asked again for DATABASE_REPLICA_RETRY_SECONDS. Returns the primary."""
    logger.warning("read replica failed under a read, reading from the primary: %s", str(error).strip()[:200])
    _chosen.set(DEFAULT_DB_ALIAS)
    _health.down_until = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
    with contextlib.suppress(DatabaseError):
        replica.close()
    return connections[DEFAULT_DB_ALIAS]


def reads_alias() -> str:
    """The database the replica's reads use here and now."""
    if not _wanted.get() or not replica_configured() or connection.in_atomic_block:
        return DEFAULT_DB_ALIAS
    chosen = _chosen.get()
    if chosen is None:
        chosen = _choose()
        _chosen.set(chosen)
    return chosen


def reads_connection() -> BaseDatabaseWrapper:
    """The connection for raw SQL over the facts and roll-ups: the replica's when reads_alias says so,
    on the default connection's schema."""
    alias = reads_alias()
    chosen = connections[alias]
    if alias == REPLICA:
        _mirror_schema(chosen)
    return chosen


def _mirror_schema(replica: BaseDatabaseWrapper) -> None:
    # django-tenants' backend keeps the schema on each connection object (tenant, schema_name,
    # set_tenant, set_schema_to_public); unknown to BaseDatabaseWrapper's stubs.
    schema = getattr(connection, "schema_name", None) or "public"
    if getattr(replica, "schema_name", None) == schema:
        return
    tenant = getattr(connection, "tenant", None)
    if tenant is None or schema == "public":
        replica.set_schema_to_public()  # type: ignore[attr-defined]
    else:
        replica.set_tenant(tenant)  # type: ignore[attr-defined]


class ReplicaRouter:
    """ORM reads of DATABASE_REPLICA_MODELS inside `replica_reads` go where reads_alias says."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        # The database cache passes a stand-in model whose options have no label.
        if getattr(model._meta, "label", None) not in settings.DATABASE_REPLICA_MODELS:
            return None
        alias = reads_alias()
        if alias != REPLICA:
            return None
        _mirror_schema(connections[REPLICA])
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """GET and HEAD under DATABASE_REPLICA_PATHS read through `replica_reads`; the response says
    where the reads went (`X-Reads-From: replica` or `primary`) when a read asked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = tuple(settings.DATABASE_REPLICA_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not replica_configured() or not request.path.startswith(
                self.paths):
            return self.get_response(request)
        with replica_reads():
            response = self.get_response(request)
            chosen = _chosen.get()
        if chosen is not None:
            response["X-Reads-From"] = "replica" if chosen == REPLICA else "primary"
        return response
