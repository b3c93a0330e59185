"""Citizens following a public report: one message per officer action, the audit entries of a
follow and a stop, and the contacts gone on the PDPA paths (retention, erasure)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from apps.complaints.models import CaseFollower, Complaint, Department, Notification
from apps.complaints.retention import complaints_anonymise, data_request_carry_out
from apps.complaints.services.follow import case_follow, case_follow_line, case_follow_stop, follower_ref
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_close,
    complaint_resolve,
)
from apps.complaints.validation import Complainant
from apps.line.models import LineUser
from tenants.models import LocalBody
from tests.apps.complaints.helpers import file_complaint
from tests.apps.complaints.staff_helpers import signed_in
from tests.conftest import staff

pytestmark = pytest.mark.django_db

WITNESS = Complainant(name="มานี มีนา", phone="0869998877", email="manee@example.com")
SITE = "http://banlat.localhost"
FOLLOWER_LINE = "U" + "f" * 32


def _case(moo: str = "3") -> Complaint:
    return file_complaint("streetlight", complainant=WITNESS, moo=moo).complaint


def _rows(case: Complaint) -> list[tuple[str, str, str]]:
    return list(Notification.objects.filter(complaint=case).order_by("id").values_list("channel", "recipient", "body"))


def test_assigning_a_case_not_yet_acknowledged_tells_a_follower_once(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = _case()
        follower = case_follow(complaint_id=case.pk, phone="0891112222", email="", consent=True, language="th",
                               site=SITE)[0]
        report, stop = f"{SITE}/reports/{case.public_id}/", f"{SITE}/reports/stop/{follower.stop_key}/"
        name = banlat.display_name
        before = _rows(case)
        complaint_assign(complaint=case, actor=staff(banlat, "admin"),
                         department=Department.objects.get(code="engineering"))
        added = _rows(case)[len(before):]
    # The follower: the one message of the officer's action, with the status it ended in. The
    # complainant is told nothing by an assignment (unchanged: no message was sent twice to them).
    assert added == [("sms", "0891112222",
                      f"{name}: เรื่อง ไฟฟ้าสาธารณะ ไฟถนนดับ/ชำรุด หมู่ที่ 3 ที่ท่านติดตาม เปลี่ยนสถานะเป็น \"กำลังดำเนินการ\" "
                      f"{report} เลิกติดตาม: {stop}")]
    assert [row[:2] for row in before] == [("email", WITNESS.email), ("sms", WITNESS.phone),
                                          ("sms", "0891112222")]


def test_each_officer_action_after_that_is_one_message(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = _case()
        case_follow(complaint_id=case.pk, phone="", email="f@example.com", consent=True, language="en", site=SITE)
        admin = staff(banlat, "admin")
        complaint_acknowledge(complaint=case, actor=admin)
        complaint_assign(complaint=case, actor=admin, department=Department.objects.get(code="engineering"))
        complaint_resolve(complaint=case, actor=admin, resolution="เปลี่ยนหลอดแล้ว")
        complaint_close(complaint=case, actor=admin)
        told = [body.split(" is now ")[1].split('"')[1] for _c, r, body in _rows(case)
                if r == "f@example.com" and " is now " in body]
        complainant = [body.split(" ")[1] for _c, r, body in _rows(case) if r == WITNESS.phone]
        assert CaseFollower.objects.count() == 0
    assert told == ["Acknowledged", "In progress", "Resolved", "Closed"]
    # The complainant's own messages: one per action that tells them (an assignment tells nothing).
    assert complainant == ["ได้รับเรื่องร้องทุกข์ของท่านแล้ว", "แจ้งรับเรื่อง", "ดำเนินการเรื่อง", "ปิดเรื่อง"]


def _entries(kind: str) -> list[tuple[str, str, str, dict[str, object]]]:
    return list(AuditEntry.objects.filter(kind=kind).order_by("id")
                .values_list("actor_label", "target_id", "target_label", "changes"))


def test_a_follow_and_a_stop_are_in_the_body_audit_log_without_the_contact(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = _case()
        sms, mail = case_follow(complaint_id=case.pk, phone="0891112222", email="f@example.com", consent=True,
                                language="th", site=SITE)
        line = case_follow_line(complaint_id=case.pk, line_user_id=FOLLOWER_LINE, language="th", site=SITE)
        assert line is not None
        assert case_follow_stop(stop_key=sms.stop_key) is True
        assert case_follow_stop(stop_key=sms.stop_key) is False
        started, stopped = _entries("follow.start"), _entries("follow.stop")
        logged = str(list(AuditEntry.objects.values_list("target_label", "changes")))
    assert started == [
        ("ผู้ติดตามเรื่อง", str(case.pk), case.tracking_code, {"follower": follower_ref(sms.stop_key), "channel": "sms",
                                                             "via": "web"}),
        ("ผู้ติดตามเรื่อง", str(case.pk), case.tracking_code, {"follower": follower_ref(mail.stop_key),
                                                             "channel": "email", "via": "web"}),
        ("ผู้ติดตามเรื่อง", str(case.pk), case.tracking_code, {"follower": follower_ref(line.stop_key),
                                                             "channel": "line", "via": "line"}),
    ]
    assert stopped == [("ผู้ติดตามเรื่อง", str(case.pk), case.tracking_code,
                        {"follower": follower_ref(sms.stop_key), "channel": "sms", "via": "link"})]
    for contact in ("0891112222", "f@example.com", FOLLOWER_LINE, sms.stop_key, mail.stop_key, line.stop_key):
        assert contact not in logged


def test_a_refused_follow_writes_no_entry(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = _case()
        with pytest.raises(Exception, match="อีเมลไม่ถูกต้อง"):
            case_follow(complaint_id=case.pk, phone="", email="nope", consent=True, language="th", site=SITE)
        assert not AuditEntry.objects.filter(kind__startswith="follow.").exists()


def _follow_all(case: Complaint) -> tuple[CaseFollower, ...]:
    sms, mail = case_follow(complaint_id=case.pk, phone="0891112222", email="f@example.com", consent=True,
                            language="th", site=SITE)
    line = case_follow_line(complaint_id=case.pk, line_user_id=FOLLOWER_LINE, language="th", site=SITE)
    assert line is not None
    return sms, mail, line


def test_a_case_that_ends_forgets_its_line_followers_too(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = _case()
        _follow_all(case)
        admin = staff(banlat, "admin")
        complaint_acknowledge(complaint=case, actor=admin)
        assert sorted(CaseFollower.objects.values_list("channel", flat=True)) == ["email", "line", "sms"]
        complaint_assign(complaint=case, actor=admin, department=Department.objects.get(code="engineering"))
        complaint_resolve(complaint=case, actor=admin, resolution="เปลี่ยนหลอดแล้ว")
        complaint_close(complaint=case, actor=admin)
        assert CaseFollower.objects.count() == 0
        last = Notification.objects.filter(complaint=case, channel="line").order_by("-id").first()
        assert last is not None and last.recipient == FOLLOWER_LINE and last.body.endswith("การติดตามเรื่องนี้สิ้นสุดแล้ว")


def test_retention_removes_what_followers_left_and_keeps_a_line_user_who_still_follows(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        filed_here = "U" + "e" * 32
        LineUser.objects.create(user_id=filed_here, created_at=timezone.now())
        old = file_complaint("streetlight", complainant=Complainant(name="LINE", line_id=filed_here)).complaint
        followed = _case()
        case_follow_line(complaint_id=followed.pk, line_user_id=filed_here, language="th", site=SITE)
        # A follow still on a case being anonymised (a case ended by a path that told no one).
        CaseFollower.objects.create(stop_key="k" * 43, complaint=old, channel="sms", address="0891112222",
                                    site=SITE, consented_at=timezone.now())
        report = complaints_anonymise(complaint_ids=[old.pk], now=timezone.now() + dt.timedelta(days=1))
        assert (report.complaints, report.followers, report.line_users) == (1, 1, 0)
        assert list(CaseFollower.objects.values_list("complaint_id", "channel", "address")) == \
            [(followed.pk, "line", filed_here)]
        assert LineUser.objects.filter(pk=filed_here).exists()  # still follows a report in the chat
        entry = AuditEntry.objects.filter(kind="retention.anonymise").get()
        assert entry.changes["followers_removed"] == 1


@pytest.mark.parametrize(("identifier", "value"), [("phone", "089-111-2222"), ("email", "F@example.com"),
                                                  ("line_id", FOLLOWER_LINE)])
def test_an_erasure_request_ends_the_person_s_follows(banlat: LocalBody, identifier: str, value: str) -> None:
    with schema_context(banlat.schema_name):
        case = _case()
        sms, mail, line = _follow_all(case)
        gone = {"phone": sms, "email": mail, "line_id": line}[identifier]
        access = data_request_carry_out(actor=staff(banlat, "admin"), request_kind="access", identifier=identifier,
                                        value=value)
        assert access.kind == "access" and gone.address in access.export.decode()
        erased = data_request_carry_out(actor=staff(banlat, "admin"), request_kind="erasure", identifier=identifier,
                                        value=value, reference="หนังสือ ที่ 7/2569")
        assert (erased.kind, erased.tracking_codes, erased.follows_removed) == ("erasure", [], 1)
        assert sorted(CaseFollower.objects.values_list("stop_key", flat=True)) == \
            sorted(f.stop_key for f in (sms, mail, line) if f is not gone)
        entry = AuditEntry.objects.filter(kind="data_request.erase").get()
        assert entry.changes == {"request": "erasure", "identifier": identifier, "reference": "หนังสือ ที่ 7/2569",
                                 "follows_removed": 1}
        assert gone.address not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_the_erasure_page_says_the_follows_were_ended(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        _follow_all(_case())
    admin = signed_in(banlat, "admin")
    response = admin.post("/staff/admin/data-requests/", {"request_kind": "erasure", "identifier": "email",
                                                          "value": "f@example.com", "reference": "7/2569"},
                          follow=True)
    text = response.content.decode()
    assert "เลิกการติดตามรายงานสาธารณะของบุคคลนี้และลบช่องทางติดต่อแล้ว 1 รายการ" in text
    assert "ลบข้อมูลระบุตัวผู้ร้องแล้ว" not in text
