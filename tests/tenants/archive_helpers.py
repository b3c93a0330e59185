"""A body with cases, photos, clocks and public rows, its every row read out, and its removal."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Attachment, Complaint, StaffMember
from apps.complaints.services.workflow import complaint_acknowledge, complaint_reply
from apps.portal.models import BodyProfile
from apps.sla.models import BodyClosure
from tenants.archive_format import public_graph, schema_tables
from tenants.archive_format import quote as _q
from tenants.models import LocalBody
from tests.apps.complaints.helpers import file_complaint
from tests.apps.portal.helpers import jpeg


def body_fill(body: LocalBody) -> list[str]:
    """Three cases (two with photos, one acknowledged and answered), a closure and a profile."""
    BodyClosure.objects.create(body=body, date=dt.date(2026, 12, 7), reason="งานประจำปีของตำบล")
    BodyProfile.objects.update_or_create(body=body, defaults={"phone": "032-444-555", "office_hours": "08:30–16:30"})
    with schema_context(body.schema_name):
        clerk = User.objects.create_user("archive-clerk", "x" * 12, full_name="เสมียน ทดสอบ")
        StaffMember.objects.create(user=clerk, role="clerk")
        first = file_complaint(uploads=[jpeg("pole.jpg"), jpeg("lamp.jpg", size=(80, 60))]).complaint
        second = file_complaint("waste", uploads=[jpeg("bin.jpg")]).complaint
        third = file_complaint(complainant=None).complaint
        complaint_acknowledge(complaint=first, actor=clerk)
        complaint_reply(complaint=Complaint.objects.get(pk=first.pk), actor=clerk, text="ส่งช่างไปตรวจแล้ว")
        assert Attachment.objects.count() == 3
        return [first.tracking_code, second.tracking_code, third.tracking_code]


def schema_rows(schema: str) -> dict[str, list[str]]:
    """Every row of every table of the schema, as text, in a stable order."""
    found = {}
    with connection.cursor() as cursor:
        for table in schema_tables(schema):
            cursor.execute(f"SELECT row_to_json(t)::text AS r FROM {_q(schema)}.{_q(table)} t ORDER BY 1")  # noqa: S608
            found[table] = [row[0] for row in cursor.fetchall()]
    return found


def public_rows(body: LocalBody) -> dict[str, list[str]]:
    """The body's public rows with their own ids left out and every reference replaced by what it
    points at (a body by its code, a row of the body by its content), so two copies compare equal."""
    graph = public_graph()
    raw: dict[str, dict[int, dict[str, Any]]] = {}
    with connection.cursor() as cursor:
        for table in graph.tables():
            cursor.execute(f"SELECT row_to_json(t)::text FROM public.{_q(table)} t WHERE {graph.where(table)}",  # noqa: S608
                           [body.pk])
            rows = [json.loads(r[0]) for r in cursor.fetchall()]
            raw[table] = {row.get("id", index): row for index, row in enumerate(rows)}
    codes = dict(LocalBody.objects.values_list("pk", "dla_code"))

    def normal(table: str, row: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in row.items() if k != "id"}
        for key in graph.keys_of(table):
            value = out.get(key.column)
            if value is None:
                continue
            if key.target == LocalBody._meta.db_table:
                out[key.column] = codes[value]
            elif key.target in raw and value in raw[key.target] and key.target != table:
                out[key.column] = normal(key.target, raw[key.target][value])
            elif key.target == table and value in raw[table]:
                out[key.column] = raw[table][value].get("tracking_code", "self")
            else:
                out[key.column] = "outside"
        return out

    return {table: sorted(json.dumps(normal(table, row), sort_keys=True, ensure_ascii=False)
                          for row in rows.values()) for table, rows in raw.items()}


def body_files(body: LocalBody) -> dict[str, bytes]:
    """Every file the body's attachments name: each photo and its thumbnail."""
    with schema_context(body.schema_name):
        names = [name for pair in Attachment.objects.values_list("file", "thumbnail") for name in pair if name]
    return {name: default_storage.open(name, "rb").read() for name in names}


def body_drop(body: LocalBody) -> None:
    """What another deployment looks like: no body row, no domains, no schema, no public rows, no files."""
    names = list(body_files(body))
    graph = public_graph()
    with connection.cursor() as cursor:
        for table in reversed(graph.tables()):
            cursor.execute(f"DELETE FROM public.{_q(table)} t WHERE {graph.where(table)}", [body.pk])  # noqa: S608
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the schema's pending checks fire before it goes
        cursor.execute(f"DROP SCHEMA {_q(body.schema_name)} CASCADE")
        cursor.execute("DELETE FROM public.api_apikey WHERE body_id = %s", [body.pk])
        cursor.execute("DELETE FROM public.tenants_domain WHERE tenant_id = %s", [body.pk])
        cursor.execute("DELETE FROM public.tenants_servicearea WHERE body_id = %s", [body.pk])
        cursor.execute("DELETE FROM public.tenants_localbody WHERE id = %s", [body.pk])
    for name in names:
        default_storage.delete(name)
