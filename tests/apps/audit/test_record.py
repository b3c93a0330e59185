"""audit_record: one entry in the schema it is called in, secrets never stored, citizens' personal
data refused on the platform's log, unknown kinds refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.audit.services import audit_diff, audit_record, audit_snapshot
from apps.complaints.models import Department
from tests.conftest import staff


def _count(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".audit_auditentry')  # noqa: S608 - test schema names
        return cursor.fetchone()[0]


def test_entry_goes_to_the_body_schema_with_the_diff(banlat) -> None:
    public_before = _count("public")
    with schema_context(banlat.schema_name):
        admin = staff(banlat, "admin")
        department = Department.objects.get(code="engineering")
        before = audit_snapshot(department, ["name_th", "position", "is_active"])
        department.name_th = "กองช่างโยธา"
        department.position = 7
        entry = audit_record(kind="department.update", actor=admin, target=department,
                             changes=audit_diff(before, audit_snapshot(department, ["name_th", "position",
                                                                                    "is_active"])))
        stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id == admin.pk
    assert stored.actor_label == "admin"
    assert stored.target_type == "complaints.department"
    assert stored.target_id == str(department.pk)
    assert stored.target_label == "กองช่างโยธา"
    assert stored.changes == {"before": {"name_th": "กองช่าง", "position": before["position"]},
                              "after": {"name_th": "กองช่างโยธา", "position": 7}}
    assert stored.kind_label == "แก้ไขกอง/สำนัก"
    assert _count("public") == public_before


def test_secrets_are_never_stored(banlat) -> None:
    with schema_context(banlat.schema_name):
        entry = audit_record(kind="staff.update", actor=None, actor_label="ระบบ",
                             changes={"after": {"password": "hunter2-plain", "role": "clerk"}})
        assert AuditEntry.objects.get(pk=entry.pk).changes == {"after": {"password": "***", "role": "clerk"}}


def test_platform_log_refuses_citizen_personal_data(db) -> None:
    with pytest.raises(ValueError, match="personal data"):
        audit_record(kind="body.update", changes={"before": {"complainant_phone": "0812345678"}})
    assert not AuditEntry.objects.filter(kind="body.update").exists()


def test_unknown_kind_is_refused(db) -> None:
    with pytest.raises(ValueError, match="unknown audit kind"):
        audit_record(kind="department.renamed")


def test_body_argument_writes_into_that_body_from_the_public_schema(banlat) -> None:
    national = User.objects.create_user("national-audit-test", "x")
    entry = audit_record(kind="calendar.create", actor=national, body=banlat, target_label="2026-12-31",
                         changes={"after": {"date": "2026-12-31", "reason": "น้ำท่วม"}})
    with schema_context(banlat.schema_name):
        stored = AuditEntry.objects.get(pk=entry.pk)
    # The public user is not a row of the body's user table: only the name is kept.
    assert stored.actor_id is None
    assert stored.actor_label == "national-audit-test"
    assert stored.changes == {"after": {"date": "2026-12-31", "reason": "น้ำท่วม"}}
