from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.oversight.models import DirectiveMeasure, DirectiveTarget
from apps.oversight.scoping import Scope
from apps.oversight.selectors import directives_for_body
from apps.oversight.services import (
    directive_acknowledge,
    directive_compliance_refresh,
    directive_issue,
    directive_reminders_send,
)
from apps.sla.services import sla_agreement_draft_create, sla_agreement_publish
from tests.apps.oversight.factories import BKK, fact, officer
from tests.signin import verified_login

PII_WORDS = ("phone", "national_id", "description", "complainant", "address", "full_name")


@pytest.fixture
def district(db) -> User:  # type: ignore[no-untyped-def]
    return officer("district-t", "district", "7606")


def signed_in(user: User) -> Client:
    return verified_login(Client(HTTP_HOST="localhost"), user)


def test_body_staff_cannot_sign_in_here(banlat) -> None:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        User.objects.create_user("staff-only", "pw-staff-123")
    client = Client(HTTP_HOST="localhost")
    response = client.post("/oversight/login/", {"username": "staff-only", "password": "pw-staff-123"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_public_user_without_scope_is_refused_and_officer_signs_in(db) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_user("nobody", "pw-nobody-123")
    officer("d-login", "district", "7606")
    client = Client(HTTP_HOST="localhost")
    refused = client.post("/oversight/login/", {"username": "nobody", "password": "pw-nobody-123"})
    assert refused.status_code == 400
    assert "ไม่มีสิทธิ์กำกับดูแล" in refused.content.decode()
    ok = client.post("/oversight/login/", {"username": "d-login", "password": "pw-officer-1"})
    # The password opens only the second-factor step (enrolment, as this officer has no authenticator).
    assert (ok.status_code, ok["Location"]) == (302, "/oversight/second-factor/setup/?next=%2Foversight%2F")


def test_dashboard_lists_sla_status_and_filters_not_published(district, banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    agreement = sla_agreement_draft_create(body=banlat, number="1/2568")
    sla_agreement_publish(agreement=agreement, effective_from=dt.date(2025, 1, 1))
    client = signed_in(district)
    page = client.get("/oversight/").content.decode()
    assert page.count("<tr>") - 1 == 15
    assert "ประกาศแล้ว" in page and banlat.display_name in page
    assert "1 / 15" in page
    filtered = client.get("/oversight/?not_published=1").content.decode()
    assert banlat.display_name not in filtered and thasen.display_name in filtered
    csv = client.get("/oversight/?not_published=1&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").count("\n") == 15  # header + 14 bodies
    xlsx = client.get("/oversight/?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_pdf_export_renders(district) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(district).get("/oversight/?format=pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_out_of_scope_body_and_drill_down_are_404(district, banlat, outside_body) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(district)
    assert client.get(f"/oversight/bodies/{banlat.dla_code}/").status_code == 200
    assert client.get(f"/oversight/bodies/{outside_body.dla_code}/").status_code == 404
    assert client.get("/oversight/bodies/9999999/").status_code == 404
    assert client.get("/oversight/performance/?district=7601").status_code == 404
    assert client.get("/oversight/performance/?province=76").status_code == 404
    assert client.get("/oversight/performance/?district=7606").status_code == 200


def test_anonymous_is_sent_to_login(db) -> None:  # type: ignore[no-untyped-def]
    response = Client(HTTP_HOST="localhost").get("/oversight/performance/")
    assert response.status_code == 302
    assert response["Location"].startswith("/oversight/login/")


def test_performance_and_overdue_pages_show_no_personal_data(district, banlat) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime.now(tz=BKK)
    fact(banlat, received=now - dt.timedelta(days=20), status="in_progress", tracking_code="OVDVIEW1",
         reply_due_at=now - dt.timedelta(hours=1))  # the executives' step: the district's is 3 working days on
    client = signed_in(district)
    perf = client.get("/oversight/performance/").content.decode()
    assert banlat.display_name in perf
    overdue = client.get("/oversight/overdue/").content.decode()
    assert "OVDVIEW1" in overdue and "ถึงผู้บริหารหน่วยงาน" in overdue
    exported = client.get("/oversight/overdue/?format=csv").content.decode("utf-8-sig")
    assert "OVDVIEW1" in exported
    for word in PII_WORDS:
        assert word not in exported.lower()


def test_directive_issue_acknowledge_and_table(district, banlat, thasen, outside_body) -> None:  # type: ignore[no-untyped-def]
    scope = Scope("district", "7606")
    with time_machine.travel(dt.datetime(2025, 10, 1, 9, 0, tzinfo=BKK), tick=False):
        directive = directive_issue(scope=scope, issued_by=district, title="ตอบรับทราบนโยบาย",
                                    due_date=dt.date(2025, 10, 31))
        assert directive.targets.count() == 15
        target = directives_for_body(banlat).get(directive=directive)
        with pytest.raises(Exception) as raised:
            directive_acknowledge(target_id=target.pk, body=thasen, user_name="x")
        assert raised.typename == "Http404"
        directive_acknowledge(target_id=target.pk, body=banlat, user_name="ปลัดบ้านลาด")
    target.refresh_from_db()
    assert target.complied_at == dt.datetime(2025, 10, 1, 9, 0, tzinfo=BKK)
    assert (target.compliance_source, target.acknowledged_by_name) == ("ack", "ปลัดบ้านลาด")
    page = signed_in(district).get(f"/oversight/directives/{directive.pk}/").content.decode()
    assert "ปฏิบัติครบทุกข้อแล้ว 1 จาก 15 หน่วยงาน" in page
    province_other = officer("d-other", "district", "7601")
    assert signed_in(province_other).get(f"/oversight/directives/{directive.pk}/").status_code == 404


def test_directive_to_some_bodies_outside_scope_is_404(district, banlat, outside_body) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(district).post("/oversight/directives/new/", {
        "title": "x", "requirements": "ack", "due_date": "2099-01-01", "remind_days_before": 3,
        "bodies": [banlat.dla_code, outside_body.dla_code]})
    assert response.status_code == 200  # the form refuses a choice outside the area
    assert not DirectiveTarget.objects.filter(body=outside_body).exists()


def test_directive_sla_published_is_marked_automatically(district, banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    directive = directive_issue(scope=Scope("district", "7606"), issued_by=district, title="ประกาศ SLA",
                                due_date=dt.date(2099, 10, 31), requirements=[DirectiveMeasure.SLA_PUBLISHED],
                                body_codes=[banlat.dla_code, thasen.dla_code])
    assert directive_compliance_refresh(directive=directive) == 0
    agreement = sla_agreement_draft_create(body=banlat, number="2/2568")
    sla_agreement_publish(agreement=agreement, effective_from=dt.date(2025, 1, 1))
    assert directive_compliance_refresh(directive=directive) == 1
    complied = {t.body_id: t.compliance_source for t in directive.targets.all()}
    assert complied == {banlat.pk: "auto", thasen.pk: ""}


def test_directive_overdue_answered_and_reminders(district, banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime.now(tz=BKK)
    late = fact(banlat, received=now - dt.timedelta(days=30), status="in_progress",
                reply_due_at=now - dt.timedelta(days=10))
    directive = directive_issue(scope=Scope("district", "7606"), issued_by=district, title="ตอบเรื่องค้าง",
                                due_date=(now + dt.timedelta(days=2)).date(), remind_days_before=3,
                                requirements=[DirectiveMeasure.OVERDUE_ANSWERED],
                                body_codes=[banlat.dla_code, thasen.dla_code])
    assert directive_compliance_refresh(directive=directive) == 1  # thasen has nothing overdue
    reminded = directive_reminders_send()
    assert [t.body_id for t in reminded] == [banlat.pk]
    assert directive_reminders_send() == []  # once only
    late.first_reply_at = now
    late.save()
    assert directive_compliance_refresh(directive=directive) == 1


def test_conduct_queue_page(district, banlat, outside_body) -> None:  # type: ignore[no-untyped-def]
    fact(banlat, received=dt.datetime(2025, 5, 1, tzinfo=BKK), routed_to_oversight=True, tracking_code="CONDV1")
    fact(outside_body, received=dt.datetime(2025, 5, 1, tzinfo=BKK), routed_to_oversight=True,
         tracking_code="CONDV2")
    page = signed_in(district).get("/oversight/conduct/").content.decode()
    assert "CONDV1" in page and "CONDV2" not in page


def test_directive_due_date_is_entered_in_the_buddhist_era(district, banlat) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(district)
    page = client.get("/oversight/directives/new/").content.decode()
    assert 'name="due_date_0"' in page and 'name="due_date_2"' in page and 'type="date"' not in page
    assert "ค.ศ." not in page
    response = client.post("/oversight/directives/new/", {
        "title": "ประกาศ SLA ภายในกำหนด", "requirements": "ack", "due_date_0": "31", "due_date_1": "3",
        "due_date_2": "2642", "remind_days_before": 3, "bodies": [banlat.dla_code]})
    assert response.status_code == 302
    assert DirectiveTarget.objects.get(body=banlat, directive__title="ประกาศ SLA ภายในกำหนด").directive.due_date \
        == dt.date(2099, 3, 31)
    refused = client.post("/oversight/directives/new/", {
        "title": "วันที่ผิด", "requirements": "ack", "due_date_0": "30", "due_date_1": "2", "due_date_2": "2642",
        "remind_days_before": 3, "bodies": [banlat.dla_code]})
    assert refused.status_code == 200
    assert "วันที่ไม่ถูกต้อง กรุณาระบุวัน เดือน และปี พ.ศ." in refused.content.decode()
    assert not DirectiveTarget.objects.filter(directive__title="วันที่ผิด").exists()


def test_performance_follows_the_fiscal_year_and_months_are_picked_in_the_buddhist_era(district, banlat) -> None:  # type: ignore[no-untyped-def]
    # Fiscal year 2569 (พ.ศ.) runs from 1 October 2025 to 30 September 2026.
    fact(banlat, received=dt.datetime(2025, 9, 30, 12, 0, tzinfo=BKK), tracking_code="FY2568")
    fact(banlat, received=dt.datetime(2025, 10, 1, 9, 0, tzinfo=BKK), tracking_code="FY2569A")
    fact(banlat, received=dt.datetime(2026, 9, 30, 15, 0, tzinfo=BKK), tracking_code="FY2569B")
    client = signed_in(district)
    with time_machine.travel(dt.datetime(2026, 11, 15, 10, 0, tzinfo=BKK), tick=False):
        page = client.get("/oversight/performance/?fy=2026").content.decode()
        form = client.get("/oversight/performance/").content.decode()
    assert "ช่วงเวลา ต.ค. 2568 – ก.ย. 2569" in page
    assert '<option value="2026" selected>ปีงบประมาณ 2569</option>' in page
    # With no period asked for, the page shows the current fiscal year, as the dashboard does.
    assert '<option value="2027" selected>ปีงบประมาณ 2570</option>' in form
    assert "ช่วงเวลา ต.ค. 2569 – ก.ย. 2570" in form
    assert '<option value="2025-10">ต.ค. 2568</option>' in form and 'placeholder="2025-01"' not in form
    with time_machine.travel(dt.datetime(2026, 11, 15, 10, 0, tzinfo=BKK), tick=False):
        exported = client.get("/oversight/performance/?fy=2026&format=csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    # The two complaints of the fiscal year, not the one of 30 September 2025.
    assert [(r["พื้นที่/หน่วยงาน"], r["รับเรื่อง"]) for r in rows if r["รับเรื่อง"] != "0"] == [(banlat.display_name, "2")]
