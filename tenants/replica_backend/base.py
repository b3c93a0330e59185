"""The read replica's database backend: django-tenants' PostgreSQL backend whose cursors fall back
to the primary when the replica fails under a read (tenants.replica).

The lag check chose the replica for a request's reads, then the replica stopped, restarted or cut
the connection (an OperationalError or InterfaceError: a connection that cannot be opened, a server
that closed it, a statement cancelled by recovery). Inside `replica_reads`, once the replica was
chosen, such a read is run again on the primary — the same statement on the default connection,
in the same schema — the rest of the request reads there too (the response says `X-Reads-From:
primary`) and the replica is not asked again for DATABASE_REPLICA_RETRY_SECONDS. Reads outside that
block, and the lag check itself, fail as they would."""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django_tenants.postgresql_backend import base

from tenants.replica import replica_failed, replica_may_fall_back

FAILURES = (OperationalError, InterfaceError)


class _FallsBack:
    """execute/executemany that move the cursor to the primary when the replica fails under them."""

    db: Any
    cursor: Any

    def _to_primary(self, error: Exception) -> bool:
        if getattr(self.db, "alias", None) == "default" or not replica_may_fall_back():
            return False
        primary = replica_failed(error, self.db)
        # The primary's own cursor, its search_path set for the default connection's schema.
        self.db, self.cursor = primary, primary._cursor().cursor  # type: ignore[attr-defined]
        return True

    def _run(self, method: str, sql: Any, args: Any) -> Any:
        try:
            return getattr(super(), method)(sql, args)
        except FAILURES as error:
            if not self._to_primary(error):
                raise
        return getattr(super(), method)(sql, args)

    def execute(self, sql: Any, params: Any = None) -> Any:
        return self._run("execute", sql, params)

    def executemany(self, sql: Any, param_list: Any) -> Any:
        return self._run("executemany", sql, param_list)


class FallbackCursorWrapper(_FallsBack, CursorWrapper):
    pass


class FallbackCursorDebugWrapper(_FallsBack, CursorDebugWrapper):
    pass


class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    def _cursor(self, name: str | None = None) -> Any:
        try:
            return super()._cursor(name)
        except FAILURES as error:
            # Could not connect, or the search_path could not be set: the whole read goes to the primary.
            if not replica_may_fall_back():
                raise
            return replica_failed(error, self)._cursor(name)  # type: ignore[attr-defined]

    def make_cursor(self, cursor: Any) -> CursorWrapper:
        return FallbackCursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> CursorWrapper:
        return FallbackCursorDebugWrapper(cursor, self)
