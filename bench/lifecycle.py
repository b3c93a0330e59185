"""Body lifecycle figures: export and restore of a body with N cases and P photos, and the merge of
that body into another — on a fresh database of their own (default `rongthuk_bench_lifecycle`).

    .venv/bin/python bench/lifecycle.py --cases 10000 --photos 2000

The cases are filed through the intake service (P of them with one photo each, re-encoded like any
upload), then acknowledged and answered in part, so they have timelines, SLA clocks and facts.
Measured, in this order, each once: `bodies export` (wall time, archive size), beside `pg_dump` of the
same schema (custom format) as the baseline; the body dropped (what another deployment looks like);
`bodies restore` (wall time); the merge's dry run and the merge into another body of the province.
Prints a table, the command and the load average (the CPU may be shared: read the ratios).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SOURCE = "6760404"  # อบต.หนองศาลา, อำเภอชะอำ
RECEIVER = "4760401"  # เทศบาลเมืองชะอำ, อำเภอชะอำ


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="rongthuk_bench_lifecycle")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=2_000)
    args = parser.parse_args()
    work = REPO / ".data" / "bench-lifecycle"
    shutil.rmtree(work, ignore_errors=True)
    (work / "media").mkdir(parents=True)
    os.environ["RONGTHUK_DATABASE_NAME"] = args.database
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")
    _fresh_database(args.database)

    import django

    django.setup()
    from django.db import connection

    from rongthuk.demo import DEMO_PROVINCE, REGISTRY
    from tenants.geography import geography_load
    from tenants.models import LocalBody
    from tenants.services import bodies_import, bodies_migrate, body_export, body_merge, body_restore

    bodies_migrate(show_progress=False)
    geography_load()
    bodies_import(REGISTRY, provinces={DEMO_PROVINCE}, show_progress=False)
    source = LocalBody.objects.get(dla_code=SOURCE)
    rows: list[tuple[str, str]] = []

    started = time.perf_counter()
    _fill(source, cases=args.cases, photos=args.photos)
    rows.append((f"setup: {args.cases:,} cases ({args.photos:,} with a photo) filed through the intake service",
                 f"{time.perf_counter() - started:.0f} s"))

    archive = work / "body.tar"
    started = time.perf_counter()
    exported = body_export(body=source, path=archive, actor_label="bench")
    rows.append(("bodies export: wall time", f"{time.perf_counter() - started:.1f} s"))
    rows.append(("bodies export: archive size", f"{exported.size / 1e6:,.1f} MB"))
    rows.append(("  of which photos (media/)", f"{_media_bytes(work / 'media') / 1e6:,.1f} MB"))
    rows.append(("  rows: body schema / public", f"{exported.schema_rows:,} / {exported.public_rows:,}"))
    dump = work / "schema.dump"
    started = time.perf_counter()
    _pg_dump(source.schema_name, dump)
    rows.append(("baseline: pg_dump -Fc of the body's schema (no public rows, no files)",
                 f"{time.perf_counter() - started:.1f} s, {dump.stat().st_size / 1e6:,.1f} MB"))

    _drop(source)
    started = time.perf_counter()
    restored = body_restore(path=archive, actor_label="bench")
    rows.append(("bodies restore (checksums, schema, public rows, files): wall time",
                 f"{time.perf_counter() - started:.1f} s"))
    source = restored.body

    receiver = LocalBody.objects.get(dla_code=RECEIVER)
    started = time.perf_counter()
    dry = body_merge(absorbed=source, into=receiver, dry_run=True)
    rows.append((f"bodies merge --dry-run ({dry.counts['cases']:,} cases, {dry.counts['events']:,} events)",
                 f"{time.perf_counter() - started:.2f} s"))
    started = time.perf_counter()
    merged = body_merge(absorbed=source, into=receiver, actor_label="bench")
    rows.append((f"bodies merge: {merged.counts['cases']:,} cases, {merged.counts['facts']:,} facts, "
                 f"{merged.counts['stage_clocks']:,} clocks moved", f"{time.perf_counter() - started:.1f} s"))

    width = max(len(r[0]) for r in rows)
    print()
    print(f"| {'measure':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|------:|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")
    print(f"\ncommand: {' '.join([Path(sys.executable).name, *sys.argv])}")
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs; "
          f"PostgreSQL {connection.pg_version}")


def _fill(body: object, *, cases: int, photos: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import schema_context
    from PIL import Image

    from apps.accounts.models import User
    from apps.complaints.models import Category, Complaint, StaffMember
    from apps.complaints.services.intake import complaint_submit
    from apps.complaints.services.workflow import complaint_acknowledge, complaint_reply
    from apps.complaints.validation import Complainant

    rng = random.Random(14)
    with schema_context(body.schema_name):  # type: ignore[attr-defined]
        clerk = User.objects.create_user("bench-clerk", None, full_name="เสมียน ทดสอบ")
        StaffMember.objects.create(user=clerk, role="clerk")
        categories = list(Category.objects.filter(is_active=True))
        for i in range(cases):
            uploads = []
            if i < photos:
                image = Image.effect_noise((640, 480), 40).convert("RGB")
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=80)
                uploads = [SimpleUploadedFile(f"p{i}.jpg", out.getvalue(), content_type="image/jpeg")]
            person = Complainant(name=f"ผู้ร้อง {i}", phone=f"08{rng.randrange(10**8):08d}", email="",
                                 national_id="", address=f"{i} หมู่ 2")
            complaint = complaint_submit(channel="web", category=rng.choice(categories),
                                         description=f"เรื่องทดสอบที่ {i} ถนนชำรุดหน้าบ้าน", complainant=person,
                                         uploads=uploads, notify=False).complaint
            if complaint.routed_to_oversight:
                continue  # conduct and corruption cases are the district office's
            if i % 3 == 0:
                complaint = complaint_acknowledge(complaint=complaint, actor=clerk)
            if i % 6 == 0:
                complaint_reply(complaint=Complaint.objects.get(pk=complaint.pk), actor=clerk,
                                text="ส่งเจ้าหน้าที่ตรวจสอบแล้ว")


def _media_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _pg_dump(schema: str, target: Path) -> None:
    from django.conf import settings

    from tenants.pgtools import pg_dump_path

    db = settings.DATABASES["default"]
    command = [pg_dump_path(), "-Fc", f"--schema={schema}", "-f", str(target)]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    subprocess.run([*command, str(db["NAME"])], check=True,
                   env={**os.environ, **({"PGPASSWORD": str(db["PASSWORD"])} if db.get("PASSWORD") else {})})


def _drop(body: object) -> None:
    """The body gone from this deployment: its public rows, domains, row, schema and files."""
    from django.db import connection

    from tenants.archive import _q, public_graph

    graph = public_graph()
    with connection.cursor() as cursor:
        for table in reversed(graph.tables()):
            cursor.execute(f"DELETE FROM public.{_q(table)} t WHERE {graph.where(table)}",  # noqa: S608
                           [body.pk])  # type: ignore[attr-defined]
        cursor.execute(f"DROP SCHEMA {_q(body.schema_name)} CASCADE")  # type: ignore[attr-defined]
        cursor.execute("DELETE FROM public.api_apikey WHERE body_id = %s", [body.pk])  # type: ignore[attr-defined]
        cursor.execute("DELETE FROM public.tenants_domain WHERE tenant_id = %s", [body.pk])  # type: ignore[attr-defined]
        cursor.execute("DELETE FROM public.tenants_localbody WHERE id = %s", [body.pk])  # type: ignore[attr-defined]
    shutil.rmtree(REPO / ".data" / "bench-lifecycle" / "media" / "bodies" / body.schema_name,  # type: ignore[attr-defined]
                  ignore_errors=True)


def _fresh_database(name: str) -> None:
    """Each run on a new database of its own on the same server."""
    import psycopg

    from rongthuk.settings.database import DATABASES

    db = DATABASES["default"]
    conninfo = {"dbname": "postgres", "user": db["USER"] or None, "host": db["HOST"] or None,
                "port": db["PORT"] or None, "password": db["PASSWORD"] or None}
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
