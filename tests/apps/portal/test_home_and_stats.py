from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.models import Department
from apps.complaints.services.workflow import complaint_acknowledge, complaint_assign, complaint_resolve
from apps.portal.models import BodyProfile
from apps.portal.selectors import fiscal_round
from tenants.models import LocalBody
from tests.apps.complaints.helpers import file_complaint
from tests.apps.complaints.staff_helpers import signed_in
from tests.conftest import staff

pytestmark = pytest.mark.django_db

# A fixed "now" inside fiscal year 2563 (Oct 2019 – Sep 2020), first half: long before any case
# that other tests (or the demo data) commit in this session.
NOW = dt.datetime(2019, 11, 27, 7, 5, tzinfo=dt.UTC)


def _resolved(body: LocalBody, code: str = "streetlight", **extra: object) -> None:
    with schema_context(body.schema_name):
        admin = staff(body, "admin")
        result = file_complaint(code, **extra)
        complaint_acknowledge(complaint=result.complaint, actor=admin)
        complaint_assign(complaint=result.complaint, actor=admin,
                         department=Department.objects.get(code="engineering"))
        complaint_resolve(complaint=result.complaint, actor=admin, resolution="แก้ไขแล้ว")


@pytest.fixture
def cases(banlat: LocalBody) -> None:
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        _resolved(banlat, latitude="13.1002", longitude="99.9229")
        _resolved(banlat, "road")
        with schema_context(banlat.schema_name):
            file_complaint("waste")  # still open
            file_complaint("corruption")  # published apart


def test_body_home_shows_name_action_figures_sla_and_map(banlat_client: Client, banlat: LocalBody,
                                                          cases: None) -> None:
    BodyProfile.objects.create(body=banlat, phone="032-491-111", line_id="@banlat")
    with time_machine.travel(NOW, tick=False):
        page = banlat_client.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>เทศบาลตำบลบ้านลาด</h1>" in html
    assert 'href="/complaints/new/"' in html and "แจ้งเรื่องร้องทุกข์" in html
    assert "032-491-111" in html and "@banlat" in html
    assert "ปีงบประมาณ พ.ศ. 2563" in html
    figures = re.findall(r"<b>([^<]*)</b>", html.split('id="figures"')[1].split("</div>\n</div>")[0])
    assert figures[:2] == ["3", "2"]  # received (general only), resolved
    assert "ข้อตกลงระดับการให้บริการ" in html and "ก เร่งด่วน" in html
    points = json.loads(html.split('id="resolved-points" type="application/json">')[1].split("</script>")[0])
    assert points == [{"lat": 13.1002, "lng": 99.9229, "category": "ไฟฟ้าสาธารณะ ไฟถนนดับ/ชำรุด",
                       "resolved": "2019-11-24"}]
    assert "สมชาย" not in html and "0812345678" not in html  # no complainant data anywhere


def test_the_map_works_with_no_tile_server(banlat_client: Client, banlat: LocalBody) -> None:
    html = banlat_client.get("/").content.decode()
    assert 'data-tiles=""' in html and "leaflet.js" in html
    BodyProfile.objects.create(body=banlat, tile_url="https://tiles.example/{z}/{x}/{y}.png")
    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in banlat_client.get("/").content.decode()


def test_stats_split_general_from_corruption_by_round(banlat_client: Client, banlat: LocalBody, cases: None) -> None:
    with time_machine.travel(NOW, tick=False):
        html = banlat_client.get("/stats/", {"year": "2020", "round": "h1"}).content.decode()
    general = html.split('id="stats-general"')[1].split("</section>")[0]
    integrity = html.split('id="stats-integrity"')[1].split("</section>")[0]
    assert re.search(r"รับเรื่อง</th><td class=\"num\">3<", general)
    assert re.search(r"ดำเนินการแล้วเสร็จ</th><td class=\"num\">2<", general)
    assert re.search(r"รับเรื่อง</th><td class=\"num\">1<", integrity)
    assert "1 ตุลาคม 2562 – 31 มีนาคม 2563" in html


def test_previous_years_are_empty(banlat_client: Client, cases: None) -> None:
    with time_machine.travel(NOW, tick=False):
        html = banlat_client.get("/stats/", {"year": "2019"}).content.decode()
    assert re.search(r"รับเรื่อง</th><td class=\"num\">0<", html)


def test_stats_download_as_csv_and_thai_pdf(banlat_client: Client, cases: None) -> None:
    with time_machine.travel(NOW, tick=False):
        csv_response = banlat_client.get("/stats.csv", {"year": "2020", "round": "full"})
        pdf_response = banlat_client.get("/stats.pdf", {"year": "2020", "round": "full"})
    assert csv_response["Content-Disposition"] == 'attachment; filename="stats-5760601-2563-full.csv"'
    text = csv_response.content.decode("utf-8-sig")
    assert "เรื่องร้องทุกข์ทั่วไป,รวม,3,2,1,0,0" in text
    assert "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ,รวม,1,0,1" in text
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response.content.startswith(b"%PDF-")
    assert any(font.endswith(b"+Sarabun") for font in _pdf_fonts(pdf_response.content))  # Thai font embedded


def _pdf_fonts(pdf: bytes) -> list[bytes]:
    text = b""
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            text += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return re.findall(rb"/BaseFont\s*/([A-Za-z+\-]+)", text)


def test_fiscal_rounds_follow_the_thai_fiscal_year() -> None:
    half = fiscal_round(fiscal_year=2027, half=True)
    full = fiscal_round(fiscal_year=2027, half=False)
    assert (half.start.date(), half.end.date()) == (dt.date(2026, 10, 1), dt.date(2027, 4, 1))
    assert full.end.date() == dt.date(2027, 10, 1)


def test_only_the_bodys_admin_edits_its_profile(banlat_client: Client, banlat: LocalBody) -> None:
    assert banlat_client.get("/settings/profile/").status_code == 404
    assert signed_in(banlat, "officer").get("/settings/profile/").status_code == 404
    banlat_client = signed_in(banlat, "admin")
    response = banlat_client.post("/settings/profile/", {"phone": "032-111-222", "reopen_window_days": "14",
                                                          "tile_url": "javascript:alert(1)"})
    assert response.status_code == 400
    response = banlat_client.post("/settings/profile/", {"phone": "032-111-222", "reopen_window_days": "14"})
    assert response.status_code == 302
    profile = BodyProfile.objects.get(body=banlat)
    assert (profile.phone, profile.reopen_window_days) == ("032111222", 14)


def test_timezone_is_bangkok() -> None:
    assert timezone.get_current_timezone_name() == "Asia/Bangkok"
