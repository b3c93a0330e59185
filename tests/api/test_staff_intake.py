"""JSON intake on a body's sub-domain, over real HTTP semantics of the DRF view."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Category, Complaint
from apps.reporting.models import ComplaintFact
from tenants import cache
from tenants.models import LocalBody
from tests.conftest import STAFF_PASSWORD
from tests.signin import password_and_code


def _client(host: str, role: str = "clerk") -> Client:
    cache.clear()
    client = Client(HTTP_HOST=host)
    schema = LocalBody.objects.get(domains__domain=host).schema_name
    return password_and_code(client, username=role, password=STAFF_PASSWORD, schema=schema)


@pytest.fixture
def streetlight(banlat: LocalBody) -> int:
    with schema_context(banlat.schema_name):
        return Category.objects.get(national_category_id="streetlight").pk


def test_staff_file_a_phone_complaint_as_json(banlat: LocalBody, streetlight: int) -> None:
    client = _client("banlat.localhost")
    response = client.post("/api/staff/v1/complaints/", {
        "channel": "phone", "category": streetlight, "description": "ไฟดับหน้าตลาด",
        "complainant": {"name": "สมศรี", "phone": "081-234-5678"},
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["second_factor"], body["second_factor_kind"]) == ("received", "5678", "phone")
    with schema_context(banlat.schema_name):
        case = Complaint.objects.get(pk=body["id"])
        assert (case.channel, case.complainant_phone) == ("phone", "0812345678")
    assert ComplaintFact.objects.get(body=banlat, complaint_id=body["id"]).channel == "phone"
    detail = client.get(f"/api/staff/v1/complaints/{body['id']}/")
    assert detail.json()["tracking_code"] == body["tracking_code"]


def test_bad_json_input_is_refused_in_thai_and_nothing_saved(banlat: LocalBody, streetlight: int) -> None:
    client = _client("banlat.localhost")
    with schema_context(banlat.schema_name):
        before = Complaint.objects.count()
    bad_phone = client.post("/api/staff/v1/complaints/", {
        "channel": "phone", "category": streetlight, "description": "ถนนพัง",
        "complainant": {"name": "ก", "phone": "12"},
    }, content_type="application/json")
    assert bad_phone.status_code == 400
    assert bad_phone.json()["field"] == "phone"
    assert "หมายเลขโทรศัพท์" in bad_phone.json()["message"]
    web = client.post("/api/staff/v1/complaints/", {"channel": "web", "category": streetlight,
                                                     "description": "x"}, content_type="application/json")
    assert web.status_code == 400
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == before


def test_outsiders_get_nothing(banlat: LocalBody, thasen: LocalBody, streetlight: int) -> None:
    cache.clear()
    anonymous = Client(HTTP_HOST="banlat.localhost")
    assert anonymous.post("/api/staff/v1/complaints/", {}, content_type="application/json").status_code == 403
    own = _client("banlat.localhost").post("/api/staff/v1/complaints/", {
        "channel": "walk_in", "category": streetlight, "description": "ท่อตัน"},
        content_type="application/json").json()
    # a session signed in at thasen, carried to banlat's host, opens nothing there
    thasen_session = _client("thasen.localhost").cookies["sessionid"].value
    carried = Client(HTTP_HOST="banlat.localhost")
    carried.cookies["sessionid"] = thasen_session
    # (a page about one case: the same 404 as a case that does not exist)
    assert carried.get(f"/api/staff/v1/complaints/{own['id']}/").status_code == 404


def test_the_complainants_contact_consent_is_an_optional_field(banlat: LocalBody, streetlight: int) -> None:
    client = _client("banlat.localhost")
    base = {"channel": "phone", "category": streetlight, "description": "ไฟดับหน้าตลาด"}
    allowed = client.post("/api/staff/v1/complaints/", {**base, "complainant": {
        "name": "สมศรี", "phone": "0812345678", "email": "somsri@example.org", "contact_allowed": ["email", "phone"]}},
        content_type="application/json")
    assert allowed.status_code == 201, allowed.content
    none = client.post("/api/staff/v1/complaints/", {**base, "complainant": {"name": "สมศรี", "phone": "0812345678"}},
                       content_type="application/json")
    with schema_context(banlat.schema_name):
        before = Complaint.objects.count()
        assert Complaint.objects.get(pk=allowed.json()["id"]).contact_allowed == ["phone", "email"]
        assert Complaint.objects.get(pk=none.json()["id"]).contact_allowed == []
    refused = client.post("/api/staff/v1/complaints/", {**base, "complainant": {
        "name": "สมศรี", "phone": "0812345678", "contact_allowed": ["line"]}}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {"field": "contact_line", "message": "ท่านเลือกให้ติดต่อทางLINE แต่ไม่ได้กรอกLINE ID "
                                                                  "กรุณากรอกLINE ID หรือยกเลิกการเลือกนี้"}
    unknown = client.post("/api/staff/v1/complaints/", {**base, "complainant": {
        "name": "สมศรี", "phone": "0812345678", "contact_allowed": ["fax"]}}, content_type="application/json")
    assert unknown.status_code == 400 and "contact_allowed" in unknown.json()["errors"]["complainant"]
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == before
    schema = Client(HTTP_HOST="banlat.localhost").get("/api/staff/v1/openapi.json")
    assert schema.status_code == 200
    assert "the channels the complainant allows the officers handling the case to reach them by" in \
        schema.content.decode()
