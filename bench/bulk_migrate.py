"""A real migration over every body: a column and an index added to a body table
(tests/deploy/bulk_migrations, through tests/deploy/bulk_settings.py), applied by `rongthuk bodies
migrate` (SQL captured once from the template, replayed per body on several connections), against
Django's migrate in one schema at a time (the stock path) on a sample of bodies in the same run.
Works on its own database (default `rongthuk_bench_migrate`), loaded once with the registry.

    .venv/bin/python bench/bulk_migrate.py                  # the whole DLA registry (7,849 + Bangkok)
    .venv/bin/python bench/bulk_migrate.py --province 76    # one province, quicker

Each run first takes the migration out again (column, index and ledger rows), so it can be repeated.
Prints a table, the command and the load average.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
MIGRATION = ("tokens", "0002_token_note")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="rongthuk_bench_migrate")
    parser.add_argument("--province", action="append", default=None, help="load only these provinces")
    parser.add_argument("--workers", type=int, default=2, help="connections migrating bodies at once")
    parser.add_argument("--stock-sample", type=int, default=10, help="bodies migrated the stock way")
    args = parser.parse_args()

    os.environ["RONGTHUK_DATABASE_NAME"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")
    _create_database(args.database)

    import django

    django.setup()
    from django.db import connections

    from tenants.geography import geography_load
    from tenants.models import BodyStatus, LocalBody
    from tenants.services import bangkok_ensure, bodies_import, bodies_migrate

    rows: list[tuple[str, str]] = []
    started = time.perf_counter()
    bodies_migrate(show_progress=False)
    geography_load()
    if not args.province:
        bangkok_ensure()
    report = bodies_import(REPO / "tenants" / "data" / "lao.csv", workers=2, show_progress=True,
                           provinces=set(args.province) if args.province else None)
    if report.provisioned:
        rows.append((f"registry loaded ({report.provisioned} bodies provisioned now)",
                     f"{time.perf_counter() - started:.0f} s"))
    bodies = list(LocalBody.objects.bodies().exclude(status=BodyStatus.PROVISIONING).order_by("dla_code")
                  .values_list("schema_name", flat=True))
    _reset(["body_template", *bodies])
    connections.close_all()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.deploy.bulk_settings",
           "RONGTHUK_DATABASE_NAME": args.database}
    # The stock path on a sample, in the same run: Django's migrate in one schema (its introspection
    # reads the whole catalog). `bodies migrate` then finds these bodies' ledgers done and skips them.
    sample = bodies[:: max(1, len(bodies) // args.stock_sample)][: args.stock_sample]
    script = ("import time\nfrom django.core.management import call_command\n"
              "for schema in SAMPLE:\n"
              "    started = time.perf_counter()\n"
              "    call_command('migrate_schemas', tenant=True, schema_name=schema, interactive=False, verbosity=0)\n"
              "    print(schema, time.perf_counter() - started)\n")
    done = subprocess.run([sys.executable, "-m", "rongthuk.cli", "shell", "-c", f"SAMPLE = {sample!r}\n" + script],
                          cwd=REPO, env=env, capture_output=True, text=True, check=True)
    stock = [float(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("b")]
    stock_ms = 1000 * sum(stock) / len(stock)

    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "rongthuk.cli", "bodies", "migrate", "--workers", str(args.workers)],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    load = os.getloadavg()
    said = done.stdout.strip().splitlines()[-1]
    inside = float(said.rsplit(" in ", 1)[1].split()[0])  # "… in 12.3 s": the command's own time
    bulk_ms = 1000 * inside / len(bodies)
    rows += [
        (f"bodies migrate: add a column and an index, {len(bodies)} bodies, {args.workers} connections",
         f"{inside:.1f} s"),
        ("  the same, the process's wall time (Python and Django start included)", f"{wall:.1f} s"),
        ("  per body (the command's time / bodies; public schema and template included)", f"{bulk_ms:.1f} ms"),
        (f"stock: Django's migrate in one schema, mean of {len(stock)} bodies", f"{stock_ms:.0f} ms"),
        (f"  stock over {len(bodies)} bodies, one after another (estimate)", f"{stock_ms * len(bodies) / 1000:.0f} s"),
        ("ratio stock / bodies migrate, per body", f"{stock_ms / bulk_ms:.1f}x"),
        ("bodies migrate output", said),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  value\n{'-' * width}  {'-' * 14}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\ncommand: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")


def _reset(schemas: list[str]) -> None:
    """Take the bench's migration out of every schema: column (and its index), ledger row."""
    from django.db import connection

    for schema in schemas:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{schema}".tokens_stafftoken DROP COLUMN IF EXISTS bulk_note')
            cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', MIGRATION)
    from tenants import provisioning
    from tenants.models import BodyStatus, LocalBody

    LocalBody.objects.bodies().exclude(status=BodyStatus.PROVISIONING).update(migration_state=provisioning.schema_migration_state("body_template"))


def _create_database(name: str) -> None:
    import psycopg

    from rongthuk.settings.database import DATABASES

    db = DATABASES["default"]
    conninfo = {"dbname": "postgres", "user": db["USER"] or None, "host": db["HOST"] or None,
                "port": db["PORT"] or None, "password": db["PASSWORD"] or None}
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
