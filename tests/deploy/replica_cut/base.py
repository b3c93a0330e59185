"""The replica's backend with a fault at the worst moment: right after the lag check says the
replica is fit, the replica's server ends that connection (pg_terminate_backend, waited for), so the
read the check chose the replica for meets a dead connection (tests/deploy/test_replica.py)."""

from __future__ import annotations

from typing import Any

import psycopg

from tenants.replica import LAG_SQL
from tenants.replica_backend import base


class CuttingCursorWrapper(base.FallbackCursorWrapper):
    def execute(self, sql: Any, params: Any = None) -> Any:
        result = super().execute(sql, params)
        if sql == LAG_SQL:
            pid = self.db.connection.info.backend_pid
            params_ = self.db.get_connection_params()
            with psycopg.connect(host=params_["host"], port=params_["port"], user=params_["user"],
                                 dbname=params_["dbname"], autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
        return result


class DatabaseWrapper(base.DatabaseWrapper):
    def make_cursor(self, cursor: Any) -> Any:
        return CuttingCursorWrapper(cursor, self)
