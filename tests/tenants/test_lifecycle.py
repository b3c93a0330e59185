"""A body's life on the platform: renamed, upgraded with a new DLA code, archived, merged into
another; each through a service with an audit entry, citizens' links and tracking codes alive."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from apps.complaints.models import Attachment, Complaint, ComplaintEvent
from apps.reporting.models import ComplaintFact
from apps.sla.models import StageClock
from rongthuk.demo import REGISTRY
from tenants.lifecycle import BodyLifecycleError, body_merge, body_rename, body_status_change, body_upgrade
from tenants.models import BodyStatus, Domain, LocalBody
from tenants.service_areas import AreaEntry, bodies_serving, service_area_manifest, service_area_set
from tenants.services import bodies_import
from tests.apps.complaints.helpers import file_complaint
from tests.apps.portal.helpers import form_data
from tests.tenants.archive_helpers import body_fill

SAMPHRAYA = "6760406"  # อบต.สามพระยา, อำเภอชะอำ
CHAAM = "4760401"  # เทศบาลเมืองชะอำ, อำเภอชะอำ

pytestmark = pytest.mark.usefixtures("hosts_forgotten")


def _body(code: str) -> LocalBody:
    return LocalBody.objects.get(dla_code=code)


def test_a_rename_changes_the_display_name_and_keeps_the_slug(db: None) -> None:
    body = _body(SAMPHRAYA)
    renamed = body_rename(body=body, name_th="สามพระยาพัฒนา", actor_label="cli:test")
    assert (renamed.display_name, renamed.slug) == ("องค์การบริหารส่วนตำบลสามพระยาพัฒนา", body.slug)
    page = Client().get("/", HTTP_HOST=f"{body.slug}.localhost")
    assert page.status_code == 200 and "องค์การบริหารส่วนตำบลสามพระยาพัฒนา" in page.content.decode()
    entry = AuditEntry.objects.get(kind="body.rename", target_id=str(body.pk))
    assert entry.changes == {"before": {"name_th": "สามพระยา", "name_en": ""},
                             "after": {"name_th": "สามพระยาพัฒนา", "name_en": ""}}
    with schema_context(body.schema_name):
        assert AuditEntry.objects.get(kind="body.rename").actor_label == "cli:test"
    with pytest.raises(BodyLifecycleError, match="^กรุณาระบุชื่อใหม่ของหน่วยงาน$"):
        body_rename(body=body, name_th="   ")


def test_an_upgrade_gives_a_new_code_and_the_old_links_redirect(db: None) -> None:
    body = _body(SAMPHRAYA)
    with schema_context(body.schema_name):
        code = file_complaint().complaint.tracking_code
    old_slug = body.slug

    out = io.StringIO()
    call_command("bodies", "upgrade", SAMPHRAYA, "5760499", stdout=out)
    body.refresh_from_db()
    assert (body.dla_code, body.previous_dla_code, body.kind) == ("5760499", SAMPHRAYA, "subdistrict_municipality")
    assert body.display_name == "เทศบาลตำบลสามพระยา" and body.schema_name == "b6760406"
    assert out.getvalue() == (f"6760406 → 5760499: เทศบาลตำบลสามพระยา, primary domain {body.slug}.localhost; "
                              "the old code's and slug's hosts redirect there\n")
    domains = dict(Domain.objects.filter(tenant=body).values_list("domain", "redirect"))
    assert domains[f"{body.slug}.localhost"] is False and domains["5760499.localhost"] is False
    assert domains["6760406.localhost"] is True
    assert domains[f"{old_slug}.localhost"] is (old_slug != body.slug)

    moved = Client().get("/track/?lang=th", HTTP_HOST="6760406.localhost")
    assert moved.status_code == 301 and moved["Location"] == f"http://{body.slug}.localhost/track/?lang=th"
    assert Client().get("/healthz", HTTP_HOST="5760499.localhost").json()["dla_code"] == "5760499"
    with schema_context(body.schema_name):
        assert Complaint.objects.filter(tracking_code=code).exists()  # same schema, same code
    assert ComplaintFact.objects.get(tracking_code=code).body_id == body.pk
    assert AuditEntry.objects.get(kind="body.upgrade").changes["before"]["dla_code"] == SAMPHRAYA
    # The upgraded body still serves its tambon (the registry's guess, kept by the upgrade).
    assert [b.dla_code for b in bodies_serving(subdistrict_code="760408")] == ["5760499"]

    with pytest.raises(CommandError, match="^รหัส 4760401 เป็นของเทศบาลเมืองชะอำอยู่แล้ว$"):
        call_command("bodies", "upgrade", "5760499", CHAAM)


def test_the_registry_import_proposes_an_upgrade_instead_of_a_new_body(db: None, tmp_path: Path) -> None:
    text = REGISTRY.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body_rows = rows[0], [r for r in rows[1:] if r and r[0] == "เพชรบุรี"]
    code_at, type_at = header.index("รหัส อปท."), header.index("ประเภท อปท.")
    for row in body_rows:
        if row[code_at] == SAMPHRAYA:
            row[code_at], row[type_at] = "5760499", "เทศบาลตำบล"
    published = tmp_path / "lao.csv"
    with published.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body_rows])
    bodies = LocalBody.objects.count()

    report = bodies_import(published, provinces={"76"}, show_progress=False)
    assert [str(p) for p in report.upgrades] == [
        "6760406 → 5760499 (สามพระยา): rongthuk bodies upgrade 6760406 5760499 --kind subdistrict_municipality"]
    assert report.created == 0 and LocalBody.objects.count() == bodies

    body_upgrade(body=_body(SAMPHRAYA), new_code="5760499", kind="subdistrict_municipality")
    again = bodies_import(published, provinces={"76"}, show_progress=False)
    assert again.upgrades == [] and again.created == 0 and LocalBody.objects.count() == bodies
    with published.open("a", encoding="utf-8", newline="") as handle:  # an old copy of the registry
        csv.writer(handle).writerow([SAMPHRAYA if i == code_at else ("อบต." if i == type_at else v)
                                     for i, v in enumerate(next(r for r in body_rows if r[code_at] == "5760499"))])
    old_copy = bodies_import(published, provinces={"76"}, show_progress=False)
    assert old_copy.former_codes == [SAMPHRAYA] and LocalBody.objects.count() == bodies


def test_an_archived_body_can_be_read_and_tracked_but_takes_no_new_complaint(db: None) -> None:
    body = _body(SAMPHRAYA)
    body_status_change(body=body, status=BodyStatus.ARCHIVED, actor_label="cli:test")
    citizen = Client(HTTP_HOST=f"{body.slug}.localhost")
    for path in ("/", "/track/", "/stats/", "/sla/"):
        assert citizen.get(path).status_code == 200, path
    closed = citizen.get("/complaints/new/")
    assert closed.status_code == 410
    assert "องค์การบริหารส่วนตำบลสามพระยา ไม่รับเรื่องร้องทุกข์ใหม่แล้ว" in closed.content.decode()
    assert citizen.post("/complaints/new/", form_data(body)).status_code == 410
    assert citizen.get("/staff/").status_code == 410
    with schema_context(body.schema_name):
        assert Complaint.objects.count() == 0
    with pytest.raises(BodyLifecycleError, match="^เปลี่ยนสถานะองค์การบริหารส่วนตำบลสามพระยาจาก “ปิดถาวร” เป็น"):
        body_status_change(body=body, status=BodyStatus.ACTIVE)


def test_a_merge_moves_every_case_with_its_code_timeline_files_and_clocks(db: None, media: Path) -> None:
    absorbed, into = _body(SAMPHRAYA), _body(CHAAM)
    codes = body_fill(absorbed)
    with schema_context(into.schema_name):
        own = file_complaint().complaint.tracking_code
    with schema_context(absorbed.schema_name):
        events = {c.tracking_code: list(ComplaintEvent.objects.filter(complaint=c).order_by("created_at", "id")
                                        .values_list("kind", "text", "created_at"))
                  for c in Complaint.objects.all()}
        files = sorted(Attachment.objects.values_list("file", flat=True))
    clocks = StageClock.objects.filter(body=absorbed).count()

    dry = io.StringIO()
    call_command("bodies", "merge", SAMPHRAYA, CHAAM, "--dry-run", stdout=dry)
    assert dry.getvalue().splitlines()[:4] == [
        "6760406 องค์การบริหารส่วนตำบลสามพระยา → 4760401 เทศบาลเมืองชะอำ (dry run, nothing changed)",
        "  cases: 3", f"  events: {sum(len(v) for v in events.values())}", "  attachments: 3"]
    assert ComplaintFact.objects.filter(body=absorbed).count() == 3  # nothing moved

    service_area_set(body=into, entries=[AreaEntry("760401", (1, 2)), AreaEntry("760408", (5,))])
    report = body_merge(absorbed=absorbed, into=into, actor_label="cli:test")
    # The receiving body serves the absorbed one's tambon too (it served only หมู่ 5 of it).
    assert report.counts["service_area"] == 1
    assert service_area_manifest(into) == [{"subdistrict": "760401", "moo": [1, 2], "source": "body"},
                                           {"subdistrict": "760408", "moo": [], "source": "body"}]
    assert [b.dla_code for b in bodies_serving(subdistrict_code="760408", moo=9)] == [CHAAM]
    assert report.counts["cases"] == 3 and report.counts["facts"] == 3 and report.counts["stage_clocks"] == clocks
    with schema_context(into.schema_name):
        assert sorted(Complaint.objects.values_list("tracking_code", flat=True)) == sorted([*codes, own])
        for code, timeline in events.items():
            moved = Complaint.objects.get(tracking_code=code)
            assert list(ComplaintEvent.objects.filter(complaint=moved).order_by("created_at", "id")
                        .values_list("kind", "text", "created_at")) == timeline
        assert sorted(Attachment.objects.values_list("file", flat=True)) == files
        replied = ComplaintEvent.objects.get(text="ส่งช่างไปตรวจแล้ว")
        assert (replied.actor_id, replied.actor_label) == (None, "เสมียน ทดสอบ")
    with schema_context(absorbed.schema_name):
        assert Complaint.objects.count() == 0
    facts = ComplaintFact.objects.filter(tracking_code__in=codes)
    assert {(f.body_id, f.district_code) for f in facts} == {(into.pk, into.district_id)}
    assert StageClock.objects.filter(body=into, fact__in=facts).count() == clocks
    absorbed.refresh_from_db()
    assert (absorbed.status, absorbed.merged_into_id) == (BodyStatus.ARCHIVED, into.pk)
    redirected = Client().get("/track/", HTTP_HOST=f"{absorbed.slug}.localhost")
    assert redirected.status_code == 301 and redirected["Location"] == f"http://{into.slug}.localhost/track/"
    assert AuditEntry.objects.get(kind="body.merge").changes["after"]["merged_into"] == CHAAM
    with schema_context(into.schema_name):
        assert AuditEntry.objects.filter(kind="body.merge").count() == 1

    with pytest.raises(BodyLifecycleError, match="ถูกรวมเข้ากับหน่วยงานอื่นไปแล้ว$"):
        body_merge(absorbed=absorbed, into=into, dry_run=True)
