"""Making a body's schema by cloning a migrated template, never by running migrations per body.

The template schema (settings.TENANT_TEMPLATE_SCHEMA) is migrated once. Its DDL is read once per
process with pg_dump and replayed, renamed, for each new body, together with the template's rows
(the migration ledger and the default departments and categories that data migrations put
there), all in the one transaction that marks the body active: a killed import leaves either a
whole, active body or nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_tenants.utils import schema_exists

from tenants.db import use_public_schema
from tenants.models import BodyStatus, LocalBody
from tenants.pgtools import pg_dump_path

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def template_schema() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def code_migration_state() -> str:
    """Digest of every migration in the code; a schema whose ledger holds them all has this state."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def schema_migration_state(schema: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')  # noqa: S608
        names = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def template_ensure() -> str:
    """Create and migrate the template if needed; return its migration state."""
    schema = template_schema()
    expected = code_migration_state()
    if schema_exists(schema) and schema_migration_state(schema) == expected:
        return expected
    if not schema_exists(schema):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    use_public_schema()
    clone_script.cache_clear()
    return schema_migration_state(schema)


def _pg_dump_command() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    command = [pg_dump_path(), "--schema-only", "--no-owner", "--no-privileges",
               f"--schema={template_schema()}"]
    env = dict(os.environ)
    if db.get("HOST"):
        command += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    if db.get("USER"):
        command += ["--username", str(db["USER"])]
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    command.append(str(db["NAME"]))
    return command, env


@dataclass(frozen=True)
class CloneScript:
    ddl: str
    tables_with_rows: tuple[str, ...]
    migration_state: str

    def render(self, schema: str) -> str:
        if not _SCHEMA_NAME.match(schema) or schema in {"public", template_schema()}:
            raise ValueError(f"not a body schema name: {schema!r}")
        template = template_schema()
        ddl = self.ddl.replace(f'CREATE SCHEMA {template};', f'CREATE SCHEMA "{schema}";')
        ddl = re.sub(rf"\b{template}\.", f'"{schema}".', ddl)
        copies = []
        for table in self.tables_with_rows:
            # Names come from the catalog and a checked schema name, never from input.
            copies.append(f'INSERT INTO "{schema}"."{table}" SELECT * FROM "{template}"."{table}";')  # noqa: S608
            qualified = f'"{schema}"."{table}"'
            copies.append(f"SELECT setval(s.seq, (SELECT max(id) FROM {qualified})) FROM "  # noqa: S608
                          f"(SELECT pg_get_serial_sequence('{qualified}', 'id') AS seq) s WHERE s.seq IS NOT NULL;")
        return ddl + "\n" + "\n".join(copies)


@cache
def clone_script() -> CloneScript:
    """The template's DDL, read once per process (pg_dump of one schema takes ~0.5 s)."""
    command, env = _pg_dump_command()
    dump = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    # Session settings (search_path, lock timeouts) in the dump would leak into the connection.
    lines = [
        line for line in dump.splitlines()
        if not line.startswith(("SET ", "SELECT pg_catalog.set_config", "--", "\\"))
    ]
    template = template_schema()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname",
            [template],
        )
        tables = [row[0] for row in cursor.fetchall()]
        with_rows = []
        for table in tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{template}"."{table}")')  # noqa: S608
            if cursor.fetchone()[0]:
                with_rows.append(table)
    return CloneScript("\n".join(lines), tuple(_copy_order(with_rows)), schema_migration_state(template))


def _copy_order(tables: list[str]) -> list[str]:
    """Referenced tables first, so foreign keys hold while rows are copied."""
    template = template_schema()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT src.relname, dst.relname FROM pg_constraint con "
            "JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid "
            "JOIN pg_namespace n ON n.oid = src.relnamespace "
            "WHERE con.contype = 'f' AND n.nspname = %s",
            [template],
        )
        depends: dict[str, set[str]] = {t: set() for t in tables}
        for src, dst in cursor.fetchall():
            if src in depends and dst in depends and src != dst:
                depends[src].add(dst)
    ordered: list[str] = []
    while depends:
        ready = sorted(t for t, deps in depends.items() if not deps - set(ordered))
        if not ready:
            raise RuntimeError(f"circular foreign keys between template tables: {sorted(depends)}")
        for table in ready:
            ordered.append(table)
            del depends[table]
    return ordered


def body_provision(body_id: int) -> bool:
    """Clone the template into the body's schema and mark it active. False if nothing to do."""
    script = clone_script()
    with transaction.atomic():
        body = LocalBody.objects.select_for_update().get(pk=body_id)
        if body.status != BodyStatus.PROVISIONING:
            return False
        schema = body.schema_name
        with connection.cursor() as cursor:
            # A provisioning commit need not wait for the WAL flush: if the server crashes right
            # after, the whole transaction is lost together — the body is still "provisioning",
            # with no schema, and the next import run makes it again.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Defensive: the clone and the status change share one transaction, so a schema of a
            # body still "provisioning" can only be a leftover of a manual change.
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            cursor.execute(script.render(schema))
        body.status = BodyStatus.ACTIVE
        body.migration_state = script.migration_state
        body.activated_at = timezone.now()
        body.save(update_fields=["status", "migration_state", "activated_at", "updated_at"])
    return True


def schema_relation_count(schema: str) -> int:
    """Relations a body costs: tables, indexes, sequences, and their toast tables and indexes."""
    with connection.cursor() as cursor:
        cursor.execute(RELATION_COUNT_SQL, [schema, schema, schema])
        return int(cursor.fetchone()[0])


RELATION_COUNT_SQL = """
SELECT count(*) FROM pg_class c
WHERE c.relnamespace = %s::regnamespace
   OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = %s::regnamespace)
   OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.reltoastrelid = i.indrelid
                WHERE t.relnamespace = %s::regnamespace)
"""
