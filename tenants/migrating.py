"""Migrating every body's schema by replaying SQL captured once, never by running Django's migrate
in each schema.

Django's migrate reads the database's catalog (introspection) for every schema it migrates: with
7,850 bodies that catalog has ~850,000 relations, and a pending body cost 0.84 s before any DDL.
Instead the migrations a schema lacks are applied once — to the template, first — through the
schema editor in `collect_sql` mode: each migration's statements are collected, then run, so the
next migration sees them (a `Script`). The same statements are then replayed in each pending body,
in parallel on several connections, one transaction per body: its ledger state is checked (one
small query), the statements run, and its django_migrations rows are written in one INSERT. A body
is thus fully migrated or untouched; a failure stops the run (the bodies in flight finish) and names
the body. Killed or stopped, it resumes: a body whose ledger already has the migrations is skipped.

A body whose ledger is in another state than the script's start (several releases behind, say) is
migrated in a later round, with a script captured from one such body inside a transaction that is
rolled back. A migration that cannot be replayed as SQL in a body's schema (Python code, a
non-atomic migration, SQL that names the schema) makes its bodies take Django's migrate, one by one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from tenants.db import use_public_schema
from tenants.models import LocalBody

# A body's ledger state in SQL: what provisioning.schema_migration_state computes in Python (sha256
# of the sorted "app.name" lines; "C" collation sorts by code point, as Python does).
LEDGER_STATE_SQL = (
    "SELECT encode(sha256(convert_to(coalesce(string_agg(app || '.' || name, E'\\n' "
    "ORDER BY app || '.' || name COLLATE \"C\"), ''), 'UTF8')), 'hex') FROM django_migrations"
)
# A body whose tables a long transaction holds is reported, not waited for.
LOCK_TIMEOUT = "30s"


@dataclass(frozen=True)
class Step:
    app: str
    name: str
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Script:
    """The migrations that take a schema from ledger state `before` to `after`, as SQL."""

    before: str
    after: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class PendingBody:
    pk: int
    schema: str
    dla_code: str


# The session-level advisory lock one `bodies migrate` run holds from start to end (two int4 keys:
# "Rong", 1), on a connection of its own that nothing else in the run closes.
RUN_LOCK = (0x526F6E67, 1)


class NotReplayable(Exception):
    pass


class MigrationRunInProgress(RuntimeError):
    """Another run holds RUN_LOCK; the message is in Thai, then English."""

    def __init__(self, pid: int | None, since: str) -> None:
        self.pid, self.since = pid, since
        lines = []
        for language in ("th", "en"):
            with translation.override(language):
                lines.append(_("การ migrate ของหน่วยงาน (rongthuk bodies migrate) อีกรอบหนึ่งกำลังทำงานอยู่ "
                               "(PostgreSQL pid %(pid)s เริ่มเมื่อ %(since)s) รอให้รอบนั้นเสร็จแล้วสั่งใหม่")
                             % {"pid": pid if pid is not None else "?", "since": since or "?"})
        super().__init__("\n".join(lines))


@contextmanager
def migration_run_lock() -> Iterator[None]:
    """Hold RUN_LOCK for the block, or raise MigrationRunInProgress at once when another run has it.
    A killed run's lock goes with its connection."""
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", RUN_LOCK)
            if not cursor.fetchone()[0]:
                cursor.execute(
                    "SELECT a.pid, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS UTC') "
                    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                    "AND l.classid = %s AND l.objid = %s AND l.granted AND l.database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())", RUN_LOCK)
                row = cursor.fetchone()
                raise MigrationRunInProgress(row[0] if row else None, row[1] if row else "")
        yield
    finally:
        holder.close()  # the lock ends with the session


class BodyMigrationFailed(RuntimeError):
    def __init__(self, body: PendingBody, step: Step, error: Exception) -> None:
        self.body, self.step, self.error = body, step, error
        super().__init__(f"body {body.dla_code} (schema {body.schema}) failed at migration {step.app}.{step.name}: "
                         f"{str(error).strip()[:500]}; the bodies migrated before it keep their migration, "
                         f"it and the rest are untouched — fix it and run `rongthuk bodies migrate` again")


def _ledger_state() -> str:
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_STATE_SQL)
        return str(cursor.fetchone()[0])


def _is_statement(sql: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in sql.splitlines())


def _write_ledger(steps: Sequence[Step]) -> None:
    if not steps:
        return
    rows = ", ".join(["(%s, %s, now())"] * len(steps))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO django_migrations (app, name, applied) VALUES {rows}",  # noqa: S608
                       [value for step in steps for value in (step.app, step.name)])


