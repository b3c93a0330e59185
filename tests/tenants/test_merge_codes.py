"""A merge of two bodies that share tracking codes (cases transferred between them): the absorbed
body's colliding cases get a newly issued code, their old code still finds them, their citizens are
told the new code in their own language, and every row of every case arrives."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint, EventKind, Notification
from apps.complaints.selectors import complaint_lookup_for_citizen
from apps.complaints.services.transfer import complaint_transfer, complaint_transfer_accept
from apps.complaints.validation import Complainant
from apps.reporting.models import ComplaintFact
from apps.sla.models import StageClock
from tenants.lifecycle import body_merge
from tenants.models import LocalBody
from tests.apps.complaints.helpers import SOMCHAI, file_complaint
from tests.conftest import staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hosts_forgotten")]

JANE = Complainant(name="Jane Doe", phone="0898765432", email="jane@example.com", national_id="", address="")
# Columns that say where a row lives, not what it holds: compared through the maps instead.
_PLACE = {"id", "complaint_id", "category_id", "department_id", "assignee_id", "merged_into_id", "event_id",
          "actor_id", "user_id", "uploaded_by_id", "transferred_to_body_id", "transfer_origin_body_id",
          "transfer_origin_complaint_id", "tracking_code", "former_codes", "actor_label"}


def _transfer(case: Complaint, *, sender: LocalBody, receiver: LocalBody) -> Complaint:
    with schema_context(sender.schema_name):
        complaint_transfer(complaint=case, actor=staff(sender, "clerk"), reason="อยู่ในเขตของอีกหน่วยงาน",
                           to_body=receiver)
    with schema_context(receiver.schema_name):
        offer = Complaint.objects.get(tracking_code=case.tracking_code)
        return complaint_transfer_accept(complaint=offer, actor=staff(receiver, "clerk"))


def _rows(schema: str, table: str, by: dict[int, str]) -> dict[str, list[dict[str, Any]]]:
    """The rows of a case table (or of the case itself), keyed by the case's original code."""
    key = "id" if table == "complaints_complaint" else "complaint_id"
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT row_to_json(t)::text FROM "{schema}".{table} t')  # noqa: S608
        rows = [json.loads(r[0]) for r in cursor.fetchall()]
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row[key] not in by:
            continue  # the receiving body's own
        found.setdefault(by[row[key]], []).append({k: v for k, v in row.items() if k not in _PLACE})
    return {code: sorted(items, key=lambda r: json.dumps(r, sort_keys=True)) for code, items in found.items()}


def _original_codes(schema: str) -> dict[int, str]:
    """Case id → the code the case was first filed under (its first former code, else its own)."""
    with schema_context(schema):
        return {pk: (former[0] if former else code)
                for pk, code, former in Complaint.objects.values_list("pk", "tracking_code", "former_codes")}


