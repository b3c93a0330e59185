"""The staff case page, the citizen's receipt and tracked case in a real browser at 360×740 and
1280×800: axe-core finds no serious or critical violation; the photos show as the server's
thumbnails and the viewer opens, steps and closes with the keyboard only, showing the photo; the
pin is drawn on the map; the citizen answers a request for information with a photo and lands on
the case. Screenshots under test-artifacts/e2e/<test>/."""

from __future__ import annotations

import io
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from PIL import Image
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.complaints.models import Attachment, Complaint, Department, StaffMember
from apps.complaints.services.workflow import complaint_acknowledge, complaint_assign, complaint_request_info
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case
from tests.e2e.conftest import ARTIFACTS, Shots
from tests.e2e.test_accessibility import BLOCKING, axe
from tests.e2e.test_content_security_policy import _sign_in

pytestmark = [pytest.mark.browser]

SIZES = {"phone": {"width": 360, "height": 740}, "desk": {"width": 1280, "height": 800}}


def _photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _blocking(page: Any) -> list[str]:
    return [f"{v['impact']} {v['id']}: {v['help']} — {', '.join(v['nodes'])}" for v in axe(page)
            if v["impact"] in BLOCKING]


def _officer(banlat: LocalBody, tag: str, password: str) -> tuple[User, TOTPDevice]:
    with schema_context(banlat.schema_name):
        person = User.objects.create_user(f"desk-{tag}", password, full_name="สมปอง ช่างดี")
        StaffMember.objects.create(user=person, role="officer", department=Department.objects.get(code="engineering"))
        return person, TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)


def _clerk(banlat: LocalBody, tag: str) -> User:
    with schema_context(banlat.schema_name):
        person = User.objects.create_user(f"desk-clerk-{tag}", f"e2e-{tag}-long-password")
        StaffMember.objects.create(user=person, role="clerk")
        return person


def test_staff_case_page_viewer_map_and_axe(browser: Any, portal_server: str, committed: None,
                                            shots: Shots) -> None:
    tag = uuid.uuid4().hex[:8]
    password = f"e2e-desk-{tag}-long"
    banlat = LocalBody.objects.get(dla_code="5760601")
    case = make_case(banlat, description=f"ท่อระบายน้ำแตก น้ำท่วมถนน {tag}", phone="0812345678",
                     contact_allowed=("phone",),
                     uploads=[_photo("front.jpg", (200, 40, 40)), _photo("side.jpg", (40, 160, 60))],
                     latitude=Decimal("13.912345"), longitude=Decimal("99.950200"))
    actor = _clerk(banlat, tag)
    with schema_context(banlat.schema_name):
        complaint_acknowledge(complaint=case, actor=actor, text="")
        complaint_assign(complaint=Complaint.objects.get(pk=case.pk), actor=actor,
                         department=Department.objects.get(code="engineering"))
        complaint_request_info(complaint=Complaint.objects.get(pk=case.pk), actor=actor, text="ขอรูปมุมกว้าง")
    body = f"http://banlat.localhost:{portal_server}"
    problems: dict[str, list[str]] = {}
    for size, viewport in SIZES.items():
        person, device = _officer(banlat, f"{tag}-{size}", password)
        context = browser.new_context(viewport=viewport, locale="th-TH")
        page = context.new_page()
        _sign_in(page, body, "/staff", person.username, password, device, banlat.schema_name)
        page.goto(f"{body}/staff/cases/{case.pk}/", wait_until="networkidle")
        assert page.locator("#case-map path.leaflet-interactive").count() == 2  # the ring and the pin
        # On a phone the actions come after the timeline: a link in the first screen goes there with
        # the keyboard, focus and all; the desk's two columns need none.
        jump = page.locator("#jump-actions")
        if size == "phone":
            box = jump.bounding_box()
            assert box is not None and box["y"] + box["height"] <= viewport["height"]
            jump.focus()
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "actions"
            actions = page.locator("#actions").bounding_box()
            assert actions is not None and 0 <= actions["y"] < viewport["height"]
            first = page.locator("#actions summary").first.bounding_box()  # the first action, on screen
            assert first is not None and first["y"] + first["height"] <= viewport["height"]
        else:
            expect(jump).to_be_hidden()
        # The grid shows the server's thumbnails (640×480 photos: 320×240), the viewer the photo itself.
        thumbnails = page.locator("#photos img")
        thumbnails.last.scroll_into_view_if_needed()  # lazy images load once in view
        for i in range(2):
            expect(thumbnails.nth(i)).to_have_attribute("src", re.compile(r"/files/\d+/thumbnail/$"))
            expect(thumbnails.nth(i)).to_have_js_property("naturalWidth", 320)
            expect(thumbnails.nth(i)).to_have_js_property("naturalHeight", 240)
        shots(page, "case")
        problems[f"staff case ({size})"] = _blocking(page)
        page.click("#show-contact")
        page.wait_for_load_state("networkidle")
        assert page.locator("#contact a[href='tel:0812345678']").count() == 1
        # The viewer with the keyboard only: focus the first thumbnail, Enter, arrows, Escape.
        page.focus("#photos a.thumb >> nth=0")
        page.keyboard.press("Enter")
        assert page.evaluate("document.getElementById('photo-viewer').open") is True
        assert page.evaluate("document.activeElement.id") == "viewer-close"
        assert page.locator("#viewer-caption").inner_text() == "รูปที่ 1: front.jpg (1/2)"
        page.keyboard.press("ArrowRight")
        assert page.locator("#viewer-caption").inner_text() == "รูปที่ 2: side.jpg (2/2)"
        expect(page.locator("#viewer-image")).to_have_js_property("naturalWidth", 640)  # the photo, not its thumbnail
        shots(page, "viewer")
        problems[f"staff case, viewer open ({size})"] = _blocking(page)
        page.keyboard.press("Escape")
        assert page.evaluate("document.getElementById('photo-viewer').open") is False
        assert page.evaluate("document.activeElement.getAttribute('data-viewer')") == "0"  # focus returned
        context.close()
    assert not {k: v for k, v in problems.items() if v}, problems


