"""Under the Content-Security-Policy every page still works: chromium reports no violation on the
citizen pages (maps, charts, the finder), the staff pages and the oversight pages with their inline
chart scripts — after a real sign-in with password and second factor."""

from __future__ import annotations

import uuid

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import StaffMember
from apps.oversight.models import OversightProfile, ScopeLevel
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case
from tests.e2e.conftest import DESKTOP
from tests.signin import totp_code

pytestmark = [pytest.mark.browser]


class Watch:
    """CSP violations as the page sees them (securitypolicyviolation) and as chromium logs them."""

    def __init__(self, page: object) -> None:
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda message: self.console.append(message.text))  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))  # type: ignore[attr-defined]
        page.add_init_script(  # type: ignore[attr-defined]
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")

    def violations(self, page: object) -> list[str]:
        seen = list(page.evaluate("window.__csp"))  # type: ignore[attr-defined]
        return seen + [text for text in self.console if "Content Security Policy" in text]


def _visit(page: object, watch: Watch, url: str) -> None:
    response = page.goto(url, wait_until="networkidle")  # type: ignore[attr-defined]
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    assert watch.violations(page) == [], url
    assert watch.errors == [], url


def _sign_in(page: object, base: str, prefix: str, username: str, password: str, device: TOTPDevice,
             schema: str) -> None:
    page.goto(f"{base}{prefix}/login/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="เข้าสู่ระบบ").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}{prefix}/second-factor/**")  # type: ignore[attr-defined]
    with schema_context(schema):
        device.refresh_from_db()
        code = totp_code(device)
    page.fill("#id_token", code)  # type: ignore[attr-defined]
    page.get_by_role("button", name="ยืนยัน").click()  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert "/second-factor/" not in page.url  # type: ignore[attr-defined]


def test_citizen_and_staff_and_oversight_pages_show_no_csp_violation(
    browser: object, portal_server: str, committed: None,
) -> None:
    tag = uuid.uuid4().hex[:8]
    password = f"e2e-csp-{tag}-long"
    banlat = LocalBody.objects.get(dla_code="5760601")
    with schema_context(banlat.schema_name):
        staff_user = User.objects.create_user(f"csp-admin-{tag}", password)
        StaffMember.objects.create(user=staff_user, role="admin")
        staff_device = TOTPDevice.objects.create(user=staff_user, name="authenticator", confirmed=True)
    officer = User.objects.create_user(f"csp-district-{tag}", password)
    OversightProfile.objects.create(user=officer, level=ScopeLevel.DISTRICT, district_id="7606")
    officer_device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    # A complaint in this fiscal year: the body's oversight page draws its trend chart (a period
    # without complaints shows a sentence instead).
    make_case(banlat, description=f"ท่อระบายน้ำอุดตัน หน้าตลาด {tag}")

    context = browser.new_context(viewport=DESKTOP, locale="th-TH")  # type: ignore[attr-defined]
    page = context.new_page()
    watch = Watch(page)
    body = f"http://banlat.localhost:{portal_server}"
    platform = f"http://localhost:{portal_server}"
    for url in (f"{platform}/", f"{body}/", f"{body}/complaints/new/", f"{body}/stats/", f"{body}/sla/",
                f"{body}/sla/announcement/", f"{body}/staff/login/", f"{platform}/oversight/login/"):
        _visit(page, watch, url)

    _sign_in(page, body, "/staff", staff_user.username, password, staff_device, banlat.schema_name)
    for url in (f"{body}/staff/", f"{body}/staff/intake/", f"{body}/staff/admin/staff/", f"{body}/sla/manage/"):
        _visit(page, watch, url)

    _sign_in(page, platform, "/oversight", officer.username, password, officer_device, "public")
    for url in (f"{platform}/oversight/", f"{platform}/oversight/performance/",
                f"{platform}/oversight/bodies/5760601/"):
        _visit(page, watch, url)
    assert page.locator("canvas[data-chart=trend-data]").count() == 1
    context.close()
