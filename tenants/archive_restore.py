"""Restoring one body from its archive (tenants.archive writes it and describes the format): every
checksum is verified before anything is written, then the schema, its public rows and its files
are loaded in one transaction."""

from __future__ import annotations

import gzip
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tenants import provisioning
from tenants.archive_format import (
    BODY_CASES_TABLE,
    CHUNK,
    PUBLIC_CASES_TABLE,
    REGISTRY_FIELDS,
    ArchiveError,
    archive_read_manifest,
    count_rows,
    deployment,
    file_columns_by_table,
    migration_ledger,
    public_graph,
    quote,
    raw_cursor,
    schema_tables,
)
from tenants.models import BodyStatus, Domain, LocalBody
from tenants.service_areas import service_area_restore
from tenants.services import domain_names, schema_name_for


@dataclass
class RestoreReport:
    body: LocalBody
    schema_rows: int = 0
    public_rows: int = 0
    files: int = 0
    # Public rows left out because what they point at is not on this deployment (table: count).
    skipped: dict[str, int] = field(default_factory=dict)


def _check_compatible(manifest: dict[str, Any]) -> None:
    here = migration_ledger(provisioning.template_schema())
    theirs = list(manifest["migrations"])
    if here == theirs:
        return
    only_archive = sorted(set(theirs) - set(here))
    only_here = sorted(set(here) - set(theirs))
    detail = []
    if only_archive:
        detail.append(f"ไฟล์สำรองมี migration ที่ระบบนี้ไม่มี {len(only_archive)} รายการ เช่น {only_archive[0]} "
                      "(ปรับรุ่นระบบนี้ก่อน)")
    if only_here:
        detail.append(f"ระบบนี้มี migration ที่ไฟล์สำรองไม่มี {len(only_here)} รายการ เช่น {only_here[0]} "
                      "(นำเข้าบนระบบรุ่นเดียวกับที่ส่งออก แล้วจึง bodies migrate)")
    raise ArchiveError("โครงสร้างข้อมูลของไฟล์สำรองไม่ตรงกับระบบนี้: " + "; ".join(detail))


def _body_is_empty(body: LocalBody) -> bool:
    if count_rows("public", PUBLIC_CASES_TABLE, "WHERE t.body_id = %s", [body.pk]):
        return False
    if body.status == BodyStatus.PROVISIONING:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{quote(body.schema_name)}.{BODY_CASES_TABLE}"])
        if cursor.fetchone()[0] is None:
            return True
    return count_rows(body.schema_name, BODY_CASES_TABLE) == 0


# ---------------------------------------------------------------------------------------------
# Restore: write


def _rewrite(name: str, old_prefix: str, new_prefix: str) -> str:
    return new_prefix + name[len(old_prefix):] if name.startswith(old_prefix) else name


def _target_body(manifest: dict[str, Any], code: str) -> tuple[LocalBody, bool]:
    """The body to restore into (locked), and whether it was made here."""
    existing = LocalBody.objects.select_for_update().filter(dla_code=code).first()
    if existing is not None:
        if not _body_is_empty(existing):
            raise ArchiveError(f"หน่วยงาน {code} ({existing.display_name}) มีเรื่องร้องทุกข์อยู่แล้ว "
                               "นำข้อมูลสำรองเข้าได้เฉพาะหน่วยงานใหม่หรือหน่วยงานที่ยังไม่มีเรื่อง")
        return existing, False
    values = dict(manifest["body"])
    slug = values["slug"]
    if LocalBody.objects.filter(slug=slug).exists():
        slug = f"{slug}-{code}"
    body = LocalBody.objects.create(
        dla_code=code, schema_name=schema_name_for(code), slug=slug, status=BodyStatus.PROVISIONING,
        **{f: values[f] for f in REGISTRY_FIELDS if f not in ("slug", "status")},
    )
    primary, alias = domain_names(body.slug, code)
    names = [(primary, True), (alias, False)]
    names += [(d["domain"], False) for d in manifest["domains"] if d["domain"] not in (primary, alias)]
    taken = set(Domain.objects.filter(domain__in=[n for n, _p in names]).values_list("domain", flat=True))
    Domain.objects.bulk_create([Domain(domain=n, tenant=body, is_primary=p) for n, p in names if n not in taken])
    return body, True


