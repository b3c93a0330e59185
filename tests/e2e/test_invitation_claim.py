"""A district office invites a body's first administrator and the official claims it in a real
chromium: the office's form, the link in the e-mail as the body's outbox holds it, the password,
the second factor, and the first-run checklist."""

from __future__ import annotations

import re
import uuid

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Notification, Role, StaffMember
from apps.onboarding.models import BodySetup, Invitation
from apps.oversight.services import oversight_profile_set
from tenants.models import LocalBody
from tests.e2e.conftest import DESKTOP, PHONE, Shots
from tests.signin import authenticator, code_for, totp_code

pytestmark = [pytest.mark.browser]

BODY = "6760303"  # อบต. in อำเภอท่ายาง: outside the district the other onboarding tests use
PASSWORD = "ตั้งใหม่-ยาวพอ-2569-เบราว์เซอร์"  # noqa: S105 - test data


def _clean(body: LocalBody) -> None:
    """Committed data: this test leaves the body as it found it (no administrator, no invitation)."""
    Invitation.objects.filter(body=body).delete()
    BodySetup.objects.filter(body=body).delete()
    with schema_context(body.schema_name):
        User.objects.filter(staff__role=Role.ADMIN).delete()


def test_an_office_invites_and_the_official_claims_in_the_browser(
    browser: object, portal_server: str, committed: None, shots: Shots,
) -> None:
    body = LocalBody.objects.get(dla_code=BODY)
    _clean(body)
    marker = uuid.uuid4().hex[:6]
    officer = User.objects.create_user(f"invite-e2e-{marker}", "pw-invite-officer-1", full_name="ท้องถิ่นอำเภอ")
    oversight_profile_set(user=officer, level="district", code=body.district_id or "",
                          office_name="ท้องถิ่นอำเภอท่ายาง")
    address = f"palad-{marker}@dla.go.th"
    errors: list[str] = []
    try:
        office = browser.new_context(viewport=DESKTOP, locale="th-TH")  # type: ignore[attr-defined]
        page = office.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        platform = f"http://localhost:{portal_server}"
        authenticator(officer)  # enrolled already: the sign-in asks for its code
        page.goto(platform + "/oversight/login/?next=/oversight/invitations/")
        page.get_by_label("ชื่อผู้ใช้").fill(officer.username)
        page.get_by_label("รหัสผ่าน").fill("pw-invite-officer-1")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url(platform + "/oversight/second-factor/**")
        page.locator("#id_token").fill(code_for(officer))
        page.get_by_role("button", name="ยืนยัน").click()
        page.wait_for_url(platform + "/oversight/invitations/")
        page.get_by_label("รหัส อปท. (7 หลัก)").fill(BODY)
        page.get_by_label("ชื่อ-นามสกุล").fill("สมหญิง ตั้งใจ")
        page.get_by_label("ตำแหน่ง").fill("ปลัด อบต.")
        page.get_by_label("อีเมลทางราชการ").fill(address)
        page.get_by_label("โทรศัพท์มือถือ").fill("089 111 2222")
        page.get_by_role("button", name="ส่งคำเชิญ", exact=True).click()
        page.wait_for_selector(f"text=ส่งคำเชิญถึง {address} แล้ว")
        assert "รอรับคำเชิญ" in page.locator("table.ov-table").inner_text()
        shots(page, "office-invited")
        office.close()

        with schema_context(body.schema_name):
            mail = Notification.objects.filter(recipient=address).get()
        found = re.search(r"(/staff/welcome/[^/\s]+/)", mail.body)
        assert found is not None
        official = browser.new_context(viewport=PHONE, locale="th-TH")  # type: ignore[attr-defined]
        page = official.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        base = f"http://{body.slug}.localhost:{portal_server}"
        page.goto(base + found.group(1))
        assert "สมหญิง ตั้งใจ (ปลัด อบต.) ได้รับเชิญเป็นผู้ดูแลระบบ" in page.content()
        shots(page, "claim")
        page.get_by_label("ชื่อผู้ใช้").fill(f"somying{marker}")
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.get_by_role("button", name="ตั้งรหัสผ่านและดำเนินการต่อ").click()
        page.wait_for_url(base + "/staff/second-factor/setup/**")
        shots(page, "enrol")
        with schema_context(body.schema_name):
            device = TOTPDevice.objects.get(user__username=f"somying{marker}", confirmed=False)
            code = totp_code(device)
        page.locator("#id_token").fill(code)
        page.get_by_role("button", name="ยืนยัน").click()
        page.wait_for_selector(".recovery-codes")
        page.get_by_role("link", name="บันทึกรหัสแล้ว ไปต่อ").click()
        page.wait_for_url(base + "/staff/setup/")
        assert page.locator("#checklist-progress").inner_text() == "ทำแล้ว 0 จาก 7 รายการ"
        assert page.locator("li[data-item='sla_published'] a").get_attribute("href") == "/sla/manage/"
        shots(page, "checklist")
        official.close()
        with schema_context(body.schema_name):
            assert list(StaffMember.objects.values_list("user__username", "role")) == [(f"somying{marker}", "admin")]
        assert Invitation.objects.get(body=body).status == "claimed"
        assert errors == []
    finally:
        _clean(body)
