"""The body admin's service-area page (/staff/setup/service-area/) and the case page's one-step
transfer of a case filed at the wrong body."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint
from tenants.models import LocalBody
from tenants.service_areas import AreaEntry, service_area_manifest, service_area_set
from tests.apps.complaints.staff_helpers import make_case, signed_in

pytestmark = pytest.mark.django_db

PAGE = "/staff/setup/service-area/"


def _row(html: str, code: str) -> str:
    return html.split(f'data-subdistrict="{code}"', 1)[1].split("</div>\n", 2)[1]


def test_the_admin_sees_the_districts_tambons_with_the_registrys_guess_ticked(banlat: LocalBody) -> None:
    page = signed_in(banlat, "admin").get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="field service-area-row') == 18  # the tambons of อำเภอบ้านลาด
    assert '<input type="checkbox" name="sd-760601" id="sd-760601" checked>' in html
    assert '<input type="checkbox" name="sd-760607" id="sd-760607">' in html
    assert 'id="service-area-guessed"' in html
    assert "องค์การบริหารส่วนตำบลท่าเสน ดูแลทั้งตำบล" in html  # who else serves ต.ท่าเสน


def test_the_admin_saves_subdistricts_and_moo(banlat: LocalBody) -> None:
    admin = signed_in(banlat, "admin")
    saved = admin.post(PAGE, {"sd-760601": "on", "moo-760601": "", "sd-760607": "on", "moo-760607": "๑-๓, 8"},
                       follow=True)
    assert saved.status_code == 200 and "บันทึกพื้นที่ให้บริการแล้ว" in saved.content.decode()
    assert service_area_manifest(banlat) == [{"subdistrict": "760601", "moo": [], "source": "body"},
                                             {"subdistrict": "760607", "moo": [1, 2, 3, 8], "source": "body"}]
    html = saved.content.decode()
    assert 'value="1-3, 8"' in html and 'id="service-area-guessed"' not in html


def test_a_bad_moo_is_refused_in_its_row_and_nothing_changes(banlat: LocalBody) -> None:
    before = service_area_manifest(banlat)
    page = signed_in(banlat, "admin").post(PAGE, {"sd-760601": "on", "moo-760601": "1-x"})
    html = page.content.decode()
    assert page.status_code == 400
    assert 'aria-invalid="true"' in html and "หมู่ที่ “1-x” ไม่ถูกต้อง ใช้ตัวเลข เช่น 1-5, 7" in html
    assert 'value="1-x"' in html
    nothing = signed_in(banlat, "admin").post(PAGE, {})
    assert nothing.status_code == 400 and "เลือกอย่างน้อยหนึ่งตำบลที่หน่วยงานให้บริการ" in nothing.content.decode()
    assert service_area_manifest(banlat) == before


def test_an_officer_cannot_edit_the_service_area(banlat: LocalBody) -> None:
    before = service_area_manifest(banlat)
    refused = signed_in(banlat, "officer").post(PAGE, {"sd-760607": "on"})
    assert refused.status_code in (403, 404)
    assert service_area_manifest(banlat) == before


def test_a_case_in_another_bodys_area_is_transferred_there_in_one_step(banlat: LocalBody,
                                                                      thasen: LocalBody) -> None:
    case = make_case(banlat, subdistrict_code="760607", moo="4")  # ต.ท่าเสน: อบต.ท่าเสน's area
    officer = signed_in(banlat, "officer")
    html = officer.get(f"/staff/cases/{case.pk}/").content.decode()
    card = html.split('id="wrong-body"', 1)[1].split("</section>", 1)[0]
    assert "ต.ท่าเสน หมู่ที่ 4 ไม่ใช่พื้นที่ของหน่วยงานนี้" in card
    assert f'name="transfer-to_body" value="{thasen.pk}"' in card
    assert "ส่งต่อไปยังองค์การบริหารส่วนตำบลท่าเสน" in card
    sent = officer.post(f"/staff/cases/{case.pk}/transfer/",
                        {"transfer-to_body": str(thasen.pk), "transfer-reason": "สถานที่อยู่ในพื้นที่ให้บริการของ"
                                                                                "องค์การบริหารส่วนตำบลท่าเสน"})
    assert sent.status_code == 302
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=case.pk).transferred_to_body_id == thasen.pk


def test_no_card_when_the_case_is_in_this_bodys_area(banlat: LocalBody) -> None:
    service_area_set(body=banlat, entries=[AreaEntry("760601"), AreaEntry("760607", (4,))])
    case = make_case(banlat, subdistrict_code="760607", moo="4")
    html = signed_in(banlat, "officer").get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'id="wrong-body"' not in html
