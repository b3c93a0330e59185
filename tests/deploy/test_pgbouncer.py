"""The app behind Debian's pgbouncer in session mode (deploy/pgbouncer/): one server connection
shared by every request of two gunicorn workers over two bodies. Each request is a new client
session (CONN_MAX_AGE 0) handed the same PostgreSQL backend after DISCARD ALL, so a body page, a
complaint and a switch to the other body must each find their own schema's rows: a search_path
left behind by the previous client would show or store another body's data."""

from __future__ import annotations

import pytest

from tests.conftest import BANLAT, THASEN
from tests.deploy.servers import Pgbouncer, Platform, Web, get
from tests.faults.stack import DATABASE, Citizen

pytestmark = pytest.mark.faults


def test_pages_complaints_and_body_switches_through_one_pooled_server_connection(platform: Platform) -> None:
    bodies = [platform.body(BANLAT), platform.body(THASEN)]
    mark = {schema: f"หมวดเฉพาะของ {schema}" for schema, _slug, _name in bodies}
    with platform.primary.connect() as conn:  # one category each body's own schema names differently
        for schema, _slug, _name in bodies:
            conn.execute(f'UPDATE "{schema}".complaints_category SET name_th = %s '  # noqa: S608 - our schema
                         f'WHERE id = (SELECT min(id) FROM "{schema}".complaints_category)', [mark[schema]])
    bouncer = Pgbouncer(platform.primary, pool_size=1)
    bouncer.start()
    web = Web(platform.env(bouncer.url, DATABASE_CONN_MAX_AGE="0", PORTAL_PAGE_CACHE="0"),
              platform.logs / "web-pgbouncer.log", workers=2)
    try:
        seen = []
        for _round in range(3):
            for schema, slug, name in bodies:
                other = next(s for s, _sl, _n in bodies if s != schema)
                status, page, _headers = get(web.port, "/", f"{slug}.localhost")
                assert (status, name in page) == (200, True)
                status, page, _headers = get(web.port, "/complaints/new/", f"{slug}.localhost")
                seen.append((schema, status, mark[schema] in page, mark[other] in page))
        assert seen == [(schema, 200, True, False) for schema in [bodies[0][0], bodies[1][0]] * 3]

        filed = []
        for number, (schema, slug, _name) in enumerate(bodies * 2):
            citizen = Citizen(web.port, 7000 + number)
            citizen.host = f"{slug}.localhost:{web.port}"
            filing = citizen.file(f"pgbouncer-{number}")
            assert filing.code is not None, filing.errors
            filed.append((schema, filing.marker))
        with platform.primary.connect() as conn:
            for schema, marker in filed:
                counts = {s: conn.execute(f'SELECT count(*) FROM "{s}".complaints_complaint '  # noqa: S608
                                          "WHERE description LIKE %s", [f"%{marker}"]).fetchone()[0]  # type: ignore[index]
                          for s, _slug, _name in bodies}
                assert counts == {s: 1 if s == schema else 0 for s, _slug, _name in bodies}

        servers = [s for s in bouncer.show("SERVERS") if s["database"] == DATABASE]
        assert len(servers) == 1
        with platform.primary.connect() as conn:
            backends = [row[0] for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
                "AND pid <> pg_backend_pid()", [DATABASE]).fetchall()]
        # Every page and complaint above went over this one backend: the app reaches the primary only
        # through pgbouncer, and its pool holds one server connection.
        assert backends == [servers[0]["remote_pid"]]
        clients = bouncer.show("STATS")
        assert [row["total_xact_count"] > 40 for row in clients if row["database"] == DATABASE] == [True]
    finally:
        web.stop()
        bouncer.stop()