def test_receipt_and_tracked_case_answer_with_a_photo_and_axe(browser: Any, portal_server: str, committed: None,
                                                             shots: Shots, tmp_path: Any) -> None:
    banlat = LocalBody.objects.get(dla_code="5760601")
    body = f"http://banlat.localhost:{portal_server}"
    problems: dict[str, list[str]] = {}
    photo = tmp_path / "answer.jpg"
    Image.new("RGB", (800, 600), (30, 90, 200)).save(photo, format="JPEG")
    for size, viewport in SIZES.items():
        tag = uuid.uuid4().hex[:6]
        context = browser.new_context(viewport=viewport, locale="th-TH")
        page = context.new_page()
        page.goto(f"{body}/complaints/new/", wait_until="networkidle")
        page.locator("label[for=cat-1]").click()  # the label covers its radio (a card)
        page.fill("#id_description", f"ไฟถนนดับทั้งซอย ทดสอบหน้ารับเรื่อง {tag}")
        page.fill("#id_name", "สมศรี ทดสอบ")
        page.fill("#id_phone", "0812345678")
        page.check("#id_consent")
        page.click("#submit-complaint")
        page.wait_for_url(f"{body}/complaints/receipt/")
        page.wait_for_load_state("networkidle")
        assert page.locator("#deadlines li").first.inner_text().startswith("รับเรื่องภายใน")
        shots(page, "receipt")
        problems[f"receipt ({size})"] = _blocking(page)
        code = page.locator("#tracking-code").inner_text().strip()
        with schema_context(banlat.schema_name):
            case = Complaint.objects.get(tracking_code=code)
            actor = _clerk(banlat, tag)
            complaint_acknowledge(complaint=case, actor=actor, text="")
            complaint_request_info(complaint=Complaint.objects.get(pk=case.pk), actor=actor,
                                   text="ขอรูปเสาไฟต้นที่ดับ")
        page.goto(f"{body}/track/case/", wait_until="networkidle")
        assert "ขอรูปเสาไฟต้นที่ดับ" in page.locator("#request-info").inner_text()
        shots(page, "asked")
        problems[f"tracked case, asked ({size})"] = _blocking(page)
        page.fill("#respond textarea", "ส่งรูปเสาไฟให้แล้วค่ะ")
        page.set_input_files("#id_respond_photos", str(photo))
        page.click("#respond button[type=submit]")
        page.wait_for_url(f"{body}/track/case/")
        page.wait_for_load_state("networkidle")
        assert page.locator("#case-status").inner_text() == "กำลังดำเนินการ"
        shots(page, "answered")
        problems[f"tracked case, answered ({size})"] = _blocking(page)
        with schema_context(banlat.schema_name):
            stored = Attachment.objects.get(complaint_id=case.pk)
            assert (stored.is_public, stored.content_type) == (False, "image/jpeg")
        context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert not {k: v for k, v in problems.items() if v}, problems
