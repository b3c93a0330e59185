"""The preconditions of Citus schema-based sharding (deploy/CITUS.md), checked on real provisioned
bodies of the test database: each body's schema must be movable whole to a worker node as a
distributed schema, and the public schema must stay on the coordinator as reference or local tables."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import anonymous, make_case, signed_in
from tests.conftest import REPO

pytestmark = pytest.mark.django_db
CITUS = (REPO / "deploy" / "CITUS.md").read_text(encoding="utf-8")
BODY_SCHEMA = re.compile(r"\bb\d{7}\b")


def _rows(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _schemas(banlat: LocalBody, thasen: LocalBody) -> list[str]:
    return ["body_template", banlat.schema_name, thasen.schema_name]


def test_no_foreign_key_leaves_a_bodys_schema(banlat: LocalBody, thasen: LocalBody) -> None:
    """Citus refuses a foreign key from a distributed schema's table to another schema's."""
    for schema in _schemas(banlat, thasen):
        leaving = _rows(
            "SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid "
            "WHERE c.contype = 'f' AND t.relnamespace = %s::regnamespace AND r.relnamespace <> t.relnamespace",
            [schema])
        assert leaving == [], schema
        inside = _rows("SELECT count(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
                       "WHERE c.contype = 'f' AND t.relnamespace = %s::regnamespace", [schema])
        assert inside[0][0] > 10  # the schema's own foreign keys are there (the query can see them)


def test_every_body_table_has_a_primary_key(banlat: LocalBody, thasen: LocalBody) -> None:
    for schema in _schemas(banlat, thasen):
        tables = _rows("SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind IN ('r', 'p')",
                       [schema])
        without = _rows(
            "SELECT t.relname FROM pg_class t WHERE t.relnamespace = %s::regnamespace AND t.relkind IN ('r', 'p') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = t.oid AND c.contype = 'p')", [schema])
        assert len(tables) > 20 and without == [], schema


def test_no_public_table_points_into_a_body_and_every_public_table_has_a_primary_key() -> None:
    """Reference tables (copied to every node) need a primary key (replica identity) and may point
    only at other public tables."""
    into_bodies = _rows(
        "SELECT c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_class r ON r.oid = c.confrelid WHERE c.contype = 'f' AND t.relnamespace = 'public'::regnamespace "
        "AND r.relnamespace <> 'public'::regnamespace", [])
    assert into_bodies == []
    without = _rows(
        "SELECT t.relname FROM pg_class t WHERE t.relnamespace = 'public'::regnamespace AND t.relkind IN ('r', 'p') "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = t.oid AND c.contype = 'p')", [])
    assert without == []


def test_the_public_tables_with_triggers_are_the_ones_the_runbook_keeps_on_the_coordinator() -> None:
    """Citus runs triggers on reference tables only with citus.enable_unsafe_triggers; the runbook
    keeps every public table that has one as a coordinator-local table, and names each."""
    with_triggers = {name for (name,) in _rows(
        "SELECT DISTINCT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
        "WHERE NOT g.tgisinternal AND c.relnamespace = 'public'::regnamespace", [])}
    section = CITUS.split("<!-- coordinator-local -->")[1]
    named = set(re.findall(r"`(\w+)`", section.split("<!-- /coordinator-local -->")[0]))
    assert with_triggers and with_triggers == named


def test_no_statement_of_a_request_or_a_service_names_two_bodies_schemas(banlat: LocalBody,
                                                                         thasen: LocalBody) -> None:
    """A join across two distributed schemas is what Citus cannot run on one node. Citizen pages of
    both bodies, a complaint filed, the staff inbox and a case page: each statement names at most
    one body's schema, and each request runs in its own body's schema only."""
    statements: list[tuple[str, str]] = []
    for body in (banlat, thasen, banlat):
        citizen = anonymous(body)
        for path in ("/", "/sla/", "/stats/", "/complaints/new/", "/track/"):
            with CaptureQueriesContext(connection) as captured:
                assert citizen.get(path).status_code == 200, path
            statements += [(body.schema_name, q["sql"]) for q in captured.captured_queries]
        with CaptureQueriesContext(connection) as captured:
            case = make_case(body, description="ท่อระบายน้ำอุดตัน ตรวจ Citus")
        statements += [(body.schema_name, q["sql"]) for q in captured.captured_queries]
        staff = signed_in(body, "admin")
        for path in ("/staff/", f"/staff/cases/{case.pk}/"):
            with CaptureQueriesContext(connection) as captured:
                assert staff.get(path).status_code == 200, path
            statements += [(body.schema_name, q["sql"]) for q in captured.captured_queries]
    assert len(statements) > 200
    named = [(schema, set(BODY_SCHEMA.findall(sql)), sql) for schema, sql in statements]
    assert [sql for _schema, found, sql in named if len(found) > 1] == []
    assert [sql for schema, found, sql in named if found and found != {schema}] == []
    with schema_context(banlat.schema_name):
        assert Complaint.objects.filter(description="ท่อระบายน้ำอุดตัน ตรวจ Citus").count() == 2
