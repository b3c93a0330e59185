"""Consent to be contacted, in a real chromium at 360×740 with the keyboard only: a channel's choice
appears once its contact is typed, the choice is stored exactly, the receipt shows it, and the
citizen withdraws it from the tracking page."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint
from tenants.models import LocalBody
from tests.e2e.conftest import Shots
from tests.e2e.test_accessibility import BLOCKING, PHONE, axe, keyboard_describe, keyboard_send, tab_to

pytestmark = [pytest.mark.browser]


def test_filing_with_consent_by_keyboard_on_a_phone_then_withdrawing_it(browser: Any, portal_server: str,
                                                                        committed: None, shots: Shots) -> None:
    banlat = LocalBody.objects.get(dla_code="5760601")
    tag = uuid.uuid4().hex[:6]
    number = "089" + "".join(secrets.choice("0123456789") for _ in range(7))
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = f"http://banlat.localhost:{portal_server}"
    page.goto(f"{base}/complaints/new/", wait_until="networkidle")
    # Nothing to consent to before a contact is given; every choice starts unticked.
    assert [page.locator(f"#id_contact_{c}").is_visible() for c in ("phone", "email", "line")] == [False] * 3
    keyboard_describe(page, description=f"ท่อระบายน้ำอุดตันหน้าบ้าน {tag}", name="สมพร ยินยอม", phone=number)
    tab_to(page, "#id_email")
    page.keyboard.type(f"somporn-{tag}@example.org")
    assert [page.locator(f"#id_contact_{c}").is_visible() for c in ("phone", "email", "line")] == [True, True, False]
    assert not page.locator("#id_contact_phone").is_checked()
    found = [v for v in axe(page) if v["impact"] in BLOCKING]
    assert found == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tab_to(page, "#id_contact_phone")
    page.keyboard.press("Space")
    page.locator("#contact").scroll_into_view_if_needed()
    shots(page, "consent-ticked")
    code = keyboard_send(page, base)
    assert page.locator("#consent-list").inner_text().strip() == "โทรศัพท์ (โทรหรือส่ง SMS)"
    shots(page, "receipt")
    with schema_context(banlat.schema_name):
        complaint = Complaint.objects.get(tracking_code=code)
        assert (complaint.contact_allowed, complaint.complainant_email) == (["phone"], f"somporn-{tag}@example.org")

    page.goto(f"{base}/track/case/", wait_until="networkidle")
    tab_to(page, "#withdraw-phone")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=ถอนความยินยอมแล้ว เจ้าหน้าที่จะไม่ติดต่อท่านทางช่องทางนั้นอีก")
    assert page.locator("#consent-summary").inner_text() == "ท่านไม่ได้ยินยอมให้เจ้าหน้าที่ติดต่อท่านโดยตรง"
    shots(page, "withdrawn")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    found = [v for v in axe(page) if v["impact"] in BLOCKING]
    assert found == []
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=complaint.pk).contact_allowed == []
    assert errors == []
    context.close()
