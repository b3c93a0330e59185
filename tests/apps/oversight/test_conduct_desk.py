"""Conduct and corruption complaints: filed on the body's portal, never seen by any of the body's
roles, handled by the district office (the provincial office when the complaint is about the
district office itself) through the oversight desk with the same services and clocks, every
identity reveal audited, and the body told only what the office chooses to tell it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.errors import NotAllowed
from apps.complaints.models import Category, Complaint, ComplaintEvent, IdentityAccess, Notification
from apps.complaints.services.workflow import complaint_acknowledge, complaint_note
from apps.oversight.sweep import stage_clocks_sweep
from apps.reporting.models import ComplaintFact
from apps.sla.models import StageClock
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import signed_in, user
from tests.apps.oversight.factories import officer as make_officer
from tests.apps.portal.helpers import category_id, filed, form_data
from tests.signin import verified_login

BODY_ROLES = ("admin", "executive", "officer", "clerk")
DESCRIPTION = "ปลัดเรียกรับเงิน 5,000 บาทแลกกับการอนุญาตก่อสร้างรั้ว"
NAME, PHONE, EMAIL = "สมหญิง ใจงาม", "0891234567", "somying@example.com"
BKK = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)  # a Monday, a working day


def _portal(body: LocalBody, ip: str) -> Client:
    return Client(HTTP_HOST=f"{body.slug}.localhost", REMOTE_ADDR=ip)


def file_conduct(body: LocalBody, *, ip: str = "10.78.0.1", national: str = "corruption",
                 about_district_office: bool = False) -> tuple[Complaint, Client]:
    """A conduct complaint through the portal's conduct form; the client keeps the citizen's session."""
    citizen = _portal(body, ip)
    data = form_data(body, category=category_id(body, national), description=DESCRIPTION, name=NAME,
                     phone=PHONE, email=EMAIL)
    if about_district_office:
        data["about_district_office"] = "on"
    response = citizen.post("/complaints/conduct/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return filed(citizen, body), citizen


def officer_of(username: str, level: str, code: str = "") -> User:
    with schema_context("public"):
        return make_officer(username, level, code)


def desk(user: User) -> Client:
    """An officer signed in on the platform domain (the session lives in the public schema; a
    request to a body's portal leaves the test's connection on that body's schema)."""
    return verified_login(Client(HTTP_HOST="localhost"), user)


def fact_of(body: LocalBody, complaint: Complaint) -> ComplaintFact:
    return ComplaintFact.objects.get(body=body, complaint_id=complaint.pk)


def _inbox(client: Client, query: str = "") -> tuple[set[str], int]:
    response = client.get(f"/staff/{query}")
    assert response.status_code == 200
    return {c.tracking_code for c, _due in response.context["rows"]}, response.context["page"].paginator.count


def _export(client: Client) -> list[list[str]]:
    response = client.get("/staff/register/export/?format=csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _what_a_role_sees(body: LocalBody, role: str) -> dict[str, object]:
    client = signed_in(body, role)
    codes, count = _inbox(client)
    seen: dict[str, object] = {"codes": codes, "count": count, "export": _export(client)}
    if role == "admin":
        outbox = client.get("/staff/admin/outbox/")
        seen["outbox"] = [(s, n) for s, _label, n in outbox.context["counts"]]
        seen["outbox_page"] = outbox.content.decode()
        seen["audit"] = client.get("/staff/admin/audit/?kind=identity").content.decode()
    return seen


def test_no_body_role_sees_a_conduct_complaint_filed_on_the_portal(banlat: LocalBody) -> None:
    before = {role: _what_a_role_sees(banlat, role) for role in BODY_ROLES}
    case, _citizen = file_conduct(banlat)
    assert (case.routed_to_oversight, case.is_confidential, case.about_district_office) == (True, True, False)
    code = case.tracking_code
    with schema_context(banlat.schema_name):
        # The citizen is told by the office that handles it, not by the accused body.
        told = Notification.objects.get(complaint=case, channel="email")
        assert told.body == f"สำนักงานท้องถิ่นอำเภอบ้านลาด ได้รับเรื่องร้องทุกข์ของท่านแล้ว เลขติดตามเรื่อง {code}"

    for role in BODY_ROLES:
        client = signed_in(banlat, role)
        after = _what_a_role_sees(banlat, role)
        assert code not in after["codes"], role  # type: ignore[operator]
        assert after["count"] == before[role]["count"], role
        assert after["export"] == before[role]["export"], role
        assert _inbox(client, f"?q={code}") == (set(), 0), role
        assert _inbox(client, f"?q={code.replace('-', '').lower()}") == (set(), 0), role
        for url in (f"/staff/cases/{case.pk}/",):
            assert client.get(url).status_code == 404, (role, url)
        for url in (f"/staff/cases/{case.pk}/identity/", f"/staff/cases/{case.pk}/acknowledge/",
                    f"/staff/cases/{case.pk}/note/"):
            assert client.post(url, {"note-text": "x", "acknowledge-text": "x"}).status_code == 404, (role, url)
        api = client.get(f"/api/staff/v1/complaints/{case.pk}/")
        assert (api.status_code, api.json()) == (404, {"message": "ไม่พบเรื่อง"}), role
        listing = client.get("/api/staff/v1/complaints/")
        assert listing.status_code == 200 and code not in listing.content.decode(), role
        if role == "admin":
            assert after["outbox"] == before[role]["outbox"]
            assert code not in after["outbox_page"]  # type: ignore[operator]
            assert code not in after["audit"]  # type: ignore[operator]
        if role == "admin":
            # A data-subject request by the complainant's phone or the code finds nothing at the body.
            for identifier, value in (("phone", PHONE), ("tracking_code", code), ("email", EMAIL)):
                for kind in ("access", "erasure"):
                    response = client.post("/staff/admin/data-requests/", {
                        "request_kind": kind, "identifier": identifier, "value": value})
                    assert response.status_code == 400, (identifier, kind)
                    assert "ไม่พบเรื่องที่ตรงกับข้อมูลที่ระบุ" in response.content.decode()
        if role in ("admin", "executive"):
            page = client.get("/staff/directives/").content.decode()
            assert "ไม่มีหนังสือแจ้ง" in page and code not in page
        # Nor through the services themselves: a body role's hand is refused and nothing changes.
        with schema_context(banlat.schema_name):
            staff_user = User.objects.get(username=role)
            with pytest.raises(NotAllowed):
                complaint_acknowledge(complaint=case, actor=staff_user)
            with pytest.raises(NotAllowed):
                complaint_note(complaint=case, actor=staff_user, text="ดูเรื่องนี้")
            assert Complaint.objects.get(pk=case.pk).status == "received"
    with schema_context(banlat.schema_name):
        assert list(ComplaintEvent.objects.filter(complaint=case).values_list("kind", flat=True)) == [
            "created", "assign"]
        assert IdentityAccess.objects.filter(complaint_id=case.pk).count() == 0  # no export revealed it
    assert fact_of(banlat, case).status == "received"


def test_a_clerk_filing_a_conduct_complaint_at_the_counter_loses_sight_of_it(banlat: LocalBody) -> None:
    clerk = signed_in(banlat, "clerk")
    with schema_context(banlat.schema_name):
        category = category_id(banlat, "conduct")
    response = clerk.post("/staff/intake/", {"channel": "walk_in", "category": category, "description": DESCRIPTION,
                                             "name": NAME, "phone": PHONE, "confirm": "1"})
    assert response.status_code == 200
    case = response.context["complaint"]
    assert "หน่วยงานจะไม่เห็นเรื่องนี้อีก" in response.content.decode()
    assert f"/staff/cases/{case.pk}/" not in response.content.decode()
    assert clerk.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert fact_of(banlat, case).routed_to_oversight


def test_district_officer_works_the_case_through_the_desk_with_the_same_clocks(banlat: LocalBody) -> None:
    handler = officer_of("desk-banlat", "district", "7606")
    with time_machine.travel(START, tick=False):
        case, citizen = file_conduct(banlat, ip="10.78.0.2")
    fact = fact_of(banlat, case)
    # Routed to the office at receipt: the route stage is met then and there.
    assert (fact.status, fact.routed_at, fact.route_met) == ("received", START, True)
    office = desk(handler)
    listing = office.get("/oversight/conduct/").content.decode()
    assert f'href="/oversight/conduct/{fact.pk}/"' in listing and case.tracking_code in listing
    page = office.get(f"/oversight/conduct/{fact.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert DESCRIPTION in html and "เทศบาลตำบลบ้านลาด" in html
    assert PHONE not in html and NAME not in html  # hidden until an explicit reveal

    def act(action: str, at: dt.datetime, **data: str) -> None:
        with time_machine.travel(at, tick=False):
            response = office.post(f"/oversight/conduct/{fact.pk}/{action}/",
                                   {f"{action}-{k}": v for k, v in data.items()})
        assert response.status_code == 302, response.content.decode()[:3000]

    act("acknowledge", START + dt.timedelta(hours=1), text="สำนักงานท้องถิ่นอำเภอรับเรื่องไว้ตรวจสอบแล้ว")
    fact.refresh_from_db()
    assert (fact.status, fact.acknowledged_at, fact.ack_met) == ("acknowledged", START + dt.timedelta(hours=1), True)
    act("request_info", START + dt.timedelta(hours=2), text="ขอวันและเวลาที่เรียกรับเงิน")
    fact.refresh_from_db()
    assert fact.status == "waiting"
    with time_machine.travel(START + dt.timedelta(hours=5), tick=False):
        answered = citizen.post("/track/case/", {"action": "respond", "text": "วันที่ 27 ก.พ. เวลา 10.00 น."})
    assert answered.status_code == 302
    act("reply", START + dt.timedelta(hours=6), text="อยู่ระหว่างสอบข้อเท็จจริง")
    act("resolve", START + dt.timedelta(days=3), resolution="สอบข้อเท็จจริงแล้ว ส่งเรื่องให้นายอำเภอพิจารณาโทษ")
    fact.refresh_from_db()
    assert (fact.status, fact.first_reply_at, fact.reply_met) == ("resolved", START + dt.timedelta(hours=6), True)
    assert (fact.resolved_at, fact.resolve_met, fact.paused_seconds) == (START + dt.timedelta(days=3), True, 3 * 3600)
    act("close", START + dt.timedelta(days=3, hours=1))
    fact.refresh_from_db()
    assert (fact.status, fact.closed_at) == ("closed", START + dt.timedelta(days=3, hours=1))
    clocks = {c.stage: c.met for c in StageClock.objects.filter(fact=fact, cycle=0, seq=0)}
    assert {k: clocks[k] for k in ("ack", "route", "reply", "resolve", "closure")} == {
        "ack": True, "route": True, "reply": True, "resolve": True, "closure": True}

    with schema_context(banlat.schema_name):
        events = list(ComplaintEvent.objects.filter(complaint=case).order_by("id"))
        office_events = [e for e in events if e.data.get("office_user") == handler.pk]
        assert [(e.kind, e.to_status) for e in office_events] == [
            ("status", "acknowledged"), ("status", "waiting"), ("reply", ""), ("status", "resolved"),
            ("status", "closed")]
        assert {e.actor_label for e in office_events} == {"officer desk-banlat (สำนักงานท้องถิ่นอำเภอบ้านลาด)"}
        assert all(e.actor_id is None for e in events)
        sms = list(Notification.objects.filter(complaint=case, channel="sms").order_by("id")
                   .values_list("body", flat=True))
        moved = f"สำนักงานท้องถิ่นอำเภอบ้านลาด แจ้งกำหนดเวลาใหม่ของเรื่อง {case.tracking_code}: "
        # received, acknowledged, the request (the deadlines paused: one message), the deadlines running
        # again, reply, resolved, closed
        assert [body.startswith(moved) for body in sms] == [False, False, False, True, False, False, False]
        assert sms[2] == (f"สำนักงานท้องถิ่นอำเภอบ้านลาด ขอข้อมูลเพิ่มเติมสำหรับเรื่อง {case.tracking_code}: "
                          "ขอวันและเวลาที่เรียกรับเงิน (หยุดนับเวลาระหว่างรอข้อมูลจากท่าน)")
        assert sms[4] == f"สำนักงานท้องถิ่นอำเภอบ้านลาด ตอบเรื่อง {case.tracking_code}: อยู่ระหว่างสอบข้อเท็จจริง"
    # The citizen follows it on the body's portal as usual, and sees no one's name.
    with time_machine.travel(START + dt.timedelta(days=3, hours=2), tick=False):
        tracked = citizen.get("/track/case/").content.decode()
    assert "อยู่ระหว่างสอบข้อเท็จจริง" in tracked and "ปิดเรื่อง" in tracked
    assert "desk-banlat" not in tracked and "admin เทศบาลตำบลบ้านลาด" not in tracked


def test_an_officer_of_another_district_gets_404_and_changes_nothing(banlat: LocalBody) -> None:
    case, _citizen = file_conduct(banlat, ip="10.78.0.3")
    fact = fact_of(banlat, case)
    stranger = desk(officer_of("desk-muang", "district", "7601"))
    assert case.tracking_code not in stranger.get("/oversight/conduct/").content.decode()
    assert stranger.get(f"/oversight/conduct/{fact.pk}/").status_code == 404
    assert stranger.post(f"/oversight/conduct/{fact.pk}/acknowledge/", {"acknowledge-text": "x"}).status_code == 404
    assert stranger.post(f"/oversight/conduct/{fact.pk}/identity/").status_code == 404
    assert stranger.get(f"/oversight/conduct/{fact.pk}/files/1/").status_code == 404
    nation = desk(officer_of("desk-nation", "nation"))
    assert nation.get(f"/oversight/conduct/{fact.pk}/").status_code == 404
    assert case.tracking_code in nation.get("/oversight/conduct/").content.decode()  # figures, no way in
    assert f"/oversight/conduct/{fact.pk}/" not in nation.get("/oversight/conduct/").content.decode()
    fact.refresh_from_db()
    assert fact.status == "received"
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint_id=case.pk).count() == 0


def test_the_province_handles_a_complaint_about_the_district_office(banlat: LocalBody) -> None:
    district = desk(officer_of("desk-district", "district", "7606"))
    province_officer = officer_of("desk-province", "province", "76")
    with time_machine.travel(START, tick=False):
        case, _citizen = file_conduct(banlat, ip="10.78.0.4", national="conduct", about_district_office=True)
    fact = fact_of(banlat, case)
    assert (case.about_district_office, fact.about_district_office) == (True, True)
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        # Long overdue, and still not even its code reaches the district office.
        for url in ("/oversight/conduct/", "/oversight/overdue/", f"/oversight/bodies/{banlat.dla_code}/"):
            page = district.get(url)
            assert page.status_code == 200 and case.tracking_code not in page.content.decode(), url
        assert district.get(f"/oversight/conduct/{fact.pk}/").status_code == 404
        assert district.post(f"/oversight/conduct/{fact.pk}/acknowledge/").status_code == 404
        province = desk(province_officer)
        assert f'href="/oversight/conduct/{fact.pk}/"' in province.get("/oversight/conduct/").content.decode()
        response = province.post(f"/oversight/conduct/{fact.pk}/acknowledge/", {"acknowledge-text": ""})
        assert response.status_code == 302
    fact.refresh_from_db()
    assert (fact.status, fact.ack_met) == ("acknowledged", False)
    with schema_context(banlat.schema_name):
        event = ComplaintEvent.objects.filter(complaint=case, to_status="acknowledged").get()
        assert event.actor_label == "officer desk-province (สำนักงานท้องถิ่นจังหวัดเพชรบุรี)"
        sms = Notification.objects.filter(complaint=case, channel="sms").order_by("id").last()
        assert sms is not None and sms.body.startswith("สำนักงานท้องถิ่นจังหวัดเพชรบุรี แจ้งรับเรื่อง")


def test_each_identity_reveal_writes_an_audit_row_the_body_never_sees(banlat: LocalBody) -> None:
    handler = officer_of("desk-reveal", "district", "7606")
    case, _citizen = file_conduct(banlat, ip="10.78.0.5")
    fact = fact_of(banlat, case)
    office = desk(handler)
    for _ in range(2):
        shown = office.post(f"/oversight/conduct/{fact.pk}/identity/")
        assert shown.status_code == 200
        html = shown.content.decode()
        assert NAME in html and PHONE in html and EMAIL in html
    with schema_context(banlat.schema_name):
        rows = list(IdentityAccess.objects.filter(complaint_id=case.pk).order_by("id")
                    .values_list("user_id", "office_user_id", "actor_label", "context"))
    assert rows == [(None, handler.pk, "officer desk-reveal (สำนักงานท้องถิ่นอำเภอบ้านลาด)",
                     "oversight conduct desk")] * 2
    page = office.get(f"/oversight/conduct/{fact.pk}/").content.decode()
    assert page.count("officer desk-reveal (สำนักงานท้องถิ่นอำเภอบ้านลาด)") == 2 and PHONE not in page
    for url in ("/staff/admin/audit/", "/staff/admin/audit/?kind=identity"):
        audit = signed_in(banlat, "admin").get(url).content.decode()
        assert case.tracking_code not in audit and "desk-reveal" not in audit, url


def test_the_office_involves_the_body_with_a_notice_and_nothing_more(banlat: LocalBody) -> None:
    handler = officer_of("desk-notify", "district", "7606")
    case, citizen = file_conduct(banlat, ip="10.78.0.6")
    fact = fact_of(banlat, case)
    office = desk(handler)
    refused = office.post(f"/oversight/conduct/{fact.pk}/notify_body/", {"notify_body-text": "   "})
    assert refused.status_code == 400 and "กรุณากรอกข้อความถึงหน่วยงาน" in refused.content.decode()
    notice = "ขอให้ชี้แจงขั้นตอนการออกใบอนุญาตก่อสร้างภายใน 15 วัน"
    assert office.post(f"/oversight/conduct/{fact.pk}/notify_body/", {"notify_body-text": notice}).status_code == 302
    for role in ("admin", "executive"):
        page = signed_in(banlat, role).get("/staff/directives/").content.decode()
        assert notice in page and "สำนักงานท้องถิ่นอำเภอบ้านลาด" in page
        for secret in (case.tracking_code, DESCRIPTION, NAME, PHONE, "desk-notify"):
            assert secret not in page, (role, secret)
    for role in ("officer", "clerk"):
        assert signed_in(banlat, role).get("/staff/directives/").status_code == 403
    assert notice not in citizen.get("/track/case/").content.decode()
    fact.refresh_from_db()
    assert fact.status == "received"  # not a change to the case


def test_the_sweep_tells_the_handling_office_never_the_body(banlat: LocalBody) -> None:
    handler = officer_of("desk-sweep", "district", "7606")
    handler.email = "desk-sweep@office.example"
    with schema_context("public"):
        handler.save(update_fields=["email"])
    with time_machine.travel(START, tick=False):
        case, _citizen = file_conduct(banlat, ip="10.78.0.7")
    with schema_context("public"):  # where beat runs it
        report = stage_clocks_sweep(now=START + dt.timedelta(days=2))
    assert report.escalations == 1
    with schema_context(banlat.schema_name):
        staff_mail = set(Notification.objects.filter(complaint=case, channel="email")
                         .exclude(recipient=EMAIL).values_list("recipient", flat=True))
    assert staff_mail == {"desk-sweep@office.example"}
    assert user(banlat, "executive").email not in staff_mail


def test_the_register_import_refuses_a_conduct_row_with_a_reason(banlat: LocalBody) -> None:
    from tests.apps.complaints.test_staff_admin import HEADER, _sheet

    with schema_context(banlat.schema_name):
        conduct = Category.objects.get(national_category_id="conduct").name_th
        before = Complaint.objects.count()
    sheet = _sheet([HEADER, ["15/03/2568", "", conduct, "เจ้าหน้าที่พูดจาไม่สุภาพ", "", "", "", "ปิดเรื่อง", "ตักเตือนแล้ว",
                             "30/03/2568"]])
    response = signed_in(banlat, "admin").post("/staff/register/import/", {"file": sheet})
    assert response.status_code == 200
    [row] = response.context["report"].rows
    assert (row.number, row.ok, row.message) == (
        2, False, "เรื่องร้องเรียนพฤติกรรมเจ้าหน้าที่หรือการทุจริตนำเข้าทะเบียนของหน่วยงานไม่ได้ "
                  "สำนักงานท้องถิ่นที่กำกับดูแลเป็นผู้ดำเนินการ")
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == before


def test_an_overdue_conduct_case_does_not_count_against_the_body(banlat: LocalBody) -> None:
    from apps.oversight.models import DirectiveMeasure
    from apps.oversight.scoping import Scope
    from apps.oversight.services import directive_compliance_refresh, directive_issue

    with time_machine.travel(START, tick=False):
        case, _citizen = file_conduct(banlat, ip="10.78.0.8")
    conduct_fact = fact_of(banlat, case)
    # In this test's transaction, every other case of the body is done: only the conduct case is late.
    ComplaintFact.objects.filter(body=banlat).exclude(pk=conduct_fact.pk).update(status="closed")
    assert conduct_fact.ack_due_at is not None and conduct_fact.ack_due_at < START + dt.timedelta(days=5)
    issuer = officer_of("desk-directive", "district", "7606")
    with schema_context("public"), time_machine.travel(START + dt.timedelta(days=5), tick=False):
        directive = directive_issue(scope=Scope("district", "7606"), issued_by=issuer, title="ตอบเรื่องค้างให้ครบ",
                                    due_date=(START + dt.timedelta(days=30)).date(),
                                    requirements=[DirectiveMeasure.OVERDUE_ANSWERED], body_codes=[banlat.dla_code])
        assert directive_compliance_refresh(directive=directive) == 1


def test_staff_json_intake_of_a_conduct_complaint_about_the_district_office(banlat: LocalBody) -> None:
    clerk = signed_in(banlat, "clerk")
    created = clerk.post("/api/staff/v1/complaints/", {
        "channel": "phone", "category": category_id(banlat, "conduct"), "description": DESCRIPTION,
        "complainant": {"name": NAME, "phone": PHONE}, "about_district_office": True,
    }, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert clerk.get(f"/api/staff/v1/complaints/{pk}/").status_code == 404
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=pk)
    assert (fact.routed_to_oversight, fact.about_district_office) == (True, True)


def test_the_retention_job_anonymises_a_conduct_case_without_naming_it_to_the_body(banlat: LocalBody) -> None:
    from apps.audit.models import AuditEntry
    from apps.complaints.retention import complaints_anonymise

    case, _citizen = file_conduct(banlat, ip="10.78.0.9")
    with schema_context(banlat.schema_name):
        before = AuditEntry.objects.count()
        report = complaints_anonymise(complaint_ids=[case.pk])
        assert (report.complaints, report.tracking_codes) == (1, [case.tracking_code])
        assert Complaint.objects.get(pk=case.pk).complainant_phone == ""
        assert AuditEntry.objects.count() == before


def test_the_handling_office_opens_the_citizens_photo_and_a_stranger_cannot(banlat: LocalBody) -> None:
    from tests.apps.portal.helpers import jpeg

    citizen = _portal(banlat, "10.78.0.10")
    data = form_data(banlat, category=category_id(banlat, "corruption"), description=DESCRIPTION, name=NAME,
                     phone=PHONE)
    assert citizen.post("/complaints/conduct/", {**data, "photos": [jpeg("receipt.jpg")]}).status_code == 302
    case = filed(citizen, banlat)
    fact = fact_of(banlat, case)
    with schema_context(banlat.schema_name):
        photo = case.attachments.get()
    handler = desk(officer_of("desk-photo", "district", "7606"))
    page = handler.get(f"/oversight/conduct/{fact.pk}/").content.decode()
    assert f"/oversight/conduct/{fact.pk}/files/{photo.pk}/" in page
    response = handler.get(f"/oversight/conduct/{fact.pk}/files/{photo.pk}/")
    assert (response.status_code, response["Content-Type"], response["Cache-Control"]) == (
        200, "image/jpeg", "private, no-store")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    stranger = desk(officer_of("desk-photo-x", "district", "7601"))
    assert stranger.get(f"/oversight/conduct/{fact.pk}/files/{photo.pk}/").status_code == 404
    assert signed_in(banlat, "admin").get(f"/staff/cases/{case.pk}/files/{photo.pk}/").status_code == 404