def test_cases_sharing_a_code_get_a_new_one_and_the_old_code_still_finds_them(
        banlat: LocalBody, thasen: LocalBody, media: Path) -> None:
    absorbed, into = thasen, banlat
    with schema_context(absorbed.schema_name):
        sent = file_complaint(complainant=SOMCHAI).complaint  # thasen → banlat: both hold its code
        kept = file_complaint("waste", complainant=SOMCHAI).complaint  # thasen's alone
    with schema_context(into.schema_name):
        english = file_complaint(complainant=JANE, language="en").complaint  # banlat → thasen
        filed = file_complaint(complainant=None)  # anonymous, a PIN; banlat → thasen
        anonymous, pin = filed.complaint, filed.second_factor
        file_complaint("waste")  # the receiving body's own case
    _transfer(sent, sender=absorbed, receiver=into)
    _transfer(english, sender=into, receiver=absorbed)
    _transfer(anonymous, sender=into, receiver=absorbed)
    shared = {sent.tracking_code, english.tracking_code, anonymous.tracking_code}

    tables = ["complaints_complaint", "complaints_complaintevent", "complaints_attachment",
              "complaints_identityaccess", "complaints_notification"]
    before_ids = _original_codes(absorbed.schema_name)
    before = {table: _rows(absorbed.schema_name, table, before_ids) for table in tables}
    facts_before = {f.tracking_code: f.pk for f in ComplaintFact.objects.filter(body=absorbed)}
    clocks_before = sorted(StageClock.objects.filter(body=absorbed).values_list("pk", "fact_id", "stage", "due_at"))
    with schema_context(into.schema_name):
        into_before = sorted(Complaint.objects.values_list("pk", "tracking_code", "status"))

    # The receipt's LINE link code was copied with each transfer: the receiving body's case keeps it.
    with schema_context(into.schema_name):
        links = set(Complaint.objects.exclude(line_link_hash="").values_list("line_link_hash", flat=True))
    cleared = [code for code, (row,) in before["complaints_complaint"].items() if row["line_link_hash"] in links]
    assert len(cleared) == 2 and set(cleared) <= shared  # the anonymous case had none
    for code in cleared:
        before["complaints_complaint"][code][0]["line_link_hash"] = ""

    dry = io.StringIO()
    call_command("bodies", "merge", absorbed.dla_code, into.dla_code, "--dry-run", stdout=dry)
    assert "  codes_reissued: 3" in dry.getvalue().splitlines()

    report = body_merge(absorbed=absorbed, into=into, actor_label="cli:test")
    assert (report.counts["cases"], report.counts["codes_reissued"]) == (4, 3)

    with schema_context(into.schema_name):
        # The receiving body's own cases are untouched, codes and all.
        assert sorted(Complaint.objects.filter(pk__in=[pk for pk, _c, _s in into_before])
                      .values_list("pk", "tracking_code", "status")) == into_before
        moved = {c.former_codes[0] if c.former_codes else c.tracking_code: c
                 for c in Complaint.objects.exclude(pk__in=[pk for pk, _c, _s in into_before])}
        assert sorted(moved) == sorted([*shared, kept.tracking_code])
        assert moved[kept.tracking_code].former_codes == []
        for code in shared:
            case = moved[code]
            assert case.former_codes == [code] and case.tracking_code not in shared
            assert ComplaintFact.objects.get(pk=facts_before[code]).tracking_code == case.tracking_code
        assert len({c.tracking_code for c in moved.values()}) == 4

        # Nothing lost: every row of every case, column by column, but where it lives.
        after_ids = {c.pk: code for code, c in moved.items()}
        for table in tables:
            after = _rows(into.schema_name, table, after_ids)
            if table == "complaints_complaintevent":
                told = {code: [e for e in rows if e["data"].get("former_code")] for code, rows in after.items()}
                after = {code: [e for e in rows if not e["data"].get("former_code")] for code, rows in after.items()}
                assert {code: len(rows) for code, rows in told.items() if rows} == dict.fromkeys(shared, 1)
            if table == "complaints_notification":  # less the messages that tell the new code
                after = {code: [n for n in rows if "เลขติดตามเรื่องใหม่" not in n["body"]
                                and "new tracking code" not in n["body"]] for code, rows in after.items()}
            assert {c: r for c, r in after.items() if r} == before[table], table
        assert set(ComplaintFact.objects.filter(body=into, pk__in=facts_before.values())
                   .values_list("tracking_code", flat=True)) == {c.tracking_code for c in moved.values()}
        assert sorted(StageClock.objects.filter(pk__in=[c[0] for c in clocks_before])
                      .values_list("pk", "fact_id", "stage", "due_at")) == clocks_before
        assert StageClock.objects.filter(pk__in=[c[0] for c in clocks_before], body=into).count() == len(clocks_before)

        # The receiving body files on (its sequences are past every moved row).
        assert file_complaint().complaint.pk > max(c.pk for c in moved.values())

        # The old code finds the moved case; the receiving body's own case with it is found first by its citizen.
        found = complaint_lookup_for_citizen(code=english.tracking_code, second_factor="5432")
        assert found is not None and found.pk == moved[english.tracking_code].pk  # going on here, not the sent one
        pinned = complaint_lookup_for_citizen(code=anonymous.tracking_code, second_factor=pin)
        assert pinned is not None and pinned.pk == moved[anonymous.tracking_code].pk
        moved_sent = complaint_lookup_for_citizen(code=sent.tracking_code, second_factor="5678")
        assert moved_sent is not None and moved_sent.pk == Complaint.objects.get(
            tracking_code=sent.tracking_code).pk  # the case going on (banlat's) before the one it was sent from

        # Told once, in the citizen's language, with the new code; the anonymous citizen has no address.
        notes = {(n.complaint_id, n.channel): n for n in Notification.objects.filter(
            body__contains="เลขติดตามเรื่องใหม่") | Notification.objects.filter(body__contains="new tracking code")}
        new_english, new_sent = moved[english.tracking_code], moved[sent.tracking_code]
        assert sorted(notes) == sorted([(new_english.pk, "email"), (new_english.pk, "sms"),
                                        (new_sent.pk, "email"), (new_sent.pk, "sms")])
        assert notes[(new_english.pk, "sms")].body == (
            f"Your complaint {english.tracking_code} is now handled by เทศบาลตำบลบ้านลาด after a "
            f"merger of local bodies. Its new tracking code is {new_english.tracking_code} (the old code still works).")
        assert notes[(new_sent.pk, "email")].body == (
            f"เรื่อง {sent.tracking_code} ของท่านอยู่ในความรับผิดชอบของเทศบาลตำบลบ้านลาดแล้วเนื่องจากการรวมหน่วยงาน "
            f"เลขติดตามเรื่องใหม่คือ {new_sent.tracking_code} (เลขเดิมยังใช้ติดตามได้)")
        line = moved[anonymous.tracking_code].events.get(data__former_code=anonymous.tracking_code)
        assert (line.kind, line.is_public, line.text) == (
            EventKind.NOTIFICATION, True,
            f"องค์การบริหารส่วนตำบลท่าเสน รวมเข้ากับเทศบาลตำบลบ้านลาด เลขติดตามเรื่องเปลี่ยนจาก "
            f"{anonymous.tracking_code} เป็น {moved[anonymous.tracking_code].tracking_code} (เลขเดิมยังใช้ติดตามได้)")


