"""One body in one file: `rongthuk bodies export CODE` and `rongthuk bodies restore ARCHIVE`.

An archive is a tar file:

- `manifest.json`: the format, the platform's version, the PostgreSQL server's, the migration
  ledger the schema was at, the body's registry row and domains, every member's SHA-256, row
  counts, sequence positions; `manifest.sha256` holds the manifest's own checksum.
- `schema/<table>.tsv.gz`: every table of the body's schema, PostgreSQL's COPY text format (portable
  across server versions), with its column list in the manifest.
- `public/<table>.jsonl.gz`: the body's rows in the public schema (its published agreements, facts,
  stage clocks, closures, profile...). They are found from the catalog, not from a list: every public
  table with a `body_id` foreign key to the registry, and the tables that hang from those (an
  agreement's rows), so a table added later travels without a change here. References to other
  bodies are stored as DLA codes, as ids differ between deployments.
- `media/<path>`: every file a row of the body refers to (attachments, the emblem).

A restore first reads the whole archive and checks every checksum, the format and the migration
ledger; nothing is written before that, so a damaged archive is refused and changes nothing. Then,
in one transaction, it makes the schema from the template's DDL, loads every table, sets the
sequences where they were, and inserts the public rows under new ids (their references rewritten);
the files are written before the commit and removed again if it fails.

`tenants/` knows nothing of complaints: tables are reached through the catalog; the two table names
that decide whether a body is empty are named below.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from django.apps import apps as django_apps
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from tenants import provisioning
from tenants.models import BodyStatus, Domain, LocalBody

FORMAT = "rongthuk-body-archive/1"
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
# Public tables that do not travel: API keys are credentials of the deployment that issued them
# (hashes only; the body's admin issues new ones), and the registry's own tables are the body row
# and its domains, written from the manifest.
PUBLIC_EXCLUDED = frozenset({"api_apikey", "tenants_localbody", "tenants_domain"})
# A body may be restored over only when it holds no case: these two tables say so.
BODY_CASES_TABLE = "complaints_complaint"
PUBLIC_CASES_TABLE = "reporting_complaintfact"
_CHUNK = 1 << 20
_REGISTRY_FIELDS = ["kind", "name_th", "name_en", "slug", "province_id", "district_id", "address", "moo",
                    "postcode", "area_km2", "latitude", "longitude", "website", "status"]


class ArchiveError(Exception):
    """A refused export or restore; the message is for the operator (Thai)."""


@dataclass
class RestoreReport:
    body: LocalBody
    schema_rows: int = 0
    public_rows: int = 0
    files: int = 0
    # Public rows left out because what they point at is not on this deployment (table: count).
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass
class ExportReport:
    path: Path
    size: int
    schema_rows: int
    public_rows: int
    files: int
    missing_files: list[str]


# ---------------------------------------------------------------------------------------------
# The catalog


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
                       "AND c.relkind IN ('r', 'p') ORDER BY c.relname", [schema])
        return [row[0] for row in cursor.fetchall()]


def table_columns(schema: str, table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                       "WHERE c.relnamespace = %s::regnamespace AND c.relname = %s AND a.attnum > 0 "
                       "AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum", [schema, table])
        return [row[0] for row in cursor.fetchall()]


def schema_sequences(schema: str) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
                       "AND c.relkind = 'S' ORDER BY c.relname", [schema])
        names = [row[0] for row in cursor.fetchall()]
        found = []
        for name in names:
            cursor.execute(f"SELECT last_value, is_called FROM {_q(schema)}.{_q(name)}")  # noqa: S608
            last_value, is_called = cursor.fetchone()
            found.append({"name": name, "last_value": int(last_value), "is_called": bool(is_called)})
    return found


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str
    target: str
    nullable: bool


def _public_foreign_keys() -> list[ForeignKey]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT src.relname, a.attname, dst.relname, NOT a.attnotnull FROM pg_constraint con "
            "JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid "
            "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1] "
            "WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace "
            "AND array_length(con.conkey, 1) = 1 ORDER BY 1, 2")
        return [ForeignKey(*row) for row in cursor.fetchall()]


@dataclass
class PublicGraph:
    """The body's public rows: tables owned through `body_id`, and tables hanging from them."""

    keys: list[ForeignKey]
    # table -> SQL selecting the ids (or the rows, for owned tables) of one body's rows
    owned: list[str]
    children: dict[str, ForeignKey]  # table -> the key to its parent in the graph

    def tables(self) -> list[str]:
        return [*self.owned, *self.children]

    def keys_of(self, table: str) -> list[ForeignKey]:
        return [k for k in self.keys if k.table == table]

    def where(self, table: str) -> str:
        """A condition on alias `t` selecting one body's rows (the body id is the only parameter)."""
        if table in self.owned:
            return "t.body_id = %s"
        key = self.children[table]
        return f"t.{_q(key.column)} IN (SELECT t.id FROM public.{_q(key.target)} t WHERE {self.where(key.target)})"  # noqa: S608


