"""Open311: the complainant's consent to be contacted by the officers handling the request, as the
optional `attribute[contact_allowed]` (comma-separated channels), documented in the OpenAPI file."""

from __future__ import annotations

from django.test import Client
from django_tenants.utils import schema_context

from api.models import api_key_create
from apps.complaints.models import Complaint
from tenants.models import LocalBody


def test_a_partner_passes_the_channels_the_complainant_allowed(banlat: LocalBody) -> None:
    _key, raw = api_key_create(name="provincial app", body=banlat, access="write")
    body = Client(HTTP_HOST="banlat.localhost")
    base = {"service_code": "road", "description": "ถนนเป็นหลุม", "address_string": "ซอย 3", "api_key": raw,
            "first_name": "สมศรี", "phone": "0812345678", "email": "somsri@example.org"}
    allowed = body.post("/open311/v2/requests.json", {**base, "attribute[contact_allowed]": "email, phone"})
    silent = body.post("/open311/v2/requests.json", base)
    assert (allowed.status_code, silent.status_code) == (201, 201)
    ids = [int(r.json()[0]["service_request_id"].split("-")[1]) for r in (allowed, silent)]
    with schema_context(banlat.schema_name):
        assert [Complaint.objects.get(pk=pk).contact_allowed for pk in ids] == [["phone", "email"], []]
        before = Complaint.objects.count()
    repeated = body.post("/open311/v2/requests.json", {**base, "attribute[contact_allowed][]": ["phone", "email"]})
    assert repeated.status_code == 201
    with schema_context(banlat.schema_name):
        pk = int(repeated.json()[0]["service_request_id"].split("-")[1])
        assert Complaint.objects.get(pk=pk).contact_allowed == ["phone", "email"]
        before = Complaint.objects.count()
    refused = body.post("/open311/v2/requests.json", {**base, "attribute[contact_allowed]": "line"})
    assert refused.status_code == 400
    assert refused.json()[0]["description"] == ("attribute[contact_allowed]: ท่านเลือกให้ติดต่อทางLINE แต่ไม่ได้กรอก"
                                                "LINE ID กรุณากรอกLINE ID หรือยกเลิกการเลือกนี้")
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == before
    document = body.get("/open311/v2/openapi.json").json()
    field = document["components"]["schemas"]["NewRequest"]["properties"]["attribute[contact_allowed]"]
    assert field["pattern"] == "^((phone|email)(,(phone|email))*)?$"
