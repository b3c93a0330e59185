"""A database connection is closed once it has served DATABASE_CONN_MAX_BODIES different bodies.

A PostgreSQL backend keeps the catalog entries (relation cache, about 59 KB a body here) of every
schema it has touched, for as long as it lives. CONN_MAX_AGE bounds a connection's age; this
bounds how far it wanders: a worker that serves random bodies gets a fresh backend after that many
distinct bodies, so no backend grows past ≈ base + 59 KB × DATABASE_CONN_MAX_BODIES. Checked after
the response is made, never inside a transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection


class _Served:
    backend: object = None  # the DB-API connection the schemas below were served on
    schemas: set[str] = set()


_served = _Served()


def body_served(schema: str) -> None:
    raw = connection.connection
    if raw is None or schema == "public":  # nothing read, or what every backend holds anyway
        return
    if raw is not _served.backend:
        _served.backend, _served.schemas = raw, set()
    _served.schemas.add(schema)
    if len(_served.schemas) >= settings.DATABASE_CONN_MAX_BODIES and not connection.in_atomic_block:
        connection.close()
        _served.backend, _served.schemas = None, set()


def bodies_on_this_connection() -> int:
    return len(_served.schemas) if connection.connection is _served.backend else 0
