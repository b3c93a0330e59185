"""The district officer's conduct desk in a real chromium: a corruption complaint filed on
banlat's portal reaches อำเภอบ้านลาด's officer, who reveals the complainant (audited), acknowledges
and replies; banlat's admin sees nothing of it."""

from __future__ import annotations

import uuid

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Complaint, IdentityAccess
from apps.oversight.services import oversight_profile_set
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import DESKTOP, Shots
from tests.signin import authenticator, code_for

pytestmark = [pytest.mark.browser]


def test_district_officer_reveals_acknowledges_and_replies_at_the_desk(
    browser: object, portal_server: str, committed: None, shots: Shots,
) -> None:
    body = LocalBody.objects.get(slug="banlat")
    marker = uuid.uuid4().hex[:6]
    username = f"desk-e2e-{marker}"
    officer = User.objects.create_user(username, "pw-desk-officer-1", full_name=f"ปลัดอำเภอ ทดสอบ {marker}")
    oversight_profile_set(user=officer, level="district", code="7606")
    phone = f"086{int(marker, 16) % 10**7:07d}"
    description = f"เจ้าหน้าที่กองช่างเรียกรับเงินค่าตรวจแบบ ({marker})"

    citizen = browser.new_context(viewport=DESKTOP, locale="th-TH")  # type: ignore[attr-defined]
    page = citizen.new_page()
    base = f"http://banlat.localhost:{portal_server}"
    page.goto(base + "/complaints/conduct/")
    page.get_by_text("การทุจริตและประพฤติมิชอบ").first.click()
    page.get_by_label("รายละเอียดเรื่องที่ร้องทุกข์").fill(description)
    page.get_by_label("ชื่อ-นามสกุล").fill("สมศักดิ์ กล้าแจ้ง")
    page.get_by_label("หมายเลขโทรศัพท์").fill(phone)
    page.get_by_label("ข้าพเจ้าได้อ่านและรับทราบประกาศความเป็นส่วนตัวข้างต้นแล้ว").check()
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_url(base + "/complaints/receipt/")
    code = page.locator("#tracking-code").inner_text().strip()
    assert "ท้องถิ่นอำเภอ" in page.locator("#routed").inner_text()
    citizen.close()
    fact = ComplaintFact.objects.get(tracking_code=code)

    errors: list[str] = []
    context = browser.new_context(viewport=DESKTOP, locale="th-TH")  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    platform = f"http://localhost:{portal_server}"
    authenticator(officer)  # enrolled already: the sign-in asks for its code
    page.goto(platform + "/oversight/login/?next=/oversight/conduct/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill("pw-desk-officer-1")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(platform + "/oversight/second-factor/**")
    page.locator("#id_token").fill(code_for(officer))
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url(platform + "/oversight/conduct/")
    row = page.locator(f"#conduct tr[data-code='{code}']")
    assert "เทศบาลตำบลบ้านลาด" in row.inner_text()
    shots(page, "desk-list")
    row.get_by_role("link", name=code).click()
    page.wait_for_url(f"{platform}/oversight/conduct/{fact.pk}/")
    assert page.locator("#description").inner_text().strip() == description
    assert phone not in page.content()
    assert page.locator("#case-status").inner_text() == "รับเรื่องแล้ว"
    shots(page, "case")

    page.locator("#reveal").click()
    page.wait_for_selector("#identity")
    assert "สมศักดิ์ กล้าแจ้ง" in page.locator("#identity").inner_text()
    assert phone in page.locator("#identity").inner_text()
    shots(page, "identity-revealed")
    with schema_context(body.schema_name):
        complaint = Complaint.objects.get(tracking_code=code)
        assert list(IdentityAccess.objects.filter(complaint=complaint).values_list("office_user_id", flat=True)) == [
            officer.pk]

    page.goto(f"{platform}/oversight/conduct/{fact.pk}/")
    page.locator("#action-acknowledge summary").click()
    page.locator("#id_acknowledge-text").fill("สำนักงานท้องถิ่นอำเภอบ้านลาดรับเรื่องไว้ตรวจสอบแล้ว")
    page.locator("#action-acknowledge button[type=submit]").click()
    page.wait_for_selector("text=แจ้งรับเรื่องแล้ว")
    assert page.locator("#case-status").inner_text() == "แจ้งรับเรื่องแล้ว"
    page.locator("#action-resume summary").click()
    page.locator("#action-resume button[type=submit]").click()
    page.wait_for_selector("#case-status:has-text('กำลังดำเนินการ')")
    page.locator("#action-reply summary").click()
    page.locator("#id_reply-text").fill("อยู่ระหว่างสอบข้อเท็จจริงกับผู้เกี่ยวข้อง")
    page.locator("#action-reply button[type=submit]").click()
    page.wait_for_selector("#timeline >> text=อยู่ระหว่างสอบข้อเท็จจริงกับผู้เกี่ยวข้อง")
    assert "ผู้ร้องเห็น" in page.locator("#timeline li[data-kind=reply]").inner_text()
    assert page.locator("#reveals li").count() == 1
    shots(page, "acknowledged-and-replied")
    fact.refresh_from_db()
    assert (fact.status, fact.ack_met, fact.first_reply_at is not None) == ("in_progress", True, True)

    # banlat's admin, signed in on the body's own site, finds nothing.
    staff = browser.new_context(viewport=DESKTOP, locale="th-TH")  # type: ignore[attr-defined]
    page = staff.new_page()
    with schema_context(body.schema_name):
        admin = authenticator(User.objects.get(username="admin")).user
    page.goto(base + "/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("admin")
    page.get_by_label("รหัสผ่าน").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(base + "/staff/second-factor/**")
    page.locator("#id_token").fill(code_for(admin, schema=body.schema_name))
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url(base + "/staff/")
    page.goto(f"{base}/staff/?q={code}")
    assert page.locator("tbody").inner_text().strip() == "ไม่มีเรื่องตามเงื่อนไขนี้"
    assert page.locator(f"tbody a:has-text('{code}')").count() == 0
    response = page.goto(f"{base}/staff/cases/{complaint.pk}/")
    assert response is not None and response.status == 404
    shots(page, "admin-sees-nothing")
    assert errors == []
    context.close()
    staff.close()
