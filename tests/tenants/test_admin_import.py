"""The Django admin's import (django-import-export) takes the DLA CSV as published."""

import csv
import io
import re
from typing import Any

import tablib
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from rongthuk.demo import REGISTRY
from tenants import cache
from tenants.models import BodyStatus, Domain, LocalBody
from tenants.resources import LocalBodyResource
from tests.conftest import REPO
from tests.signin import verified_login

CHUMPHON = "ชุมพร"


def _published_rows(count: int) -> str:
    lines = (REPO / "tenants" / "data" / "lao.csv").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines[1:] if line.startswith(CHUMPHON + ",")][:count]
    return "\n".join([lines[0], *rows, "ชุมพร,ไม่มีอำเภอนี้,6869999,อบต.,ทดสอบ,,,,,,,"]) + "\n"


def test_admin_import_creates_and_provisions_bodies_and_reports_bad_rows(db: None) -> None:
    dataset = tablib.Dataset().load(_published_rows(3), format="csv")
    result = LocalBodyResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.totals["new"] == 3
    invalid = result.invalid_rows
    assert len(invalid) == 1
    assert "ไม่พบอำเภอ" in str(invalid[0].error_dict)
    codes = [line.split(",")[2] for line in _published_rows(3).splitlines()[1:4]]
    bodies = LocalBody.objects.filter(dla_code__in=codes)
    assert bodies.count() == 3
    assert set(bodies.values_list("status", flat=True)) == {BodyStatus.ACTIVE}
    assert Domain.objects.filter(tenant__in=bodies).count() == 6


def test_the_import_page_is_for_the_national_admin_only(db: None) -> None:
    cache.clear()
    operator = User.objects.create_superuser("operator", "x" * 16)
    officer_public = User.objects.create_user("officer_public", "x" * 16)
    client = Client()
    assert client.get("/admin/tenants/localbody/import/", HTTP_HOST="localhost").status_code == 302
    verified_login(client, officer_public)
    assert client.get("/admin/tenants/localbody/import/", HTTP_HOST="localhost").status_code == 302
    verified_login(client, operator)
    page = client.get("/admin/tenants/localbody/import/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert b"import_file" in page.content


SAMPHRAYA = "6760406"  # อบต.สามพระยา, อำเภอชะอำ


def _phetchaburi_with_samphraya_upgraded(new_code: str) -> bytes:
    text = REGISTRY.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body_rows = rows[0], [r for r in rows[1:] if r and r[0] == "เพชรบุรี"]
    code_at, type_at = header.index("รหัส อปท."), header.index("ประเภท อปท.")
    for row in body_rows:
        if row[code_at] == SAMPHRAYA:
            row[code_at], row[type_at] = new_code, "เทศบาลตำบล"
    out = io.StringIO()
    csv.writer(out).writerows([header, *body_rows])
    return out.getvalue().encode()


def _upload(client: Client, content: bytes) -> Any:
    page = client.get("/admin/tenants/localbody/import/")
    csv_format = re.search(r'<option value="(\d+)">csv</option>', page.content.decode())
    assert csv_format is not None
    upload = SimpleUploadedFile("lao.csv", content, content_type="text/csv")
    return client.post("/admin/tenants/localbody/import/", {"import_file": upload, "format": csv_format.group(1)})


def test_the_admin_import_proposes_an_upgrade_and_the_admin_confirms_it(db: None) -> None:
    cache.clear()
    client = verified_login(Client(HTTP_HOST="localhost"),
                            User.objects.create_superuser("national-import", "long-enough-password-9"))
    bodies = LocalBody.objects.count()
    preview = _upload(client, _phetchaburi_with_samphraya_upgraded("5760499"))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert [(p["proposal"].old_code, p["proposal"].new_code, p["kind_label"], p["old_name"])
            for p in preview.context["upgrade_proposals"]] == [(SAMPHRAYA, "5760499", "เทศบาลตำบล", "สามพระยา")]
    assert 'name="accept" value="5760499"' in page and "การยกฐานะที่พบในไฟล์" in page

    # Confirming the import itself makes no empty body for the new code.
    confirm = re.search(r'<form action="(/admin/tenants/localbody/process_import/)" method="POST">(.*?)</form>',
                        page, re.S)
    assert confirm is not None
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm.group(2)))
    done = client.post(confirm.group(1), fields, follow=True)
    assert done.status_code == 200
    assert "ยังไม่ได้ยืนยันการยกฐานะ 1 รายการ (ไม่ได้สร้างหน่วยงานใหม่แทน): 6760406 → 5760499" in done.content.decode()
    assert LocalBody.objects.count() == bodies and not LocalBody.objects.filter(dla_code="5760499").exists()

    token = preview.context["upgrade_token"]
    for data, message in (
        ({"proposals": token}, "กรุณาเลือกการยกฐานะที่จะยืนยันอย่างน้อยหนึ่งรายการ"),
        ({"proposals": token[:-2] + "xx", "accept": "5760499"}, "รายการยกฐานะที่เสนอไม่ถูกต้องหรือหมดอายุ"),
        ({"proposals": signing.dumps([{"old_code": SAMPHRAYA, "new_code": "4760401", "kind": "town",
                                       "name_th": "x"}]), "accept": "4760401"},
         "รายการยกฐานะที่เสนอไม่ถูกต้องหรือหมดอายุ"),
    ):
        refused = client.post("/admin/tenants/localbody/import/upgrades/", data)
        assert refused.status_code == 400 and message in refused.content.decode()
    assert LocalBody.objects.get(dla_code=SAMPHRAYA).previous_dla_code == ""

    upgraded = client.post("/admin/tenants/localbody/import/upgrades/", {"proposals": token, "accept": "5760499"},
                           follow=True)
    assert upgraded.status_code == 200
    assert "ยกฐานะแล้ว 1 หน่วยงาน: 6760406 → 5760499" in upgraded.content.decode()
    body = LocalBody.objects.get(dla_code="5760499")
    assert (body.previous_dla_code, body.kind, body.schema_name) == (SAMPHRAYA, "subdistrict_municipality", "b6760406")
    entry = AuditEntry.objects.get(kind="body.upgrade", target_id=str(body.pk))
    assert entry.actor_label == "national-import"
    assert LocalBody.objects.count() == bodies

    # The same proposal again: the old code is gone, nothing changes.
    again = client.post("/admin/tenants/localbody/import/upgrades/", {"proposals": token, "accept": "5760499"})
    assert again.status_code == 400
    assert "ไม่พบหน่วยงานรหัส 6760406 (ยกฐานะไปแล้วหรือไม่)" in again.content.decode()
    # And a later upload of the same file proposes nothing and makes nothing.
    later = _upload(client, _phetchaburi_with_samphraya_upgraded("5760499"))
    assert later.context["upgrade_proposals"] == [] and LocalBody.objects.count() == bodies
    assert client.get("/admin/tenants/localbody/import/upgrades/").status_code == 405
