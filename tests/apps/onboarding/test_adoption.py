"""The adoption view of oversight offices and its reminders, and the seed case end to end: the
Ban Lat district office directs เทศบาลตำบลบ้านลาด and every อบต. of the district to make and
announce an SLA with the national framework as the minimum, invites their administrators, and
watches who complies — bodies that never signed in included."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.onboarding.models import Invitation, SetupReminder
from apps.onboarding.selectors import body_adoption
from apps.onboarding.services import reminders_mail
from apps.oversight.models import Directive
from apps.oversight.scoping import Scope
from apps.oversight.services import oversight_profile_set
from apps.sla.services import sla_agreement_draft_create, sla_agreement_publish
from tenants.models import LocalBody
from tests.apps.onboarding.mailbox import Mailbox, deliver_outbox
from tests.apps.oversight.factories import fact, officer
from tests.signin import verified_login

PASSWORD = "ตั้งใหม่-ยาวพอ-2569-ถ้ำรงค์"  # noqa: S105 - test data
# Committed data other tests leave behind is older than 30 days at this date.
LATER = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
DISTRICT_BODIES = ["5760601"] + [f"67606{n:02d}" for n in range(2, 16)]  # บ้านลาด + 14 อบต.
WITH_STAFF = {"5760601", "6760609"}  # the standing cast: banlat and thasen have administrators


def _client(user: User) -> Client:
    return verified_login(Client(HTTP_HOST="localhost"), user)


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)]
            for r in rows]


def _publish(body: LocalBody, number: str) -> None:
    agreement = sla_agreement_draft_create(body=body, number=number)
    sla_agreement_publish(agreement=agreement, effective_from=LATER.date())


def test_the_ban_lat_seed_case_end_to_end(db: None, mailbox: Mailbox) -> None:
    with time_machine.travel(LATER, tick=True):
        district = User.objects.create_user("banlat-office", "pw-officer-1", full_name="นายอำเภอ")
        oversight_profile_set(user=district, level="district", code="7606", office_name="ท้องถิ่นอำเภอบ้านลาด")
        office = _client(district)
        # 1. The directive, to every body of the district (none ticked: all of them).
        due = (LATER.date() + dt.timedelta(days=30)).isoformat()
        response = office.post("/oversight/directives/new/", {
            "number": "พบ 0023.7/ว 12", "title": "จัดทำและประกาศข้อตกลงระดับการให้บริการ โดยใช้มาตรฐานกลางเป็นเกณฑ์ขั้นต่ำ",
            "text": "ให้ทุกหน่วยงานประกาศภายในกำหนด", "requirements": "sla_published", "due_date": due,
            "remind_days_before": 3})
        directive = Directive.objects.get()
        assert response.status_code == 302
        assert sorted(directive.targets.values_list("body__dla_code", flat=True)) == DISTRICT_BODIES
        # 2. Invitations for every body without an administrator, from one spreadsheet.
        lines = ["รหัส อปท.,ชื่อ-นามสกุล,ตำแหน่ง,อีเมล,โทรศัพท์มือถือ"] + [
            f"{code},ปลัด {code},ปลัด อบต.,palad{code}@dla.go.th,08100{code[-5:]}" for code in DISTRICT_BODIES]
        upload = office.post("/oversight/invitations/upload/", {
            "file": SimpleUploadedFile("banlat.csv", "\n".join(lines).encode("utf-8-sig"))})
        assert upload.status_code == 302
        outcomes = {r["dla_code"]: r["outcome"] for r in
                    Invitation.objects.first().batch.report}  # type: ignore[union-attr]
        assert outcomes == {code: "refused" if code in WITH_STAFF else "invited" for code in DISTRICT_BODIES}
        # 3. อบต.ถ้ำรงค์'s official claims through the e-mail and announces an SLA; อบต.บ้านทาน's claims
        #    and does nothing more; เทศบาลตำบลบ้านลาด (already using the platform) announces one; the
        #    eleven others never sign in.
        thamrong, banthan, banlat = (LocalBody.objects.get(dla_code=c) for c in ("6760602", "6760604", "5760601"))
        for body in (thamrong, banthan):
            deliver_outbox(body)
            link = mailbox.link(f"palad{body.dla_code}@dla.go.th")
            claimed = Client(HTTP_HOST=f"{body.slug}.localhost").post(link, {
                "username": "palad", "password1": PASSWORD, "password2": PASSWORD})
            assert claimed.status_code == 302
        _publish(thamrong, "1/2570")
        _publish(banlat, "2/2570")
        fact(banlat, received=LATER - dt.timedelta(days=3))
        # 4. The district's adoption figures, read from public tables only.
        page = office.get("/oversight/adoption/?district=7606")
        assert page.status_code == 200
        html = page.content.decode()
        assert [c.split(" ")[0] for c in _cells(html, "adoption-totals")[0]] == ["15", "13", "2", "0", "2", "1"]
        # 5. Who has not announced an SLA: thirteen bodies, those that never signed in among them.
        missing = office.get("/oversight/adoption/?district=7606&missing=sla").content.decode()
        listed = [row[0] for row in _cells(missing, "adoption-bodies")]
        assert listed == [c for c in DISTRICT_BODIES if c not in {"5760601", "6760602"}]
        # 6. One action reminds them all: shown on each body's staff pages, e-mailed to the invited
        #    administrator (thasen has none invited: shown only).
        reminded = office.post("/oversight/adoption/remind/", {"district": "7606", "missing": "sla"})
        assert reminded.status_code == 302
        assert SetupReminder.objects.count() == 13
        assert SetupReminder.objects.filter(emailed_to="").get().body.dla_code == "6760609"
        assert reminders_mail() == 12
        raikhok = LocalBody.objects.get(dla_code="6760610")
        deliver_outbox(raikhok)
        [mail] = mailbox.to("palad6760610@dla.go.th")[-1:]
        assert str(mail["Subject"]).strip() == ("ท้องถิ่นอำเภอบ้านลาด เตือน: จัดทำและประกาศข้อตกลงระดับการให้บริการ (SLA) "
                                               "โดยใช้มาตรฐานกลางของประเทศเป็นเกณฑ์ขั้นต่ำ")
        assert "http://raikhok.localhost/staff/setup/" in Mailbox.text(mail)
        with schema_context(banthan.schema_name):
            palad = User.objects.get(username="palad")
        staff = verified_login(Client(HTTP_HOST="banthan.localhost"), palad, schema=banthan.schema_name)
        checklist = staff.get("/staff/setup/").content.decode()
        assert "ท้องถิ่นอำเภอบ้านลาด" in checklist
        assert "ยังไม่ประกาศ SLA ที่ไม่ต่ำกว่ามาตรฐานกลาง" in checklist
        # 7. The directive's page: who complied, measured by the platform.
        detail = office.get(f"/oversight/directives/{directive.pk}/").content.decode()
        complied = {row[0] for row in re.findall(r"<tr><td>(\d{7})</td>(.*?)</tr>", detail, flags=re.S)
                    if 'class="complied"' in row[1]}
        assert complied == {"5760601", "6760602"}
        assert all(code in detail for code in DISTRICT_BODIES)


def test_a_province_sees_each_district_and_the_nation_each_province(db: None) -> None:

    # Later than any complaint other tests leave committed: the 30-day column counts none of them.
    with time_machine.travel(LATER, tick=True):
        _province_and_nation()


def _province_and_nation() -> None:
    from apps.onboarding.contacts import contact_clean
    from apps.onboarding.services import invitation_create

    province = officer("phetchaburi-office", "province", "76")
    contact, _errors = contact_clean(full_name="ปลัด ทดสอบ", position="ปลัด", email="p@x.go.th", mobile="0812345678")
    for code in ("6760604", "6760610", "4760102"):
        invitation_create(scope=Scope("province", "76"), dla_code=code, contact=contact, actor=province)
    html = _client(province).get("/oversight/adoption/").content.decode()
    rows = {row[0]: row[1:] for row in _cells(html, "adoption-areas")}
    assert rows["บ้านลาด"] == ["15", "2", "0", "0", "0", "0"]
    assert rows["เมืองเพชรบุรี"][1] == "1"
    national = User.objects.create_superuser("national-a", "pw-national-1")
    nation = {row[0]: row[1:] for row in _cells(_client(national).get("/oversight/adoption/").content.decode(),
                                               "adoption-areas")}
    assert nation["เพชรบุรี"][:2] == [str(LocalBody.objects.live().filter(province_id="76").count()), "3"]
    # Drilling outside the office's area is a 404.
    assert _client(province).get("/oversight/adoption/?province=10").status_code == 404


def test_the_adoption_figures_never_read_a_bodys_schema(db: None) -> None:
    scope = Scope("province", "76")
    with CaptureQueriesContext(connection) as queries:
        rows = body_adoption(scope)
    assert len(rows) == LocalBody.objects.live().filter(province_id="76").count()
    schemas = {b.schema_name for b in LocalBody.objects.bodies()}
    assert not [q["sql"] for q in queries.captured_queries if any(f'"{s}".' in q["sql"] for s in schemas)]
    assert {q["sql"] for q in queries.captured_queries if "search_path" in q["sql"].lower()} <= {
        'SET search_path = "public"'}
    # A fixed number of statements, whatever the number of bodies.
    with CaptureQueriesContext(connection) as district_queries:
        body_adoption(Scope("district", "7606"))
    def statements(captured: CaptureQueriesContext) -> int:
        return sum(1 for q in captured.captured_queries if "search_path" not in q["sql"])

    assert statements(district_queries) == statements(queries) == 12
