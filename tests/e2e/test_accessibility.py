"""Accessibility in a real browser: axe-core (vendored, apps/ui/static/ui/vendor/axe-core) runs on
every citizen, staff and oversight page, at phone and desk sizes, after a real sign-in; no page
may have a serious or critical violation. Every violation found (any impact) is written by page
to test-artifacts/e2e/axe-report.txt."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import StaffMember
from apps.complaints.services.follow import case_follow
from apps.oversight.models import OversightProfile, ScopeLevel
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case
from tests.e2e.conftest import ARTIFACTS, DESKTOP
from tests.e2e.test_content_security_policy import _sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
AXE = "/static/ui/vendor/axe-core/axe.min.js"
BLOCKING = {"serious", "critical"}


def axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE)  # same origin: allowed by the Content-Security-Policy
    return list(page.evaluate("""async () => {
      const result = await axe.run(document, {resultTypes: ['violations']});
      return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }"""))


class Audit:
    def __init__(self) -> None:
        self.found: dict[str, list[dict[str, Any]]] = {}

    def visit(self, page: Any, url: str, label: str) -> None:
        response = page.goto(url, wait_until="networkidle")
        assert response.status == 200, url
        size = "phone" if page.viewport_size["width"] < 600 else "desktop"
        self.found[f"{label} ({size})"] = axe(page)

    def blocking(self) -> dict[str, list[str]]:
        return {page: [f"{v['impact']} {v['id']}: {v['help']} — {', '.join(v['nodes'])}" for v in found
                       if v["impact"] in BLOCKING] for page, found in self.found.items()
                if any(v["impact"] in BLOCKING for v in found)}

    def write(self, path: Path) -> None:
        lines = [f"{'page':<60} serious+critical  all  rules"]
        for page, found in self.found.items():
            serious = sum(1 for v in found if v["impact"] in BLOCKING)
            rules = ", ".join(f"{v['id']} ({v['impact']})" for v in found) or "—"
            lines.append(f"{page:<60} {serious:>16}  {len(found):>3}  {rules}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _people(tag: str, password: str) -> tuple[LocalBody, User, TOTPDevice, User, TOTPDevice]:
    banlat = LocalBody.objects.get(dla_code="5760601")
    with schema_context(banlat.schema_name):
        staff_user = User.objects.create_user(f"axe-admin-{tag}", password)
        StaffMember.objects.create(user=staff_user, role="admin")
        staff_device = TOTPDevice.objects.create(user=staff_user, name="authenticator", confirmed=True)
    officer = User.objects.create_user(f"axe-district-{tag}", password)
    OversightProfile.objects.create(user=officer, level=ScopeLevel.DISTRICT, district_id="7606")
    officer_device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    return banlat, staff_user, staff_device, officer, officer_device


def test_every_page_has_no_serious_or_critical_axe_violation(
    browser: Any, portal_server: str, committed: None,
) -> None:
    tag = uuid.uuid4().hex[:8]
    password = f"e2e-axe-{tag}-long"
    banlat = LocalBody.objects.get(dla_code="5760601")
    case = make_case(banlat, national="drainage", description=f"ท่อระบายน้ำอุดตัน หน้าบ้านเลขที่ {tag}",
                     phone="0812345678")
    body = f"http://banlat.localhost:{portal_server}"
    platform = f"http://localhost:{portal_server}"
    with schema_context(banlat.schema_name):
        follower = case_follow(complaint_id=case.pk, phone="0812345679", email="", consent=True, language="th",
                               site=body)[0]
    audit = Audit()
    citizen = [(f"{platform}/", "platform: find a body"),
               (f"{platform}/finder/place/?subdistrict=760706&moo=3", "platform: find a body by place"),
               (f"{body}/", "citizen: body home"),
               (f"{body}/complaints/new/", "citizen: complaint form"),
               (f"{body}/complaints/conduct/", "citizen: conduct complaint form"),
               (f"{body}/track/", "citizen: track"), (f"{body}/stats/", "citizen: statistics"),
               (f"{body}/sla/", "citizen: SLA"), (f"{body}/sla/announcement/", "citizen: SLA announcement"),
               (f"{body}/reports/", "citizen: public reports"),
               (f"{body}/reports/{case.public_id}/", "citizen: public report"),
               (f"{body}/reports/stop/{follower.stop_key}/", "citizen: stop following"),
               (f"{body}/staff/login/", "staff: sign-in"), (f"{platform}/oversight/login/", "oversight: sign-in")]
    staff = [(f"{body}/staff/", "staff: inbox"), (f"{body}/staff/cases/{case.pk}/", "staff: case"),
             (f"{body}/staff/intake/", "staff: intake"), (f"{body}/staff/admin/departments/", "staff: departments"),
             (f"{body}/staff/admin/categories/", "staff: categories"), (f"{body}/staff/admin/staff/", "staff: staff"),
             (f"{body}/staff/admin/audit/", "staff: audit log"), (f"{body}/staff/admin/outbox/", "staff: outbox"),
             (f"{body}/staff/directives/", "staff: directives"), (f"{body}/sla/manage/", "staff: SLA editor"),
             (f"{body}/sla/calendar/", "staff: closures"), (f"{body}/settings/profile/", "staff: body profile"),
             (f"{body}/staff/setup/service-area/", "staff: service area")]
    oversight = [(f"{platform}/oversight/", "oversight: dashboard"),
                 (f"{platform}/oversight/performance/", "oversight: performance"),
                 (f"{platform}/oversight/overdue/", "oversight: overdue"),
                 (f"{platform}/oversight/conduct/", "oversight: conduct"),
                 (f"{platform}/oversight/directives/", "oversight: directives"),
                 (f"{platform}/oversight/directives/new/", "oversight: new directive"),
                 (f"{platform}/oversight/bodies/5760601/", "oversight: body")]
    for size, viewport in (("phone", PHONE), ("desk", DESKTOP)):
        # One account per size: a one-time code is refused the second time within its 30 seconds.
        banlat, staff_user, staff_device, officer, officer_device = _people(f"{tag}-{size}", password)
        context = browser.new_context(viewport=viewport, locale="th-TH")
        page = context.new_page()
        for url, label in citizen:
            audit.visit(page, url, label)
        _sign_in(page, body, "/staff", staff_user.username, password, staff_device, banlat.schema_name)
        for url, label in staff:
            audit.visit(page, url, label)
        _sign_in(page, platform, "/oversight", officer.username, password, officer_device, "public")
        for url, label in oversight:
            audit.visit(page, url, label)
        context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    audit.write(ARTIFACTS / "axe-report.txt")
    problems = audit.blocking()
    assert not problems, "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in problems.items())


def tab_to(page: Any, selector: str, *, most: int = 80) -> None:
    """Press Tab (only the keyboard) until the element matching `selector` has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def keyboard_describe(page: Any, *, description: str, name: str, phone: str) -> None:
    """With the keyboard only: the first category, the description, the name and the phone."""
    tab_to(page, "input[name=category]")
    page.keyboard.press("ArrowDown")  # radios: the arrow keys move the choice
    page.keyboard.press("ArrowUp")
    tab_to(page, "#id_description")
    page.keyboard.type(description)
    tab_to(page, "#id_name")
    page.keyboard.type(name)
    tab_to(page, "#id_phone")
    page.keyboard.type(phone)


