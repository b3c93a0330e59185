"""The seed loop in a real chromium, counted: the district office issues a directive to acknowledge
and to announce an SLA meeting the minimum, the body does both, the office sees it complied.
Only clicks and typed fields after sign-in are counted; every page is reached by a link.

- before: one requirement per directive, as the directive form allowed until it took several (two
  directives; the body had no page of its own for a directive: it acknowledged from the list and
  found the SLA editor in its menu);
- after: one directive with both requirements; the body opens it, acknowledges, and follows its
  link to the SLA editor.

Both run on this build. The table is printed (pytest -s) and written to
test-artifacts/e2e/seed-loop-clicks.txt."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import StaffMember
from apps.oversight.models import DirectiveTarget
from apps.oversight.services import oversight_profile_set
from apps.sla.models import Agreement
from tenants.models import LocalBody
from tests.e2e.conftest import ARTIFACTS, DESKTOP
from tests.e2e.test_content_security_policy import _sign_in

pytestmark = [pytest.mark.browser]


class Counted:
    """A page whose person-made actions are counted: clicks (a select's choice is one) and fields typed."""

    def __init__(self, page: Any) -> None:
        self.page, self.clicks, self.typed = page, 0, 0

    def click(self, locator: Any) -> None:
        locator.click()
        self.page.wait_for_load_state("load")
        self.clicks += 1

    def fill(self, locator: Any, text: str) -> None:
        locator.fill(text)
        self.typed += 1

    def select(self, locator: Any, value: str) -> None:
        locator.select_option(value)
        self.clicks += 1


def _issue(p: Counted, title: str, body: LocalBody, *, ack: bool, sla: bool) -> None:
    page = p.page
    p.click(page.locator("nav.site-nav").get_by_role("link", name="หนังสือสั่งการ"))
    p.click(page.get_by_role("link", name="ออกหนังสือสั่งการ"))
    p.fill(page.locator("#id_title"), title)
    if not ack:
        p.click(page.locator("input[name=requirements][value=ack]"))
    if sla:
        p.click(page.locator("input[name=requirements][value=sla_published]"))
    due = timezone.localdate().replace(day=28)
    p.fill(page.locator("input[name=due_date_0]"), "28")
    p.select(page.locator("select[name=due_date_1]"), str(due.month % 12 + 1))
    p.fill(page.locator("input[name=due_date_2]"), str(due.year + 543 + (1 if due.month == 12 else 0)))
    p.click(page.locator(f"input[name=bodies][value='{body.dla_code}']"))
    p.click(page.get_by_role("button", name="ออกหนังสือสั่งการ"))
    assert page.locator("h1").inner_text() == title


def _publish(p: Counted, tag: str) -> None:
    page = p.page
    p.fill(page.locator("#new-number"), f"{tag}/2569")
    p.click(page.get_by_role("button", name="สร้างร่างใหม่"))
    today = timezone.localdate()
    p.fill(page.locator("input[name=effective_from_0]"), str(today.day))
    p.select(page.locator("select[name=effective_from_1]"), str(today.month))
    p.fill(page.locator("input[name=effective_from_2]"), str(today.year + 543))
    p.click(page.get_by_role("button", name="ดูตัวอย่างประกาศ"))
    p.click(page.locator("#confirm-publish"))


def _people(body: LocalBody, tag: str, password: str) -> tuple[User, TOTPDevice, User, TOTPDevice]:
    officer = User.objects.create_user(f"loop-district-{tag}", password)
    oversight_profile_set(user=officer, level="district", code="7606", office_name="ท้องถิ่นอำเภอบ้านลาด")
    officer_device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    with schema_context(body.schema_name):
        admin = User.objects.create_user(f"loop-admin-{tag}", password)
        StaffMember.objects.create(user=admin, role="admin")
        admin_device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    return officer, officer_device, admin, admin_device


def test_the_seed_loop_before_and_after_in_clicks(browser: Any, portal_server: str, committed: None) -> None:
    tag = uuid.uuid4().hex[:6]
    password = f"e2e-loop-{tag}-long"
    # Two bodies with no agreement at all (not even a draft): each run uses up two of the district's.
    started = Agreement.objects.values_list("body_id", flat=True)
    free = list(LocalBody.objects.filter(district_id="7606").exclude(pk__in=started).order_by("dla_code")[:2])
    assert len(free) == 2, "two bodies of อำเภอบ้านลาด without an agreement are needed (--create-db)"
    platform = f"http://localhost:{portal_server}"
    rows = []
    for flow, body in (("before", free[0]), ("after", free[1])):
        officer, officer_device, admin, admin_device = _people(body, f"{flow}-{tag}", password)
        staff_base = f"http://{body.slug}.localhost:{portal_server}"
        context = browser.new_context(viewport=DESKTOP, locale="th-TH")
        office = Counted(context.new_page())
        _sign_in(office.page, platform, "/oversight", officer.username, password, officer_device, "public")
        titles = ([f"ตอบรับนโยบาย {tag}", f"ประกาศ SLA {tag}"] if flow == "before" else [f"ตอบรับและประกาศ SLA {tag}"])
        if flow == "before":
            _issue(office, titles[0], body, ack=True, sla=False)
            _issue(office, titles[1], body, ack=False, sla=True)
        else:
            _issue(office, titles[0], body, ack=True, sla=True)
        staff = Counted(context.new_page())
        _sign_in(staff.page, staff_base, "/staff", admin.username, password, admin_device, body.schema_name)
        page = staff.page
        staff.click(page.locator("nav.site-nav").get_by_role("link", name="หนังสือสั่งการ"))
        if flow == "before":
            staff.click(page.locator("li", has_text=titles[0]).get_by_role("button", name="ตอบรับทราบ"))
            staff.click(page.locator("nav.site-nav").get_by_role("link", name="ข้อตกลงระดับการให้บริการ"))
        else:
            staff.click(page.get_by_role("link", name=titles[0]))
            staff.click(page.get_by_role("button", name="ตอบรับทราบ"))
            staff.click(page.get_by_role("link", name="ไปที่หน้าจัดทำ SLA"))
        _publish(staff, f"{flow}{tag}")
        # The office looks: every directive of the loop complied.
        for title in titles:
            office.click(office.page.locator("nav.site-nav").get_by_role("link", name="หนังสือสั่งการ"))
            office.click(office.page.get_by_role("link", name=title))
            assert office.page.locator("#complied-count").inner_text() == "ปฏิบัติครบทุกข้อแล้ว 1 จาก 1 หน่วยงาน"
        targets = DirectiveTarget.objects.filter(body=body, directive__title__in=titles)
        assert [t.complied_at is not None for t in targets] == [True] * len(titles)
        context.close()
        rows.append((flow, len(titles), office.clicks + staff.clicks, office.typed + staff.typed))
    lines = [f"{'seed loop':<8} {'directives':>10} {'clicks':>7} {'fields typed':>13} {'actions':>8}"]
    lines += [f"{flow:<8} {n:>10} {clicks:>7} {typed:>13} {clicks + typed:>8}" for flow, n, clicks, typed in rows]
    table = "\n".join(lines)
    print("\n" + table)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "seed-loop-clicks.txt").write_text(table + "\n", encoding="utf-8")
    assert [(flow, clicks, typed) for flow, _n, clicks, typed in rows] == [("before", 23, 9), ("after", 16, 6)]