def public_graph() -> PublicGraph:
    keys = _public_foreign_keys()
    owned = sorted({k.table for k in keys if k.target == LocalBody._meta.db_table and k.column == "body_id"}
                   - PUBLIC_EXCLUDED)
    children: dict[str, ForeignKey] = {}
    known = set(owned)
    grew = True
    while grew:
        grew = False
        for key in keys:
            if key.table not in known and key.table not in PUBLIC_EXCLUDED and key.target in known \
                    and key.target != key.table:
                children[key.table] = key
                known.add(key.table)
                grew = True
    return PublicGraph(keys, owned, children)


def _file_columns() -> dict[str, list[str]]:
    """table -> its FileField columns (attachments, emblems), from the installed models."""
    found: dict[str, list[str]] = {}
    for model in django_apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                found.setdefault(model._meta.db_table, []).append(str(model_field.column))
    return found


def _platform_version() -> str:
    try:
        return version("rongthuk")
    except PackageNotFoundError:
        return "unknown"


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


def _migrations(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {_q(schema)}.django_migrations")  # noqa: S608
        return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


def _deployment() -> str:
    """Which database this is (the cluster's system identifier and the database's name)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT system_identifier::text, current_database() FROM pg_control_system()")
            identifier, name = cursor.fetchone()
    except DatabaseError:  # pg_control_system() is for privileged roles only on some servers
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(host(inet_server_addr()), 'socket') || ':' || "
                           "coalesce(inet_server_port()::text, ''), current_database()")
            identifier, name = cursor.fetchone()
    return f"{identifier}/{name}"


def _raw(cursor: Any) -> Any:
    """The psycopg cursor under Django's wrapper (COPY)."""
    return cursor.cursor


# ---------------------------------------------------------------------------------------------
# Export


class _Writer:
    """Members are written to a folder first (their size must be known before they enter the
    tar), hashed as they are written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sums: dict[str, str] = {}
        self.order: list[str] = []

    def path(self, member: str) -> Path:
        target = self.folder / "m" / str(len(self.order))
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def add_stream(self, member: str, chunks: Iterator[bytes], *, compress: bool) -> None:
        target = self.path(member)
        digest = hashlib.sha256()

        class _Hashing(io.RawIOBase):
            def __init__(self, out: IO[bytes]) -> None:
                self.out = out

            def writable(self) -> bool:
                return True

            def write(self, data: Any) -> int:
                digest.update(data)
                return self.out.write(data)

        with target.open("wb") as out:
            sink = _Hashing(out)
            if compress:
                with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6, mtime=0) as packed:  # type: ignore[arg-type]
                    for chunk in chunks:
                        packed.write(chunk)
            else:
                for chunk in chunks:
                    sink.write(chunk)
        self.sums[member] = digest.hexdigest()
        self.order.append(member)


def _copy_out(schema: str, table: str, columns: list[str]) -> Iterator[bytes]:
    column_list = ", ".join(_q(c) for c in columns)
    with connection.cursor() as cursor, _raw(cursor).copy(
            f"COPY {_q(schema)}.{_q(table)} ({column_list}) TO STDOUT") as copy:  # noqa: S608
        for data in copy:
            yield bytes(data)


def _count(schema: str, table: str, where: str = "", params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {_q(schema)}.{_q(table)} t {where}", params or [])  # noqa: S608
        return int(cursor.fetchone()[0])


def body_archive_write(*, body: LocalBody, path: Path) -> ExportReport:
    """Write the body's archive to `path` (replaced atomically). Reads one consistent snapshot:
    call inside a REPEATABLE READ transaction (tenants.lifecycle.body_export does)."""
    schema = body.schema_name
    if body.status == BodyStatus.PROVISIONING:
        raise ArchiveError(f"หน่วยงาน {body.dla_code} ยังจัดเตรียมไม่เสร็จ ไม่มีข้อมูลให้ส่งออก")
    file_columns = _file_columns()
    graph = public_graph()
    folder = Path(tempfile.mkdtemp(prefix=".export-", dir=path.parent))
    try:
        writer = _Writer(folder)
        schema_part: list[dict[str, Any]] = []
        files: set[str] = set()
        schema_rows = 0
        for table in schema_tables(schema):
            columns = table_columns(schema, table)
            member = f"schema/{table}.tsv.gz"
            writer.add_stream(member, _copy_out(schema, table, columns), compress=True)
            rows = _count(schema, table)
            schema_rows += rows
            schema_part.append({"name": table, "columns": columns, "rows": rows, "member": member})
            for column in file_columns.get(table, []):
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {_q(column)} FROM {_q(schema)}.{_q(table)} "  # noqa: S608
                                   f"WHERE {_q(column)} <> ''")
                    files.update(row[0] for row in cursor.fetchall())

        public_part: list[dict[str, Any]] = []
        referenced_bodies: set[int] = {body.pk}
        public_rows = 0
        for table in graph.tables():
            with connection.cursor() as cursor:
                order = "t.id" if "id" in table_columns("public", table) else "1"
                cursor.execute(f"SELECT row_to_json(t)::text FROM public.{_q(table)} t "  # noqa: S608
                               f"WHERE {graph.where(table)} ORDER BY {order}", [body.pk])
                lines = [row[0] for row in cursor.fetchall()]
            body_keys = [k.column for k in graph.keys_of(table) if k.target == LocalBody._meta.db_table]
            for line in lines:
                record = json.loads(line)
                referenced_bodies.update(record[c] for c in body_keys if record.get(c) is not None)
                for column in file_columns.get(table, []):
                    if record.get(column):
                        files.add(record[column])
            writer.add_stream(f"public/{table}.jsonl.gz", iter([("\n".join(lines) + "\n").encode()]
                                                              if lines else []), compress=True)
            public_rows += len(lines)
            public_part.append({"name": table, "rows": len(lines), "member": f"public/{table}.jsonl.gz"})

        media: list[dict[str, Any]] = []
        missing: list[str] = []
        for name in sorted(files):
            if not default_storage.exists(name):
                missing.append(name)
                continue
            member = f"media/{name}"

            def _read(file_name: str = name) -> Iterator[bytes]:
                with default_storage.open(file_name, "rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        yield chunk

            writer.add_stream(member, _read(), compress=False)
            media.append({"path": name, "member": member})

        codes = dict(LocalBody.objects.filter(pk__in=referenced_bodies).values_list("pk", "dla_code"))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "platform_version": _platform_version(),
            "postgresql": _server_version(),
            "deployment": _deployment(),
            "migration_state": provisioning.schema_migration_state(schema),
            "migrations": _migrations(schema),
            "body": {"dla_code": body.dla_code, "schema_name": schema,
                     **{f: _jsonable(getattr(body, f)) for f in _REGISTRY_FIELDS}},
            "domains": [{"domain": d.domain, "is_primary": d.is_primary}
                        for d in Domain.objects.filter(tenant=body).order_by("-is_primary", "domain")],
            "bodies": {str(pk): code for pk, code in codes.items()},
            "schema": {"tables": schema_part, "sequences": schema_sequences(schema)},
            "public": {"tables": public_part},
            "media": media,
            "missing_media": missing,
            "members": writer.sums,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        partial = folder / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _tar_bytes(tar, MANIFEST, manifest_bytes)
            _tar_bytes(tar, MANIFEST_SUM, hashlib.sha256(manifest_bytes).hexdigest().encode())
            for index, member in enumerate(writer.order):
                info = tar.gettarinfo(str(folder / "m" / str(index)), arcname=member)
                info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, "", "", 0o644
                with (folder / "m" / str(index)).open("rb") as handle:
                    tar.addfile(info, handle)
        os.replace(partial, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ExportReport(path=path, size=path.stat().st_size, schema_rows=schema_rows, public_rows=public_rows,
                        files=len(media), missing_files=missing)


def _tar_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644
    tar.addfile(info, io.BytesIO(data))


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


# ---------------------------------------------------------------------------------------------
# Restore: check everything first


def archive_read_manifest(path: Path) -> dict[str, Any]:
    """The manifest after every member's checksum was verified; ArchiveError otherwise."""
    if not path.is_file():
        raise ArchiveError(f"ไม่พบไฟล์ {path}")
    try:
        with tarfile.open(path, "r:") as tar:
            manifest_bytes = _member_bytes(tar, MANIFEST)
            stated = _member_bytes(tar, MANIFEST_SUM).decode("ascii", "replace").strip()
            if hashlib.sha256(manifest_bytes).hexdigest() != stated:
                raise ArchiveError("ไฟล์สำรองเสียหาย: รายการสารบัญ (manifest.json) ไม่ตรงกับค่าตรวจสอบ ไม่ได้นำเข้าข้อมูลใด ๆ")
            try:
                manifest = json.loads(manifest_bytes)
            except ValueError as error:
                raise ArchiveError(f"ไฟล์สำรองเสียหาย: อ่าน manifest.json ไม่ได้ ({error})") from error
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ArchiveError(f"ไม่ใช่ไฟล์สำรองข้อมูลหน่วยงานของระบบนี้ (ต้องเป็นรูปแบบ {FORMAT})")
            expected: dict[str, str] = manifest["members"]
            seen: set[str] = set()
            for info in tar:
                if info.name in (MANIFEST, MANIFEST_SUM):
                    continue
                if not info.isfile() or info.name not in expected or info.name in seen:
                    raise ArchiveError(f"ไฟล์สำรองเสียหาย: มีส่วนที่ไม่อยู่ในสารบัญ {info.name!r} ไม่ได้นำเข้าข้อมูลใด ๆ")
                handle = tar.extractfile(info)
                assert handle is not None
                digest = hashlib.sha256()
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                if digest.hexdigest() != expected[info.name]:
                    raise ArchiveError(f"ไฟล์สำรองเสียหาย: ค่าตรวจสอบของ {info.name} ไม่ตรงกับสารบัญ "
                                       "ไม่ได้นำเข้าข้อมูลใด ๆ")
                seen.add(info.name)
            lacking = sorted(set(expected) - seen)
            if lacking:
                raise ArchiveError(f"ไฟล์สำรองไม่ครบ: ขาด {len(lacking)} ส่วน เช่น {lacking[0]} ไม่ได้นำเข้าข้อมูลใด ๆ")
    except (tarfile.TarError, EOFError, OSError, KeyError, gzip.BadGzipFile) as error:
        raise ArchiveError(f"ไฟล์สำรองเสียหายหรือไม่ใช่ไฟล์ tar: {error} ไม่ได้นำเข้าข้อมูลใด ๆ") from error
    return manifest

def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        handle = tar.extractfile(name)
    except KeyError as error:
        raise ArchiveError(f"ไฟล์สำรองเสียหาย: ไม่พบ {name} ไม่ได้นำเข้าข้อมูลใด ๆ") from error
    if handle is None:
        raise ArchiveError(f"ไฟล์สำรองเสียหาย: {name} ไม่ใช่ไฟล์")
    return handle.read()
