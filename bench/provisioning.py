"""Provisioning benchmark: cloning the template vs running the migrations, the whole registry,
a migrate with nothing pending, and tenant resolution with the cache vs django-tenants' stock
middleware — all in one run, on a separate database (default `rongthuk_bench_provisioning`).

    .venv/bin/python bench/provisioning.py                 # clone vs migrate on 20 bodies, resolution
    .venv/bin/python bench/provisioning.py --registry      # + the whole DLA registry (7,849 + Bangkok)

Prints a table and the command that made it. Times are wall-clock on this machine; compare the
ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import _setup  # noqa: I001  (the path, the database, Django)

REPO = _setup.REPO


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="rongthuk_bench_provisioning")
    parser.add_argument("--samples", type=int, default=20, help="bodies for clone vs migrate")
    parser.add_argument("--registry", action="store_true", help="provision the whole registry")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    os.environ["RONGTHUK_DATABASE_NAME"] = args.database
    _setup.start(args.database)
    from django.core.management import call_command
    from django.db import connection

    from tenants import provisioning
    from tenants.geography import geography_load
    from tenants.models import BodyStatus, LocalBody
    from tenants.services import bangkok_ensure, bodies_import, bodies_migrate, schema_name_for

    rows: list[tuple[str, str]] = []
    bodies_migrate(show_progress=False)
    geography_load()
    relations = provisioning.schema_relation_count(provisioning.template_schema())
    rows.append(("relations per body schema", f"{relations}"))

    # 1. clone vs migrations, same bodies count, same run (the template's DDL is read once first)
    provisioning.clone_script()
    clone_ms, migrate_ms = [], []
    for i in range(args.samples):
        code = f"9{i:06d}"
        with connection.cursor() as cursor:
            # Raw deletes: the ORM's cascade would look for tenant tables in the public schema.
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name_for(code)}" CASCADE')
            cursor.execute("DELETE FROM tenants_domain WHERE tenant_id IN "
                           "(SELECT id FROM tenants_localbody WHERE dla_code = %s)", [code])
            cursor.execute("DELETE FROM tenants_servicearea WHERE body_id IN "
                           "(SELECT id FROM tenants_localbody WHERE dla_code = %s)", [code])
            cursor.execute("DELETE FROM tenants_localbody WHERE dla_code = %s", [code])
        body = LocalBody.objects.create(dla_code=code, schema_name=schema_name_for(code), kind="sao",
                                        name_th=f"ทดสอบ {i}", slug=f"bench-{code}", status=BodyStatus.PROVISIONING)
        started = time.perf_counter()
        provisioning.body_provision(body.pk)
        clone_ms.append((time.perf_counter() - started) * 1000)
        migrated = f"bench_migrate_{i}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{migrated}" CASCADE')
            cursor.execute(f'CREATE SCHEMA "{migrated}"')
        started = time.perf_counter()
        call_command("migrate_schemas", tenant=True, schema_name=migrated, interactive=False, verbosity=0)
        migrate_ms.append((time.perf_counter() - started) * 1000)
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{migrated}" CASCADE')
    clone, migrate = statistics.median(clone_ms), statistics.median(migrate_ms)
    rows.append((f"provision one body by clone, median of {args.samples}", f"{clone:.1f} ms"))
    rows.append((f"provision one body by running migrations, median of {args.samples}", f"{migrate:.1f} ms"))
    rows.append(("ratio migrations / clone", f"{migrate / clone:.1f}x"))

    # 2. the whole registry
    if args.registry:
        bangkok_ensure()
        started = time.perf_counter()
        report = bodies_import(REPO / "tenants" / "data" / "lao.csv", workers=args.workers, show_progress=True)
        wall = time.perf_counter() - started
        active = LocalBody.objects.live().count()
        rows.append((f"whole registry import ({report.provisioned} provisioned now, {active} active)",
                     f"{wall:.0f} s wall"))
        if report.provision_ms:
            rows.append((f"  wall time per body ({args.workers} streams)",
                         f"{wall * 1000 / max(report.provisioned, 1):.1f} ms"))
            rows.append(("  median of each body's own provisioning time in its stream",
                         f"{statistics.median(report.provision_ms):.1f} ms"))

    # 3. migrate with nothing pending
    started = time.perf_counter()
    result = bodies_migrate(show_progress=False)
    rows.append((f"migrate all {LocalBody.objects.bodies().count()} bodies, {result.pending} pending",
                 f"{time.perf_counter() - started:.2f} s"))

    # 4. tenant resolution per request: cached middleware vs django-tenants' stock middleware
    if not LocalBody.objects.filter(dla_code="5760601").exists():
        bodies_import(REPO / "tenants" / "data" / "lao.csv", provinces={"76"}, show_progress=False)
    rows += _resolution(LocalBody.objects.get(dla_code="5760601"))

    print()
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 14}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\ncommand: {' '.join([Path(sys.executable).name, *sys.argv])}")


def _resolution(body: object) -> list[tuple[str, str]]:
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django_tenants.middleware.main import TenantMainMiddleware

    from tenants import cache
    from tenants.middleware import TenantResolutionMiddleware
    from tenants.models import Domain

    host = Domain.objects.filter(tenant=body, is_primary=True).values_list("domain", flat=True).first()
    factory = RequestFactory()

    def ok(request: object) -> HttpResponse:
        return HttpResponse("ok")

    results = []
    for label, middleware in (("cached (tenants.middleware)", TenantResolutionMiddleware(ok)),
                              ("django-tenants TenantMainMiddleware", TenantMainMiddleware(ok))):
        cache.clear()
        timings = []
        for _ in range(2000):
            request = factory.get("/", HTTP_HOST=host)
            started = time.perf_counter()
            middleware(request)
            timings.append((time.perf_counter() - started) * 1e6)
        results.append((label, statistics.median(timings)))
    cached, stock = results[0][1], results[1][1]
    return [
        (f"tenant resolution, {results[0][0]}, median of 2000", f"{cached:.0f} µs"),
        (f"tenant resolution, {results[1][0]}, median of 2000", f"{stock:.0f} µs"),
        ("ratio stock / cached", f"{stock / cached:.1f}x"),
    ]


if __name__ == "__main__":
    main()
