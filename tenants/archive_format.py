"""What the body archive's writer (tenants.archive) and its reader (tenants.archive_restore) share:
the format's names, the catalog reads that find a body's tables and public rows, and the check of
an archive's manifest and checksums."""

from __future__ import annotations

import gzip
import hashlib
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps as django_apps
from django.db import DatabaseError, connection, models, transaction

from tenants.models import LocalBody

FORMAT = "rongthuk-body-archive/1"
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
# Public tables that do not travel: API keys are credentials of the deployment that issued them
# (hashes only; the body's admin issues new ones), and the registry's own tables are the body row
# and its domains and service area, written from the manifest.
PUBLIC_EXCLUDED = frozenset({"api_apikey", "tenants_localbody", "tenants_domain", "tenants_servicearea"})
# A body may be restored over only when it holds no case: these two tables say so.
BODY_CASES_TABLE = "complaints_complaint"
PUBLIC_CASES_TABLE = "reporting_complaintfact"
CHUNK = 1 << 20
REGISTRY_FIELDS = ["kind", "name_th", "name_en", "slug", "province_id", "district_id", "address", "moo",
                    "postcode", "area_km2", "latitude", "longitude", "website", "status"]


class ArchiveError(Exception):
    """A refused export or restore; the message is for the operator (Thai)."""


# ---------------------------------------------------------------------------------------------
# The catalog


def quote(name: str) -> str:
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
            cursor.execute(f"SELECT last_value, is_called FROM {quote(schema)}.{quote(name)}")  # noqa: S608
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
        parent = f"SELECT t.id FROM public.{quote(key.target)} t WHERE {self.where(key.target)}"  # noqa: S608
        return f"t.{quote(key.column)} IN ({parent})"


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


def file_columns_by_table() -> dict[str, list[str]]:
    """table -> its FileField columns (attachments, emblems), from the installed models."""
    found: dict[str, list[str]] = {}
    for model in django_apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                found.setdefault(model._meta.db_table, []).append(str(model_field.column))
    return found


def migration_ledger(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {quote(schema)}.django_migrations")  # noqa: S608
        return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


def deployment() -> str:
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


def raw_cursor(cursor: Any) -> Any:
    """The psycopg cursor under Django's wrapper (COPY)."""
    return cursor.cursor


def count_rows(schema: str, table: str, where: str = "", params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {quote(schema)}.{quote(table)} t {where}", params or [])  # noqa: S608
        return int(cursor.fetchone()[0])


# ---------------------------------------------------------------------------------------------
# Reading an archive: check everything first


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
                while chunk := handle.read(CHUNK):
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
