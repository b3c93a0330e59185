"""The national API's reads of the facts from a real streaming replica (pg_basebackup -R of the
private primary), and what happens when it lags or stops (tenants.replica).

Two web servers read the same replica: one that tolerates an hour of staleness, one a second. With
the replica's replay paused, a complaint filed on the primary is missing from the first one's
figures — they come from the replica — and present in the second one's as soon as the replica is
more than a second behind: it fell back to the primary. A stopped replica sends both to the
primary; a caught-up or restarted one takes the reads back. A replica that dies under a read it was
chosen for — cut off right after the lag check, or stopped while officers and the national API read
— costs no request an error: the read runs again on the primary."""

from __future__ import annotations

import json
import threading
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


OFFICER_SCRIPT = """
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from apps.accounts.models import User
from apps.oversight.services import oversight_profile_set
from tenants.models import LocalBody
user = User.objects.filter(username='replica-officer').first() or User.objects.create_user(
    'replica-officer', 'replica-officer-pw-1')
oversight_profile_set(user=user, level='district', code=LocalBody.objects.get(dla_code=CODE).district_id)
device = TOTPDevice.objects.create(user=user, name='replica test', confirmed=True)
store = SessionStore()
store['_auth_user_id'] = str(user.pk)
store['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'
store['_auth_user_hash'] = user.get_session_auth_hash()
store[DEVICE_ID_SESSION_KEY] = device.persistent_id
store.create()
print(store.session_key)
"""


def _readers(platform: Platform) -> dict[str, dict[str, str]]:
    """The requests that read the facts: the national API's figures and a district officer's dashboard."""
    key = platform.cli("shell", "-c", "from api.models import api_key_create; "
                                      "print(api_key_create(name='replica faults', scope='nation')[1])").split()[-1]
    session = platform.cli("shell", "-c", f"CODE = {BANLAT!r}\n" + OFFICER_SCRIPT).split()[-1]
    return {FIGURES: {"Authorization": f"Api-Key {key}"}, "/oversight/": {"Cookie": f"sessionid={session}"}}


def test_a_replica_cut_off_right_after_the_lag_check_sends_the_read_to_the_primary(
        platform: Platform, replica: Replica) -> None:
    readers = _readers(platform)
    wait_until(replica.caught_up, 60)
    web = Web(platform.env(platform.primary.url, DATABASE_REPLICA_URL=replica.url, DATABASE_REPLICA_RETRY_SECONDS="0",
                           DJANGO_SETTINGS_MODULE="tests.deploy.replica_cut_settings"),
              platform.logs / "web-cut.log", workers=1)
    try:
        with platform.primary.connect() as conn:
            received = conn.execute("SELECT count(*) FROM reporting_complaintfact f JOIN tenants_localbody b "
                                    "ON b.id = f.body_id WHERE b.dla_code = %s", [BANLAT]).fetchone()
        assert received is not None
        for _round in range(3):
            for path, headers in readers.items():
                status, body, answer = get(web.port, path, "localhost", headers)
                assert (status, answer.get("X-Reads-From")) == (200, "primary"), body[:500]
                if path == FIGURES:
                    assert int(json.loads(body)["totals"]["received"]) == received[0]
    finally:
        web.stop()
    assert "read replica failed under a read, reading from the primary" in web.log.read_text(errors="replace")


def test_a_replica_stopped_and_restarted_during_oversight_traffic_costs_no_request_an_error(
        platform: Platform, replica: Replica) -> None:
    readers = _readers(platform)
    wait_until(replica.caught_up, 60)
    web = Web(platform.env(platform.primary.url, DATABASE_REPLICA_URL=replica.url, DATABASE_REPLICA_RETRY_SECONDS="0"),
              platform.logs / "web-stopped.log", workers=2)
    answers: list[tuple[int, str]] = []
    running = threading.Event()
    running.set()

    def read() -> None:
        while running.is_set():
            for path, headers in readers.items():
                status, _body, answer = get(web.port, path, "localhost", headers)
                answers.append((status, answer.get("X-Reads-From", "")))

    threads = [threading.Thread(target=read) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for _cycle in range(3):
            wait_until(lambda: (200, "replica") in answers[-8:], 60)
            replica.stop()
            stopped_at = len(answers)
            wait_until(lambda: len(answers) > stopped_at + 16, 60)  # noqa: B023 - waited for here
            replica.start()
    finally:
        running.clear()
        for thread in threads:
            thread.join(timeout=60)
        web.stop()
    statuses = {status for status, _where in answers}
    assert statuses == {200}, f"{sum(1 for s, _w in answers if s != 200)} of {len(answers)} failed: {statuses}"
    assert {where for _status, where in answers} == {"replica", "primary"}