def _load_schema(tar: tarfile.TarFile, manifest: dict[str, Any], schema: str) -> int:
    script = provisioning.clone_script()
    rows = 0
    with connection.cursor() as cursor:
        # Checks still pending in this transaction on the old schema's tables fire before it goes.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE")
        cursor.execute(script.render(schema))
        tables = schema_tables(schema)
        archived = {t["name"]: t for t in manifest["schema"]["tables"]}
        if set(tables) != set(archived):
            raise ArchiveError("ตารางในไฟล์สำรองไม่ตรงกับโครงสร้างของระบบนี้: "
                               f"{sorted(set(tables) ^ set(archived))[:5]}")
        cursor.execute("TRUNCATE " + ", ".join(f"{quote(schema)}.{quote(t)}" for t in tables))
        # The rows are loaded whole; the foreign keys (deferrable) are checked at commit.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            entry = archived[table]
            columns = ", ".join(quote(c) for c in entry["columns"])
            handle = tar.extractfile(entry["member"])
            assert handle is not None
            with gzip.GzipFile(fileobj=handle) as unpacked, raw_cursor(cursor).copy(
                    f"COPY {quote(schema)}.{quote(table)} ({columns}) FROM STDIN") as copy:  # noqa: S608
                while chunk := unpacked.read(CHUNK):
                    copy.write(chunk)
            rows += int(entry["rows"])
        for sequence in manifest["schema"]["sequences"]:
            name = f"{quote(schema)}.{quote(sequence['name'])}"
            cursor.execute("SELECT setval(%s::regclass, %s, %s)", [name, sequence["last_value"], sequence["is_called"]])
    return rows


def _load_public(tar: tarfile.TarFile, manifest: dict[str, Any], body: LocalBody,
                 rewrite: dict[str, tuple[str, str]], report: RestoreReport) -> None:
    graph = public_graph()
    archived = {t["name"]: t for t in manifest["public"]["tables"]}
    unknown = sorted(set(archived) - set(graph.tables()))
    if unknown:
        raise ArchiveError(f"ไฟล์สำรองมีตารางที่ระบบนี้ไม่รู้จัก: {', '.join(unknown)}")
    records: dict[str, list[dict[str, Any]]] = {}
    for table in graph.tables():
        entry = archived.get(table)
        records[table] = []
        if entry is None or not entry["rows"]:
            continue
        handle = tar.extractfile(entry["member"])
        assert handle is not None
        with gzip.GzipFile(fileobj=handle) as unpacked:
            records[table] = [json.loads(line) for line in unpacked.read().decode().splitlines() if line]

    body_codes = {int(pk): code for pk, code in manifest["bodies"].items()}
    here = dict(LocalBody.objects.filter(dla_code__in=set(body_codes.values())).values_list("dla_code", "pk"))
    owner_code = manifest["body"]["dla_code"]
    body_ids = {old: (body.pk if code == owner_code else here.get(code)) for old, code in body_codes.items()}

    # The body's old public rows (a draft agreement, a profile, closures of an emptied body) go.
    with connection.cursor() as cursor:
        for table in reversed(graph.tables()):
            cursor.execute(f"DELETE FROM public.{quote(table)} t WHERE {graph.where(table)}", [body.pk])  # noqa: S608

    # New ids for every row, allocated before any insert so references can be rewritten.
    new_ids: dict[str, dict[int, int]] = {}
    with connection.cursor() as cursor:
        for table, rows in records.items():
            if rows and "id" in rows[0]:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [f"public.{table}", len(rows)])
                new_ids[table] = {int(r["id"]): int(n) for r, (n,) in zip(rows, cursor.fetchall(), strict=True)}

    # Rows outside the archive that a row points at (a directive, a framework version, the fact a
    # transfer came from): ids mean the same rows only on the deployment the archive was made on.
    same_deployment = manifest.get("deployment") == deployment()
    external: dict[tuple[str, str], set[Any]] = {}
    for table in graph.tables():
        for key in graph.keys_of(table):
            if key.target == LocalBody._meta.db_table or not same_deployment:
                continue
            values = {r[key.column] for r in records[table] if r.get(key.column) is not None}
            values -= set(new_ids.get(key.target, {}))
            if values:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT id FROM public.{quote(key.target)} WHERE id = ANY(%s)",  # noqa: S608
                                   [list(values)])
                    external[(table, key.column)] = {row[0] for row in cursor.fetchall()}

    kept: dict[str, set[int]] = {t: set() for t in records}
    ready: dict[str, list[dict[str, Any]]] = {}
    for table in graph.tables():  # owners before children: a skipped parent skips its children
        rows_out = []
        for record in records[table]:
            row = dict(record)
            keep = True
            for key in graph.keys_of(table):
                value = row.get(key.column)
                if value is None:
                    continue
                mapped: Any
                if key.target == LocalBody._meta.db_table:
                    mapped = body_ids.get(int(value))
                elif int(value) in new_ids.get(key.target, {}):
                    # Within the archive: a row of a table already placed must have been kept.
                    placed = key.target == table or int(value) in kept[key.target]
                    mapped = new_ids[key.target][int(value)] if placed else None
                else:
                    mapped = value if value in external.get((table, key.column), set()) else None
                if mapped is None and not key.nullable:
                    keep = False
                    break
                row[key.column] = mapped
            if not keep:
                report.skipped[table] = report.skipped.get(table, 0) + 1
                continue
            if "id" in row and table in new_ids:
                kept[table].add(int(row["id"]))
                row["id"] = new_ids[table][int(row["id"])]
            for column, (old_prefix, new_prefix) in rewrite.items():
                if column.startswith(f"{table}.") and row.get(column.split(".", 1)[1]):
                    name = column.split(".", 1)[1]
                    row[name] = _rewrite(row[name], old_prefix, new_prefix)
            rows_out.append(row)
        ready[table] = rows_out

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, rows in ready.items():
            for start in range(0, len(rows), 2000):
                part = rows[start:start + 2000]
                cursor.execute(f"INSERT INTO public.{quote(table)} SELECT * FROM "  # noqa: S608
                               f"json_populate_recordset(NULL::public.{quote(table)}, %s::json)", [json.dumps(part)])
            report.public_rows += len(rows)


