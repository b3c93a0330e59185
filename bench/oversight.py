"""Oversight and national API at national size, beside a UNION ALL over bodies' schemas.

    RONGTHUK_DATABASE_NAME=rongthuk_bench .venv/bin/python bench/oversight.py --facts 1000000 --schemas 300

Makes (once, kept in the bench database) 7,850 synthetic bodies (dla_code 9xxxxxx, active, no
schema) spread over the real districts, N synthetic facts (INSERT ... SELECT generate_series, with
the roll-up trigger off, then one rebuild), and K throwaway schemas with one small fact table each
for the baseline. Prints a table and the command that made it, and the write-path cost of the
roll-up trigger (ms per complaint: fact insert + resolve, one transaction each; removed after).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

_setup.start()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from api.models import api_key_create  # noqa: E402
from apps.accounts.models import User  # noqa: E402
from apps.oversight.services import oversight_profile_set, rollup_rebuild  # noqa: E402
from apps.reporting.models import ComplaintFact  # noqa: E402
from tenants.geography import geography_load  # noqa: E402
from tenants.models import LocalBody, Province  # noqa: E402
from tenants.services import bodies_migrate  # noqa: E402
from tests.signin import verified_login  # noqa: E402


def sql(statement: str, params: list | None = None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def setup(bodies: int, facts: int) -> None:
    if _setup.synthetic_bodies():
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    else:
        bodies_migrate(show_progress=False)
    if Province.objects.count() < 70:
        geography_load()
    have = LocalBody.objects.filter(dla_code__startswith="9").count()
    if have < bodies:
        sql("""
            INSERT INTO tenants_localbody (schema_name, dla_code, kind, name_th, name_en, slug, province_id,
              district_id, address, moo, postcode, website, status, migration_state, created_at, updated_at,
              previous_dla_code)
            SELECT 'bench_' || s.code, s.code, 'sao', 'บัญชีทดสอบ ' || s.code, '', 'bench-' || s.code,
                   d.province_id, d.code, '', '', '', '', 'active', '', now(), now(), ''
            FROM (SELECT g, (9000000 + g)::text AS code, g %% (SELECT count(*) FROM tenants_district) AS k
                  FROM generate_series(%s, %s) g) s
            JOIN (SELECT code, province_id, (row_number() OVER (ORDER BY code)) - 1 AS k FROM tenants_district) d
              ON d.k = s.k
            ON CONFLICT (dla_code) DO NOTHING""", [have + 1, bodies])
    have_facts = ComplaintFact.objects.filter(tracking_code__startswith="B").count()
    if have_facts < facts:
        # Millions of rows: the plain indexes are dropped and built again after the insert (one
        # sorted build each instead of maintaining every index row by row; 10 M facts otherwise
        # take over an hour on two cores). Primary key and unique constraints stay.
        bulk = facts - have_facts > 1_000_000
        indexes = sql("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                         WHERE i.schemaname = 'public' AND i.tablename = 'reporting_complaintfact'
                           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""") \
            if bulk else []
        # Row by row, every index and the body foreign key's check would cost over an hour at 10 M
        # on two cores: the session skips triggers (the rollup, rebuilt below, and the foreign
        # key: every body id is read from tenants_localbody) and the plain indexes are built after.
        sql("SET session_replication_role = replica")
        try:
            for name, _definition in indexes:
                sql(f'DROP INDEX "{name}"')
            sql("""
                WITH b AS (SELECT id, province_id, district_id, row_number() OVER (ORDER BY id) - 1 AS k
                           FROM tenants_localbody WHERE dla_code LIKE '9%%' AND district_id IS NOT NULL),
                     n AS (SELECT count(*) AS c FROM b)
                INSERT INTO reporting_complaintfact (body_id, province_code, district_code, subdistrict_code,
                  complaint_id, tracking_code, national_category, sla_class, channel, status, routed_to_oversight,
                  received_at, acknowledged_at, first_reply_at, resolved_at, reopen_count, cycle_started_at,
                  transferred_to_agency, sla_source, ack_due_at, reply_due_at, resolve_due_at, ack_met, reply_met,
                  resolve_met, paused_seconds, ever_breached, updated_at, about_district_office, external_id,
                  external_source)
                SELECT b.id, b.province_id, b.district_id, '', g, 'B' || lpad(g::text, 10, '0'),
                  (ARRAY['road','water','waste','light','drain','noise','animal','tree','other'])[1 + g %% 9],
                  'B', (ARRAY['web','walk_in','phone','letter','line','email','1111','transfer'])[1 + g %% 8],
                  CASE WHEN g %% 20 = 0 THEN 'in_progress' ELSE 'resolved' END, g %% 97 = 0,
                  r, r + interval '3 hours', r + interval '5 days',
                  CASE WHEN g %% 20 = 0 THEN NULL ELSE r + (g %% 40) * interval '1 day' END, 0, r, '', 'framework',
                  r + interval '1 day', r + interval '15 days', r + interval '15 days',
                  true, g %% 7 <> 0, CASE WHEN g %% 20 = 0 THEN NULL ELSE g %% 40 < 15 END, 0, g %% 40 >= 15, now(),
                  false, '', ''
                FROM generate_series(%s, %s) g
                CROSS JOIN n
                JOIN b ON b.k = (g::bigint * 7919) %% n.c
                CROSS JOIN LATERAL (SELECT now() - ((g %% 730) * interval '1 day') AS r) t""",
                [have_facts + 1, facts])
        finally:
            sql("SET session_replication_role = DEFAULT")
            sql("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                sql(definition)
        rollup_rebuild()
        sql("ANALYZE")


def union_schemas(count: int, rows_each: int) -> None:
    have = sql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'bench_union_%%'")[0][0]
    if have and sql("SELECT count(*) FROM bench_union_00000.facts")[0][0] != rows_each:
        # Made for another fact count (or a copied database): the baseline must match this run.
        for (name,) in sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench_union_%%'"):
            sql(f"DROP SCHEMA {name} CASCADE")
        have = 0
    for i in range(have, count):
        name = f"bench_union_{i:05d}"
        sql(f"CREATE SCHEMA {name}")
        sql(f"CREATE TABLE {name}.facts (province_code char(2), district_code char(4), received_at timestamptz, "
            f"resolved boolean, on_time boolean)")
        sql(f"INSERT INTO {name}.facts SELECT '76', '7606', now() - (g %% 365) * interval '1 day', g %% 20 <> 0, "
            f"g %% 40 < 15 FROM generate_series(1, %s) g", [rows_each])


def union_query(count: int) -> str:
    parts = [f"SELECT district_code, resolved, on_time FROM bench_union_{i:05d}.facts "
             "WHERE province_code = '76' AND received_at >= now() - interval '365 days'" for i in range(count)]
    return ("SELECT district_code, count(*), sum(resolved::int), avg(on_time::int) FROM ("
            + " UNION ALL ".join(parts) + ") u GROUP BY 1")


def write_cost(count: int, *, trigger: bool) -> float:
    """ms per complaint for a fact INSERT then its UPDATE to resolved, each complaint in its own
    transaction as the complaint service does, with the roll-up trigger on or off. The facts are
    deleted afterwards (the trigger, when on, takes them back out of the roll-ups)."""
    bodies = list(LocalBody.objects.filter(dla_code__startswith="9", district__isnull=False).order_by("pk")
                  .values_list("pk", "province_id", "district_id")[:count])
    if not trigger:
        sql("ALTER TABLE reporting_complaintfact DISABLE TRIGGER oversight_rollup")
    # The trigger's own cost, not the disk's: commits do not wait for the WAL flush here.
    sql("SET synchronous_commit = off")
    try:
        start = time.perf_counter()
        for i, (pk, province, district) in enumerate(bodies):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO reporting_complaintfact (body_id, province_code, district_code, subdistrict_code, "
                    "complaint_id, tracking_code, national_category, sla_class, channel, status, "
                    "routed_to_oversight, received_at, reopen_count, cycle_started_at, transferred_to_agency, "
                    "sla_source, paused_seconds, ever_breached, updated_at, about_district_office, external_source, "
                    "external_id) VALUES (%s, %s, %s, '', %s, %s, 'road', 'B', 'web', 'received', false, now(), 0, "
                    "now(), '', 'framework', 0, false, now(), false, '', '') RETURNING id",
                    [pk, province, district, 900_000_000 + i, f"W{i:010d}"])
                fact_id = cursor.fetchone()[0]
                cursor.execute("UPDATE reporting_complaintfact SET status = 'resolved', resolved_at = now() "
                               "+ interval '3 days', resolve_met = true WHERE id = %s", [fact_id])
        elapsed = (time.perf_counter() - start) * 1000
    finally:
        sql("RESET synchronous_commit")
        sql("DELETE FROM reporting_complaintfact WHERE complaint_id >= 900000000 AND tracking_code LIKE 'W%%'")
        if not trigger:
            sql("ALTER TABLE reporting_complaintfact ENABLE TRIGGER oversight_rollup")
    return elapsed / max(1, len(bodies))


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--bodies", type=int, default=7_850)
    parser.add_argument("--schemas", type=int, default=300, help="schemas in the UNION ALL baseline")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("run with RONGTHUK_DATABASE_NAME=rongthuk_bench (it writes millions of rows)")
    started = time.perf_counter()
    setup(args.bodies, args.facts)
    union_schemas(args.schemas, max(1, args.facts // args.bodies))
    setup_s = time.perf_counter() - started

    officer = User.objects.filter(username="bench-province76").first() or \
        User.objects.create_user("bench-province76", "bench-pw-1")
    oversight_profile_set(user=officer, level="province", code="76")
    web = verified_login(Client(HTTP_HOST="localhost"), officer)  # signed in with the second factor
    _key, raw = api_key_create(name="bench", scope="nation")
    api = APIClient(HTTP_HOST="localhost")
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")

    def get_ok(client, url):  # type: ignore[no-untyped-def]
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    dash = _setup.timed(lambda: get_ok(web, "/oversight/performance/?province=76"), args.runs)
    sla_page = _setup.timed(lambda: get_ok(web, "/oversight/"), args.runs)
    api_urls = ["/api/national/v1/aggregates/?level=nation&group_by=province",
                "/api/national/v1/aggregates/?level=nation&group_by=category",
                "/api/national/v1/aggregates/?level=province&code=76&group_by=district",
                "/api/national/v1/aggregates/?level=district&code=7606&group_by=body",
                "/api/national/v1/sla-compliance/?level=nation",
                "/api/national/v1/aggregates/?level=nation&group_by=month"]
    api_times: list[float] = []
    for _ in range(args.runs):
        for url in api_urls:
            api_times.extend(_setup.timed(lambda url=url: get_ok(api, url), 1))
    writes = {flag: [write_cost(300, trigger=flag) for _ in range(3)] for flag in (True, False)}
    query = union_query(args.schemas)
    union = _setup.timed(lambda: sql(query), max(3, args.runs // 4))
    facts = ComplaintFact.objects.count()
    bodies = LocalBody.objects.bodies().count()

    print(f"bodies {bodies:,}, facts {facts:,}, UNION ALL baseline over {args.schemas} schemas "
          f"({max(1, args.facts // args.bodies)} rows each); setup {setup_s:.0f}s")
    print(f"{'measure':58} {'median ms':>10} {'p95 ms':>10} {'target':>8}")
    rows = [("provincial dashboard /oversight/performance/?province=76", dash, "150"),
            ("provincial SLA page /oversight/ (85+ bodies)", sla_page, "150"),
            ("national API aggregates (6 queries)", api_times, "300"),
            (f"UNION ALL over {args.schemas} schemas (one aggregate)", union, "-")]
    for name, values, target in rows:
        print(f"{name:58} {statistics.median(values):10.1f} {p95(values):10.1f} {target:>8}")
    for flag, label in ((True, "on"), (False, "off")):
        values = writes[flag]
        print(f"{'write per complaint (insert+resolve), trigger ' + label:58} "
              f"{statistics.median(values):10.2f} {max(values):10.2f} {'-':>8}")
    per_schema = statistics.median(union) / args.schemas
    print(f"UNION ALL per schema ≈ {per_schema:.2f} ms → all {bodies:,} bodies ≈ {per_schema * bodies:,.0f} ms")
    print(f"ratio UNION ALL ({args.schemas} schemas) / provincial dashboard (median): "
          f"{statistics.median(union) / statistics.median(dash):.1f}x; "
          f"/ national API p95: {statistics.median(union) / p95(api_times):.1f}x")
    name = connection.settings_dict["NAME"]
    print(f"command: RONGTHUK_DATABASE_NAME={name} .venv/bin/python bench/oversight.py {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
