"""A citizen on banlat.localhost, in a real chromium at phone and desktop sizes."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from apps.complaints.models import Complaint, Department
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_reply,
    complaint_resolve,
)
from tenants.models import LocalBody
from tests.conftest import staff
from tests.e2e.conftest import DESKTOP, PHONE, Shots

pytestmark = [pytest.mark.browser]


def _big_photo() -> bytes:
    """A 3000×2000 noisy JPEG (a phone camera's size): the page must shrink it before upload."""
    image = Image.effect_noise((3000, 2000), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_file_follow_see_reply_and_deadline_then_rate(
    browser: object, portal_server: str, committed: None, shots: Shots, viewport: dict[str, int],
) -> None:
    base = f"http://banlat.localhost:{portal_server}"
    phone_number = "0861110001" if viewport is PHONE else "0861110002"
    context = browser.new_context(viewport=viewport, locale="th-TH",  # type: ignore[attr-defined]
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "เทศบาลตำบลบ้านลาด"
    assert page.locator("#resolved-map.leaflet-container").count() == 1  # the map runs with no tiles
    shots(page, "home")

    page.get_by_role("link", name="แจ้งเรื่องร้องทุกข์").first.click()
    page.wait_for_url(base + "/complaints/new/")
    page.get_by_text("ไฟฟ้าสาธารณะ ไฟถนนดับ/ชำรุด").click()
    page.get_by_label("รายละเอียดเรื่องที่ร้องทุกข์").fill("ไฟถนนหน้าวัดดับมา 3 คืน มืดมาก อันตราย")
    photo = _big_photo()
    page.set_input_files("#id_photos", files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.wait_for_selector("#photo-previews img")
    sent_size = page.evaluate("document.getElementById('id_photos').files[0].size")
    assert sent_size < len(photo) / 2  # resized in the browser
    page.locator("#pick-map").click()  # a pin on the map (no tiles needed)
    assert page.locator("#id_latitude").input_value() != ""
    page.get_by_label("สถานที่เกิดเหตุ / ที่อยู่").fill("หน้าวัดบ้านลาด")
    page.get_by_label("หมู่ที่").fill("3")
    page.get_by_label("ชื่อ-นามสกุล").fill("สมหญิง ทดสอบ")
    page.get_by_label("หมายเลขโทรศัพท์").fill(phone_number)
    page.get_by_label("ข้าพเจ้าได้อ่านและรับทราบประกาศความเป็นส่วนตัวข้างต้นแล้ว").check()
    shots(page, "form-filled")
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_url(base + "/complaints/receipt/")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert page.locator("#second-factor").inner_text().strip() == phone_number[-4:]
    assert "ภายใน" in page.content()  # the promised deadlines
    shots(page, "receipt")

    body = LocalBody.objects.get(slug="banlat")
    with schema_context(body.schema_name):
        complaint = Complaint.objects.get(tracking_code=code)
        assert complaint.attachments.count() == 1 and complaint.latitude is not None
        admin = staff(body, "admin")
        complaint_acknowledge(complaint=complaint, actor=admin)
        complaint_reply(complaint=complaint, actor=admin, text="กองช่างจะเข้าซ่อมภายใน 3 วัน")

    follower = browser.new_context(viewport=viewport, locale="th-TH")  # type: ignore[attr-defined]
    page = follower.new_page()
    page.goto(base + "/track/")
    page.get_by_label("เลขติดตามเรื่อง").fill(code.lower())
    page.get_by_label("เลข 4 ตัวท้ายของโทรศัพท์ หรือรหัส PIN 6 หลัก").fill(phone_number[-4:])
    shots(page, "track-form")
    page.get_by_role("button", name="ดูสถานะ").click()
    page.wait_for_url(base + "/track/case/")
    assert "กองช่างจะเข้าซ่อมภายใน 3 วัน" in page.locator("#timeline").inner_text()
    deadlines = page.locator("#deadlines").inner_text()
    # The resolution (class B) is due 15 calendar days after receipt, shown in the Buddhist era.
    resolve_year = (timezone.localdate() + dt.timedelta(days=15)).year + 543
    assert "เหลือ" in deadlines
    assert str(resolve_year) in deadlines
    shots(page, "reply-and-deadline")

    with schema_context(body.schema_name):
        complaint_assign(complaint=complaint, actor=admin, department=Department.objects.get(code="engineering"))
        complaint_resolve(complaint=complaint, actor=admin, resolution="เปลี่ยนหลอดไฟแล้ว")
    page.reload()
    assert page.locator("#case-status").inner_text() == "ดำเนินการแล้วเสร็จ"
    page.locator("label[for=rating-5]").click()
    page.get_by_label("ความคิดเห็นเพิ่มเติม").fill("รวดเร็วมาก ขอบคุณ")
    shots(page, "rating")
    page.get_by_role("button", name="ส่งการประเมิน").click()
    page.wait_for_selector("text=ท่านให้คะแนน 5 จาก 5")
    shots(page, "rated")
    with schema_context(body.schema_name):
        complaint.refresh_from_db()
        assert complaint.rating == 5
    assert errors == []
    context.close()
    follower.close()


def test_the_complaint_form_weighs_under_300_kb(browser: object, portal_server: str, committed: None,
                                               shots: Shots) -> None:
    """Every byte the page loads before any photo: HTML, CSS, fonts, scripts, images."""
    context = browser.new_context(viewport=PHONE, locale="th-TH")  # type: ignore[attr-defined]
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.status < 300 else None)
    page.goto(f"http://banlat.localhost:{portal_server}/complaints/new/", wait_until="networkidle")
    total = sum(sizes.values())
    report = "\n".join(f"{size:>8} {url}" for url, size in sorted(sizes.items(), key=lambda kv: -kv[1]))
    (shots.folder / "weight.txt").write_text(f"{total} bytes in total\n{report}\n")
    shots(page, "form")
    assert not [url for url in sizes if "localhost" not in url], "nothing loads from elsewhere"
    assert total <= 300 * 1024, report
    context.close()


def test_find_a_body_by_typing_then_open_its_portal(browser: object, portal_server: str, committed: None,
                                                    shots: Shots) -> None:
    context = browser.new_context(viewport=PHONE, locale="th-TH")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"http://localhost:{portal_server}/")
    page.get_by_label("พิมพ์ชื่อหน่วยงาน (ไทยหรืออังกฤษ)").fill("ท่าเสน")
    link = page.get_by_role("link", name=re.compile("องค์การบริหารส่วนตำบลท่าเสน"))
    link.wait_for()
    shots(page, "search")
    page.select_option("#finder-province", "76")
    page.wait_for_selector("#finder-district option[value='7606']", state="attached")
    page.select_option("#finder-district", "7606")
    page.wait_for_selector("text=เทศบาลตำบลบ้านลาด")
    shots(page, "province-district")
    page.get_by_role("link", name=re.compile("เทศบาลตำบลบ้านลาด")).click()
    page.wait_for_url(f"http://banlat.localhost:{portal_server}/")
    assert page.locator("h1").inner_text() == "เทศบาลตำบลบ้านลาด"
    context.close()


def test_keyboard_users_reach_the_skip_link_and_the_language_switch(browser: object, portal_server: str,
                                                                     committed: None, shots: Shots) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="th-TH")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"http://banlat.localhost:{portal_server}/complaints/new/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_role("button", name="EN").click()
    page.wait_for_selector("h1:has-text('File a complaint')")
    shots(page, "english")
    page.get_by_role("button", name="ไทย").click()
    page.wait_for_selector("h1:has-text('แจ้งเรื่องร้องทุกข์')")
    context.close()