def body_archive_restore(*, path: Path, code: str | None = None) -> RestoreReport:
    """Restore an archive into the body `code` (default: the archive's), which must be new here or
    hold no case. Every checksum is verified before anything is written."""
    manifest = archive_read_manifest(path)
    provisioning.template_ensure()
    _check_compatible(manifest)
    code = code or manifest["body"]["dla_code"]
    written: list[str] = []
    try:
        with transaction.atomic():
            body, created = _target_body(manifest, code)
            old_schema, new_schema = manifest["body"]["schema_name"], body.schema_name
            old_prefix, new_prefix = f"bodies/{old_schema}/", f"bodies/{new_schema}/"
            report = RestoreReport(body=body)
            with tarfile.open(path, "r:") as tar:
                report.schema_rows = _load_schema(tar, manifest, new_schema)
                file_columns = file_columns_by_table()
                rewrite: dict[str, tuple[str, str]] = {}
                if old_prefix != new_prefix:
                    with connection.cursor() as cursor:
                        for table in schema_tables(new_schema):
                            for column in file_columns.get(table, []):
                                cursor.execute(
                                    f"UPDATE {quote(new_schema)}.{quote(table)} SET {quote(column)} = "  # noqa: S608
                                    f"%s || substr({quote(column)}, %s) WHERE starts_with({quote(column)}, %s)",
                                    [new_prefix, len(old_prefix) + 1, old_prefix])
                    rewrite = {f"{t}.{c}": (old_prefix, new_prefix) for t, cs in file_columns.items() for c in cs}
                _load_public(tar, manifest, body, rewrite, report)
                # The area served is the archive's body's, like its registry row: restored as
                # another existing body, that body keeps its own.
                if created or code == manifest["body"]["dla_code"]:
                    unknown = service_area_restore(body=body, entries=manifest.get("service_area"))
                    if unknown:
                        report.skipped["tenants_servicearea"] = unknown
                for item in manifest["media"]:
                    target = _rewrite(item["path"], old_prefix, new_prefix)
                    if default_storage.exists(target):
                        if not target.startswith(new_prefix):
                            continue  # another body's file that a transferred case links to
                        default_storage.delete(target)
                    handle = tar.extractfile(item["member"])
                    assert handle is not None
                    saved = default_storage.save(target, File(handle, name=target))
                    written.append(saved)
                    if saved != target:
                        raise ArchiveError(f"เขียนไฟล์ {target} ไม่ได้ (ที่เก็บไฟล์ตั้งชื่อใหม่เป็น {saved})")
                    report.files += 1
            status = manifest["body"]["status"]
            body.status = status if status in (BodyStatus.ACTIVE, BodyStatus.SUSPENDED, BodyStatus.ARCHIVED) \
                else BodyStatus.ACTIVE
            body.migration_state = provisioning.schema_migration_state(new_schema)
            body.activated_at = body.activated_at or timezone.now()
            body.save(update_fields=["status", "migration_state", "activated_at", "updated_at"])
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a broken reference fails here, not at commit
    except IntegrityError as error:
        _remove(written)
        raise ArchiveError(f"นำข้อมูลสำรองเข้าไม่ได้ ข้อมูลขัดกับข้อมูลที่มีอยู่ในระบบนี้: {error}".strip()) from error
    except BaseException:
        _remove(written)
        raise
    return report


def _remove(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass
