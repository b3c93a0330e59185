"""The cases' part of a merge of two bodies (tenants.lifecycle.body_merge runs it).

Every case of the absorbed body moves into the receiving body's schema with its tracking code, its
timeline, its files, its identity-view log, its notifications and its public report's followers,
under new ids; its fact and its
stage clocks are re-attributed to the receiving body (same rows, so oversight figures and deadlines
carry on) with the receiving body's district and province. Categories are matched on the national
category and departments on their code (a missing one is copied over); staff of the absorbed body
stay in its schema, so a moved event or view keeps the person's name as its label. Cases in other
bodies that came from or went to the absorbed body point at the receiving body afterwards.

A code the receiving body already uses (a transfer between the two bodies gives both cases the same
code) is issued anew for the absorbed body's case; the old code stays on the case (`former_codes`,
so tracking by it finds the case) and its Open311 id on its fact (`former_ids`), and the citizen is
told the new code through the outbox, in their language.

Set-based SQL (one statement per table), so 10,000 cases move in seconds: see bench/merge.py.
"""

# ruff: noqa: S608 - identifiers come from the catalog and checked schema names, never from input.

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from apps.complaints import notifications
from apps.complaints.models import (
    Attachment,
    CaseFollower,
    Category,
    Complaint,
    ComplaintEvent,
    Department,
    EventKind,
    IdentityAccess,
    Notification,
)
from apps.complaints.services.intake import new_tracking_code
from apps.complaints.services.record import SYSTEM, citizen_text
from apps.reporting.models import ComplaintFact, OutboxEntry
from apps.sla.models import StageClock
from tenants.archive_format import table_columns
from tenants.merging import Counts, MergeStep, merge_step_register
from tenants.models import LocalBody

_COMPLAINT = Complaint._meta.db_table
_EVENT = ComplaintEvent._meta.db_table
_ATTACHMENT = Attachment._meta.db_table
_IDENTITY = IdentityAccess._meta.db_table
_NOTIFICATION = Notification._meta.db_table
_FOLLOWER = CaseFollower._meta.db_table
_CATEGORY = Category._meta.db_table
_DEPARTMENT = Department._meta.db_table
_FACT = ComplaintFact._meta.db_table
_CLOCK = StageClock._meta.db_table
_OUTBOX = OutboxEntry._meta.db_table
_USER = "accounts_user"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _scalar(sql: str, params: Sequence[int | str] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return int(cursor.fetchone()[0])


def cases_count(absorbed: LocalBody, into: LocalBody) -> Counts:
    a = _q(absorbed.schema_name)
    return {
        "cases": _scalar(f"SELECT count(*) FROM {a}.{_COMPLAINT}"),
        "events": _scalar(f"SELECT count(*) FROM {a}.{_EVENT}"),
        "attachments": _scalar(f"SELECT count(*) FROM {a}.{_ATTACHMENT}"),
        "identity_views": _scalar(f"SELECT count(*) FROM {a}.{_IDENTITY}"),
        "notifications": _scalar(f"SELECT count(*) FROM {a}.{_NOTIFICATION}"),
        "facts": _scalar(f"SELECT count(*) FROM {_FACT} WHERE body_id = %s", [absorbed.pk]),
        "stage_clocks": _scalar(f"SELECT count(*) FROM {_CLOCK} WHERE body_id = %s", [absorbed.pk]),
        "codes_reissued": _scalar(f"SELECT count(*) FROM ({_recode_plan(absorbed, into)}) s"),
    }


def _recode_plan(absorbed: LocalBody, into: LocalBody) -> str:
    """merge_recode: the absorbed body's cases whose code the receiving body already uses (a case of
    its own, or a code one of its cases had before; a transfer between the two bodies gives both
    the same code), as SQL over a temporary table the move reads."""
    a, r = _q(absorbed.schema_name), _q(into.schema_name)
    return (f"SELECT a.id, a.tracking_code FROM {a}.{_COMPLAINT} a WHERE a.tracking_code IN "
            f"(SELECT tracking_code FROM {r}.{_COMPLAINT} UNION ALL SELECT unnest(former_codes) FROM {r}.{_COMPLAINT})")


def _codes_issue(absorbed: LocalBody, into: LocalBody) -> int:
    """A newly issued code for each absorbed case whose code the receiving body already uses:
    unique across the platform (the facts' codes) and in both schemas, old codes included."""
    a, r = _q(absorbed.schema_name), _q(into.schema_name)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS merge_recode")
        cursor.execute("CREATE TEMPORARY TABLE merge_recode (old_id bigint PRIMARY KEY, old_code text NOT NULL, "
                       "new_code text UNIQUE) ON COMMIT DROP")
        cursor.execute(f"INSERT INTO merge_recode (old_id, old_code) {_recode_plan(absorbed, into)}")
        cursor.execute("SELECT old_id FROM merge_recode ORDER BY old_id")
        ids = [row[0] for row in cursor.fetchall()]
        issued: list[str] = []
        while len(issued) < len(ids):
            fresh = {new_tracking_code() for _n in range(len(ids) - len(issued))} - set(issued)
            cursor.execute(
                f"SELECT tracking_code FROM {_FACT} WHERE tracking_code = ANY(%(codes)s) "
                f"UNION SELECT tracking_code FROM {r}.{_COMPLAINT} WHERE tracking_code = ANY(%(codes)s) "
                f"UNION SELECT tracking_code FROM {a}.{_COMPLAINT} WHERE tracking_code = ANY(%(codes)s) "
                f"UNION SELECT unnest(former_codes) FROM {r}.{_COMPLAINT} WHERE former_codes && %(codes)s::varchar[] "
                f"UNION SELECT unnest(former_codes) FROM {a}.{_COMPLAINT} WHERE former_codes && %(codes)s::varchar[]",
                {"codes": sorted(fresh)})
            issued += sorted(fresh - {row[0] for row in cursor.fetchall()})
        cursor.execute("UPDATE merge_recode m SET new_code = v.code FROM unnest(%s::bigint[], %s::text[]) v(id, code) "
                       "WHERE m.old_id = v.id", [ids, issued])
    return len(ids)


def _insert_select(source: str, target: str, table: str, overrides: dict[str, str], tail: str) -> int:
    """INSERT every column of `table` from the absorbed schema into the receiving one; `overrides`
    give a column's expression over alias `t` (the absorbed row) and the joined maps."""
    columns = table_columns(target.strip('"'), table)
    exprs = [overrides.get(c, f"t.{_q(c)}") for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {target}.{table} ({', '.join(_q(c) for c in columns)}) "
                       f"SELECT {', '.join(exprs)} FROM {source}.{table} t {tail}")
        return int(cursor.rowcount)


def _map(name: str, source: str, target: str, table: str) -> None:
    """A temporary old id → new id map of the absorbed table's rows, the new ids drawn from the
    receiving table's sequence (so the receiving body's next rows never meet a moved one)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} (old_id bigint PRIMARY KEY, new_id bigint NOT NULL) "
                       "ON COMMIT DROP")
        sequence = f"{target}.{table}".replace('"', "")
        cursor.execute(f"INSERT INTO {name} SELECT s.id, nextval(pg_get_serial_sequence(%s, 'id')) "
                       f"FROM (SELECT id FROM {source}.{table} ORDER BY id) s", [sequence])


def cases_move(absorbed: LocalBody, into: LocalBody) -> Counts:
    a, r = _q(absorbed.schema_name), _q(into.schema_name)
    moved: Counts = {}
    with connection.cursor() as cursor:
        # Departments by code, categories by national category: the receiving body's own, else a copy.
        cursor.execute(f"INSERT INTO {r}.{_DEPARTMENT} (code, name_th, name_en, is_active, position) "
                       f"SELECT d.code, d.name_th, d.name_en, d.is_active, d.position FROM {a}.{_DEPARTMENT} d "
                       f"WHERE NOT EXISTS (SELECT 1 FROM {r}.{_DEPARTMENT} x WHERE x.code = d.code)")
        moved["departments_added"] = int(cursor.rowcount)
        cursor.execute("DROP TABLE IF EXISTS merge_department")
        cursor.execute(f"CREATE TEMPORARY TABLE merge_department ON COMMIT DROP AS SELECT d.id AS old_id, "
                       f"(SELECT min(x.id) FROM {r}.{_DEPARTMENT} x WHERE x.code = d.code) AS new_id "
                       f"FROM {a}.{_DEPARTMENT} d")
        cursor.execute(
            f"INSERT INTO {r}.{_CATEGORY} (national_category_id, name_th, name_en, department_id, is_active, position) "
            f"SELECT DISTINCT ON (c.national_category_id) c.national_category_id, c.name_th, c.name_en, "
            f"(SELECT new_id FROM merge_department WHERE old_id = c.department_id), c.is_active, c.position "
            f"FROM {a}.{_CATEGORY} c WHERE NOT EXISTS "
            f"(SELECT 1 FROM {r}.{_CATEGORY} x WHERE x.national_category_id = c.national_category_id) "
            f"ORDER BY c.national_category_id, c.id")
        moved["categories_added"] = int(cursor.rowcount)
        cursor.execute("DROP TABLE IF EXISTS merge_category")
        cursor.execute(f"CREATE TEMPORARY TABLE merge_category ON COMMIT DROP AS SELECT c.id AS old_id, "
                       f"(SELECT x.id FROM {r}.{_CATEGORY} x WHERE x.national_category_id = c.national_category_id "
                       f"ORDER BY x.is_active DESC, x.position, x.id LIMIT 1) AS new_id FROM {a}.{_CATEGORY} c")

    moved["codes_reissued"] = _codes_issue(absorbed, into)
    _map("merge_complaint", a, r, _COMPLAINT)
    _map("merge_event", a, r, _EVENT)
    _map("merge_attachment", a, r, _ATTACHMENT)
    _map("merge_identity", a, r, _IDENTITY)
    _map("merge_notification", a, r, _NOTIFICATION)
    user_name = (f"(SELECT coalesce(nullif(u.full_name, ''), u.username) FROM {a}.{_USER} u "
                 "WHERE u.id = t.{column})")

    moved["cases"] = _insert_select(a, r, _COMPLAINT, {
        "id": "m.new_id",
        "tracking_code": "coalesce(rc.new_code, t.tracking_code)",
        "former_codes": ("CASE WHEN rc.old_id IS NULL THEN t.former_codes "
                         "ELSE array_append(t.former_codes, t.tracking_code) END"),
        "category_id": "(SELECT new_id FROM merge_category WHERE old_id = t.category_id)",
        "department_id": "(SELECT new_id FROM merge_department WHERE old_id = t.department_id)",
        "assignee_id": "NULL",
        "merged_into_id": "(SELECT new_id FROM merge_complaint WHERE old_id = t.merged_into_id)",
        "transferred_to_body_id": f"nullif(t.transferred_to_body_id, {int(into.pk)})",
        "idempotency_key": (f"CASE WHEN EXISTS (SELECT 1 FROM {r}.{_COMPLAINT} x WHERE t.idempotency_key <> '' "
                            "AND x.idempotency_key = t.idempotency_key) THEN '' ELSE t.idempotency_key END"),
        "public_id": (f"CASE WHEN EXISTS (SELECT 1 FROM {r}.{_COMPLAINT} x WHERE x.public_id = t.public_id) "
                      "THEN substr(md5(random()::text || clock_timestamp()::text || t.id::text), 1, 16) "
                      "ELSE t.public_id END"),
        # A transfer between the two bodies copied the receipt's LINE link code: the receiving case keeps it.
        "line_link_hash": (f"CASE WHEN EXISTS (SELECT 1 FROM {r}.{_COMPLAINT} x WHERE t.line_link_hash <> '' "
                           "AND x.line_link_hash = t.line_link_hash) THEN '' ELSE t.line_link_hash END"),
    }, "JOIN merge_complaint m ON m.old_id = t.id LEFT JOIN merge_recode rc ON rc.old_id = t.id")
    moved["events"] = _insert_select(a, r, _EVENT, {
        "id": "m.new_id",
        "complaint_id": "(SELECT new_id FROM merge_complaint WHERE old_id = t.complaint_id)",
        "actor_id": "NULL",
        "actor_label": f"left(coalesce(nullif(t.actor_label, ''), {user_name.format(column='actor_id')}, ''), 120)",
    }, "JOIN merge_event m ON m.old_id = t.id")
    moved["attachments"] = _insert_select(a, r, _ATTACHMENT, {
        "id": "m.new_id",
        "complaint_id": "(SELECT new_id FROM merge_complaint WHERE old_id = t.complaint_id)",
        "event_id": "(SELECT new_id FROM merge_event WHERE old_id = t.event_id)",
        "uploaded_by_id": "NULL",
    }, "JOIN merge_attachment m ON m.old_id = t.id")
    moved["identity_views"] = _insert_select(a, r, _IDENTITY, {
        "id": "m.new_id",
        "complaint_id": "(SELECT new_id FROM merge_complaint WHERE old_id = t.complaint_id)",
        "user_id": "NULL",
        "actor_label": f"left(coalesce(nullif(t.actor_label, ''), {user_name.format(column='user_id')}, ''), 120)",
    }, "JOIN merge_identity m ON m.old_id = t.id")
    moved["notifications"] = _insert_select(a, r, _NOTIFICATION, {
        "id": "m.new_id",
        "complaint_id": "(SELECT new_id FROM merge_complaint WHERE old_id = t.complaint_id)",
    }, "JOIN merge_notification m ON m.old_id = t.id")
    # The citizens following a moved case's public report follow it in the receiving body.
    _insert_select(a, r, _FOLLOWER, {
        "complaint_id": "(SELECT new_id FROM merge_complaint WHERE old_id = t.complaint_id)"}, "")

    with connection.cursor() as cursor:
        # Cases elsewhere that came from, or went to, the absorbed body (found through the facts).
        cursor.execute(f"SELECT DISTINCT b.schema_name FROM {_FACT} f JOIN tenants_localbody b ON b.id = f.body_id "
                       f"WHERE f.body_id <> %s AND (f.transferred_to_body_id = %s OR f.transferred_from_id IN "
                       f"(SELECT id FROM {_FACT} WHERE body_id = %s))", [absorbed.pk, absorbed.pk, absorbed.pk])
        schemas = [row[0] for row in cursor.fetchall()]
        for schema in schemas:
            s = _q(schema)
            cursor.execute(f"UPDATE {s}.{_COMPLAINT} c SET transfer_origin_body_id = %s, "
                           f"transfer_origin_complaint_id = m.new_id FROM merge_complaint m "
                           f"WHERE c.transfer_origin_body_id = %s AND c.transfer_origin_complaint_id = m.old_id",
                           [into.pk, absorbed.pk])
            cursor.execute(f"UPDATE {s}.{_COMPLAINT} SET transferred_to_body_id = %s WHERE transferred_to_body_id = %s",
                           [into.pk, absorbed.pk])
        cursor.execute(f"UPDATE {r}.{_COMPLAINT} c SET transfer_origin_body_id = %s, "
                       f"transfer_origin_complaint_id = m.new_id FROM merge_complaint m "
                       f"WHERE c.transfer_origin_body_id = %s AND c.transfer_origin_complaint_id = m.old_id",
                       [into.pk, absorbed.pk])
        cursor.execute(f"UPDATE {r}.{_COMPLAINT} SET transferred_to_body_id = NULL WHERE transferred_to_body_id = %s",
                       [into.pk])

        # The same rows, now the receiving body's; the Open311 id the case had is kept on its fact.
        cursor.execute(f"UPDATE {_FACT} f SET body_id = %s, complaint_id = m.new_id, province_code = %s, "
                       f"district_code = %s, updated_at = now(), "
                       f"tracking_code = coalesce((SELECT new_code FROM merge_recode WHERE old_id = m.old_id), "
                       f"f.tracking_code), former_ids = array_append(f.former_ids, (%s || '-' || m.old_id)::varchar) "
                       f"FROM merge_complaint m WHERE f.body_id = %s AND f.complaint_id = m.old_id",
                       [into.pk, into.province_id or "", into.district_id or "", absorbed.dla_code, absorbed.pk])
        moved["facts"] = int(cursor.rowcount)
        cursor.execute(f"UPDATE {_FACT} SET transferred_to_body_id = %s WHERE transferred_to_body_id = %s",
                       [into.pk, absorbed.pk])
        cursor.execute(f"UPDATE {_CLOCK} s SET body_id = %s, complaint_id = m.new_id FROM merge_complaint m "
                       f"WHERE s.body_id = %s AND s.complaint_id = m.old_id", [into.pk, absorbed.pk])
        moved["stage_clocks"] = int(cursor.rowcount)
        cursor.execute(f"UPDATE {_OUTBOX} o SET body_id = %s, notification_id = m.new_id FROM merge_notification m "
                       f"WHERE o.body_id = %s AND o.notification_id = m.old_id", [into.pk, absorbed.pk])

        # Moved, not copied: the absorbed schema keeps its staff and settings, no case.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in (_FOLLOWER, _NOTIFICATION, _IDENTITY, _ATTACHMENT, _EVENT):
            cursor.execute(f"DELETE FROM {a}.{table}")
        cursor.execute(f"UPDATE {a}.{_COMPLAINT} SET merged_into_id = NULL")
        cursor.execute(f"DELETE FROM {a}.{_COMPLAINT}")
    _recoded_tell(absorbed, into)
    return moved


def _recoded_tell(absorbed: LocalBody, into: LocalBody) -> None:
    """Each re-coded case: a line on its public timeline and a message to its citizen (the one
    outbox, in the citizen's language) with the new code; the old one keeps finding it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT m.new_id, rc.old_code FROM merge_recode rc "
                       "JOIN merge_complaint m ON m.old_id = rc.old_id")
        recoded = dict(cursor.fetchall())
    if not recoded:
        return
    now = timezone.now()
    with schema_context(into.schema_name):
        cases = list(Complaint.objects.filter(pk__in=list(recoded)).order_by("pk"))
        ComplaintEvent.objects.bulk_create([ComplaintEvent(
            complaint=case, kind=EventKind.NOTIFICATION, actor_label=str(SYSTEM), is_public=True, created_at=now,
            data={"former_code": recoded[case.pk], "merged_from": absorbed.dla_code},
            text=citizen_text(case, _("%(absorbed)s รวมเข้ากับ%(into)s เลขติดตามเรื่องเปลี่ยนจาก %(old)s เป็น %(code)s "
                                      "(เลขเดิมยังใช้ติดตามได้)"),
                              absorbed=absorbed.display_name, into=into.display_name, old=recoded[case.pk],
                              code=case.tracking_code)) for case in cases])
        for case in cases:
            notifications.queue(case, "recoded", text=recoded[case.pk], body=into)


def cases_conflicts(absorbed: LocalBody, into: LocalBody) -> list[str]:
    """None: a code both bodies use is issued anew for the absorbed body's case (_codes_issue)."""
    return []


def register() -> None:
    merge_step_register(MergeStep(name="cases", count=cases_count, conflicts=cases_conflicts, apply=cases_move))
