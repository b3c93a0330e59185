"""The body admin's service-area page (/staff/setup/service-area/) in a real browser at 360×740:
no sideways scrolling and no serious or critical axe violation, in Thai and in English; the หมู่ที่
typed on the phone are saved and shown again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings

from tenants.models import ServiceArea
from tenants.service_areas import service_area_manifest, service_areas_seed
from tests.e2e.conftest import Shots
from tests.e2e.test_accessibility import BLOCKING, _people, axe
from tests.e2e.test_content_security_policy import _sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
PAGE = "/staff/setup/service-area/"


def _fits(page: Any) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth]")
    assert max(widths) <= PHONE["width"], (page.url, widths)


def _placeholders_fit(page: Any) -> None:
    """Each หมู่ที่ box shows its whole example (a placeholder cut off at 360 px says nothing)."""
    cut = page.evaluate("""() => [...document.querySelectorAll('.service-area-row input[type=text]')].filter(el => {
      const style = getComputedStyle(el), g = document.createElement('canvas').getContext('2d');
      g.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return g.measureText(el.placeholder).width > room;
    }).map(el => el.id)""")
    assert cut == [], cut


def _blocking(page: Any) -> list[str]:
    return [f"{v['impact']} {v['id']}: {', '.join(v['nodes'])}" for v in axe(page) if v["impact"] in BLOCKING]


def test_the_service_area_page_at_phone_size_in_thai_and_english(browser: Any, portal_server: str,
                                                                 committed: None, shots: Shots) -> None:
    tag = uuid.uuid4().hex[:8]
    password = f"e2e-area-{tag}-long"
    banlat, admin, device, _officer, _officer_device = _people(f"area-{tag}", password)
    base = f"http://banlat.localhost:{portal_server}"
    context = browser.new_context(viewport=PHONE, locale="th-TH", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _sign_in(page, base, "/staff", admin.username, password, device, banlat.schema_name)
        page.goto(base + PAGE, wait_until="networkidle")
        assert page.locator("h1").inner_text() == "พื้นที่ให้บริการ"
        assert page.locator(".service-area-row").count() == 18  # the subdistricts of อำเภอบ้านลาด
        _fits(page)
        _placeholders_fit(page)
        shots(page, "thai")
        assert _blocking(page) == []
        page.fill("#moo-760601", "๑-๓, 5")  # Thai digits, as typed on a Thai keyboard
        page.click("#service-area-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.input_value("#moo-760601") == "1-3, 5"
        assert service_area_manifest(banlat) == [{"subdistrict": "760601", "moo": [1, 2, 3, 5], "source": "body"}]
        _fits(page)
        page.fill("#moo-760601", "7-2")
        page.click("#service-area-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("#moo-help-760601 .errorlist").inner_text() == \
            "หมู่ที่ “7-2” ไม่ถูกต้อง ใช้ตัวเลข 1 ถึง 99 จากน้อยไปมาก"
        _fits(page)
        shots(page, "refused")
        assert _blocking(page) == []
        context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
        page.goto(base + PAGE, wait_until="networkidle")
        assert page.locator("h1").inner_text() == "Service area"
        assert page.locator("label[for=moo-760601]").inner_text() == "Villages (moo) served in Ban Lat subdistrict"
        _fits(page)
        _placeholders_fit(page)
        assert page.get_attribute("#moo-760601", "placeholder") == "e.g. 1-5, 7 (blank: all)"
        shots(page, "english")
        assert _blocking(page) == []
    finally:
        context.close()
        ServiceArea.objects.filter(body=banlat).delete()  # the database outlives the test
        service_areas_seed([banlat])