def keyboard_send(page: Any, base: str) -> str:
    """With the keyboard only: acknowledge the privacy notice and send; the receipt's tracking code."""
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "#submit-complaint")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/complaints/receipt/")
    return str(page.locator("#tracking-code").inner_text().strip())


def test_a_complaint_is_filed_with_the_keyboard_only(browser: Any, portal_server: str, committed: None) -> None:
    from apps.complaints.models import Complaint

    banlat = LocalBody.objects.get(dla_code="5760601")
    tag = uuid.uuid4().hex[:6]
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    page = context.new_page()
    base = f"http://banlat.localhost:{portal_server}"
    page.goto(f"{base}/complaints/new/", wait_until="networkidle")
    keyboard_describe(page, description=f"ไฟถนนดับทั้งซอย แจ้งด้วยแป้นพิมพ์ {tag}", name="สมศรี แป้นพิมพ์",
                      phone="0812345678")
    code = keyboard_send(page, base)
    with schema_context(banlat.schema_name):
        complaint = Complaint.objects.get(tracking_code=code)
        assert complaint.description == f"ไฟถนนดับทั้งซอย แจ้งด้วยแป้นพิมพ์ {tag}"
        assert complaint.complainant_name == "สมศรี แป้นพิมพ์"
    context.close()


def test_the_staff_desk_works_with_the_keyboard_only(browser: Any, portal_server: str, committed: None) -> None:
    from apps.complaints.models import Complaint
    from apps.complaints.status import Status
    from tests.signin import totp_code

    tag = uuid.uuid4().hex[:8]
    password = f"e2e-keys-{tag}-long"
    banlat, staff_user, staff_device, _officer, _device = _people(f"keys-{tag}", password)
    case = make_case(banlat, national="road", description=f"ถนนเป็นหลุม ทดสอบแป้นพิมพ์ {tag}")
    context = browser.new_context(viewport=DESKTOP, locale="th-TH")
    page = context.new_page()
    base = f"http://banlat.localhost:{portal_server}"
    page.goto(f"{base}/staff/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(staff_user.username)
    tab_to(page, "#id_password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/staff/second-factor/**")
    with schema_context(banlat.schema_name):
        code = totp_code(staff_device)
    tab_to(page, "#id_token")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/second-factor/" not in url)
    page.wait_for_load_state("networkidle")
    tab_to(page, "#id_q")  # the inbox: find the case by its code
    page.keyboard.type(case.tracking_code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, f"a[href='/staff/cases/{case.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/staff/cases/{case.pk}/")
    tab_to(page, "details.action > summary")  # the first action: แจ้งรับเรื่อง
    assert page.evaluate("document.activeElement.textContent") == "แจ้งรับเรื่อง"
    page.keyboard.press("Enter")  # opens it
    tab_to(page, "details[open] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=case.pk).status == Status.ACKNOWLEDGED
    context.close()
