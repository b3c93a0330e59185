"""Migration 0004 on existing directives: a directive's one measure becomes its one requirement, and
a target that had complied under a measured requirement keeps the time as that requirement's."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.accounts.models import User
from tenants.models import LocalBody

BEFORE = [("oversight", "0003_province_rollups")]
AFTER = [("oversight", "0004_directive_requirements")]
COMPLIED = dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.UTC)


def test_existing_directives_keep_their_measure_and_compliance(banlat: LocalBody, thasen: LocalBody) -> None:
    user = User.objects.create_user("migration-issuer", "x" * 16)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Directive = old.get_model("oversight", "Directive")
    Target = old.get_model("oversight", "DirectiveTarget")
    made = {}
    for measure in ("ack", "sla_published", "overdue_answered"):
        directive = Directive.objects.create(title=measure, measure=measure, due_date=dt.date(2026, 12, 31),
                                             issued_by_id=user.pk, scope_level="district", scope_code="7606")
        Target.objects.create(directive=directive, body_id=banlat.pk, complied_at=COMPLIED,
                              acknowledged_at=COMPLIED if measure == "ack" else None,
                              compliance_source="ack" if measure == "ack" else "auto")
        Target.objects.create(directive=directive, body_id=thasen.pk)
        made[measure] = directive.pk
    with connection.cursor() as cursor:  # the rows' deferred checks now, so the table can be altered
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Directive = new.get_model("oversight", "Directive")
    Target = new.get_model("oversight", "DirectiveTarget")
    assert {d.title: d.requirements for d in Directive.objects.filter(pk__in=made.values())} == {
        "ack": ["ack"], "sla_published": ["sla_published"], "overdue_answered": ["overdue_answered"]}
    met = {(t.directive.title, t.body_id): (t.acknowledged_at, t.sla_met_at, t.overdue_met_at, t.complied_at)
           for t in Target.objects.filter(directive_id__in=made.values()).select_related("directive")}
    assert met == {
        ("ack", banlat.pk): (COMPLIED, None, None, COMPLIED), ("ack", thasen.pk): (None, None, None, None),
        ("sla_published", banlat.pk): (None, COMPLIED, None, COMPLIED),
        ("sla_published", thasen.pk): (None, None, None, None),
        ("overdue_answered", banlat.pk): (None, None, COMPLIED, COMPLIED),
        ("overdue_answered", thasen.pk): (None, None, None, None)}