def test_a_citizen_tracks_a_recoded_case_by_the_old_code_through_the_absorbed_host(
        banlat: LocalBody, thasen: LocalBody, media: Path) -> None:
    absorbed, into = thasen, banlat
    with schema_context(into.schema_name):
        case = file_complaint(complainant=None)
    _transfer(case.complaint, sender=into, receiver=absorbed)
    old = case.complaint.tracking_code
    body_merge(absorbed=absorbed, into=into, actor_label="cli:test")
    with schema_context(into.schema_name):
        moved = Complaint.objects.get(former_codes__contains=[old])

    citizen = Client()
    link = citizen.get(f"/track/?code={old}", HTTP_HOST=f"{absorbed.slug}.localhost")  # the receipt's link
    assert link.status_code == 301 and link["Location"] == f"http://{into.slug}.localhost/track/?code={old}"
    host = f"{into.slug}.localhost"
    form = citizen.get(link["Location"].removeprefix(f"http://{host}"), HTTP_HOST=host)
    assert f'value="{old}"' in form.content.decode()
    answer = citizen.post("/track/", {"code": old, "second_factor": case.second_factor},
                          HTTP_HOST=f"{into.slug}.localhost")
    assert answer.status_code == 302 and answer["Location"] == "/track/case/"
    page = citizen.get("/track/case/", HTTP_HOST=f"{into.slug}.localhost").content.decode()
    assert moved.tracking_code in page
    assert f"เลขติดตามเรื่องเปลี่ยนจาก {old} เป็น {moved.tracking_code}" in page
