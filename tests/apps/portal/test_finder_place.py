"""The platform's finder by place (/finder/place/): a ตำบล and หมู่ที่, or the phone's location,
names the body that serves it, told apart from a body of the same name by type, district and area;
bad input is a clear 400 in Thai (English when chosen), never a 500."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tenants.models import LocalBody
from tenants.service_areas import AreaEntry, service_area_set

pytestmark = pytest.mark.django_db

PAGE = "/finder/place/"
BANG_TABUN = "760706"


def _answer(html: str) -> str:
    return html.split('id="place-answer"', 1)[1].split("</section>", 1)[0]


def _names(html: str) -> list[str]:
    part = _answer(html)
    return [chunk.split(">", 1)[1].split("</a>", 1)[0] for chunk in part.split('class="place-answer__name"><a ')[1:]]


def test_a_tambon_served_by_two_bodies_of_one_name_names_both_with_type_and_area(client: Client) -> None:
    page = client.get(PAGE, {"subdistrict": BANG_TABUN}, HTTP_HOST="localhost")
    html = page.content.decode()
    assert page.status_code == 200
    assert _names(html) == ["เทศบาลตำบลบางตะบูน", "องค์การบริหารส่วนตำบลบางตะบูน"]
    answer = _answer(html)
    assert "มีมากกว่าหนึ่งหน่วยงานที่ดูแลพื้นที่นี้" in answer
    assert answer.count("อำเภอบ้านแหลม · จังหวัดเพชรบุรี") == 2
    assert answer.count("พื้นที่ที่ดูแล: ต.บางตะบูน (ทั้งตำบล)") == 2
    for code in ("5760701", "6760709"):
        assert f'href="http://{LocalBody.objects.get(dla_code=code).slug}.localhost/complaints/new/"' in answer
    # The selects are filled for the place asked (province, district, subdistrict).
    assert '<option value="7607" selected>' in html and f'<option value="{BANG_TABUN}" selected>' in html


def test_the_moo_tells_them_apart_once_the_admins_split_it(client: Client) -> None:
    tm, sao = LocalBody.objects.get(dla_code="5760701"), LocalBody.objects.get(dla_code="6760709")
    service_area_set(body=tm, entries=[AreaEntry(BANG_TABUN, (1, 2, 3))])
    service_area_set(body=sao, entries=[AreaEntry(BANG_TABUN, (4, 5, 6, 7, 8, 9))])
    html = client.get(PAGE, {"subdistrict": BANG_TABUN, "moo": "7"}, HTTP_HOST="localhost").content.decode()
    assert _names(html) == ["องค์การบริหารส่วนตำบลบางตะบูน"]
    assert "พื้นที่ที่ดูแล: ต.บางตะบูน หมู่ที่ 4-9" in _answer(html)
    assert "หน่วยงานที่ดูแล ต.บางตะบูน หมู่ที่ 7" in html
    html = client.get(PAGE, {"subdistrict": BANG_TABUN, "moo": "2"}, HTTP_HOST="localhost").content.decode()
    assert _names(html) == ["เทศบาลตำบลบางตะบูน"]
    none = client.get(PAGE, {"subdistrict": BANG_TABUN, "moo": "12"}, HTTP_HOST="localhost").content.decode()
    assert "ยังไม่มีหน่วยงานบนระบบที่ระบุว่าดูแลพื้นที่นี้" in none


def test_the_phones_location_names_the_bodies_serving_the_subdistrict_it_is_in(client: Client) -> None:
    # A few hundred metres from ต.บางตะบูน's point (the office of the ทต. named after it).
    html = client.get(PAGE, {"lat": "13.2650", "lng": "99.9450"}, HTTP_HOST="localhost").content.decode()
    assert _names(html) == ["เทศบาลตำบลบางตะบูน", "องค์การบริหารส่วนตำบลบางตะบูน"]
    assert "ตำแหน่งของท่านอยู่ใกล้จุดอ้างอิงของ ต.บางตะบูน อ.บ้านแหลม ที่สุด" in _answer(html)
    assert f'<option value="{BANG_TABUN}" selected>' in html  # the selects show the place found
    service_area_set(body=LocalBody.objects.get(dla_code="5760701"), entries=[AreaEntry(BANG_TABUN, (1, 2, 3))])
    service_area_set(body=LocalBody.objects.get(dla_code="6760709"), entries=[AreaEntry(BANG_TABUN, (4, 5))])
    html = client.get(PAGE, {"lat": "13.2650", "lng": "99.9450", "moo": "5"}, HTTP_HOST="localhost").content.decode()
    assert _names(html) == ["องค์การบริหารส่วนตำบลบางตะบูน"]
    sea = client.get(PAGE, {"lat": "9.5", "lng": "98.0"}, HTTP_HOST="localhost")
    assert sea.status_code == 200 and "ไม่พบตำบลใกล้ตำแหน่งของท่าน" in sea.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(PAGE, {"lat": "13.2650", "lng": "99.9450"}, HTTP_HOST="localhost").content.decode()
    assert "Your location is nearest the reference point of Bang Tabun subdistrict, Ban Laem district" in english


def test_bad_input_is_a_clear_400_in_thai_or_english(client: Client) -> None:
    for params, message in (({"subdistrict": BANG_TABUN, "moo": "abc"}, "หมู่ที่ต้องเป็นตัวเลข 1 ถึง 99"),
                            ({"lat": "51.5", "lng": "-0.1"}, "ตำแหน่งไม่อยู่ในประเทศไทยหรือไม่ถูกต้อง เลือกตำบลแทน"),
                            ({"lat": "x", "lng": "1e999999"}, "ตำแหน่งไม่อยู่ในประเทศไทยหรือไม่ถูกต้อง เลือกตำบลแทน"),
                            ({"subdistrict": "999999"}, "ไม่พบตำบลที่เลือก")):
        page = client.get(PAGE, params, HTTP_HOST="localhost")
        assert page.status_code == 400 and message in page.content.decode(), params
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(PAGE, {"subdistrict": BANG_TABUN, "moo": "0"}, HTTP_HOST="localhost")
    assert english.status_code == 400
    assert "The village number (moo) must be a number from 1 to 99" in english.content.decode()


def test_subdistricts_of_a_district_for_the_selects(client: Client) -> None:
    rows = client.get("/finder/subdistricts.json", {"district": "7607"}, HTTP_HOST="localhost").json()["subdistricts"]
    assert {"code": BANG_TABUN, "name": "บางตะบูน"} in rows and len(rows) == 10


def test_the_name_search_tells_two_bodies_of_one_name_apart(client: Client) -> None:
    bodies = client.get("/finder/bodies.json", {"q": "บางตะบูน"}, HTTP_HOST="localhost").json()["bodies"]
    assert [(b["name"], b["kind"], b["district"], b["area"]) for b in bodies[:2]] == [
        ("เทศบาลตำบลบางตะบูน", "เทศบาลตำบล", "บ้านแหลม", "บางตะบูน"),
        ("องค์การบริหารส่วนตำบลบางตะบูน", "องค์การบริหารส่วนตำบล (อบต.)", "บ้านแหลม", "บางตะบูน")]