def script_capture(schema: str, *, keep: bool) -> Script:
    """Apply to `schema` the migrations its ledger lacks, collecting each one's SQL; kept (the
    template) or rolled back (a body used only to learn the SQL for its ledger state)."""
    with schema_context(schema), transaction.atomic():
        before = _ledger_state()
        executor = MigrationExecutor(connection)
        plan = [migration for migration, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes())]
        # What MigrationExecutor.migrate starts from (the applied migrations' state); not in the stubs.
        state = executor._create_project_state(with_applied_migrations=True)  # type: ignore[attr-defined]
        steps = []
        for migration in plan:
            runs_here = router.allow_migrate(connection.alias, migration.app_label)
            if runs_here and (not migration.atomic or not all(op.reduces_to_sql for op in migration.operations)):
                raise NotReplayable(f"{migration.app_label}.{migration.name} runs Python or is not atomic")
            with connection.schema_editor(collect_sql=True, atomic=False) as editor:
                state = migration.apply(state, editor, collect_sql=True)
            statements = tuple(sql for sql in editor.collected_sql if _is_statement(sql))
            if any(schema in sql for sql in statements):
                raise NotReplayable(f"{migration.app_label}.{migration.name} names the schema {schema}")
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
            steps.append(Step(migration.app_label, migration.name, statements))
        _write_ledger(steps)
        script = Script(before, _ledger_state(), tuple(steps))
        if not keep:
            transaction.set_rollback(True)
    return script


def _apply_one(script: Script, body: PendingBody) -> str:
    """One body in one transaction: "migrated", "already" (its ledger is at the end state) or
    "other" (at neither end: left for another round)."""
    with schema_context(body.schema), transaction.atomic():
        state = _ledger_state()
        if state == script.after:
            return "already"
        if state != script.before:
            return "other"
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            for step in script.steps:
                if not step.statements:
                    continue
                try:
                    with transaction.atomic():
                        cursor.execute("\n".join(step.statements))
                except DatabaseError as error:
                    raise BodyMigrationFailed(body, step, error) from error
        _write_ledger(script.steps)
    return "migrated"


@dataclass
class Round:
    migrated: list[PendingBody] = field(default_factory=list)
    already: list[PendingBody] = field(default_factory=list)
    other: list[PendingBody] = field(default_factory=list)
    failure: BodyMigrationFailed | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _apply(script: Script, bodies: Sequence[PendingBody], *, workers: int,
           on_progress: Callable[[int], None] | None) -> Round:
    result = Round()
    queue = iter(bodies)

    def run() -> None:
        try:
            while result.failure is None:
                with result.lock:
                    body = next(queue, None)
                if body is None:
                    return
                try:
                    outcome = _apply_one(script, body)
                except BodyMigrationFailed as failure:
                    with result.lock:
                        result.failure = result.failure or failure
                    return
                with result.lock:
                    getattr(result, outcome).append(body)
                if on_progress and outcome != "other":
                    on_progress(1)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()

    if workers <= 1 or len(bodies) <= 1:
        run()
    else:
        threads = [threading.Thread(target=run, name=f"migrate-{n}") for n in range(min(workers, len(bodies)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return result


def _record_states(bodies: Sequence[PendingBody], state: str) -> None:
    ids = [body.pk for body in bodies]
    for start in range(0, len(ids), 1000):
        LocalBody.objects.filter(pk__in=ids[start:start + 1000]).update(migration_state=state)


def _migrate_one_by_one(bodies: Sequence[PendingBody], state: str,
                        on_progress: Callable[[int], None] | None) -> None:
    for body in bodies:
        call_command("migrate_schemas", tenant=True, schema_name=body.schema, interactive=False, verbosity=0)
        use_public_schema()
        _record_states([body], state)
        if on_progress:
            on_progress(1)


def bodies_migrate_pending(bodies: Sequence[PendingBody], *, code_state: str, script: Script | None,
                           workers: int = 2, on_progress: Callable[[int], None] | None = None) -> int:
    """Bring every body to the code's migration state; returns how many were migrated (or found
    migrated). Raises BodyMigrationFailed, after recording the bodies done, when one fails."""
    remaining = list(bodies)
    done = 0
    while remaining:
        learnt_from = None
        if script is None:
            learnt_from = remaining[0]
            try:
                script = script_capture(learnt_from.schema, keep=False)
            except NotReplayable:
                _migrate_one_by_one(remaining, code_state, on_progress)
                return done + len(remaining)
        result = _apply(script, remaining, workers=workers, on_progress=on_progress)
        _record_states(result.migrated + result.already, script.after)
        done += len(result.migrated) + len(result.already)
        if result.failure is not None:
            raise result.failure
        if learnt_from is not None and learnt_from in result.other:
            # The script was captured from this body's ledger a moment ago: someone else changed it.
            raise RuntimeError(f"the ledger of {learnt_from.schema} changed while it was being migrated")
        remaining, script = result.other, None
    return done
