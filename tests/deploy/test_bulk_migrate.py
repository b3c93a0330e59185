"""`rongthuk bodies migrate` with a real migration pending (a column and an index added to a body
table: tests/deploy/bulk_migrations) over seven bodies on the private primary, one of them made to
fail: the template is migrated first, the SQL captured there is replayed in each body in its own
transaction, the failure stops the run and names the body, every body is either fully migrated or
untouched, and the next run finishes the rest — skipping a body whose ledger already has it. A second
run started while one is in progress is refused (the advisory lock the run holds); a run killed with
SIGKILL while bodies are in flight leaves each body whole or untouched, and the next run finishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psycopg
import pytest

from tests.conftest import BANLAT, REPO, THASEN
from tests.deploy.servers import Platform
from tests.faults.stack import DATABASE, wait_until

pytestmark = pytest.mark.faults

BANGKOK = "1100000"  # added by every import
MORE = ("6760602", "6760603", "6760604", "6760605")
FAILING = "6760604"
MIGRATION = ("tokens", "0002_token_note")
# The migration after it (tests/deploy/bulk_migrations_next): its ledger row, column and index.
NEXT = (("tokens", "0003_token_label"), "bulk_label", "tokens_bulk_label_idx")
WHOLE, UNTOUCHED = (True, True, True), (False, False, False)


def _command(platform: Platform, settings: str) -> tuple[list[str], dict[str, str]]:
    env = platform.env(platform.primary.url, DJANGO_SETTINGS_MODULE=settings)
    return [sys.executable, "-m", "rongthuk.cli", "bodies", "migrate", "--workers", "2"], env


def _migrate(platform: Platform, settings: str = "tests.deploy.bulk_settings") -> subprocess.CompletedProcess[str]:
    args, env = _command(platform, settings)
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False)


def _start(platform: Platform, settings: str) -> subprocess.Popen[str]:
    args, env = _command(platform, settings)
    return subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _where(platform: Platform, schema: str, migration: tuple[tuple[str, str], str, str] = (
        MIGRATION, "bulk_note", "tokens_bulk_note_idx")) -> tuple[bool, bool, bool]:
    """(ledger row, column, index) of a test migration in a schema."""
    (app, name), column_name, index_name = migration
    with platform.primary.connect() as conn:
        ledger = conn.execute(f'SELECT count(*) FROM "{schema}".django_migrations '  # noqa: S608 - our schema
                              "WHERE app = %s AND name = %s", [app, name]).fetchone()
        column = conn.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = %s "
                              "AND table_name = 'tokens_stafftoken' AND column_name = %s",
                              [schema, column_name]).fetchone()
        index = conn.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND indexname = %s",
                             [schema, index_name]).fetchone()
    assert ledger and column and index
    return ledger[0] == 1, column[0] == 1, index[0] == 1


def _seven_bodies(platform: Platform) -> dict[str, str]:
    """The seven bodies (imported if missing) with the first test migration applied: code → schema."""
    source = (REPO / "tenants" / "data" / "lao.csv").read_text(encoding="utf-8").splitlines()
    csv = platform.logs / "more-bodies.csv"
    csv.write_text("\n".join([source[0], *[r for r in source[1:] if r.split(",")[2] in MORE]]) + "\n",
                   encoding="utf-8")
    platform.cli("bodies", "import", str(csv), "--workers", "1")
    done = _migrate(platform)
    assert done.returncode == 0, done.stderr[-2000:]
    return {code: platform.body(code)[0] for code in sorted((BANGKOK, BANLAT, THASEN, *MORE))}


def _backends_waiting_on_a_lock(platform: Platform) -> list[int]:
    with platform.primary.connect() as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock' ORDER BY pid").fetchall()
    return [row[0] for row in rows]


def _run_lock_holder(platform: Platform) -> int | None:
    with platform.primary.connect() as conn:
        row = conn.execute("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                           "AND objid = 1 AND granted", [0x526F6E67]).fetchone()
    return row[0] if row else None


def _states(platform: Platform) -> dict[str, str]:
    with platform.primary.connect() as conn:
        return dict(conn.execute("SELECT dla_code, migration_state FROM tenants_localbody "  # type: ignore[arg-type]
                                 "WHERE schema_name <> 'public'").fetchall())


def test_a_real_migration_over_the_bodies_stops_at_a_failing_body_and_resumes(platform: Platform) -> None:
    source = (REPO / "tenants" / "data" / "lao.csv").read_text(encoding="utf-8").splitlines()
    csv = platform.logs / "more-bodies.csv"
    csv.write_text("\n".join([source[0], *[r for r in source[1:] if r.split(",")[2] in MORE]]) + "\n",
                   encoding="utf-8")
    platform.cli("bodies", "import", str(csv), "--workers", "1")
    codes = sorted((BANGKOK, BANLAT, THASEN, *MORE))
    schemas = {code: platform.body(code)[0] for code in codes}
    before = _states(platform)
    assert set(before) == set(codes) and len(set(before.values())) == 1
    with platform.primary.connect() as conn:  # the column is already there: ADD COLUMN fails in this body
        conn.execute(f'ALTER TABLE "{schemas[FAILING]}".tokens_stafftoken ADD COLUMN bulk_note text')

    first = _migrate(platform)
    assert first.returncode == 1
    assert (f"body {FAILING} (schema {schemas[FAILING]}) failed at migration tokens.0002_token_note: "
            'column "bulk_note" of relation "tokens_stafftoken" already exists') in first.stderr
    assert _where(platform, "body_template") == (True, True, True)
    outcome = {code: _where(platform, schemas[code]) for code in codes}
    assert outcome[FAILING] == (False, True, False)  # untouched: only the column made beforehand
    # Taken in code order, two at a time: every body before the failing one is done; after it,
    # each is whole or untouched (the other connection may have finished one more).
    assert [outcome[code] for code in codes if code < FAILING] == [(True, True, True)] * 4
    assert all(outcome[code] in ((True, True, True), (False, False, False)) for code in codes if code > FAILING)
    after_first = _states(platform)
    done = {code for code in codes if outcome[code] == (True, True, True)}
    migrated_state = after_first[min(done)]
    assert migrated_state != before[BANLAT]
    assert {code for code, state in after_first.items() if state == migrated_state} == done

    with platform.primary.connect() as conn:
        conn.execute(f'ALTER TABLE "{schemas[FAILING]}".tokens_stafftoken DROP COLUMN bulk_note')
        # As if the run had been killed after this body's commit, before its state was recorded.
        conn.execute("UPDATE tenants_localbody SET migration_state = %s WHERE dla_code = %s", [before[BANLAT], BANLAT])
    second = _migrate(platform)
    assert second.returncode == 0, second.stderr[-2000:]
    left = len(codes) - len(done) + 1
    assert f"migrated {left} bodies with pending migrations" in second.stdout
    assert {code: _where(platform, schemas[code]) for code in codes} == {code: (True, True, True) for code in codes}
    assert set(_states(platform).values()) == {migrated_state}

    third = _migrate(platform)
    assert third.returncode == 0 and "migrated 0 bodies with pending migrations" in third.stdout


def test_a_second_run_is_refused_while_one_is_in_progress(platform: Platform) -> None:
    _seven_bodies(platform)
    blocker = psycopg.connect(host="127.0.0.1", port=platform.primary.port, user="postgres", dbname=DATABASE)
    try:
        # The first run takes the run's lock, then waits here (its first read of the ledger).
        blocker.execute("LOCK TABLE public.django_migrations IN ACCESS EXCLUSIVE MODE")
        first = _start(platform, "tests.deploy.bulk_settings")
        wait_until(lambda: len(_backends_waiting_on_a_lock(platform)) == 1, 120)
        holder = _run_lock_holder(platform)
        assert holder is not None

        second = _migrate(platform)
        assert second.returncode == 1
        assert ("การ migrate ของหน่วยงาน (rongthuk bodies migrate) อีกรอบหนึ่งกำลังทำงานอยู่ "
                f"(PostgreSQL pid {holder} เริ่มเมื่อ ") in second.stderr
        assert ("Another run of the bodies' migration (rongthuk bodies migrate) is in progress "
                f"(PostgreSQL pid {holder}, started ") in second.stderr
        assert first.poll() is None
    finally:
        blocker.rollback()
        blocker.close()
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err[-2000:]
    assert "migrated 0 bodies with pending migrations" in out
    assert _run_lock_holder(platform) is None
    third = _migrate(platform)
    assert third.returncode == 0 and "migrated 0 bodies with pending migrations" in third.stdout


def test_a_run_killed_with_sigkill_leaves_each_body_whole_or_untouched_and_the_next_run_finishes(
        platform: Platform) -> None:
    schemas = _seven_bodies(platform)
    codes = list(schemas)
    held = (codes[2], codes[4])
    blocker = psycopg.connect(host="127.0.0.1", port=platform.primary.port, user="postgres", dbname=DATABASE)
    try:
        # Two bodies' tables held: each of the run's two connections stops at one of them, mid-transaction.
        blocker.execute(f'LOCK TABLE "{schemas[held[0]]}".tokens_stafftoken, "{schemas[held[1]]}".tokens_stafftoken '
                        "IN ACCESS EXCLUSIVE MODE")
        run = _start(platform, "tests.deploy.bulk_next_settings")
        wait_until(lambda: len(_backends_waiting_on_a_lock(platform)) == 2, 180)
        in_flight = _backends_waiting_on_a_lock(platform)
        os.kill(run.pid, signal.SIGKILL)
        run.communicate(timeout=60)
        assert run.returncode == -signal.SIGKILL
    finally:
        blocker.rollback()
        blocker.close()
    # The killed run's connections end when their server notices the client is gone.
    wait_until(lambda: not set(in_flight) & set(_pids(platform)), 120)
    assert _run_lock_holder(platform) is None

    assert _where(platform, "body_template", NEXT) == WHOLE
    outcome = {code: _where(platform, schemas[code], NEXT) for code in codes}
    # In code order, two at a time: the first two done, one connection stopped at the third, the other
    # did the fourth and stopped at the fifth; the last two never reached.
    whole = {codes[0], codes[1], codes[3]}
    assert outcome == {code: WHOLE if code in whole else UNTOUCHED for code in codes}

    resumed = _migrate(platform, "tests.deploy.bulk_next_settings")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    # Killed before any state was recorded: every body is pending; those done are found so and skipped.
    assert "migrated 7 bodies with pending migrations" in resumed.stdout
    assert {code: _where(platform, schemas[code], NEXT) for code in codes} == {code: WHOLE for code in codes}
    assert len(set(_states(platform).values())) == 1
    again = _migrate(platform, "tests.deploy.bulk_next_settings")
    assert again.returncode == 0 and "migrated 0 bodies with pending migrations" in again.stdout


def _pids(platform: Platform) -> list[int]:
    with platform.primary.connect() as conn:
        return [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity").fetchall()]
