"""`rongthuk bodies migrate` with a real migration pending (a column and an index added to a body
table: tests/deploy/bulk_migrations) over seven bodies on the private primary, one of them made to
fail: the template is migrated first, the SQL captured there is replayed in each body in its own
transaction, the failure stops the run and names the body, every body is either fully migrated or
untouched, and the next run finishes the rest — skipping a body whose ledger already has it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import BANLAT, REPO, THASEN
from tests.deploy.servers import Platform

pytestmark = pytest.mark.faults

BANGKOK = "1100000"  # added by every import
MORE = ("6760602", "6760603", "6760604", "6760605")
FAILING = "6760604"
MIGRATION = ("tokens", "0002_token_note")


def _migrate(platform: Platform) -> subprocess.CompletedProcess[str]:
    env = platform.env(platform.primary.url, DJANGO_SETTINGS_MODULE="tests.deploy.bulk_settings")
    return subprocess.run([sys.executable, "-m", "rongthuk.cli", "bodies", "migrate", "--workers", "2"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=600, check=False)


def _where(platform: Platform, schema: str) -> tuple[bool, bool, bool]:
    """(ledger row, column, index) of the test migration in a schema."""
    with platform.primary.connect() as conn:
        ledger = conn.execute(f'SELECT count(*) FROM "{schema}".django_migrations '  # noqa: S608 - our schema
                              "WHERE app = %s AND name = %s", MIGRATION).fetchone()
        column = conn.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = %s "
                              "AND table_name = 'tokens_stafftoken' AND column_name = 'bulk_note'", [schema]).fetchone()
        index = conn.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND indexname = "
                             "'tokens_bulk_note_idx'", [schema]).fetchone()
    assert ledger and column and index
    return ledger[0] == 1, column[0] == 1, index[0] == 1


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
