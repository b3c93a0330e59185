"""PDPA retention: the anonymisation job over N closed cases past retention in one body.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_retention .venv/bin/python bench/retention.py --cases 100000

N closed cases (with identity, contact data and one outbox message each, finished 6 years ago)
are bulk-inserted once into one body with their facts and kept in the bench database; before each
measured run their identity is put back. The measure is the wall time of retention_sweep (the
one indexed query on the facts, then a transaction per batch: lock, clear, facts, audit entry),
for several batch sizes, then a second run with nothing due (what the 6-hourly beat pays on most
days). Printed with the command and the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

_setup.start()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from apps.audit.models import AuditEntry  # noqa: E402
from apps.complaints.models import Category, Complaint, Notification  # noqa: E402
from apps.complaints.retention import retention_sweep  # noqa: E402
from apps.reporting.models import ComplaintFact  # noqa: E402
from tenants.models import LocalBody  # noqa: E402

BODY = "6760609"  # อบต.ท่าเสน
CODE_PREFIX = "R"


def setup() -> LocalBody:
    return _setup.demo_bodies(BODY)


def fill(body: LocalBody, target: int) -> None:
    """`target` closed cases finished six years ago, each with a fact and an outbox message."""
    finished = timezone.now() - timezone.timedelta(days=6 * 366)
    with schema_context(body.schema_name):
        have = Complaint.objects.filter(tracking_code__startswith=CODE_PREFIX).count()
        category = Category.objects.select_related("national_category").order_by("position").first()
        assert category is not None
        for start in range(have, target, 5000):
            rows = []
            for i in range(start, min(target, start + 5000)):
                code = f"{CODE_PREFIX}{i:07d}"
                at = finished - timezone.timedelta(minutes=i)
                rows.append(Complaint(
                    tracking_code=f"{code[:4]}-{code[4:]}", channel="phone", category=category,
                    national_category=category.national_category_id, sla_class=category.national_category.sla_class,
                    description=f"ไฟถนนดับ จุดที่ {i}", status="closed", received_at=at - timezone.timedelta(days=5),
                    cycle_started_at=at, closed_at=at, resolved_at=at))
            made = Complaint.objects.bulk_create(rows)
            Notification.objects.bulk_create([Notification(
                complaint=c, channel="sms", recipient="0812345678", body="หน่วยงานได้รับเรื่องของท่านแล้ว",
                status="sent", next_attempt_at=c.received_at) for c in made])
            ComplaintFact.objects.bulk_create([ComplaintFact(
                body=body, province_code=body.province_id or "", district_code=body.district_id or "",
                complaint_id=c.pk, tracking_code=c.tracking_code, national_category=c.national_category,
                sla_class=c.sla_class, channel=c.channel, status=c.status, received_at=c.received_at,
                cycle_started_at=c.cycle_started_at, closed_at=c.closed_at, resolved_at=c.resolved_at)
                for c in made])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_complaint")
            cursor.execute("ANALYZE public.reporting_complaintfact")


def reset(body: LocalBody) -> None:
    """Give the bench cases their identity back, as if never anonymised."""
    with schema_context(body.schema_name):
        cases = Complaint.objects.filter(tracking_code__startswith=CODE_PREFIX)
        cases.update(complainant_name="สมชาย ทดสอบ", complainant_phone="0812345678",
                     complainant_email="somchai@example.com", complainant_national_id="3760100123455",
                     complainant_address="1 หมู่ 1", complainant_line_id="U" + "0" * 32, phone_last4="5678",
                     anonymised_at=None)
        Notification.objects.filter(complaint__tracking_code__startswith=CODE_PREFIX).update(
            recipient="0812345678", body="หน่วยงานได้รับเรื่องของท่านแล้ว")
        AuditEntry.objects.filter(kind="retention.anonymise").delete()
    ComplaintFact.objects.filter(body=body, tracking_code__startswith=CODE_PREFIX).update(anonymised_at=None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE public.reporting_complaintfact")
        with schema_context(body.schema_name):
            cursor.execute(f'VACUUM ANALYZE "{body.schema_name}".complaints_complaint')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--batches", default="1000,5000", help="batch sizes to measure, comma-separated")
    args = parser.parse_args()
    command = " ".join(["RONGTHUK_DATABASE_NAME=" + os.environ.get("RONGTHUK_DATABASE_NAME", ""),
                        ".venv/bin/python bench/retention.py", *sys.argv[1:]])
    body = setup()
    fill(body, args.cases)
    rows = []
    for size in (int(s) for s in args.batches.split(",")):
        reset(body)
        load = os.getloadavg()
        started = time.perf_counter()
        report = retention_sweep(batch=size, max_batches=10**6)
        wall = time.perf_counter() - started
        with schema_context(body.schema_name):
            left = Complaint.objects.filter(tracking_code__startswith=CODE_PREFIX, anonymised_at__isnull=True).count()
            entries = AuditEntry.objects.filter(kind="retention.anonymise").count()
        assert left == 0, f"{left} cases not anonymised"
        started = time.perf_counter()
        idle = retention_sweep(batch=size)
        idle_wall = time.perf_counter() - started
        assert idle.complaints == 0
        rows.append((size, report.complaints, report.batches, entries, wall, idle_wall, load))
    print(f"\n$ {command}\n")
    print("| cases anonymised in one body | batch | transactions | audit entries | wall s | cases/s "
          "| next run, nothing due (ms) | load average before (1/5/15 min) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for size, done, batches, entries, wall, idle_wall, load in rows:
        print(f"| {done:,} | {size:,} | {batches} | {entries} | {wall:.1f} | {done / wall:,.0f} | "
              f"{idle_wall * 1000:.1f} | {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} |")
    print(f"\n{os.cpu_count()} CPUs; PostgreSQL {connection.pg_version}")


if __name__ == "__main__":
    main()
