"""Body lifecycle figures: export and restore of a body with N cases and P photos, and the merge of
that body into another — on a fresh database of their own (default `rongthuk_bench_lifecycle`).

    .venv/bin/python bench/lifecycle.py --cases 10000 --photos 2000
    .venv/bin/python bench/lifecycle.py --cases 10000 --photos 0 --shared 1000 --merge-only

300 cases are filed through the intake service (with one photo each, re-encoded like any upload),
acknowledged and answered in part, so they have timelines, SLA clocks and facts; copies of them in
SQL (new ids and codes, their events, facts and clocks, and photo files of their own) make up N
cases and P photos.
Measured, in this order, each once: `bodies export` (wall time, archive size), beside `pg_dump` of the
same schema (custom format) as the baseline; the body dropped (what another deployment looks like);
`bodies restore` (wall time); the merge's dry run and the merge into another body of the province.
`--shared N` gives the receiving body copies of N of the cases under the same tracking codes (what
transfers between the two bodies leave), so the merge issues N new codes and tells N citizens;
`--merge-only` skips the export and restore.
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

import _setup  # noqa: I001  (the path, the database, Django)

REPO = _setup.REPO

SOURCE = "6760404"  # อบต.หนองศาลา, อำเภอชะอำ
RECEIVER = "4760401"  # เทศบาลเมืองชะอำ, อำเภอชะอำ


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="rongthuk_bench_lifecycle")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=2_000)
    parser.add_argument("--shared", type=int, default=0)
    parser.add_argument("--merge-only", action="store_true")
    args = parser.parse_args()
    work = REPO / ".data" / "bench-lifecycle"
    shutil.rmtree(work, ignore_errors=True)
    (work / "media").mkdir(parents=True)
    os.environ["RONGTHUK_DATABASE_NAME"] = args.database
    os.environ["MEDIA_ROOT"] = str(work / "media")
    _setup.start(args.database, fresh=True)  # each run on a new database of its own
    from django.db import connection

    from tenants.lifecycle import body_export, body_merge, body_restore
    from tenants.models import LocalBody

    print("setting up the database…", file=sys.stderr, flush=True)
    source = _setup.demo_bodies(SOURCE)
    rows: list[tuple[str, str]] = []

    started = time.perf_counter()
    print(f"filing {args.cases:,} cases…", file=sys.stderr, flush=True)
    _fill(source, cases=args.cases, photos=args.photos)
    print(f"filed in {time.perf_counter() - started:.0f} s; measuring", file=sys.stderr, flush=True)
    rows.append((f"setup: {args.cases:,} cases ({args.photos:,} with a photo): 300 filed, the rest copied",
                 f"{time.perf_counter() - started:.0f} s"))

    if not args.merge_only:
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
    if args.shared:
        _share(source, receiver, count=args.shared)
        rows.append((f"setup: {args.shared:,} of the codes also held by the receiving body", ""))
    started = time.perf_counter()
    dry = body_merge(absorbed=source, into=receiver, dry_run=True)
    rows.append((f"bodies merge --dry-run ({dry.counts['cases']:,} cases, {dry.counts['events']:,} events)",
                 f"{time.perf_counter() - started:.2f} s"))
    started = time.perf_counter()
    merged = body_merge(absorbed=source, into=receiver, actor_label="bench")
    rows.append((f"bodies merge: {merged.counts['cases']:,} cases, {merged.counts['facts']:,} facts, "
                 f"{merged.counts['stage_clocks']:,} clocks moved, {merged.counts['codes_reissued']:,} codes "
                 "re-issued and their citizens told", f"{time.perf_counter() - started:.1f} s"))

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
    """A few hundred cases through the intake service, then copies of them (new ids, codes, files,
    facts and clocks) up to `cases`, `photos` of them with a photo of their own."""
    seeds = min(cases, 300)
    _file(body, cases=seeds, photos=min(photos, seeds))
    if cases > seeds:
        _replicate(body, cases=cases, photos=photos)


def _file(body: object, *, cases: int, photos: int) -> None:
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


def _replicate(body: object, *, cases: int, photos: int) -> None:
    """Copies of the filed cases in SQL: each with its timeline, fact and clocks, a new code."""
    from django.conf import settings
    from django.db import connection, transaction

    from tenants.archive_format import table_columns

    schema = body.schema_name  # type: ignore[attr-defined]
    s = f'"{schema}"'

    def copy(table: str, overrides: dict[str, str], tail: str, target_schema: str = schema) -> None:
        columns = table_columns(target_schema, table)
        exprs = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        source = f'"{target_schema}".{table}'
        cursor.execute(f"INSERT INTO {source} ({names}) SELECT {exprs} FROM {source} t {tail}")  # noqa: S608

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {s}.complaints_complaint")  # noqa: S608
        have = int(cursor.fetchone()[0])
        cursor.execute(f"SELECT count(*) FROM {s}.complaints_attachment")  # noqa: S608
        have_photos = int(cursor.fetchone()[0])
        cursor.execute(f"SELECT id FROM {s}.complaints_complaint ORDER BY id")  # noqa: S608
        seed_ids = [row[0] for row in cursor.fetchall()]
        made = 0
        while have + made < cases:
            batch = seed_ids[: cases - have - made]
            cursor.execute("DROP TABLE IF EXISTS rep")
            cursor.execute("CREATE TEMPORARY TABLE rep (old_id bigint PRIMARY KEY, new_id bigint, code text, "
                           "old_fact bigint, new_fact bigint)")
            cursor.execute(
                f"INSERT INTO rep (old_id, new_id, code) SELECT id, "  # noqa: S608
                f"nextval(pg_get_serial_sequence('{schema}.complaints_complaint', 'id')), "
                f"'X' || lpad((%s + row_number() OVER (ORDER BY id))::text, 8, '0') "
                f"FROM {s}.complaints_complaint WHERE id = ANY(%s)", [made, batch])
            cursor.execute("UPDATE rep SET old_fact = f.id, new_fact = nextval(pg_get_serial_sequence("
                           "'public.reporting_complaintfact', 'id')) FROM reporting_complaintfact f "
                           "WHERE f.body_id = %s AND f.complaint_id = rep.old_id", [body.pk])  # type: ignore[attr-defined]
            copy("complaints_complaint", {"id": "r.new_id", "tracking_code": "r.code", "idempotency_key": "''",
                                          "line_link_hash": "''",
                                          "public_id": "substr(md5(r.new_id::text || random()::text), 1, 16)",
                                          "merged_into_id": "NULL"}, "JOIN rep r ON r.old_id = t.id")
            event_id = f"nextval(pg_get_serial_sequence('{schema}.complaints_complaintevent', 'id'))"
            copy("complaints_complaintevent", {"id": event_id, "complaint_id": "r.new_id"},
                 "JOIN rep r ON r.old_id = t.complaint_id")
            copy("reporting_complaintfact", {"id": "r.new_fact", "complaint_id": "r.new_id",
                                             "tracking_code": "r.code", "transferred_from_id": "NULL",
                                             "merged_into_id": "NULL"},
                 "JOIN rep r ON r.old_fact = t.id", target_schema="public")
            copy("sla_stageclock", {"id": "nextval(pg_get_serial_sequence('public.sla_stageclock', 'id'))",
                                    "fact_id": "r.new_fact", "complaint_id": "r.new_id"},
                 "JOIN rep r ON r.old_fact = t.fact_id", target_schema="public")
            want = max(0, photos - have_photos)
            if want:
                cursor.execute("DROP TABLE IF EXISTS rep_file")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE rep_file AS SELECT a.id AS old_id, r.new_id AS complaint_id, "  # noqa: S608
                    f"a.file AS old_file, 'bodies/{schema}/complaints/' || r.new_id || '/' || "
                    f"substr(md5(random()::text), 1, 24) || '.jpg' AS new_file "
                    f"FROM {s}.complaints_attachment a JOIN rep r ON r.old_id = a.complaint_id "
                    f"ORDER BY a.id LIMIT %s", [want])
                cursor.execute(
                    f"INSERT INTO {s}.complaints_attachment (complaint_id, event_id, file, content_type, size, "  # noqa: S608
                    f"original_name, is_public, uploaded_by_id, created_at) "
                    f"SELECT f.complaint_id, NULL, f.new_file, a.content_type, a.size, a.original_name, "
                    f"a.is_public, NULL, a.created_at FROM rep_file f "
                    f"JOIN {s}.complaints_attachment a ON a.id = f.old_id")
                cursor.execute("SELECT old_file, new_file FROM rep_file")
                for old_name, new_name in cursor.fetchall():
                    target = Path(settings.MEDIA_ROOT) / new_name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(Path(settings.MEDIA_ROOT) / old_name, target)
                    have_photos += 1
            made += len(batch)


def _share(source: object, receiver: object, *, count: int) -> None:
    """Copies of `count` of the source's cases in the receiving body's schema, same codes (as a
    transfer between the two leaves; the copies have no fact of their own)."""
    from django.db import connection

    from tenants.archive_format import table_columns

    s, r = (f'"{b.schema_name}"' for b in (source, receiver))  # type: ignore[attr-defined]
    columns = table_columns(receiver.schema_name, "complaints_complaint")  # type: ignore[attr-defined]
    overrides = {
        "id": f"nextval(pg_get_serial_sequence('{receiver.schema_name}.complaints_complaint', 'id'))",  # type: ignore[attr-defined]
        "category_id": f"(SELECT min(id) FROM {r}.complaints_category)", "department_id": "NULL",
        "assignee_id": "NULL", "merged_into_id": "NULL", "idempotency_key": "''", "line_link_hash": "''",
        "external_id": "''", "channel": "'transfer'", "public_id": "substr(md5(t.id::text || random()::text), 1, 16)"}
    exprs = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {r}.complaints_complaint ({', '.join(chr(34) + c + chr(34) for c in columns)}) "  # noqa: S608
                       f"SELECT {exprs} FROM (SELECT * FROM {s}.complaints_complaint ORDER BY id LIMIT %s) t", [count])


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

    from tenants.archive_format import public_graph
    from tenants.archive_format import quote as _q

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


if __name__ == "__main__":
    main()
