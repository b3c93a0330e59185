"""The body's public reports: the list and its map, a report's page, following a report instead of
filing it again (and stopping), the reports shown to a citizen about to file."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from apps.complaints.models import CaseFollower, Category, Complaint, Department, Notification
from apps.complaints.public_reports import public_reports_page
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_close,
    complaint_reject,
    complaint_resolve,
)
from apps.complaints.validation import Complainant
from tenants.models import LocalBody, Subdistrict
from tests.apps.complaints.helpers import file_complaint
from tests.conftest import staff

from .helpers import category_id

pytestmark = pytest.mark.django_db

PIN = {"latitude": "13.000100", "longitude": "99.950200"}
WITNESS = Complainant(name="มานี มีนา", phone="0869998877", email="manee@example.com")
SECRET_TEXT = "บ้านเลขที่ 99 ของนางมานี"


@pytest.fixture
def empty(banlat: LocalBody) -> LocalBody:
    """banlat with none of the cases other tests committed (deleted inside this test's transaction)."""
    with schema_context(banlat.schema_name):
        Complaint.objects.all().delete()
    return banlat


def _label(body: LocalBody, code: str = "streetlight") -> str:
    with schema_context(body.schema_name):
        return Category.objects.get(national_category_id=code).name_th


def _subdistrict(body: LocalBody) -> Subdistrict:
    return Subdistrict.objects.filter(district_id=body.district_id).order_by("code").first()  # type: ignore[return-value]


def _file(body: LocalBody, code: str = "streetlight", **extra: object) -> Complaint:
    with schema_context(body.schema_name):
        return file_complaint(code, complainant=extra.pop("complainant", WITNESS), **extra).complaint


def _act(body: LocalBody, complaint: Complaint, *steps: str) -> Complaint:
    with schema_context(body.schema_name):
        admin = staff(body, "admin")
        for step in steps:
            if step == "acknowledge":
                complaint = complaint_acknowledge(complaint=complaint, actor=admin)
            elif step == "assign":
                complaint = complaint_assign(complaint=complaint, actor=admin,
                                             department=Department.objects.get(code="engineering"))
            elif step == "resolve":
                complaint = complaint_resolve(complaint=complaint, actor=admin, resolution="เปลี่ยนหลอดแล้ว")
            elif step == "close":
                complaint = complaint_close(complaint=complaint, actor=admin)
            elif step == "reject":
                complaint = complaint_reject(complaint=complaint, actor=admin, reason="ไม่อยู่ในอำนาจ")
        return complaint


def test_the_list_shows_open_and_recently_resolved_reports_and_nothing_personal(
        banlat_client: Client, empty: LocalBody) -> None:
    place = _subdistrict(empty)
    open_case = _file(empty, moo="3", subdistrict_code=place.code, location_text=SECRET_TEXT, **PIN)
    resolved = _act(empty, _file(empty, "road"), "acknowledge", "assign", "resolve")
    confidential = _file(empty, is_confidential=True)
    conduct = _file(empty, "corruption")
    rejected = _act(empty, _file(empty), "reject")
    with time_machine.travel(timezone.now() - dt.timedelta(days=31)):
        old = _act(empty, _file(empty, "road"), "acknowledge", "assign", "resolve")
    page = banlat_client.get("/reports/")
    html = page.content.decode()
    assert page.status_code == 200
    shown = re.findall(r'data-report="([0-9a-f]{16})"', html)
    assert shown == [resolved.public_id, open_case.public_id]
    for hidden in (confidential, conduct, rejected, old):
        assert hidden.public_id not in html
    assert f"หมู่ที่ 3 ตำบล{place.name_th}" in html
    assert "2 เรื่อง" in html
    for personal in (WITNESS.name, WITNESS.phone, WITNESS.email, SECRET_TEXT, "ไฟถนนหน้าวัดดับ",
                     open_case.tracking_code, resolved.tracking_code):
        assert personal not in html
    # The map's points: rounded to about 100 m, each linking to its report.
    assert '"lat": 13.0, "lng": 99.95' in html and f'"url": "/reports/{open_case.public_id}/"' in html


def test_filters_by_status_and_category_and_pages(banlat_client: Client, empty: LocalBody) -> None:
    lights = [_file(empty) for _ in range(22)]
    road = _act(empty, _file(empty, "road"), "acknowledge", "assign", "resolve")
    first = banlat_client.get("/reports/").content.decode()
    assert "23 เรื่อง" in first and "หน้า 1 จาก 2" in first and first.count('data-report="') == 20
    second = banlat_client.get("/reports/?page=2").content.decode()
    assert second.count('data-report="') == 3 and lights[0].public_id in second
    resolved = banlat_client.get("/reports/?status=resolved").content.decode()
    assert re.findall(r'data-report="(\w+)"', resolved) == [road.public_id]
    by_category = banlat_client.get(f"/reports/?category={category_id(empty, 'road')}").content.decode()
    assert re.findall(r'data-report="(\w+)"', by_category) == [road.public_id]
    open_lights = banlat_client.get(f"/reports/?status=open&category={category_id(empty)}&page=2").content.decode()
    assert "22 เรื่อง" in open_lights and open_lights.count('data-report="') == 2
    assert 'href="?status=open&amp;category=' in open_lights  # the pager keeps the filters


def test_a_page_of_reports_costs_four_statements_whatever_its_size(empty: LocalBody) -> None:
    place = _subdistrict(empty)
    for _ in range(30):
        _file(empty, moo="3", subdistrict_code=place.code)
    counts = {}
    with tenant_context(empty):
        public_reports_page(per_page=1)  # what a process reads once
        for size in (1, 5, 30):
            with CaptureQueriesContext(connection) as queries:
                page = public_reports_page(per_page=size)
            assert len(page.reports) == size
            counts[size] = len(queries)
    # The count, the page, its deadlines (facts), its ตำบล.
    assert counts == {1: 4, 5: 4, 30: 4}


def test_the_list_page_costs_the_same_with_one_report_or_twenty(banlat_client: Client, empty: LocalBody) -> None:
    _file(empty)
    banlat_client.get("/reports/")  # warm the host table
    with CaptureQueriesContext(connection) as one:
        banlat_client.get("/reports/")
    for _ in range(19):
        _file(empty)
    banlat_client.get("/reports/")  # the same state of the connection and the process
    with CaptureQueriesContext(connection) as twenty:
        assert banlat_client.get("/reports/").content.decode().count('data-report="') == 20
    assert [q["sql"][:80] for q in one] == [q["sql"][:80] for q in twenty]


@pytest.mark.parametrize(("query", "message"), [
    ("status=lost", "สถานะ"),
    ("category=abc", "หมวดเรื่อง"),
    ("page=0", "หน้า"),
    ("page=" + "9" * 30, "หน้า"),
])
def test_bad_filters_are_refused_with_a_message(banlat_client: Client, empty: LocalBody, query: str,
                                                message: str) -> None:
    page = banlat_client.get(f"/reports/?{query}")
    assert page.status_code == 400
    assert "ยังส่งไม่ได้ กรุณาแก้ไขรายการต่อไปนี้" in page.content.decode()
    assert message in page.content.decode()


def test_a_report_page_has_its_open_graph_title_history_and_nothing_personal(
        banlat_client: Client, empty: LocalBody) -> None:
    place = _subdistrict(empty)
    case = _act(empty, _file(empty, moo="3", subdistrict_code=place.code, location_text=SECRET_TEXT, **PIN),
                "acknowledge")
    page = banlat_client.get(f"/reports/{case.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<meta property="og:title" content="{_label(empty)} หมู่ที่ 3 ตำบล{place.name_th} — แจ้งรับเรื่องแล้ว">' in html
    assert f'<meta property="og:url" content="http://banlat.localhost/reports/{case.public_id}/">' in html
    assert re.findall(r"<strong>([^<]+)</strong></li>", html) == ["รับเรื่องแล้ว", "แจ้งรับเรื่องแล้ว"]
    assert 'id="follow"' in html
    for personal in (WITNESS.name, WITNESS.phone, SECRET_TEXT, case.tracking_code, "หน่วยงานได้รับเรื่องของท่านแล้ว"):
        assert personal not in html


def test_unknown_confidential_and_conduct_reports_are_not_found(banlat_client: Client, empty: LocalBody) -> None:
    confidential = _file(empty, is_confidential=True)
    conduct = _file(empty, "corruption")
    for public_id in (confidential.public_id, conduct.public_id, "0" * 16, "x' OR 1=1", "ก" * 40):
        assert banlat_client.get(f"/reports/{public_id}/").status_code == 404
        assert banlat_client.post(f"/reports/{public_id}/", {"phone": "0812345678", "consent": "on"}).status_code == 404
    with schema_context(empty.schema_name):
        assert CaseFollower.objects.count() == 0


def _notices(body: LocalBody, complaint: Complaint, recipient: str) -> list[str]:
    with schema_context(body.schema_name):
        return list(Notification.objects.filter(complaint=complaint, recipient=recipient).order_by("id")
                    .values_list("body", flat=True))


def test_following_tells_the_follower_of_each_status_change_in_their_language_until_the_case_ends(
        empty: LocalBody) -> None:
    case = _file(empty, moo="3")
    english = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.9")
    english.cookies["django_language"] = "en"
    response = english.post(f"/reports/{case.public_id}/", {"phone": "089-111-2222", "email": "",
                                                             "consent": "on"})
    assert response.status_code == 302 and response["Location"] == f"/reports/{case.public_id}/?following=1#following"
    assert "You are following this report" in english.get(f"/reports/{case.public_id}/?following=1").content.decode()
    with schema_context(empty.schema_name):
        follower = CaseFollower.objects.get(complaint=case)
        assert (follower.channel, follower.address, follower.language, follower.site) == \
            ("sms", "0891112222", "en", "http://banlat.localhost")
    stop = f"http://banlat.localhost/reports/stop/{follower.stop_key}/"
    report = f"http://banlat.localhost/reports/{case.public_id}/"
    _act(empty, case, "acknowledge", "assign", "resolve", "close")
    told = _notices(empty, case, "0891112222")
    name = empty.display_name
    assert told == [
        f"You are following the report Streetlights Moo 3 at {name}. "
        f"You will be told when its status changes {report} Stop following: {stop}",
        f"{name}: the report Streetlights Moo 3 you follow is now \"Acknowledged\" {report} Stop following: {stop}",
        f"{name}: the report Streetlights Moo 3 you follow is now \"In progress\" {report} Stop following: {stop}",
        f"{name}: the report Streetlights Moo 3 you follow is now \"Resolved\" {report} Stop following: {stop}",
        f"{name}: the report Streetlights Moo 3 you follow is now \"Closed\" {report} Following this report has ended",
    ]
    assert all(case.tracking_code not in text for text in told)
    # The complainant is told in their own way (Thai, with the tracking code), apart.
    assert case.tracking_code in _notices(empty, case, WITNESS.phone)[0]
    with schema_context(empty.schema_name):
        assert CaseFollower.objects.filter(complaint=case).count() == 0  # the contact is gone with the case


def test_a_rejected_case_ends_its_follows(banlat_client: Client, empty: LocalBody) -> None:
    case = _file(empty)
    assert banlat_client.post(f"/reports/{case.public_id}/", {"email": "a@example.com", "consent": "on"}) \
        .status_code == 302
    _act(empty, case, "reject")
    told = _notices(empty, case, "a@example.com")
    assert len(told) == 2 and told[1].endswith("การติดตามเรื่องนี้สิ้นสุดแล้ว") and "ไม่รับเรื่อง" in told[1]
    with schema_context(empty.schema_name):
        assert CaseFollower.objects.count() == 0


def test_stopping_a_follow_deletes_the_contact_and_the_link_works_once(banlat_client: Client,
                                                                        empty: LocalBody) -> None:
    case = _file(empty)
    banlat_client.post(f"/reports/{case.public_id}/", {"phone": "0891112222", "email": "b@example.com",
                                                       "consent": "on"})
    with schema_context(empty.schema_name):
        keys = dict(CaseFollower.objects.values_list("channel", "stop_key"))
    assert sorted(keys) == ["email", "sms"]
    ask = banlat_client.get(f"/reports/stop/{keys['sms']}/")
    assert ask.status_code == 200 and 'id="stop-following"' in ask.content.decode()
    with schema_context(empty.schema_name):
        assert CaseFollower.objects.count() == 2  # a link preview stops nothing
    assert "เลิกติดตามแล้ว" in banlat_client.post(f"/reports/stop/{keys['sms']}/").content.decode()
    assert "ลิงก์นี้ใช้แล้ว" in banlat_client.post(f"/reports/stop/{keys['sms']}/").content.decode()
    _act(empty, case, "acknowledge")
    assert len(_notices(empty, case, "0891112222")) == 1  # the first message only
    assert len(_notices(empty, case, "b@example.com")) == 2


@pytest.mark.parametrize(("data", "message"), [
    ({"phone": "0891112222"}, "กรุณารับทราบประกาศความเป็นส่วนตัวก่อนติดตามเรื่อง"),
    ({"consent": "on"}, "กรุณากรอกหมายเลขโทรศัพท์หรืออีเมลอย่างน้อยหนึ่งช่องทาง"),
    ({"phone": "12345", "consent": "on"}, "หมายเลขโทรศัพท์ไม่ถูกต้อง"),
    ({"email": "not-mail", "consent": "on"}, "อีเมลไม่ถูกต้อง"),
    ({"phone": "0891112222", "consent": "on", "website": "http://spam.example"}, "ระบบไม่สามารถรับคำขอนี้ได้"),
])
def test_a_follow_is_refused_clearly_and_nothing_is_stored(banlat_client: Client, empty: LocalBody,
                                                           data: dict[str, str], message: str) -> None:
    case = _file(empty)
    response = banlat_client.post(f"/reports/{case.public_id}/", data)
    assert response.status_code == 400 and message in response.content.decode()
    with schema_context(empty.schema_name):
        # Only the complainant's own "received" messages (SMS and e-mail).
        assert CaseFollower.objects.count() == 0 and Notification.objects.filter(complaint=case).count() == 2


def test_a_resolved_report_cannot_be_followed(banlat_client: Client, empty: LocalBody) -> None:
    case = _act(empty, _file(empty), "acknowledge", "assign", "resolve")
    page = banlat_client.get(f"/reports/{case.public_id}/").content.decode()
    assert 'id="follow"' not in page and "แก้ไขภายใน 0 วัน" in page
    response = banlat_client.post(f"/reports/{case.public_id}/", {"phone": "0891112222", "consent": "on"})
    assert response.status_code == 400 and "ติดตามไม่ได้แล้ว" in response.content.decode()


def test_following_is_rate_limited(banlat_client: Client, empty: LocalBody) -> None:
    case = _file(empty)
    codes = [banlat_client.post(f"/reports/{case.public_id}/", {"phone": "0891112222", "consent": "on"}).status_code
             for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_nearby_reports_by_pin_or_by_moo(banlat_client: Client, empty: LocalBody) -> None:
    near = _file(empty, **PIN)
    _file(empty, latitude="13.010000", longitude="99.950200")  # about 1.1 km away
    _file(empty, "road", **PIN)  # another category
    _file(empty, is_confidential=True, **PIN)
    done = _act(empty, _file(empty, **PIN), "acknowledge", "assign", "resolve")
    same_moo = _file(empty, moo="5")
    light = category_id(empty)
    found = banlat_client.get(f"/reports/nearby/?category={light}&lat=13.0012&lng=99.9510").json()
    assert [r["url"] for r in found["reports"]] == [f"/reports/{near.public_id}/"]
    assert found["reports"][0] == {"url": f"/reports/{near.public_id}/", "category": _label(empty), "area": "",
                                   "status": "รับเรื่องแล้ว", "days_open": 0, "overdue": False}
    assert done.public_id not in str(found)
    by_moo = banlat_client.get(f"/reports/nearby/?category={light}&moo=5").json()
    assert [r["url"] for r in by_moo["reports"]] == [f"/reports/{same_moo.public_id}/"]
    assert banlat_client.get(f"/reports/nearby/?category={light}").json() == {"reports": []}


def test_the_forms_map_gets_the_categorys_open_reports_with_a_pin(banlat_client: Client, empty: LocalBody) -> None:
    older = _file(empty, **PIN)
    newer = _file(empty, latitude="13.010040", longitude="99.950260")
    _file(empty)  # no pin: nothing to draw
    _file(empty, "road", **PIN)  # another category
    _file(empty, is_confidential=True, **PIN)
    _act(empty, _file(empty, **PIN), "acknowledge", "assign", "resolve")  # not open
    light = category_id(empty)
    found = banlat_client.get(f"/reports/nearby/?category={light}&map=1").json()
    label = f"{_label(empty)} · รับเรื่องแล้ว"
    assert found == {"points": [
        {"lat": 13.01, "lng": 99.95, "label": label, "url": f"/reports/{newer.public_id}/"},
        {"lat": 13.0, "lng": 99.95, "label": label, "url": f"/reports/{older.public_id}/"}]}
    assert "{" not in str([p["label"] for p in found["points"]]) and WITNESS.phone not in str(found)


@pytest.mark.parametrize(("query", "message"), [
    ("category=x", "หมวดเรื่องไม่ถูกต้อง"),
    ("category=x&map=1", "หมวดเรื่องไม่ถูกต้อง"),
    ("category=1&lat=51.5&lng=-0.1", "พิกัดอยู่นอกประเทศไทย"),
    ("category=1&lat=NaN&lng=1", "พิกัดไม่ถูกต้อง"),
])
def test_nearby_refuses_bad_input_in_thai(banlat_client: Client, empty: LocalBody, query: str, message: str) -> None:
    response = banlat_client.get(f"/reports/nearby/?{query}")
    assert response.status_code == 400 and response.json() == {"error": message}


def test_the_complaint_form_offers_nearby_reports_and_the_conduct_form_does_not(banlat_client: Client,
                                                                                banlat: LocalBody) -> None:
    general = banlat_client.get("/complaints/new/").content.decode()
    assert 'id="nearby-reports" data-url="/reports/nearby/"' in general and "nearby-reports.js" in general
    assert "nearby-reports" not in banlat_client.get("/complaints/conduct/").content.decode()


def test_the_home_map_leaves_out_confidential_cases(banlat_client: Client, empty: LocalBody) -> None:
    _act(empty, _file(empty, is_confidential=True, latitude="13.111100", longitude="99.922200"),
         "acknowledge", "assign", "resolve")
    _act(empty, _file(empty, latitude="13.222200", longitude="99.933300"), "acknowledge", "assign", "resolve")
    html = banlat_client.get("/").content.decode()
    assert '"lat": 13.2222' in html and "13.1111" not in html
