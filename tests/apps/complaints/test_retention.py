"""PDPA retention: past the body's retention period a closed case loses the complainant's identity,
contact data and own photos, and keeps everything else; the job is idempotent and runs in the real
worker; data-subject requests (access, erasure) are recorded and carried out from the admin's page."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.complaints.models import Attachment, Complaint, IdentityAccess, Notification, StaffMember
from apps.complaints.retention import retention_due, retention_sweep
from apps.complaints.services import intake, workflow
from apps.complaints.validation import Complainant
from apps.portal.models import BodyProfile
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import anonymous, category, signed_in
from tests.conftest import BANLAT, wait_for

NOW = timezone.now()


def photo(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 160, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _admin(body: LocalBody) -> User:
    admin = User.objects.filter(username="admin").first()
    if admin is None:  # a body outside the standing cast
        admin = User.objects.create_user("admin", None)
        StaffMember.objects.create(user=admin, role="admin")
    return admin


def closed_case(body: LocalBody, *, years_ago: float, phone: str = "0812345678", status: str = "closed",
                photos: bool = False, line_id: str = "") -> Complaint:
    """A case received and finished `years_ago`, as a register import records it."""
    finished = NOW - dt.timedelta(days=365.25 * years_ago)
    with schema_context(body.schema_name):
        admin = _admin(body)
        complaint = intake.complaint_submit(
            channel="walk_in", category=category("road"), description="ถนนหน้าบ้านเลขที่ 12 เป็นหลุม",
            complainant=Complainant(name="สมศรี มีสุข", phone=phone, email="somsri@example.com",
                                    national_id="3760100123455", address="12 หมู่ 3 ต.บ้านลาด", line_id=line_id),
            actor=admin, received_at=finished - dt.timedelta(days=3), notify=True,
            uploads=[photo()] if photos else []).complaint
        if photos:
            # Staff's photo of the finished work stays; the citizen's own goes.
            workflow.complaint_reply(complaint=complaint, actor=admin, text="ซ่อมเสร็จแล้ว ตามภาพ",
                                     uploads=[photo("work.jpg")])
        if status in ("closed", "resolved"):
            workflow.complaint_finish_historical(complaint=complaint, actor=admin, status=status,
                                                 resolution="ซ่อมแล้ว", finished_at=finished)
        return Complaint.objects.get(pk=complaint.pk)


def test_past_retention_identity_goes_and_the_case_and_fact_stay(banlat, settings, tmp_path,
                                                                  django_capture_on_commit_callbacks) -> None:
    settings.MEDIA_ROOT = tmp_path
    old = closed_case(banlat, years_ago=6, photos=True)
    recent = closed_case(banlat, years_ago=4, phone="0823334444")
    still_open = closed_case(banlat, years_ago=9, phone="0834445555", status="received")
    resolved = closed_case(banlat, years_ago=9, phone="0845556666", status="resolved")
    with schema_context(banlat.schema_name):
        admin = User.objects.get(username="admin")
        citizen_file = Attachment.objects.get(complaint=old, uploaded_by=admin, event__kind="created").file.name
        IdentityAccess.objects.create(complaint=old, user=admin, context="staff case page")
    assert default_storage.exists(citizen_file)
    with schema_context(banlat.schema_name):
        mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    with django_capture_on_commit_callbacks(execute=True):  # files go after commit
        report = retention_sweep(now=NOW)

    with schema_context(banlat.schema_name):
        case = Complaint.objects.get(pk=old.pk)
        assert [getattr(case, f) for f in ("complainant_name", "complainant_phone", "complainant_email",
                                           "complainant_national_id", "complainant_address",
                                           "complainant_line_id", "phone_last4", "pin_hash")] == [""] * 8
        assert case.anonymised_at == NOW
        assert (case.status, case.description, case.resolution, case.tracking_code) == (
            "closed", "ถนนหน้าบ้านเลขที่ 12 เป็นหลุม", "ซ่อมแล้ว", old.tracking_code)
        assert [a.original_name for a in Attachment.objects.filter(complaint=old)] == ["work.jpg"]
        assert set(Notification.objects.filter(complaint=old).values_list("recipient", "body")) == {("", "")}
        assert IdentityAccess.objects.filter(complaint=old).count() == 1  # who looked, kept
        for other in (recent, still_open, resolved):
            kept = Complaint.objects.get(pk=other.pk)
            assert (kept.complainant_name, kept.anonymised_at) == ("สมศรี มีสุข", None)
        (entry,) = AuditEntry.objects.filter(kind="retention.anonymise", id__gt=mark)
    assert not default_storage.exists(citizen_file)
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=old.pk)
    assert (fact.status, fact.anonymised_at, fact.closed_at) == ("closed", NOW, case.closed_at)
    assert (report.complaints, report.attachments, report.bodies) == (1, 1, {banlat.pk})
    assert (entry.actor_id, entry.actor_label) == (None, "ระบบ")
    assert entry.changes == {"retention_years": 5, "complaints": 1, "tracking_codes": [old.tracking_code],
                             "cleared": ["complainant_name", "complainant_phone", "complainant_email",
                                         "complainant_national_id", "complainant_address", "complainant_line_id",
                                         "phone_last4", "pin_hash", "line_link_hash"],
                             "attachments_removed": 1, "line_users_removed": 0, "followers_removed": 0}

    # Idempotent: a second run finds nothing and writes nothing.
    again = retention_sweep(now=NOW)
    assert (again.complaints, again.batches) == (0, 0)
    with schema_context(banlat.schema_name):
        assert AuditEntry.objects.filter(kind="retention.anonymise", id__gt=mark).count() == 1


def test_a_body_with_a_shorter_period_and_the_default_elsewhere(banlat, thasen) -> None:
    BodyProfile.objects.update_or_create(body=banlat, defaults={"retention_years": 3})
    here = closed_case(banlat, years_ago=4)
    there = closed_case(thasen, years_ago=4, phone="0856667777")
    due = retention_due(now=NOW, limit=100)
    assert due.get(banlat.pk) == [here.pk]
    assert there.pk not in due.get(thasen.pk, [])
    retention_sweep(now=NOW)
    with schema_context(thasen.schema_name):
        assert Complaint.objects.get(pk=there.pk).complainant_phone == "0856667777"


def test_finding_due_cases_is_two_queries_however_many_bodies(banlat, thasen, outside_body) -> None:
    for body in (banlat, thasen, outside_body):
        closed_case(body, years_ago=7)
    with CaptureQueriesContext(connection) as queries:
        due = retention_due(now=NOW, limit=1000)
    # The periods bodies chose (apps.portal's registration), then the due cases of every body.
    # (django-tenants may first set the search path back to public.)
    assert len([q for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]) == 2
    assert set(due) == {banlat.pk, thasen.pk, outside_body.pk}


def test_batches_cover_everything_due(banlat) -> None:
    cases = [closed_case(banlat, years_ago=6, phone=f"08{n:08d}") for n in range(5)]
    with schema_context(banlat.schema_name):
        mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    report = retention_sweep(now=NOW, batch=2)
    assert (report.complaints, report.batches) == (5, 3)
    with schema_context(banlat.schema_name):
        assert Complaint.objects.filter(pk__in=[c.pk for c in cases], anonymised_at=NOW).count() == 5
        assert AuditEntry.objects.filter(kind="retention.anonymise", id__gt=mark).count() == 3


def _request(client, **data):  # type: ignore[no-untyped-def]
    return client.post("/staff/admin/data-requests/", {"reference": "หนังสือ ที่ 5/2569", **data})


def test_access_request_exports_what_the_body_holds(banlat) -> None:
    first = closed_case(banlat, years_ago=1, phone="0867778888")
    second = closed_case(banlat, years_ago=0.1, phone="0867778888", status="received")
    closed_case(banlat, years_ago=1, phone="0800000001")
    response = _request(signed_in(banlat, "admin"), request_kind="access", identifier="phone", value="0867778888")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    export = json.loads(response.content)
    assert [c["tracking_code"] for c in export["complaints"]] == [first.tracking_code, second.tracking_code]
    assert export["complaints"][0]["identity"] == {
        "name": "สมศรี มีสุข", "phone": "0867778888", "email": "somsri@example.com",
        "national_id": "3760100123455", "address": "12 หมู่ 3 ต.บ้านลาด", "line_id": ""}
    assert export["complaints"][0]["status"] == "ปิดเรื่อง"
    with schema_context(banlat.schema_name):
        kinds = list(AuditEntry.objects.filter(kind__startswith="data_request.").order_by("id")
                     .values_list("kind", "changes"))
    assert kinds == [(kind, {"request": "access", "identifier": "phone", "reference": "หนังสือ ที่ 5/2569",
                             "tracking_codes": [first.tracking_code, second.tracking_code], "follows": 0})
                     for kind in ("data_request.create", "data_request.access")]
    assert "0867778888" not in str(kinds)  # the identifier's value is not logged


def test_erasure_is_refused_while_a_case_is_open_then_done(banlat) -> None:
    done = closed_case(banlat, years_ago=1, phone="0878889999", line_id="U" + "a" * 32)
    still_open = closed_case(banlat, years_ago=0.1, phone="0878889999", status="received")
    admin = signed_in(banlat, "admin")
    refused = _request(admin, request_kind="erasure", identifier="phone", value="0878889999")
    assert refused.status_code == 400
    text = refused.content.decode()
    assert f"ลบข้อมูลไม่ได้ เพราะเรื่องต่อไปนี้ยังดำเนินการอยู่: {still_open.tracking_code}" in text
    with schema_context(banlat.schema_name):
        assert Complaint.objects.filter(complainant_phone="0878889999").count() == 2
        assert list(AuditEntry.objects.filter(kind__startswith="data_request.").values_list("kind", flat=True)
                    .order_by("id")) == ["data_request.create", "data_request.refuse"]
        admin_user = User.objects.get(username="admin")
        workflow.complaint_finish_historical(complaint=still_open, actor=admin_user, status="closed",
                                             resolution="แจ้งผลแล้ว", finished_at=NOW)
    erased = _request(admin, request_kind="erasure", identifier="phone", value="0878889999")
    assert erased.status_code == 302
    page = admin.get("/staff/admin/data-requests/").content.decode()
    assert done.tracking_code in page and still_open.tracking_code in page
    with schema_context(banlat.schema_name):
        assert Complaint.objects.filter(pk__in=[done.pk, still_open.pk], complainant_name="",
                                        complainant_line_id="", anonymised_at__isnull=False).count() == 2
        entry = AuditEntry.objects.filter(kind="data_request.erase").get()
    assert (entry.actor_label, entry.changes["complaints"], sorted(entry.changes["tracking_codes"])) == (
        "admin", 2, sorted([done.tracking_code, still_open.tracking_code]))
    assert ComplaintFact.objects.filter(body=banlat, complaint_id__in=[done.pk, still_open.pk],
                                        anonymised_at__isnull=False).count() == 2


def test_bad_requests_are_refused_in_thai_and_change_nothing(banlat) -> None:
    admin = signed_in(banlat, "admin")
    empty = _request(admin, request_kind="erasure", identifier="phone", value="0000000000")
    assert empty.status_code == 400 and "ไม่พบเรื่องที่ตรงกับข้อมูลที่ระบุ" in empty.content.decode()
    wrong = _request(admin, request_kind="delete-all", identifier="phone", value="1")
    assert wrong.status_code == 400
    for role in ("executive", "officer", "clerk"):
        assert _request(signed_in(banlat, role), request_kind="access", identifier="phone",
                        value="0812345678").status_code == 403


def test_privacy_notice_states_the_bodys_retention_period(banlat) -> None:
    page = anonymous(banlat).get("/complaints/new/").content.decode()
    assert "รวมทั้งรูปถ่ายที่ท่านแนบ ไว้ 5 ปี แล้วลบออก" in page
    BodyProfile.objects.update_or_create(body=banlat, defaults={"retention_years": 3})
    page = anonymous(banlat).get("/complaints/new/").content.decode()
    assert "รวมทั้งรูปถ่ายที่ท่านแนบ ไว้ 3 ปี แล้วลบออก" in page


def test_admin_sets_the_period_and_bad_values_are_refused(banlat) -> None:
    admin = signed_in(banlat, "admin")
    form = {"phone": "", "email": "", "line_id": "", "office_hours": "", "reopen_window_days": 30, "tile_url": ""}
    refused = admin.post("/settings/profile/", {**form, "retention_years": 0})
    assert refused.status_code == 400
    assert BodyProfile.objects.filter(body=banlat, retention_years=0).exists() is False
    assert admin.post("/settings/profile/", {**form, "retention_years": 2}).status_code == 302
    assert BodyProfile.objects.get(body=banlat).retention_years == 2
    with schema_context(banlat.schema_name):
        entry = AuditEntry.objects.filter(kind="retention.update").latest("id")
    assert entry.changes == {"before": {"retention_years": None}, "after": {"retention_years": 2},
                             "national_default": 5}


@pytest.mark.worker
def test_the_beat_task_anonymises_in_the_real_worker(committed: None, celery_worker_process: object) -> None:
    from django.conf import settings

    from tests.platform.test_celery_call import _celery_call

    assert settings.CELERY_BEAT_SCHEDULE["complaints-retention-sweep"]["task"] == "complaints.retention_sweep"
    body = LocalBody.objects.get(dla_code=BANLAT)
    phone = f"09{uuid.uuid4().int % 10**8:08d}"
    case = closed_case(body, years_ago=8, phone=phone)
    _celery_call("complaints.retention_sweep")

    def anonymised() -> bool:
        with schema_context(body.schema_name):
            return Complaint.objects.filter(pk=case.pk, complainant_phone="", anonymised_at__isnull=False).exists()

    wait_for(anonymised, timeout=120)
    assert ComplaintFact.objects.get(body=body, complaint_id=case.pk).anonymised_at is not None
