"""Every oversight page in a real chromium: at 360 px wide, in Thai and in English, the page never
scrolls sideways (document.scrollWidth <= the viewport's width; wide tables scroll inside
themselves); and axe-core finds no serious or critical violation on the directive pages (the
office's and the body's), the conduct desk, the onboarding and adoption pages and the national
admin pages, at 360 and 1280 px. Findings are written to test-artifacts/e2e/oversight-pages.txt."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import StaffMember
from apps.oversight.models import DirectiveMeasure, DirectiveTarget
from apps.oversight.scoping import Scope
from apps.oversight.services import directive_issue, oversight_profile_set
from apps.reporting.models import ComplaintFact
from apps.sla.models import Framework
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case
from tests.e2e.conftest import ARTIFACTS, DESKTOP
from tests.e2e.test_accessibility import BLOCKING, axe
from tests.e2e.test_content_security_policy import _sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}


def _visit(page: Any, url: str) -> None:
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, url


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_oversight_pages_fit_a_phone_and_have_no_serious_axe_violation(
    browser: Any, portal_server: str, committed: None,
) -> None:
    tag = uuid.uuid4().hex[:8]
    password = f"e2e-ov-{tag}-long"
    banlat = LocalBody.objects.get(dla_code="5760601")
    officer = User.objects.create_user(f"ov-district-{tag}", password, full_name=f"ปลัดอำเภอ {tag}")
    oversight_profile_set(user=officer, level="district", code="7606", office_name="ท้องถิ่นอำเภอบ้านลาด")
    officer_device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    national = User.objects.create_user(f"ov-nation-{tag}", password, is_staff=True, is_superuser=True)
    oversight_profile_set(user=national, level="nation")
    national_device = TOTPDevice.objects.create(user=national, name="authenticator", confirmed=True)
    with schema_context(banlat.schema_name):
        admin = User.objects.create_user(f"ov-admin-{tag}", password)
        StaffMember.objects.create(user=admin, role="admin")
        admin_device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    directive = directive_issue(
        scope=Scope("district", "7606"), issued_by=officer, title=f"ประกาศ SLA และตอบเรื่องค้าง {tag}",
        number="พบ 0023.7/ว 12", text="ให้ทุกหน่วยงานประกาศข้อตกลงระดับการให้บริการ และตอบเรื่องที่เกินกำหนดให้ครบ",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        requirements=[DirectiveMeasure.ACKNOWLEDGEMENT, DirectiveMeasure.SLA_PUBLISHED,
                      DirectiveMeasure.OVERDUE_ANSWERED])
    target = DirectiveTarget.objects.get(directive=directive, body=banlat)
    conduct = make_case(banlat, national="corruption", description=f"เรียกรับเงินค่าตรวจแบบ {tag}")
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=conduct.pk)
    assert fact.routed_to_oversight
    framework = Framework.objects.order_by("pk").first()
    assert framework is not None

    platform = f"http://localhost:{portal_server}"
    body = f"http://banlat.localhost:{portal_server}"
    # (url, label, axe): every page is measured at 360 px; axe runs where the brief asks.
    office = [(f"{platform}/oversight/", "dashboard", False),
              (f"{platform}/oversight/performance/", "performance", False),
              (f"{platform}/oversight/overdue/", "overdue", False),
              (f"{platform}/oversight/conduct/", "conduct desk", True),
              (f"{platform}/oversight/conduct/{fact.pk}/", "conduct desk: case", True),
              (f"{platform}/oversight/directives/", "directives", False),
              (f"{platform}/oversight/directives/new/", "new directive", False),
              (f"{platform}/oversight/directives/{directive.pk}/", "directive", True),
              (f"{platform}/oversight/bodies/5760601/", "body", False),
              (f"{platform}/oversight/adoption/", "adoption", True),
              (f"{platform}/oversight/adoption/?district=7606&missing=sla", "adoption: missing SLA", True),
              (f"{platform}/oversight/invitations/", "invitations", True)]
    staff = [(f"{body}/staff/directives/", "body: directives", True),
             (f"{body}/staff/directives/{target.pk}/", "body: directive", True)]
    admin_pages = [(f"{platform}/admin/", "national admin: index", True),
                   (f"{platform}/admin/sla/framework/", "national admin: frameworks", True),
                   (f"{platform}/admin/sla/framework/{framework.pk}/change/", "national admin: framework", True),
                   (f"{platform}/admin/oversight/directive/", "national admin: directives", True),
                   (f"{platform}/admin/oversight/directive/{directive.pk}/change/", "national admin: directive",
                    True)]
    overflow: dict[str, int] = {}
    found: dict[str, list[dict[str, Any]]] = {}

    def walk(page: Any, pages: list[tuple[str, str, bool]], context: Any, host: str) -> None:
        for language in ("th", "en"):
            context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
            for size, viewport in (("360", PHONE), ("1280", DESKTOP)):
                page.set_viewport_size(viewport)
                for url, label, with_axe in pages:
                    if size == "1280" and not (with_axe and language == "th"):
                        continue
                    _visit(page, url)
                    if size == "360":
                        overflow[f"{label} ({language}, 360)"] = _overflow(page)
                    if with_axe and language == "th":
                        found[f"{label} ({size})"] = axe(page)

    context = browser.new_context(viewport=PHONE, locale="th-TH")
    page = context.new_page()
    _sign_in(page, platform, "/oversight", officer.username, password, officer_device, "public")
    walk(page, office, context, "localhost")
    _sign_in(page, body, "/staff", admin.username, password, admin_device, banlat.schema_name)
    walk(page, staff, context, "banlat.localhost")
    context.close()
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    page = context.new_page()
    _sign_in(page, platform, "/oversight", national.username, password, national_device, "public")
    walk(page, admin_pages, context, "localhost")
    context.close()

    lines = [f"{'page':<58} {'px wider than the viewport':>26}"]
    lines += [f"{name:<58} {px:>26}" for name, px in overflow.items()]
    lines += ["", f"{'page (axe)':<58} serious+critical  all  rules"]
    for name, violations in found.items():
        serious = sum(1 for v in violations if v["impact"] in BLOCKING)
        rules = ", ".join(f"{v['id']} ({v['impact']})" for v in violations) or "—"
        lines.append(f"{name:<58} {serious:>16}  {len(violations):>3}  {rules}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "oversight-pages.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert {name: px for name, px in overflow.items() if px > 0} == {}
    blocking = {name: [f"{v['impact']} {v['id']}: {v['help']} — {', '.join(v['nodes'])}" for v in violations
                       if v["impact"] in BLOCKING] for name, violations in found.items()}
    problems = {name: v for name, v in blocking.items() if v}
    assert not problems, "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in problems.items())
