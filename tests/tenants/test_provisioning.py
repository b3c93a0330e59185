from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tenants import provisioning
from tenants.models import LocalBody
from tenants.services import bodies_migrate


def _indexes(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_cloned_schemas_are_independent_and_fully_usable(banlat: LocalBody, thasen: LocalBody) -> None:
    with schema_context(thasen.schema_name):
        before = User.objects.create_user(f"clone-{thasen.dla_code}-a", "x" * 12).pk
    with schema_context(banlat.schema_name):
        existing = User.objects.count()
        first = User.objects.create_user(f"clone-{banlat.dla_code}-a", "x" * 12)
        second = User.objects.create_user(f"clone-{banlat.dla_code}-b", "x" * 12)
        assert second.pk == first.pk + 1
        assert User.objects.count() == existing + 2
        with transaction.atomic(), _raises(IntegrityError):  # the unique constraint came with the clone
            User.objects.create_user(f"clone-{banlat.dla_code}-a", "x" * 12)
        assert not User.objects.filter(username=f"clone-{thasen.dla_code}-a").exists()
    with schema_context(thasen.schema_name):
        # banlat's inserts did not touch thasen's sequence: each body has its own
        assert User.objects.create_user(f"clone-{thasen.dla_code}-b", "x" * 12).pk == before + 1
        assert not User.objects.filter(username__startswith=f"clone-{banlat.dla_code}").exists()


class _raises:
    def __init__(self, exc: type[BaseException]) -> None:
        self.exc = exc

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        assert exc_type is not None and issubclass(exc_type, self.exc), f"expected {self.exc.__name__}"
        return True


def test_clone_has_the_templates_indexes_constraints_and_ledger(banlat: LocalBody) -> None:
    template = provisioning.template_schema()
    assert _indexes(banlat.schema_name) == _indexes(template)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE connamespace = %s::regnamespace", [banlat.schema_name]
        )
        body_constraints = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE connamespace = %s::regnamespace", [template])
        assert body_constraints == cursor.fetchone()[0] > 0
    assert provisioning.schema_migration_state(banlat.schema_name) == provisioning.code_migration_state()
    assert banlat.migration_state == provisioning.code_migration_state()


def test_a_body_schema_stays_within_150_relations(banlat: LocalBody) -> None:
    count = provisioning.schema_relation_count(banlat.schema_name)
    assert count == provisioning.schema_relation_count(provisioning.template_schema())
    assert 0 < count <= 150


def test_migrate_with_nothing_pending_touches_no_body(db: None) -> None:
    report = bodies_migrate(show_progress=False)
    assert report.pending == 0


def test_migrate_runs_only_bodies_whose_state_is_stale(banlat: LocalBody) -> None:
    LocalBody.objects.filter(pk=banlat.pk).update(migration_state="stale")
    report = bodies_migrate(show_progress=False)
    assert report.pending == 1
    banlat.refresh_from_db()
    assert banlat.migration_state == provisioning.code_migration_state()


def test_no_body_table_has_a_foreign_key_into_the_public_schema(db: None) -> None:
    """Each such key would put a trigger pair on the public table per body (x7,850): writes to
    that table and every provisioning would slow down as the registry grows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT con.conname FROM pg_constraint con JOIN pg_class dst ON dst.oid = con.confrelid "
            "WHERE con.contype = 'f' AND con.connamespace = %s::regnamespace "
            "AND dst.relnamespace = 'public'::regnamespace",
            [provisioning.template_schema()],
        )
        assert cursor.fetchall() == []
