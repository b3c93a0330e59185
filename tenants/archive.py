"""One body in one file: `rongthuk bodies export CODE` and `rongthuk bodies restore ARCHIVE`.

An archive is a tar file:

- `manifest.json`: the format, the platform's version, the PostgreSQL server's, the migration
  ledger the schema was at, the body's registry row, domains and service area (subdistrict codes
  and หมู่ที่; an archive without one is given the registry's guess), every member's SHA-256, row
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
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from tenants import provisioning
from tenants.archive_format import (
    CHUNK,
    FORMAT,
    MANIFEST,
    MANIFEST_SUM,
    REGISTRY_FIELDS,
    ArchiveError,
    count_rows,
    deployment,
    file_columns_by_table,
    migration_ledger,
    public_graph,
    quote,
    raw_cursor,
    schema_sequences,
    schema_tables,
    table_columns,
)
from tenants.models import BodyStatus, Domain, LocalBody
from tenants.service_areas import service_area_manifest


@dataclass
class ExportReport:
    path: Path
    size: int
    schema_rows: int
    public_rows: int
    files: int
    missing_files: list[str]


def _platform_version() -> str:
    try:
        return version("rongthuk")
    except PackageNotFoundError:
        return "unknown"


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


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
    column_list = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor, raw_cursor(cursor).copy(
            f"COPY {quote(schema)}.{quote(table)} ({column_list}) TO STDOUT") as copy:  # noqa: S608
        for data in copy:
            yield bytes(data)


def body_archive_write(*, body: LocalBody, path: Path) -> ExportReport:
    """Write the body's archive to `path` (replaced atomically). Reads one consistent snapshot:
    call inside a REPEATABLE READ transaction (tenants.lifecycle.body_export does)."""
    schema = body.schema_name
    if body.status == BodyStatus.PROVISIONING:
        raise ArchiveError(f"หน่วยงาน {body.dla_code} ยังจัดเตรียมไม่เสร็จ ไม่มีข้อมูลให้ส่งออก")
    file_columns = file_columns_by_table()
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
            rows = count_rows(schema, table)
            schema_rows += rows
            schema_part.append({"name": table, "columns": columns, "rows": rows, "member": member})
            for column in file_columns.get(table, []):
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {quote(column)} FROM {quote(schema)}.{quote(table)} "  # noqa: S608
                                   f"WHERE {quote(column)} <> ''")
                    files.update(row[0] for row in cursor.fetchall())

        public_part: list[dict[str, Any]] = []
        referenced_bodies: set[int] = {body.pk}
        public_rows = 0
        for table in graph.tables():
            with connection.cursor() as cursor:
                order = "t.id" if "id" in table_columns("public", table) else "1"
                cursor.execute(f"SELECT row_to_json(t)::text FROM public.{quote(table)} t "  # noqa: S608
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
                    while chunk := handle.read(CHUNK):
                        yield chunk

            writer.add_stream(member, _read(), compress=False)
            media.append({"path": name, "member": member})

        codes = dict(LocalBody.objects.filter(pk__in=referenced_bodies).values_list("pk", "dla_code"))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "platform_version": _platform_version(),
            "postgresql": _server_version(),
            "deployment": deployment(),
            "migration_state": provisioning.schema_migration_state(schema),
            "migrations": migration_ledger(schema),
            "body": {"dla_code": body.dla_code, "schema_name": schema,
                     **{f: _jsonable(getattr(body, f)) for f in REGISTRY_FIELDS}},
            "domains": [{"domain": d.domain, "is_primary": d.is_primary}
                        for d in Domain.objects.filter(tenant=body).order_by("-is_primary", "domain")],
            "service_area": service_area_manifest(body),
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


