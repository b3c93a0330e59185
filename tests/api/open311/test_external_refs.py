"""External references through Open311: a partner posts its own ticket id (`external_source` +
`external_id`, e.g. Traffy Fondue's), a retry files nothing new, the id is kept on the case and on
its fact and returned in every list, and the partner finds the case by it on the body's endpoint
and nationally (from the facts)."""

from __future__ import annotations

import uuid

from django.test import Client
from django_tenants.utils import schema_context

from api.models import api_key_create
from apps.complaints.models import Complaint
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody


def test_an_external_reference_is_kept_unique_and_found_on_the_body_and_nationally(banlat: LocalBody) -> None:
    _key, raw = api_key_create(name="Traffy Fondue", body=banlat, access="write")
    ticket = f"2026-{uuid.uuid4().hex[:8]}"
    post = {"service_code": "road", "description": "ถนนเป็นหลุม", "address_string": "ซอย 3", "api_key": raw,
            "external_source": "traffy", "external_id": ticket}
    body = Client(HTTP_HOST="banlat.localhost")
    first = body.post("/open311/v2/requests.json", post)
    again = body.post("/open311/v2/requests.json", post)
    assert (first.status_code, again.status_code) == (201, 200)
    request_id = first.json()[0]["service_request_id"]
    assert again.json()[0]["service_request_id"] == request_id
    pk = int(request_id.split("-")[1])
    with schema_context(banlat.schema_name):
        assert Complaint.objects.filter(external_source="traffy", external_id=ticket).count() == 1
        assert Complaint.objects.get(pk=pk).channel == "open311"
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=pk)
    assert (fact.external_source, fact.external_id) == ("traffy", ticket)

    found = body.get("/open311/v2/requests.json", {"external_source": "traffy", "external_id": ticket}).json()
    assert [(r["service_request_id"], r["external_source"], r["external_id"]) for r in found] == [
        (request_id, "traffy", ticket)]
    national = Client(HTTP_HOST="localhost").get("/open311/v2/requests.json",
                                                 {"external_source": "traffy", "external_id": f"{ticket},nope"})
    assert [(r["service_request_id"], r["external_id"]) for r in national.json()] == [(request_id, ticket)]
    xml = Client(HTTP_HOST="localhost").get("/open311/v2/requests.xml",
                                            {"external_source": "traffy", "external_id": ticket}).content.decode()
    assert f"<external_id>{ticket}</external_id>" in xml
    one = body.get(f"/open311/v2/requests/{request_id}.json").json()
    assert one[0]["external_id"] == ticket


def test_bad_external_references_are_refused_naming_the_parameter(banlat: LocalBody) -> None:
    _key, raw = api_key_create(name="provincial app", body=banlat, access="write")
    body = Client(HTTP_HOST="banlat.localhost")
    with schema_context(banlat.schema_name):
        before = Complaint.objects.count()
    base = {"service_code": "road", "description": "ถนนเป็นหลุม", "address_string": "ซอย 3", "api_key": raw}
    no_source = body.post("/open311/v2/requests.json", {**base, "external_id": "T-1"})
    assert no_source.status_code == 400 and no_source.json()[0]["description"].startswith("external_source:")
    spaced = body.post("/open311/v2/requests.json", {**base, "external_source": "traffy", "external_id": "T 1"})
    assert spaced.status_code == 400 and spaced.json()[0]["description"].startswith("external_id:")
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == before
    lookup = Client(HTTP_HOST="localhost").get("/open311/v2/requests.json", {"external_id": "T-1"})
    assert lookup.status_code == 400 and lookup.json()[0]["description"].startswith("external_source:")
