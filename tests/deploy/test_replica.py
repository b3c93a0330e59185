"""The national API's reads of the facts from a real streaming replica (pg_basebackup -R of the
private primary), and what happens when it lags or stops (tenants.replica).

Two web servers read the same replica: one that tolerates an hour of staleness, one a second. With
the replica's replay paused, a complaint filed on the primary is missing from the first one's
figures — they come from the replica — and present in the second one's as soon as the replica is
more than a second behind: it fell back to the primary. A stopped replica sends both to the
primary; a caught-up or restarted one takes the reads back."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.conftest import BANLAT
from tests.deploy.servers import Platform, Replica, Web, get
from tests.faults.stack import Citizen, wait_until

pytestmark = pytest.mark.faults

FIGURES = f"/api/national/v1/aggregates/?level=body&code={BANLAT}"
# Run by `rongthuk shell` with the replica configured, after a line naming SCHEMA.
SCHEMA_SCRIPT = """
from django_tenants.utils import schema_context
from tenants.replica import reads_connection, replica_reads
with schema_context(SCHEMA), replica_reads():
    chosen = reads_connection()
    with chosen.cursor() as cursor:
        cursor.execute('SHOW search_path'); path = cursor.fetchone()[0]
        cursor.execute('SELECT count(*) FROM complaints_complaint'); count = cursor.fetchone()[0]
        cursor.execute('SELECT pg_is_in_recovery()'); standby = cursor.fetchone()[0]
print(chosen.alias, path, count, standby)
"""


@pytest.fixture
def replica(platform: Platform) -> Iterator[Replica]:
    made = Replica(platform.primary)
    try:
        made.start()
        yield made
    finally:
        made.destroy()


def _received(web: Web, key: str) -> tuple[str, int]:
    """(where the reads went, complaints received by banlat) from the national API."""
    status, body, headers = get(web.port, FIGURES, "localhost", {"Authorization": f"Api-Key {key}"})
    assert status == 200, body[:500]
    return headers["X-Reads-From"], int(json.loads(body)["totals"]["received"])


def test_national_reads_go_to_the_replica_within_its_staleness_and_to_the_primary_past_it(
        platform: Platform, replica: Replica) -> None:
    key = platform.cli("shell", "-c", "from api.models import api_key_create; "
                                      "print(api_key_create(name='replica test', scope='nation')[1])").split()[-1]
    wait_until(replica.caught_up, 60)

    def web(max_lag: str, name: str) -> Web:
        return Web(platform.env(platform.primary.url, DATABASE_REPLICA_URL=replica.url, DATABASE_CONN_MAX_AGE="0",
                                DATABASE_REPLICA_MAX_LAG_SECONDS=max_lag, DATABASE_REPLICA_RETRY_SECONDS="0"),
                   platform.logs / f"web-{name}.log", workers=1)

    patient, strict = web("3600", "patient"), web("1", "strict")
    try:
        before = _received(patient, key)[1]
        assert _received(patient, key) == ("replica", before)
        assert _received(strict, key) == ("replica", before)

        with replica.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")
        citizen = Citizen(patient.port, 9100)
        citizen.host = f"{platform.body(BANLAT)[1]}.localhost:{patient.port}"
        assert citizen.file("replica-lag").code is not None
        # Only the replica can answer `before` now: the primary has the new complaint's fact.
        assert _received(patient, key) == ("replica", before)
        wait_until(lambda: _received(strict, key)[0] == "primary", 60)
        assert _received(strict, key) == ("primary", before + 1)

        with replica.connect() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
        wait_until(replica.caught_up, 60)
        wait_until(lambda: _received(strict, key)[0] == "replica", 60)
        assert _received(strict, key) == ("replica", before + 1)
        assert _received(patient, key) == ("replica", before + 1)

        replica.stop()
        assert _received(patient, key) == ("primary", before + 1)
        assert _received(strict, key) == ("primary", before + 1)
        replica.start()
        wait_until(lambda: _received(patient, key)[0] == "replica", 60)
        assert _received(patient, key) == ("replica", before + 1)
    finally:
        patient.stop()
        strict.stop()


def test_the_replica_connection_reads_in_the_schema_the_default_connection_is_in(
        platform: Platform, replica: Replica) -> None:
    schema = platform.body(BANLAT)[0]
    wait_until(replica.caught_up, 60)
    script = f"SCHEMA = {schema!r}\n" + SCHEMA_SCRIPT
    out = platform.cli("shell", "-c", script, env=platform.env(platform.primary.url, DATABASE_REPLICA_URL=replica.url))
    with platform.primary.connect() as conn:
        count = conn.execute(f'SELECT count(*) FROM "{schema}".complaints_complaint').fetchone()[0]  # type: ignore[index]  # noqa: S608
    assert out.split("\n")[-2] == f"replica {schema}, public {count} True"
