"""`rongthuk bodies export` and `restore`: a body's cases, timelines, photos, clocks, facts and the
rest of its public rows survive an export, the loss of the body, and a restore, row for row; a
damaged archive is refused and changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from apps.complaints.models import Attachment, Complaint
from apps.reporting.models import ComplaintFact
from apps.sla.models import StageClock
from tenants.archive_format import ArchiveError
from tenants.lifecycle import body_export, body_restore
from tenants.models import BodyStatus, Domain, LocalBody
from tenants.service_areas import AreaEntry, bodies_serving, service_area_manifest, service_area_set
from tests.tenants.archive_helpers import body_drop, body_files, body_fill, public_rows, schema_rows

SOURCE = "6760406"  # อบต.สามพระยา, อำเภอชะอำ
OTHER = "6760404"  # อบต.หนองศาลา, อำเภอชะอำ: no case


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def source(db: None, media: Path) -> LocalBody:
    body = LocalBody.objects.get(dla_code=SOURCE)
    body_fill(body)
    return body


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def test_a_body_exported_dropped_and_restored_has_every_row_and_file_back(source: LocalBody, tmp_path: Path) -> None:
    # The admin's own service area (not the registry's guess) travels in the manifest.
    service_area_set(body=source, entries=[AreaEntry("760408", (1, 2, 3)), AreaEntry("760405", (7,))])
    area = service_area_manifest(source)
    assert area == [{"subdistrict": "760405", "moo": [7], "source": "body"},
                    {"subdistrict": "760408", "moo": [1, 2, 3], "source": "body"}]
    rows, public, files = schema_rows(source.schema_name), public_rows(source), body_files(source)
    assert len(rows["complaints_complaint"]) == 3 and len(rows["complaints_attachment"]) == 3
    assert len(public["reporting_complaintfact"]) == 3 and len(public["sla_stageclock"]) == 16
    assert len(public["sla_bodyclosure"]) == 1 and len(public["portal_bodyprofile"]) == 1
    domains = sorted(Domain.objects.filter(tenant=source).values_list("domain", "is_primary"))
    archive = tmp_path / "samphraya.tar"

    exported = body_export(body=source, path=archive, actor_label="cli:test")
    assert exported.files == 6 and exported.missing_files == []  # three photos, each with its thumbnail
    assert exported.schema_rows == sum(len(v) for v in rows.values())
    assert exported.public_rows == sum(len(v) for v in public.values())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[:2] == ["manifest.json", "manifest.sha256"]
    assert "schema/complaints_complaint.tsv.gz" in names and "public/reporting_complaintfact.jsonl.gz" in names
    assert sum(n.startswith("media/bodies/b6760406/complaints/") for n in names) == 6

    body_drop(source)
    assert not LocalBody.objects.filter(dla_code=SOURCE).exists() and not _schema_exists("b6760406")

    out = io.StringIO()
    call_command("bodies", "restore", str(archive), stdout=out)
    restored = LocalBody.objects.get(dla_code=SOURCE)
    assert out.getvalue().startswith("restored 6760406 องค์การบริหารส่วนตำบลสามพระยา (b6760406): ")
    assert (restored.schema_name, restored.slug, restored.status) == ("b6760406", source.slug, BodyStatus.ACTIVE)
    assert sorted(Domain.objects.filter(tenant=restored).values_list("domain", "is_primary")) == domains
    assert service_area_manifest(restored) == area
    assert [b.dla_code for b in bodies_serving(subdistrict_code="760408", moo=2)] == [SOURCE]
    after = schema_rows(restored.schema_name)
    log = after.pop("audit_auditentry")
    assert after == {k: v for k, v in rows.items() if k != "audit_auditentry"}
    assert log[:-1] == rows["audit_auditentry"] and '"kind":"body.restore"' in log[-1]
    assert public_rows(restored) == public
    assert body_files(restored) == files
    with schema_context(restored.schema_name):
        # The schema works on: its sequences continue after the restored rows.
        complaint = Complaint.objects.order_by("-pk").first()
        assert complaint is not None
        assert Attachment.objects.filter(complaint=complaint).count() == 0
    assert AuditEntry.objects.filter(kind="body.export", target_id=str(source.pk), actor_label="cli:test").exists()


def test_a_restore_as_another_empty_body_moves_the_files_under_its_name(source: LocalBody, tmp_path: Path) -> None:
    rows, files = schema_rows(source.schema_name), body_files(source)
    codes = list(ComplaintFact.objects.filter(body=source).order_by("tracking_code").values_list("tracking_code",
                                                                                                flat=True))
    archive = tmp_path / "a.tar"
    body_export(body=source, path=archive)
    body_drop(source)
    other = LocalBody.objects.get(dla_code=OTHER)

    own_area = service_area_manifest(other)
    report = body_restore(path=archive, code=OTHER)
    assert report.body.pk == other.pk and report.files == 6
    assert service_area_manifest(other) == own_area == [{"subdistrict": "760405", "moo": [], "source": "registry"}]
    assert sorted(ComplaintFact.objects.filter(body=other).values_list("tracking_code", flat=True)) == codes
    assert StageClock.objects.filter(body=other).count() == StageClock.objects.filter(fact__body=other).count() > 0
    moved = schema_rows(other.schema_name)
    assert moved["complaints_complaint"] == rows["complaints_complaint"]
    assert moved["complaints_attachment"] == [r.replace("bodies/b6760406/", "bodies/b6760404/")
                                              for r in rows["complaints_attachment"]]
    assert sorted(body_files(other).values()) == sorted(files.values())
    assert all(name.startswith("bodies/b6760404/") for name in body_files(other))


def test_a_damaged_archive_is_refused_and_changes_nothing(source: LocalBody, tmp_path: Path, media: Path) -> None:
    archive = tmp_path / "a.tar"
    body_export(body=source, path=archive)
    body_drop(source)
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        photo = next(m for m in tar.getmembers() if m.name.startswith("media/"))
    data[photo.offset_data + 100] ^= 0xFF  # one byte of one photo
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    bodies = LocalBody.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("bodies", "restore", str(damaged))
    assert str(refused.value) == (f"ไฟล์สำรองเสียหาย: ค่าตรวจสอบของ {photo.name} ไม่ตรงกับสารบัญ ไม่ได้นำเข้าข้อมูลใด ๆ")
    assert LocalBody.objects.count() == bodies and not _schema_exists("b6760406")
    assert [p for p in media.rglob("*") if p.is_file()] == []

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(ArchiveError, match="ไม่ได้นำเข้าข้อมูลใด ๆ"):
        body_restore(path=truncated)
    assert LocalBody.objects.count() == bodies


def test_a_body_that_has_cases_is_never_restored_over(source: LocalBody, tmp_path: Path) -> None:
    archive = tmp_path / "a.tar"
    body_export(body=source, path=archive)
    before = schema_rows(source.schema_name)
    with pytest.raises(ArchiveError) as refused:
        body_restore(path=archive)
    assert str(refused.value) == ("หน่วยงาน 6760406 (องค์การบริหารส่วนตำบลสามพระยา) มีเรื่องร้องทุกข์อยู่แล้ว "
                                  "นำข้อมูลสำรองเข้าได้เฉพาะหน่วยงานใหม่หรือหน่วยงานที่ยังไม่มีเรื่อง")
    assert schema_rows(source.schema_name) == before


def test_export_of_an_unknown_code_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="^ไม่พบหน่วยงานรหัส 6999999$"):
        call_command("bodies", "export", "6999999")


def test_an_archive_made_before_service_areas_restores_with_the_registry_guess(source: LocalBody,
                                                                                tmp_path: Path) -> None:
    archive, older = tmp_path / "a.tar", tmp_path / "older.tar"
    service_area_set(body=source, entries=[AreaEntry("760408", (4,))])
    body_export(body=source, path=archive)
    with tarfile.open(archive) as tar, tarfile.open(older, "w", format=tarfile.PAX_FORMAT) as out:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        del manifest["service_area"]
        data = json.dumps(manifest).encode()
        for name, payload in (("manifest.json", data), ("manifest.sha256", hashlib.sha256(data).hexdigest().encode())):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            out.addfile(info, io.BytesIO(payload))
        for member in tar.getmembers():
            if member.name not in ("manifest.json", "manifest.sha256"):
                out.addfile(member, tar.extractfile(member))
    body_drop(source)

    restored = body_restore(path=older).body
    assert service_area_manifest(restored) == [{"subdistrict": "760408", "moo": [], "source": "registry"}]
