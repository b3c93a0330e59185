"""The public reports in a real chromium at 360 px and at desk size, in Thai and English: the list
and its map, a report's page, following it, and the nearby reports the complaint form shows."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.complaints.models import CaseFollower
from apps.portal.models import IntakeThrottle
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case
from tests.e2e.conftest import DESKTOP

pytestmark = [pytest.mark.browser]

NARROW = {"width": 360, "height": 740}


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.url


@pytest.mark.parametrize(("viewport", "language"), [(NARROW, "th"), (NARROW, "en"), (DESKTOP, "th")],
                         ids=["360-th", "360-en", "desk-th"])
def test_a_citizen_finds_a_report_on_the_list_and_follows_it(
        browser: Any, portal_server: str, committed: None, viewport: dict[str, int], language: str) -> None:
    banlat = LocalBody.objects.get(dla_code="5760601")
    with schema_context(banlat.schema_name):  # every browser test posts from 127.0.0.1: its allowance starts afresh
        IntakeThrottle.objects.all().delete()
    tag = uuid.uuid4().hex[:6]
    case = make_case(banlat, national="streetlight", description=f"ไฟดับ {tag}", moo=tag,
                     latitude="13.000100", longitude="99.950200")
    base = f"http://banlat.localhost:{portal_server}"
    context = browser.new_context(viewport=viewport, locale="th-TH")
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{base}/reports/?status=open", wait_until="networkidle")
    assert page.locator("h1").inner_text() == ("เรื่องที่มีผู้แจ้งในพื้นที่" if language == "th" else "Reports in the area")
    assert page.locator("#reports-map.leaflet-container").count() == 1  # drawn with no tile server
    _no_sideways_scroll(page)
    page.locator(f'[data-report="{case.public_id}"] a').click()
    page.wait_for_url(f"{base}/reports/{case.public_id}/")
    assert page.locator("#report-area").inner_text() == (f"หมู่ที่ {tag}" if language == "th" else f"Moo {tag}")
    assert page.locator('meta[property="og:title"]').get_attribute("content").startswith(
        "ไฟฟ้าสาธารณะ" if language == "th" else "Streetlights")
    assert case.tracking_code not in page.content() and f"ไฟดับ {tag}" not in page.content()
    _no_sideways_scroll(page)

    phone = f"089{uuid.uuid4().int % 10**7:07d}"  # a number of its own: following is limited per number
    page.locator("#id_phone").fill(phone)
    page.locator("#id_consent").check()
    page.locator("#follow-submit").click()
    page.wait_for_url(f"{base}/reports/{case.public_id}/?following=1#following")
    assert page.locator("#following").is_visible()
    _no_sideways_scroll(page)
    with schema_context(banlat.schema_name):
        assert list(CaseFollower.objects.filter(complaint_id=case.pk).values_list("address", "language")) == \
            [(phone, language)]
    assert errors == []
    context.close()


def test_the_complaint_form_shows_the_same_problem_reported_in_the_same_moo(
        browser: Any, portal_server: str, committed: None) -> None:
    banlat = LocalBody.objects.get(dla_code="5760601")
    tag = uuid.uuid4().hex[:6]
    case = make_case(banlat, national="streetlight", description=f"ไฟดับ {tag}", moo=tag)
    base = f"http://banlat.localhost:{portal_server}"
    context = browser.new_context(viewport=NARROW, locale="th-TH")
    page = context.new_page()
    page.goto(f"{base}/complaints/new/", wait_until="networkidle")
    assert page.locator("#nearby-reports").is_hidden()
    page.get_by_text("ไฟฟ้าสาธารณะ ไฟถนนดับ/ชำรุด").click()
    page.locator("#id_moo").fill(tag)
    link = page.locator(f'#nearby-list a[href="/reports/{case.public_id}/"]')
    link.wait_for()
    assert page.locator("#nearby-reports").is_visible()
    assert page.locator("#nearby-list li").count() == 1
    _no_sideways_scroll(page)
    page.get_by_text("ถนน ทางเท้า สะพาน").first.click()  # another category: nothing the same
    page.locator("#nearby-reports").wait_for(state="hidden")
    context.close()
