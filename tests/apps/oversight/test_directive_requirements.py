"""A directive that requires several things together: each requirement is met at the moment the body
did it, the directive is complied when all are, at the moment the last one was (not when someone
looked); the body opens the directive's text and attachment from its staff pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.accounts.models import User
from apps.oversight.models import DirectiveMeasure, DirectiveTarget
from apps.oversight.scoping import Scope
from apps.oversight.services import directive_acknowledge, directive_compliance_refresh, directive_issue
from apps.reporting.models import ComplaintFact
from apps.sla.services import sla_agreement_draft_create, sla_agreement_publish
from tenants import cache
from tenants.models import LocalBody
from tests.apps.oversight.factories import BKK, fact, officer
from tests.conftest import STAFF_PASSWORD
from tests.hostile import files
from tests.signin import password_and_code, verified_login

ISSUED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=BKK)
ALL = [DirectiveMeasure.ACKNOWLEDGEMENT, DirectiveMeasure.SLA_PUBLISHED, DirectiveMeasure.OVERDUE_ANSWERED]


def _staff(role: str) -> Client:
    cache.clear()
    schema = LocalBody.objects.get(dla_code="5760601").schema_name
    return password_and_code(Client(HTTP_HOST="banlat.localhost"), username=role, password=STAFF_PASSWORD,
                             schema=schema)


def test_complied_at_is_when_the_last_requirement_was_met(banlat: LocalBody, thasen: LocalBody) -> None:
    district = officer("district-req", "district", "7606")
    # Only this test's cases count: every other case of the two bodies is done.
    ComplaintFact.objects.filter(body__in=[banlat, thasen]).update(status="closed")
    late = fact(banlat, received=ISSUED - dt.timedelta(days=30), status="in_progress",
                reply_due_at=ISSUED - dt.timedelta(days=10))
    with time_machine.travel(ISSUED, tick=False):
        directive = directive_issue(scope=Scope("district", "7606"), issued_by=district, title="สามข้อ",
                                    due_date=dt.date(2026, 12, 31), requirements=reversed(ALL),
                                    body_codes=[banlat.dla_code, thasen.dla_code])
    assert directive.requirements == ALL  # stored in one order, whatever the order given
    published = ISSUED + dt.timedelta(days=1)
    with time_machine.travel(published, tick=False):
        sla_agreement_publish(agreement=sla_agreement_draft_create(body=banlat, number="9/2569"),
                              effective_from=dt.date(2026, 11, 1))
    acknowledged = ISSUED + dt.timedelta(days=2)
    with time_machine.travel(acknowledged, tick=False):
        target = DirectiveTarget.objects.get(directive=directive, body=banlat)
        directive_acknowledge(target_id=target.pk, body=banlat, user_name="ปลัดบ้านลาด")
    with time_machine.travel(ISSUED + dt.timedelta(days=3), tick=False):
        assert directive_compliance_refresh(directive=directive) == 0  # the overdue case is not answered
    target.refresh_from_db()
    assert (target.acknowledged_at, target.sla_met_at, target.overdue_met_at, target.complied_at) == (
        acknowledged, published, None, None)
    answered = ISSUED + dt.timedelta(days=4, hours=3)
    ComplaintFact.objects.filter(pk=late.pk).update(first_reply_at=answered)
    # Looked at a week later: complied when the last overdue case was answered, not now.
    with time_machine.travel(ISSUED + dt.timedelta(days=11), tick=False):
        assert directive_compliance_refresh(directive=directive) == 1
        assert directive_compliance_refresh(directive=directive) == 0
    target.refresh_from_db()
    assert (target.overdue_met_at, target.complied_at, target.compliance_source) == (answered, answered, "auto")
    other = DirectiveTarget.objects.get(directive=directive, body=thasen)
    # thasen: nothing overdue since the issue (met at the issue), no SLA, no acknowledgement.
    assert (other.overdue_met_at, other.sla_met_at, other.acknowledged_at, other.complied_at) == (
        ISSUED, None, None, None)
    page = verified_login(Client(HTTP_HOST="localhost"), district).get(f"/oversight/directives/{directive.pk}/")
    html = page.content.decode()
    assert "ปฏิบัติครบทุกข้อแล้ว 1 จาก 2 หน่วยงาน" in html
    assert "ตอบรับทราบ: 1 จาก 2 หน่วยงาน" in html
    assert "ประกาศข้อตกลงระดับการให้บริการ (SLA) แล้ว: 1 จาก 2 หน่วยงาน" in html
    assert "ตอบเรื่องที่เกินกำหนดครบแล้ว: 2 จาก 2 หน่วยงาน" in html
    exported = verified_login(Client(HTTP_HOST="localhost"), officer("district-req2", "district", "7606")).get(
        f"/oversight/directives/{directive.pk}/?format=csv").content.decode("utf-8-sig").splitlines()
    assert exported[0] == ("รหัส อปท.,หน่วยงาน,ตอบรับทราบ,ผู้ตอบรับ,ประกาศข้อตกลงระดับการให้บริการ (SLA) แล้ว,"
                           "ตอบเรื่องที่เกินกำหนดครบแล้ว,ปฏิบัติครบเมื่อ,เตือนเมื่อ")
    assert exported[1] == (f"5760601,{banlat.display_name},4 พ.ย. 2569 09:00,ปลัดบ้านลาด,3 พ.ย. 2569 09:00,"
                           "6 พ.ย. 2569 12:00,6 พ.ย. 2569 12:00,")


def test_a_directive_requires_at_least_one_thing(banlat: LocalBody) -> None:
    client = verified_login(Client(HTTP_HOST="localhost"), officer("district-none", "district", "7606"))
    response = client.post("/oversight/directives/new/", {
        "title": "ไม่มีข้อกำหนด", "due_date": "2099-01-01", "remind_days_before": 3, "bodies": [banlat.dla_code]})
    assert response.status_code == 200
    assert "เลือกสิ่งที่หน่วยงานต้องปฏิบัติอย่างน้อยหนึ่งข้อ" in response.content.decode()
    assert not DirectiveTarget.objects.filter(directive__title="ไม่มีข้อกำหนด").exists()
    issued = client.post("/oversight/directives/new/", {
        "title": "สองข้อ", "requirements": ["ack", "sla_published"], "due_date": "2099-01-01",
        "remind_days_before": 3, "bodies": [banlat.dla_code]})
    assert issued.status_code == 302
    assert DirectiveTarget.objects.get(directive__title="สองข้อ").directive.requirements == ["ack", "sla_published"]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_the_body_opens_the_directives_text_and_attachment(media: Path, banlat: LocalBody,
                                                            thasen: LocalBody) -> None:
    district: User = officer("district-text", "district", "7606")
    directive = directive_issue(
        scope=Scope("district", "7606"), issued_by=district, title="เร่งรัดการตอบเรื่อง", number="พบ 0023/ว 5",
        text="ให้ตอบเรื่องที่ค้างทุกเรื่อง\nภายในสิ้นเดือน", due_date=dt.date(2099, 1, 31),
        requirements=[DirectiveMeasure.ACKNOWLEDGEMENT, DirectiveMeasure.SLA_PUBLISHED],
        body_codes=[banlat.dla_code, thasen.dla_code],
        attachment=SimpleUploadedFile("หนังสือ.pdf", files.pdf(), content_type="application/pdf"))
    own = DirectiveTarget.objects.get(directive=directive, body=banlat)
    other = DirectiveTarget.objects.get(directive=directive, body=thasen)
    executive = _staff("executive")
    listing = executive.get("/staff/directives/").content.decode()
    assert f'href="/staff/directives/{own.pk}/"' in listing
    page = executive.get(f"/staff/directives/{own.pk}/")
    assert page.status_code == 200, page.content.decode()[-3000:]
    html = page.content.decode()
    assert "ให้ตอบเรื่องที่ค้างทุกเรื่อง<br>ภายในสิ้นเดือน" in html
    assert 'เลขที่ <span translate="no">พบ 0023/ว 5</span> · สำนักงานท้องถิ่นอำเภอบ้านลาด · ออกเมื่อ' in html
    assert "ตอบรับทราบ: <span class=\"bad\">ยังไม่ได้ทำ</span>" in html
    assert f'href="/staff/directives/{own.pk}/attachment/"' in html
    download = executive.get(f"/staff/directives/{own.pk}/attachment/")
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == files.pdf()
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # Another body's directive, and an officer who does not answer for the body: 404 and 403.
    assert executive.get(f"/staff/directives/{other.pk}/").status_code == 404
    assert executive.get(f"/staff/directives/{other.pk}/attachment/").status_code == 404
    assert _staff("officer").get(f"/staff/directives/{own.pk}/").status_code == 403
    admin = _staff("admin")
    acknowledged = admin.post(f"/staff/directives/{own.pk}/acknowledge/", {"back": "directive"})
    assert (acknowledged.status_code, acknowledged["Location"]) == (302, f"/staff/directives/{own.pk}/")
    after = admin.get(f"/staff/directives/{own.pk}/").content.decode()
    assert "ตอบรับทราบ: <span class=\"ok\">ทำแล้ว" in after and "ยังปฏิบัติไม่ครบ" in after
