"""tenants.migrating on the standing cast (the real migration over several bodies, with a failure,
is tests/deploy/test_bulk_migrate.py, on a private server)."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context

from tenants import migrating, provisioning
from tenants.models import LocalBody


def test_the_ledger_digest_in_sql_is_the_one_provisioning_computes(banlat: LocalBody, thasen: LocalBody) -> None:
    for body in (banlat, thasen):
        with schema_context(body.schema_name), connection.cursor() as cursor:
            cursor.execute(migrating.LEDGER_STATE_SQL)
            in_sql = cursor.fetchone()[0]
        assert in_sql == provisioning.schema_migration_state(body.schema_name) == provisioning.code_migration_state()


def test_a_body_with_nothing_pending_gives_an_empty_script_and_is_found_done(banlat: LocalBody) -> None:
    script = migrating.script_capture(banlat.schema_name, keep=False)
    state = provisioning.code_migration_state()
    assert script == migrating.Script(state, state, ())
    body = migrating.PendingBody(banlat.pk, banlat.schema_name, banlat.dla_code)
    LocalBody.objects.filter(pk=banlat.pk).update(migration_state="stale")
    assert migrating.bodies_migrate_pending([body], code_state=state, script=script, workers=1) == 1
    banlat.refresh_from_db()
    assert banlat.migration_state == state
