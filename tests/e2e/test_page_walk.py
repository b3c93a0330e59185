"""Every citizen, staff and oversight page, walked as the people who use them walk it: at 360 px
wide, in Thai and in English, signed in as a body admin, then as a district and a provincial
officer. On every page: no sideways scrolling (document.scrollingElement.scrollWidth <= 360), no
raw code of the code's own vocabularies where a person reads (every TextChoices value of the
project's models and every national category code, built from the code, see page_text.Vocabulary),
no Thai on an English page except what is marked as data (translate="no" or lang="th": names,
people's words), and no English on a Thai page. Findings by page go to
test-artifacts/e2e/page-walk.txt. With RONGTHUK_WALK_SHOTS=1 every page is also photographed at
360 and 1280 px (test-artifacts/e2e/page-walk/)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Complaint, Department, StaffMember
from apps.complaints.services.follow import case_follow
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_close,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
)
from apps.oversight.models import DirectiveMeasure, DirectiveTarget
from apps.oversight.scoping import Scope
from apps.oversight.services import directive_issue, oversight_profile_set
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case
from tests.e2e.conftest import ARTIFACTS, DESKTOP
from tests.e2e.page_text import READ_TEXT, Vocabulary, data_names, problems
from tests.e2e.test_content_security_policy import _sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("RONGTHUK_WALK_SHOTS") == "1"


def _officer(tag: str, password: str, level: str, code: str, office: str) -> tuple[User, TOTPDevice]:
    person = User.objects.create_user(f"walk-{level}-{tag}", password, full_name=f"เจ้าหน้าที่ {tag}")
    oversight_profile_set(user=person, level=level, code=code, office_name=office)
    return person, TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)


def _cases(banlat: LocalBody, tag: str, admin: User) -> dict[str, Complaint]:
    """One case at each point a person sees: in progress with a reply, waiting for the citizen,
    closed after resolution."""
    going = make_case(banlat, national="drainage", description=f"ท่อระบายน้ำอุดตัน หน้าบ้านเลขที่ {tag}",
                      phone="0812345678")
    waiting = make_case(banlat, national="road", description=f"ถนนเป็นหลุมลึก ซอย 3 {tag}", phone="0812345677")
    closed = make_case(banlat, national="streetlight", description=f"ไฟถนนดับ หน้าวัด {tag}", phone="0812345676")
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering")
        for case in (going, waiting, closed):
            complaint_acknowledge(complaint=Complaint.objects.get(pk=case.pk), actor=admin, text="")
            complaint_assign(complaint=Complaint.objects.get(pk=case.pk), actor=admin, department=engineering)
        complaint_reply(complaint=Complaint.objects.get(pk=going.pk), actor=admin, text="กองช่างจะเข้าซ่อมภายใน 3 วัน")
        complaint_request_info(complaint=Complaint.objects.get(pk=waiting.pk), actor=admin, text="ขอรูปมุมกว้าง")
        complaint_resolve(complaint=Complaint.objects.get(pk=closed.pk), actor=admin, resolution="เปลี่ยนหลอดไฟแล้ว")
        complaint_close(complaint=Complaint.objects.get(pk=closed.pk), actor=admin, text="")
    return {"going": going, "waiting": waiting, "closed": closed}


# A paragraph of text ends at least 12 px short of the window's right edge and is not justified
# (Thai has no spaces to stretch: a justified line is words with gaps, run to the edge).
EDGE = """() => [...document.querySelectorAll('main p')].filter(p => p.offsetParent !== null && p.innerText.trim())
  .flatMap(p => { const r = p.getBoundingClientRect(), align = getComputedStyle(p).textAlign;
    return r.right > window.innerWidth - 12 || align === 'justify'
      ? [`text against the right edge (${align}, ends at ${Math.round(r.right)} px): ${p.innerText.slice(0, 40)}`]
      : []; })"""


def _clear_of_the_edge(page: Any) -> list[str]:
    return list(page.evaluate(EDGE))


def test_every_page_reads_right_at_phone_width_in_thai_and_english(
    browser: Any, portal_server: str, committed: None,
) -> None:
    tag = uuid.uuid4().hex[:8]
    password = f"e2e-walk-{tag}-long"
    vocabulary = Vocabulary.load()
    banlat = LocalBody.objects.get(dla_code="5760601")
    with schema_context(banlat.schema_name):
        usernames = frozenset(User.objects.values_list("username", flat=True))
    with schema_context(banlat.schema_name):
        admin = User.objects.create_user(f"walk-admin-{tag}", password, full_name=f"ผู้ดูแล {tag}")
        StaffMember.objects.create(user=admin, role="admin")
        admin_device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    cases = _cases(banlat, tag, admin)
    going, closed = cases["going"], cases["closed"]
    with schema_context(banlat.schema_name):
        follower = case_follow(complaint_id=going.pk, phone="0812345679", email="", consent=True, language="th",
                               site=f"http://banlat.localhost:{portal_server}")[0]
    district, district_device = _officer(tag, password, "district", "7606", "ท้องถิ่นอำเภอบ้านลาด")
    province, province_device = _officer(tag, password, "province", "76", "ท้องถิ่นจังหวัดเพชรบุรี")
    directive = directive_issue(
        scope=Scope("district", "7606"), issued_by=district, title=f"ประกาศ SLA และตอบเรื่องค้าง {tag}",
        number="พบ 0023.7/ว 12", text="ให้ทุกหน่วยงานประกาศข้อตกลงระดับการให้บริการ",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        requirements=[DirectiveMeasure.ACKNOWLEDGEMENT, DirectiveMeasure.SLA_PUBLISHED])
    target = DirectiveTarget.objects.get(directive=directive, body=banlat)
    conduct = make_case(banlat, national="corruption", description=f"เรียกรับเงินค่าตรวจแบบ {tag}")
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=conduct.pk)
    names = data_names([banlat.schema_name])
    usernames |= frozenset(User.objects.values_list("username", flat=True))

    def check(page: Any) -> list[str]:
        return problems(page.evaluate(READ_TEXT), vocabulary, viewport_width=PHONE["width"], names=names,
                        usernames=usernames)

    body = f"http://banlat.localhost:{portal_server}"
    platform = f"http://localhost:{portal_server}"
    citizen = [f"{platform}/", f"{platform}/finder/place/?subdistrict=760706&moo=3", f"{body}/",
               f"{body}/complaints/new/", f"{body}/complaints/conduct/", f"{body}/track/", f"{body}/stats/",
               f"{body}/sla/", f"{body}/sla/announcement/", f"{body}/reports/", f"{body}/reports/{going.public_id}/",
               f"{body}/reports/{closed.public_id}/", f"{body}/reports/stop/{follower.stop_key}/",
               f"{body}/staff/login/", f"{platform}/oversight/login/"]
    staff = [f"{body}/staff/", f"{body}/staff/?status=closed", f"{body}/staff/cases/{going.pk}/",
             f"{body}/staff/cases/{cases['waiting'].pk}/", f"{body}/staff/cases/{closed.pk}/", f"{body}/staff/intake/",
             f"{body}/staff/admin/departments/", f"{body}/staff/admin/categories/", f"{body}/staff/admin/staff/",
             f"{body}/staff/admin/audit/", f"{body}/staff/admin/outbox/", f"{body}/staff/admin/notifications/",
             f"{body}/staff/admin/data-requests/", f"{body}/staff/directives/",
             f"{body}/staff/directives/{target.pk}/", f"{body}/sla/manage/", f"{body}/sla/calendar/",
             f"{body}/settings/profile/", f"{body}/staff/setup/service-area/"]
    oversight = [f"{platform}/oversight/", f"{platform}/oversight/performance/", f"{platform}/oversight/overdue/",
                 f"{platform}/oversight/directives/", f"{platform}/oversight/directives/new/",
                 f"{platform}/oversight/directives/{directive.pk}/", f"{platform}/oversight/bodies/5760601/",
                 f"{platform}/oversight/adoption/", f"{platform}/oversight/invitations/"]
    district_only = [f"{platform}/oversight/conduct/", f"{platform}/oversight/conduct/{fact.pk}/"]

    found: dict[str, list[str]] = {}
    folder = ARTIFACTS / "page-walk"
    folder.mkdir(parents=True, exist_ok=True)

    def walk(page: Any, context: Any, urls: list[str], host: str, who: str) -> None:
        for language in ("th", "en"):
            context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
            for url in urls:
                page.set_viewport_size(PHONE)
                response = page.goto(url, wait_until="load")  # deferred scripts have run
                assert response.status == 200, url
                name = f"{url.split(':' + portal_server, 1)[1]} ({who}, {language})"
                found[name] = check(page) + _clear_of_the_edge(page)
                if SHOTS:
                    where = url.split(portal_server, 1)[1].replace("/", "_")
                    stem = f"{len(found):03d}-{who.replace(' ', '-')}-{host.split('.')[0]}{where}"
                    page.screenshot(path=str(folder / f"{stem}-{language}-360.png"), full_page=True)
                    page.set_viewport_size(DESKTOP)
                    page.screenshot(path=str(folder / f"{stem}-{language}-1280.png"), full_page=True)

    context = browser.new_context(viewport=PHONE, locale="th-TH")
    page = context.new_page()
    walk(page, context, [u for u in citizen if u.startswith(body)], "banlat.localhost", "citizen")
    walk(page, context, [u for u in citizen if u.startswith(platform)], "localhost", "citizen")
    # The citizen's own case: signed in to tracking with the code and the phone's last digits.
    page.set_viewport_size(PHONE)
    for language in ("th", "en"):
        context.add_cookies([{"name": "django_language", "value": language, "domain": "banlat.localhost",
                              "path": "/"}])
        for case in cases.values():
            page.goto(f"{body}/track/")
            page.fill("input[name=code]", case.tracking_code)
            page.fill("input[name=second_factor]", case.complainant_phone[-4:])
            with page.expect_navigation(wait_until="load"):
                page.locator("main form button[type=submit]").first.click()
            name = f"/track/case/ {case.tracking_code} (citizen, {language})"
            found[name] = check(page)
            if SHOTS:
                page.screenshot(path=str(folder / f"track-{case.pk}-{language}-360.png"), full_page=True)
    context.add_cookies([{"name": "django_language", "value": "th", "domain": "banlat.localhost", "path": "/"}])
    _sign_in(page, body, "/staff", admin.username, password, admin_device, banlat.schema_name)
    walk(page, context, staff, "banlat.localhost", "body admin")
    context.close()
    # The provincial officer: the pages whose content is the scope's (the rest are the district's pages).
    provincial = [u for u in oversight if u.endswith(("/oversight/", "/performance/", "/overdue/", "/adoption/"))]
    for officer, device, urls, who in ((district, district_device, oversight + district_only, "district"),
                                       (province, province_device, provincial, "province")):
        context = browser.new_context(viewport=PHONE, locale="th-TH")
        page = context.new_page()
        _sign_in(page, platform, "/oversight", officer.username, password, device, "public")
        walk(page, context, urls, "localhost", who)
        context.close()

    lines = [f"{name}\n  " + "\n  ".join(items) for name, items in found.items() if items]
    (ARTIFACTS / "page-walk.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not lines, f"{len(lines)} pages break a rule (test-artifacts/e2e/page-walk.txt):\n" + "\n".join(lines)


@pytest.mark.django_db
def test_the_rules_catch_each_kind_of_problem() -> None:
    """The page rules on pages made up for them: each kind of problem is found, data is let be."""
    vocabulary = Vocabulary.load()
    assert {"in_progress", "urgent_hazard", "walk_in", "transfer_offered"} <= vocabulary.marked
    assert {"drainage", "closed", "reply"} <= vocabulary.words

    def read(lang: str, *texts: tuple[str, bool], width: int = 360) -> dict[str, Any]:
        return {"lang": lang, "width": width, "wide": ["main > table (520 px)"],
                "texts": [{"text": text, "data": data, "where": "main > p"} for text, data in texts]}

    names = ["เทศบาลตำบลบ้านลาด", "สมชาย ใจดี"]

    def check(page: dict[str, Any]) -> list[str]:
        return problems(page, vocabulary, viewport_width=360, names=names, usernames=frozenset({"clerk"}))

    assert check(read("th", ("สถานะ → in_progress", False), ("หมวด drainage", False), ("ข/reply", False),
                      ("B/reply", False))) == [
        "raw code ['in_progress'] in 'สถานะ → in_progress' at main > p",
        "raw code ['drainage'] in 'หมวด drainage' at main > p",
        "raw code ['reply'] in 'ข/reply' at main > p",
        "raw code ['B/reply', 'reply'] in 'B/reply' at main > p",
        "English on a Thai page: 'B/reply' at main > p",
    ]
    assert check(read("en", ("Status: in_progress", False), ("Drainage and flooding was closed", False),
                      ("กองช่าง", False), ("เทศบาลตำบลบ้านลาด · Ban Lat", False), ("ท่อแตก หน้าวัด", True),
                      ("— clerk สมชาย ใจดี", False))) == [
        "raw code ['in_progress'] in 'Status: in_progress' at main > p",
        "Thai on an English page: 'กองช่าง' at main > p",
    ]
    assert check(read("th", ("ข้อตกลงระดับการให้บริการ (Service Level Agreement)", False),
                      ("แจ้งผ่าน LINE หรือ SMS", False), ("ติดต่อ info@banlat.go.th", False),
                      ("Print", False), ("ท่อแตก Engineering", True))) == [
        "English on a Thai page: 'Print' at main > p",
    ]
    assert check(read("th", width=520)) == [
        "scrolls sideways: 520 px wide in a 360 px window, from main > table (520 px)"]
