"""Open311 GeoReport v2 over real HTTP: a server process (`rongthuk runserver`) on the test
database, driven by the spec-written client in tests/api/open311/client.py, in XML and JSON, on a
body's sub-domain and on the platform domain. Data is committed (the server is another process)
and removed at the end of the module."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from api.models import Access, ApiKey, api_key_create
from apps.accounts.models import User
from apps.complaints.models import Category, Complaint, ComplaintEvent
from apps.complaints.services.intake import complaint_submit
from apps.complaints.services.workflow import complaint_reject
from apps.complaints.validation import Complainant
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody, ServiceArea
from tests.api.open311.client import Open311, live_server, xml_items
from tests.apps.complaints.staff_helpers import committed_cases_delete
from tests.conftest import BANLAT, THASEN

TM_BANG_TABUN, SAO_BANG_TABUN, BANG_TABUN = "5760701", "6760709", "760706"
BKK = dt.timezone(dt.timedelta(hours=7))
SECRET_NAME = "สมหญิง ลับเฉพาะ"
SECRET_PHONE = "0898765432"
PUBLIC_NAME = "ประยุทธ ทดสอบสาธารณะ"
PUBLIC_PHONE = "0811112222"
CONFIDENTIAL_TEXT = "ข้อความลับของผู้ร้องเรื่องเพื่อนบ้าน"
CONDUCT_TEXT = "เจ้าหน้าที่เรียกรับเงินใต้โต๊ะ"
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


@dataclass
class World:
    port: int
    write: str
    read: str
    other_body: str
    revoked: str
    national: str
    district_76_01: str
    banlat: LocalBody
    thasen: LocalBody
    confidential_id: str = ""
    conduct_id: str = ""
    public_id: str = ""
    october_id: str = ""
    key_ids: list[int] = field(default_factory=list)

    def body(self) -> Open311:
        return Open311(self.port, "banlat.localhost")

    def nation(self) -> Open311:
        return Open311(self.port, "localhost")


def _case(body: LocalBody, national: str, description: str, person: Complainant | None, *,
          confidential: bool = False, received_at: dt.datetime | None = None) -> str:
    with schema_context(body.schema_name):
        category = Category.objects.get(national_category_id=national)
        result = complaint_submit(channel="web", category=category, description=description, complainant=person,
                                  is_confidential=confidential, location_text="หน้าตลาดบ้านลาด",
                                  latitude="13.1", longitude="99.92", received_at=received_at)
        return f"{body.dla_code}-{result.complaint.pk}"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[World]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        banlat, thasen = LocalBody.objects.get(dla_code=BANLAT), LocalBody.objects.get(dla_code=THASEN)
        stamp = str(time.time_ns())[-6:]
        made = [api_key_create(name=f"traffy {stamp}", body=banlat, access=Access.WRITE),
                api_key_create(name=f"reader {stamp}", body=banlat, access=Access.READ),
                api_key_create(name=f"thasen {stamp}", body=thasen, access=Access.WRITE),
                api_key_create(name=f"revoked {stamp}", body=banlat, access=Access.WRITE),
                api_key_create(name=f"national {stamp}", scope="nation", access=Access.WRITE),
                api_key_create(name=f"district {stamp}", scope="district:7601", access=Access.WRITE)]
        made[3][0].revoke()
        with live_server() as port:
            w = World(port, made[0][1], made[1][1], made[2][1], made[3][1], made[4][1], made[5][1], banlat, thasen,
                      key_ids=[k.pk for k, _raw in made])
            w.confidential_id = _case(banlat, "nuisance", CONFIDENTIAL_TEXT,
                                      Complainant(name=SECRET_NAME, phone=SECRET_PHONE), confidential=True)
            w.conduct_id = _case(banlat, "conduct", CONDUCT_TEXT, Complainant(name=SECRET_NAME, phone=SECRET_PHONE))
            w.public_id = _case(banlat, "road", "ถนนหน้าตลาดเป็นหลุม",
                                Complainant(name=PUBLIC_NAME, phone=PUBLIC_PHONE, email="prayut@example.com"))
            w.october_id = _case(banlat, "waste", "ขยะไม่ได้เก็บตั้งแต่ต้นเดือน", None,
                                 received_at=dt.datetime(2026, 10, 5, 10, 0, tzinfo=BKK))
            yield w
        _cleanup(w)


def _cleanup(w: World) -> None:
    connection.set_schema_to_public()
    for body in (w.banlat, w.thasen, *LocalBody.objects.filter(dla_code__in=[TM_BANG_TABUN, SAO_BANG_TABUN])):
        ids = list(ComplaintFact.objects.filter(body=body, channel__in=["open311", "web"],
                                                received_at__gte=dt.datetime(2026, 10, 1, tzinfo=BKK))
                   .values_list("complaint_id", flat=True))
        committed_cases_delete(body, ids)
    ApiKey.objects.filter(pk__in=w.key_ids).delete()


def _ids(items: list[dict]) -> list[str]:
    return [item["service_request_id"] for item in items]


# --- discovery and services --------------------------------------------------------------------------

def test_discovery_in_xml_and_json_on_a_body_and_nationally(world: World) -> None:
    for client, url in ((world.body(), f"http://banlat.localhost:{world.port}/open311/v2"),
                        (world.nation(), f"http://localhost:{world.port}/open311/v2")):
        as_json = client.get("discovery", "json")
        assert as_json.status == 200 and as_json.headers["content-type"].startswith("application/json")
        endpoint = as_json.json()["endpoints"][0]
        assert (endpoint["url"], endpoint["formats"]) == (url, ["text/xml", "application/json"])
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        as_xml = client.get("discovery", "xml")
        assert as_xml.headers["content-type"].startswith("text/xml")
        root = as_xml.xml()
        assert root.tag == "discovery"
        assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
        assert root.findtext("endpoints/endpoint/url") == url


def test_services_are_the_bodys_categories_with_national_codes(world: World) -> None:
    services = world.body().get("services", "json").json()
    codes = [s["service_code"] for s in services]
    assert codes[:3] == ["urgent_hazard", "streetlight", "road"] and "conduct" in codes and len(codes) == 16
    road = next(s for s in services if s["service_code"] == "road")
    assert road == {"service_code": "road", "service_name": "ถนน ทางเท้า สะพาน ชำรุด",
                    "description": "ถนน ทางเท้า สะพาน ชำรุด", "metadata": True, "type": "realtime",
                    "keywords": "road,ถนน ทางเท้า สะพาน ชำรุด,Roads, footpaths and bridges", "group": "ข บริการทั่วไป"}
    xml = xml_items(world.body().get("services", "xml").xml(), "service")
    assert [s["service_code"] for s in xml] == codes
    assert xml[2]["metadata"] == "true" and xml[2]["group"] == "ข บริการทั่วไป"
    english = next(s for s in world.body().get("services", "json", locale="en").json() if s["service_code"] == "road")
    assert (english["description"], english["group"]) == ("Roads, footpaths and bridges", "B: general service")


def test_service_definition_has_moo_subdistrict_and_conduct_attributes(world: World) -> None:
    definition = world.body().get("services/road", "json").json()
    assert definition["service_code"] == "road"
    moo, subdistrict, conduct, contact = definition["attributes"]
    assert (moo["code"], moo["datatype"], moo["required"], moo["order"]) == ("moo", "string", False, 1)
    assert (subdistrict["code"], subdistrict["datatype"]) == ("subdistrict", "singlevaluelist")
    assert subdistrict["values"][0] == {"key": "760601", "name": "บ้านลาด"} and len(subdistrict["values"]) == 18
    assert (conduct["code"], conduct["datatype"], [v["key"] for v in conduct["values"]]) == \
        ("conduct", "singlevaluelist", ["false", "true"])
    assert (contact["code"], contact["datatype"], contact["order"], [v["key"] for v in contact["values"]]) == \
        ("contact_allowed", "multivaluelist", 4, ["phone", "email"])
    root = world.body().get("services/road", "xml").xml()
    assert root.tag == "service_definition"
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == ["moo", "subdistrict", "conduct",
                                                                                "contact_allowed"]
    assert root.find("attributes/attribute[2]/values/value/key").text == "760601"
    # conduct services carry no conduct flag; nationally the subdistrict is a DOPA code string
    assert [a["code"] for a in world.body().get("services/conduct", "json").json()["attributes"]] == [
        "moo", "subdistrict", "contact_allowed"]
    national = world.nation().get("services/road", "json").json()["attributes"][1]
    assert (national["datatype"], "values" in national) == ("string", False)
    assert world.body().get("services/nothing", "json").status == 404


# --- POST, GET one, tokens ---------------------------------------------------------------------------

def test_post_files_a_case_through_the_intake_service_with_the_sla_deadline(world: World) -> None:
    reply = world.body().post("json", api_key=world.write, service_code="road", lat="13.1002", long="99.9229",
                              description="ถนนทรุดหน้าโรงเรียน", first_name="มานี", last_name="มีนา",
                              phone="0823334444", media_url="https://photos.example/road.jpg",
                              **{"attribute[moo]": "4", "attribute[subdistrict]": "760601"})
    assert reply.status == 201, reply.raw
    [created] = reply.json()
    request_id = created["service_request_id"]
    code, pk = request_id.split("-")
    assert code == BANLAT and created["service_notice"].startswith("เลขติดตามเรื่อง ")
    assert b"0823334444" not in reply.raw and "มานี".encode() not in reply.raw
    with schema_context(world.banlat.schema_name):
        case = Complaint.objects.get(pk=int(pk))
        created_event = ComplaintEvent.objects.get(complaint=case, kind="created")
        assert (case.channel, case.moo, case.subdistrict_code, case.complainant_phone) == \
            ("open311", "4", "760601", "0823334444")
        assert created_event.actor_label.startswith("Open311: traffy")
        assert created_event.data == {"channel": "open311", "media_url": "https://photos.example/road.jpg"}
    fact = ComplaintFact.objects.get(body=world.banlat, complaint_id=int(pk))
    assert fact.channel == "open311"

    one = world.body().get(f"requests/{request_id}", "json").json()[0]
    assert set(one) == REQUEST_FIELDS
    requested = dt.datetime.fromisoformat(one["requested_datetime"])
    # the national framework (no agreement published): class B resolution in 15 calendar days
    assert dt.datetime.fromisoformat(one["expected_datetime"]) == requested + dt.timedelta(days=15)
    assert dt.datetime.fromisoformat(one["expected_datetime"]) == fact.resolve_due_at.replace(microsecond=0)
    assert one["requested_datetime"].endswith("+07:00")
    assert (one["status"], one["status_notes"], one["service_code"], one["media_url"]) == \
        ("open", "รับเรื่องแล้ว", "road", "https://photos.example/road.jpg")
    assert (one["lat"], one["long"], one["description"]) == (13.1002, 99.9229, "ถนนทรุดหน้าโรงเรียน")
    assert one["agency_responsible"] == "เทศบาลตำบลบ้านลาด"

    token = world.body().get(f"tokens/{created['token']}", "json").json()
    assert token == [{"service_request_id": request_id, "token": created["token"]}]
    as_xml = world.body().get(f"tokens/{created['token']}", "xml").xml()
    assert as_xml.findtext("request/service_request_id") == request_id
    assert world.body().get("tokens/forged:token", "json").status == 404


def test_post_in_xml_without_a_name_is_anonymous_and_conduct_flag_routes_to_oversight(world: World) -> None:
    reply = world.body().post("xml", api_key=world.write, service_code="road", address_string="ซอย 3 หมู่ 2",
                              description="เจ้าหน้าที่กองช่างพูดจาไม่สุภาพ", **{"attribute[conduct]": "true"})
    assert reply.status == 201, reply.raw
    root = reply.xml()
    assert root.tag == "service_requests"
    request_id = root.findtext("request/service_request_id")
    assert "PIN" in root.findtext("request/service_notice")
    with schema_context(world.banlat.schema_name):
        case = Complaint.objects.get(pk=int(request_id.split("-")[1]))
        assert (case.is_anonymous, case.national_category, case.routed_to_oversight) == (True, "conduct", True)
    # The district office's case: not even its existence is public (the citizen follows it with code and PIN).
    for client in (world.body(), world.nation()):
        assert client.get(f"requests/{request_id}", "xml").status == 404
        assert request_id not in _ids(client.get("requests", "json", service_request_id=request_id).json())


# --- GET requests: filters ---------------------------------------------------------------------------

def test_list_filters_return_exact_ids(world: World) -> None:
    body = world.body()
    posted = []
    for code in ("streetlight", "road", "streetlight"):
        reply = body.post("json", api_key=world.write, service_code=code, lat="13.1", long="99.92",
                          description=f"ทดสอบตัวกรอง {code}")
        posted.append(reply.json()[0]["service_request_id"])
    first, second, third = posted
    with schema_context(world.banlat.schema_name):
        complaint_reject(complaint=Complaint.objects.get(pk=int(third.split("-")[1])),
                         actor=User.objects.get(username="clerk"), reason="ซ้ำกับเรื่องเดิม")
    ids = ",".join(posted)
    assert _ids(body.get("requests", "json", service_request_id=ids).json()) == [third, second, first]
    assert _ids(body.get("requests", "json", service_request_id=ids, service_code="streetlight").json()) == \
        [third, first]
    assert _ids(body.get("requests", "json", service_request_id=ids, status="closed").json()) == [third]
    assert _ids(body.get("requests", "json", service_request_id=ids, status="open").json()) == [second, first]
    assert _ids(body.get("requests", "json", service_request_id=ids, status="open,closed").json()) == \
        [third, second, first]
    assert _ids(body.get("requests", "json", service_request_id=ids, page_size=1, page=2).json()) == [second]
    assert _ids(body.get("requests", "json", service_request_id=ids, page_size=2, page=2).json()) == [first]
    october = body.get("requests", "json", start_date="2026-10-05T00:00:00+07:00",
                       end_date="2026-10-06T00:00:00+07:00").json()
    assert world.october_id in _ids(october) and first not in _ids(october)
    dates = body.get("requests", "json", service_request_id=f"{ids},{world.october_id}",
                     start_date="2026-10-01", end_date="2026-10-31").json()
    assert _ids(dates) == [world.october_id]
    rejected = body.get(f"requests/{third}", "json").json()[0]
    assert (rejected["status"], rejected["status_notes"]) == ("closed", "ไม่รับเรื่อง")
    later = body.get("requests", "json", service_request_id=ids,
                     updated_after=rejected["requested_datetime"]).json()
    assert third in _ids(later)
    future = (dt.datetime.now(BKK) + dt.timedelta(hours=1)).isoformat(timespec="seconds")
    assert body.get("requests", "json", service_request_id=ids, updated_after=future).json() == []
    xml = body.get("requests", "xml", service_request_id=ids, status="closed").xml()
    assert xml.tag == "service_requests" and [r.findtext("service_request_id") for r in xml] == [third]
    assert {child.tag for child in xml.find("request")} == REQUEST_FIELDS


# --- personal data ------------------------------------------------------------------------------------

def test_no_personal_data_and_confidential_and_conduct_content_withheld(world: World) -> None:
    ids = ",".join([world.confidential_id, world.conduct_id, world.public_id])
    raws = [world.body().get("requests", fmt, service_request_id=ids).raw for fmt in ("json", "xml")]
    raws += [world.nation().get("requests", fmt, service_request_id=ids).raw for fmt in ("json", "xml")]
    raws += [world.body().get(f"requests/{rid}", "json").raw for rid in ids.split(",")]
    for raw in raws:
        for secret in (SECRET_NAME, SECRET_PHONE, PUBLIC_NAME, PUBLIC_PHONE, "prayut@example.com", "5432", "2222",
                       CONFIDENTIAL_TEXT, CONDUCT_TEXT):
            assert secret.encode() not in raw, (secret, raw[:300])
    listed = {item["service_request_id"]: item for item in json.loads(raws[0])}
    assert listed[world.public_id]["description"] == "ถนนหน้าตลาดเป็นหลุม"
    assert listed[world.public_id]["address"] == "หน้าตลาดบ้านลาด"
    assert (listed[world.confidential_id]["description"], listed[world.confidential_id]["address"],
            listed[world.confidential_id]["lat"]) == (None, None, None)
    # Conduct cases are the oversight office's: not listed by the body or nationally.
    assert set(listed) == {world.confidential_id, world.public_id}
    national = {item["service_request_id"] for item in json.loads(raws[2])}
    assert national == {world.confidential_id, world.public_id}


# --- national endpoint --------------------------------------------------------------------------------

def test_national_post_routes_by_jurisdiction_subdistrict_and_location(world: World) -> None:
    nation = world.nation()
    by_code = nation.post("json", api_key=world.national, jurisdiction_id=THASEN, service_code="waste",
                          address_string="หน้าวัดท่าเสน", description="ขยะล้นถัง")
    by_subdistrict = nation.post("json", api_key=world.national, service_code="waste", address_string="ตลาด",
                                 description="ขยะล้นตลาด", **{"attribute[subdistrict]": "760607"})
    by_point = nation.post("json", api_key=world.national, service_code="streetlight", lat="13.0495",
                           long="99.9405", description="ไฟดับทั้งซอย")
    by_address = nation.post("json", api_key=world.national, service_code="waste", description="ขยะล้นหน้าวัด",
                             address_string="หน้าวัด ต.ท่าเสน อ.บ้านลาด จ.เพชรบุรี")
    for reply in (by_code, by_subdistrict, by_point, by_address):
        assert reply.status == 201, reply.raw
        assert reply.json()[0]["service_request_id"].startswith(f"{THASEN}-")
    ids = ",".join(r.json()[0]["service_request_id"] for r in (by_code, by_subdistrict, by_point, by_address))
    listed = nation.get("requests", "json", service_request_id=ids).json()
    assert sorted(_ids(listed)) == sorted(ids.split(","))
    assert {item["agency_responsible"] for item in listed} == {"องค์การบริหารส่วนตำบลท่าเสน"}
    assert [item["service_code"] for item in listed] == ["waste", "streetlight", "waste", "waste"]
    assert all(item["description"] is None and item["lat"] is None for item in listed)
    one = nation.get(f"requests/{listed[0]['service_request_id']}", "xml").xml()
    assert one.findtext("request/expected_datetime").endswith("+07:00")
    # a district key posts only within its district; a point far from every office is no answer
    outside = nation.post("json", api_key=world.district_76_01, jurisdiction_id=THASEN, service_code="waste",
                          address_string="x", description="ขยะ")
    assert outside.status == 403 and outside.json()[0]["code"] == 403
    sea = nation.post("json", api_key=world.national, service_code="waste", lat="9.5", long="98.0",
                      description="ขยะ")
    assert sea.status == 400 and "jurisdiction_id" in sea.json()[0]["description"]
    assert nation.post("json", api_key=world.national, jurisdiction_id="9999999", service_code="waste",
                       address_string="x", description="ขยะ").status == 404
    assert nation.post("json", api_key=world.write, jurisdiction_id=BANLAT, service_code="waste",
                       address_string="x", description="ขยะ").status == 403  # a body's key is not national


def test_national_post_routes_by_the_service_area_and_names_bodies_of_one_name(world: World) -> None:
    """The finder's rule (tenants.locate.place_locate): the subdistrict, else the one nearest the
    point, then the body whose service area covers it there."""
    nation = world.nation()
    both = ("jurisdiction_id: มีหลายหน่วยงานที่ดูแลพื้นที่นี้ (5760701 เทศบาลตำบลบางตะบูน, "
            "6760709 องค์การบริหารส่วนตำบลบางตะบูน) กรุณาส่ง jurisdiction_id หรือ attribute[moo]")
    # ต.บางตะบูน is served whole by the ทต. and the อบต. of its name (the registry's guess).
    for place in ({"lat": "13.2650", "long": "99.9450"},
                  {"attribute[subdistrict]": BANG_TABUN, "address_string": "ตลาด"}):
        reply = nation.post("json", api_key=world.national, service_code="waste", description="ขยะล้น", **place)
        assert (reply.status, reply.json()) == (400, [{"code": 400, "description": both}])
    areas = ServiceArea.objects.filter(subdistrict_id=BANG_TABUN)
    areas.filter(body__dla_code=TM_BANG_TABUN).update(moo=[1, 2, 3])
    areas.filter(body__dla_code=SAO_BANG_TABUN).update(moo=[4, 5, 6, 7])
    try:
        by_point = nation.post("json", api_key=world.national, service_code="waste", lat="13.2650", long="99.9450",
                               description="ขยะล้นหน้าวัด", **{"attribute[moo]": "7"})
        by_subdistrict = nation.post("json", api_key=world.national, service_code="waste", address_string="ตลาด",
                                     description="ขยะล้นตลาด", **{"attribute[subdistrict]": BANG_TABUN,
                                                                   "attribute[moo]": "2"})
        nobody = nation.post("json", api_key=world.national, service_code="waste", lat="13.2650", long="99.9450",
                             description="ขยะ", **{"attribute[moo]": "9"})
    finally:
        areas.update(moo=[])
    assert (by_point.status, by_subdistrict.status) == (201, 201), (by_point.raw, by_subdistrict.raw)
    assert by_point.json()[0]["service_request_id"].startswith(f"{SAO_BANG_TABUN}-")
    assert by_subdistrict.json()[0]["service_request_id"].startswith(f"{TM_BANG_TABUN}-")
    assert nobody.status == 400 and nobody.json()[0]["description"].startswith("jurisdiction_id: ระบุหน่วยงานไม่ได้")


# --- refusals -----------------------------------------------------------------------------------------

def _errors(reply) -> list[dict]:  # type: ignore[no-untyped-def]
    return reply.json() if reply.headers["content-type"].startswith("application/json") else \
        xml_items(reply.xml(), "error")


@pytest.mark.parametrize(("fields", "status", "text"), [
    ({"service_code": "road", "lat": "13.1", "long": "99.92"}, 400, "กรุณากรอกรายละเอียด"),
    ({"service_code": "road", "description": "ถนนพัง"}, 400, "กรุณาระบุพิกัด"),
    ({"service_code": "road", "lat": "abc", "long": "99.92", "description": "x"}, 400, "lat/long"),
    ({"service_code": "road", "lat": "NaN", "long": "99.92", "description": "x"}, 400, "lat/long"),
    ({"service_code": "road", "lat": "40.0", "long": "99.92", "description": "x"}, 400, "พิกัดอยู่นอกประเทศไทย"),
    ({"description": "x", "address_string": "x"}, 400, "service_code"),
    ({"service_code": "nothing", "description": "x", "address_string": "x"}, 404, "service_code"),
    ({"service_code": "road", "description": "x", "address_string": "x", "phone": "12", "first_name": "ก"},
     400, "หมายเลขโทรศัพท์ไม่ถูกต้อง"),
    ({"service_code": "road", "description": "x", "address_string": "x", "media_url": "javascript:alert(1)"},
     400, "media_url"),
    ({"service_code": "road", "description": "x", "address_string": "x", "attribute[subdistrict]": "999999"},
     400, "ไม่พบตำบลที่เลือก"),
    ({"service_code": "road", "description": "x", "address_string": "x", "attribute[conduct]": "maybe"},
     400, "attribute[conduct]"),
])
def test_bad_post_is_a_spec_error_list_and_nothing_is_filed(world: World, fields: dict, status: int,
                                                             text: str) -> None:
    with schema_context(world.banlat.schema_name):
        before = Complaint.objects.count()
    for fmt in ("json", "xml"):
        reply = world.body().post(fmt, api_key=world.write, **fields)
        assert reply.status == status, reply.raw
        [error] = _errors(reply)
        assert str(error["code"]) == str(status) and text in error["description"]
    with schema_context(world.banlat.schema_name):
        assert Complaint.objects.count() == before


def test_refusals_in_english_when_asked(world: World) -> None:
    reply = world.body().call("POST", "/open311/v2/requests.json?locale=en", body=b"service_code=road&lat=13.1"
                              b"&long=99.92&api_key=" + world.write.encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 400 and reply.json()[0]["description"] == "description: Please fill in: Details"


@pytest.mark.parametrize(("query", "parameter"), [
    ({"start_date": "yesterday"}, "start_date"), ({"end_date": "2026-13-45"}, "end_date"),
    ({"status": "pending"}, "status"), ({"page_size": "0"}, "page_size"), ({"page_size": "100000"}, "page_size"),
    ({"page": "-1"}, "page"), ({"service_request_id": "12"}, "service_request_id"),
    ({"updated_after": "2026-02-30T00:00:00"}, "updated_after"),
    ({"start_date": "2026-10-05", "end_date": "2026-10-01"}, "end_date"),
])
def test_bad_filters_are_400_with_the_parameter_named(world: World, query: dict, parameter: str) -> None:
    for client in (world.body(), world.nation()):
        for fmt in ("json", "xml"):
            reply = client.get("requests", fmt, **query)
            assert reply.status == 400, reply.raw
            assert _errors(reply)[0]["description"].startswith(f"{parameter}: ")


def test_keys_refused_without_write_access_elsewhere_or_revoked(world: World) -> None:
    fields = {"service_code": "road", "description": "ถนนพัง", "address_string": "ซอย 1"}
    assert world.body().post("json", **fields).status == 403
    for key in (world.read, world.other_body, world.revoked, "nonsense", world.write + "x"):
        reply = world.body().post("xml", api_key=key, **fields)
        assert reply.status == 403 and _errors(reply)[0]["code"] == "403"
    assert world.body().get("requests", "json", api_key=world.revoked).status == 403
    assert world.body().get("requests", "json", api_key=world.read).status == 200
    unknown = world.body().call("GET", "/open311/v2/nothing/here.json")
    assert unknown.status == 404 and unknown.json()[0]["code"] == 404
    assert world.body().call("DELETE", "/open311/v2/requests.json").status == 405


def test_rate_limit_holds_across_two_server_processes(world: World) -> None:
    stamp = str(time.time_ns())[-6:]
    key, raw = api_key_create(name=f"rate {stamp}", body=world.banlat, access=Access.READ)
    try:
        # A window of a week: the test cannot straddle two windows.
        with live_server(OPEN311_READ_RATE="3/7d") as first, live_server(OPEN311_READ_RATE="3/7d") as second:
            clients = [Open311(first, "banlat.localhost"), Open311(second, "banlat.localhost")]
            statuses = [clients[i % 2].get("services", "json", api_key=raw).status for i in range(5)]
            assert statuses == [200, 200, 200, 429, 429]
            refused = clients[0].get("services", "xml", api_key=raw)
            assert refused.status == 429 and xml_items(refused.xml(), "error")[0]["code"] == "429"
    finally:
        ApiKey.objects.filter(pk=key.pk).delete()


def test_json_bodies_with_an_attribute_object_and_malformed_bodies(world: World) -> None:
    body = world.body()
    ok = body.call("POST", "/open311/v2/requests.json", body=json.dumps({
        "api_key": world.write, "service_code": "tree", "address_string": "สวนสาธารณะ", "description": "กิ่งไม้หัก",
        "attribute": {"moo": "7"}}).encode(), headers={"Content-Type": "application/json"})
    assert ok.status == 201, ok.raw
    with schema_context(world.banlat.schema_name):
        assert Complaint.objects.get(pk=int(ok.json()[0]["service_request_id"].split("-")[1])).moo == "7"
    for raw, kind in ((b"[1, 2]", "application/json"), (b"{not json", "application/json"), (b'"x"', "application/json"),
                      (b"service_code=road", "text/plain")):
        reply = body.call("POST", "/open311/v2/requests.xml", body=raw,
                          headers={"Content-Type": kind, "X-Api-Key": world.write})
        assert reply.status == 400, (raw, reply.raw)
        assert xml_items(reply.xml(), "error")[0]["code"] == "400"


def test_client_ticket_id_files_a_retried_post_once_and_finds_it_by_the_partners_id(world: World) -> None:
    body = world.body()
    ticket = f"TF-{time.time_ns()}"
    fields = {"api_key": world.write, "service_code": "drainage", "address_string": "ซอย 5",
              "description": "ท่ออุดตันหน้าบ้าน", "client_ticket_id": ticket}
    first, again = body.post("json", **fields), body.post("json", **fields)
    assert (first.status, again.status) == (201, 200)
    request_id = first.json()[0]["service_request_id"]
    assert again.json()[0]["service_request_id"] == request_id
    header = body.call("POST", "/open311/v2/requests.json", body=json.dumps({k: v for k, v in fields.items()
                                                                             if k != "client_ticket_id"}).encode(),
                       headers={"Content-Type": "application/json", "Idempotency-Key": ticket})
    assert (header.status, header.json()[0]["service_request_id"]) == (200, request_id)
    # unique per integration: the same id from another key is another case
    other = body.post("json", **{**fields, "api_key": world.national})
    assert other.status == 201 and other.json()[0]["service_request_id"] != request_id
    found = body.get("requests", "json", api_key=world.write, client_ticket_id=ticket).json()
    assert _ids(found) == [request_id]
    assert body.get("requests", "json", api_key=world.read, client_ticket_id=ticket).json() == []
    assert body.get("requests", "json", client_ticket_id=ticket).status == 400
    assert world.nation().get("requests", "json", api_key=world.national, client_ticket_id=ticket).status == 400
    assert body.post("json", **{**fields, "client_ticket_id": "มี ช่องว่าง"}).status == 400
