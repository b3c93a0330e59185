"""SLA engine figures (issue 4). Prints a table and the command that made it.

    .venv/bin/python bench/sla.py                     # ~2 minutes, 1,000,000 synthetic stage clocks
    .venv/bin/python bench/sla.py --rows 10000000     # the full figure

1. Deadline computation: full stage sets per second (apps.sla.clock.compute, pure).
2. Due/breach scan: N synthetic StageClock rows over 7,850 body ids, in a scratch schema with the
   same columns and the same partial index as sla_stageclock; the sweep's claim read (one range
   read of the partial index) — median of repeats. Baseline in the same run: a per-body loop,
   one query per body (what looping over 7,850 schemas costs at the very least: one round trip
   each, before any search_path switch), and the ratio.
3. Escalating 10,000 breached stages end to end (claim, events and notifications in each body's
   schema, outbox) on the provisioned bodies of the database, rolled back afterwards.

Runs against RONGTHUK_DATABASE_NAME (default: rongthuk_sla_bench, created and provisioned with the
demo province when missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shlex
import statistics
import sys
import time

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

_setup.start("rongthuk_sla_bench")

from django.db import connection, transaction  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from apps.sla import clock  # noqa: E402
from apps.sla.calendar import BANGKOK, Calendar  # noqa: E402
from apps.sla.defaults import default_rows  # noqa: E402
from tenants.models import LocalBody  # noqa: E402

BODIES = 7850
SCRATCH = "bench_sla"


def _prepare() -> list[LocalBody]:
    _setup.demo_bodies()
    return list(LocalBody.objects.live())


def bench_compute(cases: int) -> float:
    snapshot = {"stages": {s: {"days": d, "day_type": t} for c, s, d, t in default_rows() if c == "B"}}
    calendar = Calendar.build()
    rng = random.Random(4)
    start = dt.datetime(2025, 1, 6, 9, 0, tzinfo=BANGKOK)
    inputs = []
    for i in range(cases):
        received = start + dt.timedelta(hours=rng.randrange(0, 24 * 300))
        t = received + dt.timedelta(hours=rng.randrange(1, 30))
        events = [clock.Event("status", t, "acknowledged"), clock.Event("assign", t)]
        if i % 3 == 0:
            events += [clock.Event("status", t + dt.timedelta(days=1), "waiting"),
                       clock.Event("status", t + dt.timedelta(days=3), "in_progress")]
        events.append(clock.Event("reply", t + dt.timedelta(days=4), is_public=True))
        if i % 2 == 0:
            events.append(clock.Event("status", t + dt.timedelta(days=9), "resolved"))
        inputs.append((received, events))
    now = start + dt.timedelta(days=400)
    began = time.perf_counter()
    for received, events in inputs:
        clock.compute(snapshot, events, calendar, received_at=received, now=now)
    return cases / (time.perf_counter() - began)


SCAN_SQL = f"""SELECT id, body_id, complaint_id, stage, sla_class FROM {SCRATCH}.stageclock
WHERE next_action_at IS NOT NULL AND next_action_at <= %s ORDER BY next_action_at LIMIT 5000"""
LOOP_SQL = f"""SELECT id, body_id, complaint_id, stage, sla_class FROM {SCRATCH}.stageclock
WHERE body_id = %s AND next_action_at IS NOT NULL AND next_action_at <= %s"""


def bench_scan(rows: int, repeats: int) -> tuple[float, float, int, float]:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE; CREATE SCHEMA {SCRATCH}")
        # Same columns, defaults and indexes (the partial sweep index among them), no foreign keys.
        cursor.execute(f"CREATE TABLE {SCRATCH}.stageclock (LIKE public.sla_stageclock INCLUDING ALL)")
        t0 = time.perf_counter()
        # 80 % completed (no action owed), 19 % owed in the future, 1 % owed now: the sweep's
        # steady state, where each minute finds what came due since the last one.
        cursor.execute(f"""
            INSERT INTO {SCRATCH}.stageclock (fact_id, body_id, complaint_id, sla_class, stage, cycle, seq,
                started_at, due_at, warn_at, paused, next_action_at)
            SELECT g, 1 + (g %% {BODIES}), g, 'B', 'resolve', 0, 0,
                   %(now)s - interval '10 days', %(now)s + interval '5 days', %(now)s + interval '1 day', false,
                   CASE WHEN g %% 100 < 80 THEN NULL
                        WHEN g %% 100 < 99 THEN %(now)s + (g %% 1440) * interval '1 minute'
                        ELSE %(now)s - (g %% 60) * interval '1 second' END
            FROM generate_series(1, %(rows)s) AS g""", {"now": now, "rows": rows})
        cursor.execute(f"CREATE INDEX ON {SCRATCH}.stageclock (body_id, next_action_at)")
        cursor.execute(f"ANALYZE {SCRATCH}.stageclock")
        load = time.perf_counter() - t0
        timings, found = [], 0
        for _ in range(repeats):
            began = time.perf_counter()
            cursor.execute(SCAN_SQL, [now])
            found = len(cursor.fetchall())
            timings.append(time.perf_counter() - began)
        began = time.perf_counter()
        looped = 0
        for body_id in range(1, BODIES + 1):
            cursor.execute(LOOP_SQL, [body_id, now])
            looped += len(cursor.fetchall())
        loop = time.perf_counter() - began
        cursor.execute(f"EXPLAIN {SCAN_SQL}", [now])
        plan = " ".join(r[0].strip() for r in cursor.fetchall())
        cursor.execute(f"DROP SCHEMA {SCRATCH} CASCADE")
    assert "stageclock_next_action_at" in plan or "Index" in plan, plan
    return statistics.median(timings), loop, found, load


def bench_escalate(bodies: list[LocalBody], stages: int) -> tuple[float, int, int]:
    from apps.complaints.models import Category, Complaint
    from apps.oversight.sweep import stage_clocks_sweep
    from apps.reporting.models import ComplaintFact
    from apps.sla.models import StageClock

    now = dt.datetime(2025, 3, 5, 10, 0, tzinfo=BANGKOK)  # a Wednesday in office hours
    received = now - dt.timedelta(days=20)
    per_body = -(-stages // len(bodies))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'oversight_rollup'")
            if cursor.fetchone():  # the roll-up is another app's cost, not the sweep's
                cursor.execute("ALTER TABLE reporting_complaintfact DISABLE TRIGGER oversight_rollup")
        made = 0
        for body in bodies:
            if made >= stages:
                break
            count = min(per_body, stages - made)
            with schema_context(body.schema_name):
                category = Category.objects.first()
                if category is None:
                    continue
                complaints = Complaint.objects.bulk_create([
                    Complaint(tracking_code=f"B{body.pk:04d}{i:05d}", channel="web", category=category,
                              national_category=category.national_category_id, sla_class="B", description="bench",
                              received_at=received, cycle_started_at=received)
                    for i in range(count)])
            facts = ComplaintFact.objects.bulk_create([
                ComplaintFact(body=body, province_code=body.province_id or "", complaint_id=c.pk,
                              tracking_code=c.tracking_code, national_category=c.national_category, sla_class="B",
                              channel="web", status="received", received_at=received, cycle_started_at=received)
                for c in complaints])
            StageClock.objects.bulk_create([
                StageClock(fact=f, body=body, complaint_id=f.complaint_id, sla_class="B", stage="resolve",
                           started_at=received, due_at=now - dt.timedelta(days=1),
                           warn_at=now - dt.timedelta(days=5), warned_at=now - dt.timedelta(days=5),
                           district_due_at=now + dt.timedelta(days=3), next_action_at=now - dt.timedelta(days=1))
                for f in facts])
            made += count
        began = time.perf_counter()
        report = stage_clocks_sweep(now=now)
        elapsed = time.perf_counter() - began
        transaction.set_rollback(True)
    return elapsed, report.escalations, len(report.bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic stage clocks for the scan")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cases", type=int, default=5000, help="cases for the deadline computation")
    parser.add_argument("--escalate", type=int, default=10_000)
    args = parser.parse_args()
    command = "RONGTHUK_DATABASE_NAME={} .venv/bin/python bench/sla.py {}".format(
        os.environ["RONGTHUK_DATABASE_NAME"], shlex.join(sys.argv[1:])).strip()

    bodies = _prepare()
    rate = bench_compute(args.cases)
    median, loop, found, load = bench_scan(args.rows, args.repeats)
    escalate, escalated, touched = bench_escalate(bodies, args.escalate)

    lines = [
        ("deadline computation (full stage set, pure)", f"{rate:,.0f} cases/s", f"{args.cases:,} cases"),
        (f"due/breach scan, {args.rows:,} clocks over {BODIES:,} body ids (median of {args.repeats})",
         f"{median * 1000:,.1f} ms", f"{found:,} due rows returned (LIMIT 5000)"),
        (f"baseline: per-body loop, {BODIES:,} queries", f"{loop * 1000:,.0f} ms", "one query per body"),
        ("ratio loop / single indexed scan", f"{loop / median:,.0f}×", ""),
        (f"escalate {args.escalate:,} breached stages end to end", f"{escalate:,.2f} s",
         f"{escalated:,} escalations in {touched} body schemas"),
        ("synthetic load (insert + index + analyze)", f"{load:,.1f} s", "not part of any figure"),
    ]
    width = max(len(a) for a, _, _ in lines)
    print(f"$ {command}")
    print(f"{'measure'.ljust(width)} | {'result':>14} | note")
    print(f"{'-' * width}-|-{'-' * 14}-|-----")
    for name, value, note in lines:
        print(f"{name.ljust(width)} | {value:>14} | {note}")


if __name__ == "__main__":
    main()
