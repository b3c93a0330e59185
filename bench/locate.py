"""Locating a place over the whole registry: `tenants.locate.place_locate` for random points near
real offices (the phone's location), on a database of its own holding the public tables only (the
7,849 registry bodies marked live without schemas: the locate reads public tables alone). Prints
how long each call takes, what share found one body, several or none, and the plan of the
nearest-subdistrict statement.

    python bench/locate.py [--points 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal

import _setup


def setup() -> None:
    from django.core.management import call_command

    from rongthuk.demo import REGISTRY
    from tenants.geography import geography_load
    from tenants.locate import subdistrict_points_refresh
    from tenants.models import BodyStatus, LocalBody, Province, Subdistrict
    from tenants.registry import Geography, RegistryRow, read_registry
    from tenants.services import bodies_upsert

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    if Subdistrict.objects.count() < 7000:
        geography_load()
    if LocalBody.objects.bodies().count() < 7849:
        rows = [r for r in read_registry(REGISTRY, Geography()) if isinstance(r, RegistryRow)]
        names_en = dict(Province.objects.values_list("code", "name_en"))
        for start in range(0, len(rows), 2000):
            bodies_upsert(rows[start:start + 2000], province_names_en=names_en)
    LocalBody.objects.bodies().exclude(status=BodyStatus.ACTIVE).update(status=BodyStatus.ACTIVE)
    started = time.perf_counter()
    changed = subdistrict_points_refresh()
    print(f"subdistrict points refreshed over the registry: {changed} changed in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=2000)
    args = parser.parse_args()
    _setup.start("rongthuk_bench_locate")
    setup()
    from django.db import connection

    from tenants.locate import _NEAREST_SQL, place_locate
    from tenants.models import LocalBody, Subdistrict

    offices = list(LocalBody.objects.bodies().exclude(latitude__isnull=True).values_list("latitude", "longitude"))
    rng = random.Random(15)  # noqa: S311 - reproducible sample points, not security
    points = []
    for _ in range(args.points):
        lat, lng = rng.choice(offices)
        points.append((Decimal(lat) + Decimal(rng.uniform(-0.03, 0.03)).quantize(Decimal("0.000001")),
                       Decimal(lng) + Decimal(rng.uniform(-0.03, 0.03)).quantize(Decimal("0.000001"))))
    place_locate(latitude=points[0][0], longitude=points[0][1])  # warm the connection
    samples, one, several, none = [], 0, 0, 0
    for lat, lng in points:
        started = time.perf_counter()
        place = place_locate(latitude=lat, longitude=lng)
        samples.append((time.perf_counter() - started) * 1000)
        one += len(place.bodies) == 1
        several += len(place.bodies) > 1
        none += not place.bodies
    samples.sort()
    with connection.cursor() as cursor:
        lat, lng = float(points[0][0]), float(points[0][1])
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + _NEAREST_SQL,
                       (lng, lat, lat, lng, 0.97, lat, lng, 0.97))
        plan = [row[0] for row in cursor.fetchall()]
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = " ".join(handle.read().split()[:3])
    print(f"bodies {LocalBody.objects.bodies().count()}, subdistricts with a point "
          f"{Subdistrict.objects.filter(latitude__isnull=False).count()} of {Subdistrict.objects.count()}")
    print(f"{'points':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'one body':>9} {'several':>8} {'none':>6}")
    print(f"{len(samples):>8} {statistics.median(samples):>8.2f} {samples[int(len(samples) * 0.95)]:>8.2f} "
          f"{samples[-1]:>8.2f} {one:>9} {several:>8} {none:>6}")
    print(f"load average {load}")
    print("\n".join(plan))


if __name__ == "__main__":
    main()
