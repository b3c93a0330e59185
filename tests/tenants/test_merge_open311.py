"""After a merge of two bodies, a partner's stored Open311 ids of the absorbed body's cases keep
working, over real HTTP (`rongthuk runserver` on the test database): one request by its old id is
a permanent redirect to the id the case has in the receiving body (nationally, and on the absorbed
body's host, which redirects to the receiving body's first), lists and tokens read old ids as the
new ones, and national routing by the absorbed body's `jurisdiction_id` files with the receiving
body. Two bodies of their own are made for it (data is committed: the server is another process)
and dropped at the end of the module."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from api.models import Access, ApiKey, api_key_create
from api.open311.intake import token_for
from apps.audit.models import AuditEntry
from apps.complaints.models import Category
from apps.complaints.services.intake import complaint_submit
from apps.reporting.models import ComplaintFact
from tenants import cache
from tenants.lifecycle import body_merge
from tenants.models import BodyKind, BodyStatus, Domain, LocalBody
from tenants.provisioning import body_provision
from tenants.services import domain_names, schema_name_for
from tests.api.open311.client import LiveDeployment, live_server
from tests.tenants.archive_helpers import body_drop

ABSORBED, RECEIVING = "6760381", "5760382"  # made here, in อำเภอหนองหญ้าปล้อง


@dataclass
class Merged(LiveDeployment):
    absorbed: LocalBody
    into: LocalBody
    old_id: str
    new_id: str
    national_key: str


def _made(code: str, kind: str, name: str) -> LocalBody:
    body = LocalBody.objects.create(dla_code=code, kind=kind, name_th=name, slug=f"merge-{code}",
                                    schema_name=schema_name_for(code), province_id="76", district_id="7603",
                                    status=BodyStatus.PROVISIONING)
    body_provision(body.pk)
    primary, alias = domain_names(body.slug, code)
    Domain.objects.bulk_create([Domain(domain=primary, tenant=body, is_primary=True),
                                Domain(domain=alias, tenant=body, is_primary=False)])
    return LocalBody.objects.get(pk=body.pk)


@pytest.fixture(scope="module")
def merged(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Merged]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        first_audit = (AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        absorbed = _made(ABSORBED, BodyKind.SAO, "ทดสอบรวม")
        into = _made(RECEIVING, BodyKind.SUBDISTRICT_MUNICIPALITY, "ทดสอบรับรวม")
        key, raw = api_key_create(name=f"national {time.time_ns()}", scope="nation", access=Access.WRITE)
        try:
            with schema_context(into.schema_name):
                category = Category.objects.get(national_category_id="road")
                complaint_submit(channel="web", category=category, description="ท่อระบายน้ำอุดตัน",
                                 location_text="ตลาด", latitude="13.1", longitude="99.95")
            with schema_context(absorbed.schema_name):
                category = Category.objects.get(national_category_id="road")
                case = complaint_submit(channel="web", category=category, description="ถนนหน้าวัดเป็นหลุม",
                                        location_text="หน้าวัด", latitude="13.1", longitude="99.95").complaint
            old_id = f"{ABSORBED}-{case.pk}"
            body_merge(absorbed=absorbed, into=into, actor_label="test")
            fact = ComplaintFact.objects.get(former_ids__contains=[old_id])
            cache.clear()
            with live_server() as port:
                yield Merged(port, absorbed, into, old_id, f"{RECEIVING}-{fact.complaint_id}", raw)
        finally:
            connection.set_schema_to_public()
            for code in (ABSORBED, RECEIVING):  # the absorbed one points at the other
                body_drop(LocalBody.objects.get(dla_code=code))
            AuditEntry.objects.filter(pk__gte=first_audit).delete()
            ApiKey.objects.filter(pk=key.pk).delete()
            cache.clear()


def test_one_request_by_its_old_id_is_a_permanent_redirect_to_the_receiving_bodys_case(merged: Merged) -> None:
    assert merged.old_id != merged.new_id
    nation = merged.nation()
    moved = nation.get(f"requests/{merged.old_id}", "json", jurisdiction_id=ABSORBED)
    assert moved.status == 301
    assert moved.headers["location"] == f"/open311/v2/requests/{merged.new_id}.json?jurisdiction_id={ABSORBED}"
    found = nation.call("GET", moved.headers["location"])
    assert found.status == 200
    item = found.json()[0]
    assert (item["service_request_id"], item["agency_responsible"], item["status"]) == (
        merged.new_id, "เทศบาลตำบลทดสอบรับรวม", "open")

    # On the absorbed body's host: the host redirects to the receiving body's, then the id to its new id.
    old_host = merged.on(f"{merged.absorbed.slug}.localhost").get(f"requests/{merged.old_id}", "xml")
    assert old_host.status == 301
    assert old_host.headers["location"] == (f"http://{merged.into.slug}.localhost:{merged.port}"
                                            f"/open311/v2/requests/{merged.old_id}.xml")
    body = merged.on(f"{merged.into.slug}.localhost")
    again = body.get(f"requests/{merged.old_id}", "xml")
    assert (again.status, again.headers["location"]) == (301, f"/open311/v2/requests/{merged.new_id}.xml")
    answered = body.call("GET", again.headers["location"]).xml()
    assert answered.findtext("request/service_request_id") == merged.new_id
    assert answered.findtext("request/description") == "ถนนหน้าวัดเป็นหลุม"

    # An id that was never anyone's is still a 404.
    missing = nation.get(f"requests/{ABSORBED}-999999", "json")
    assert (missing.status, missing.json()) == (404, [{"code": 404, "description": "service_request_id: ไม่พบเรื่องนี้"}])


def test_lists_and_tokens_read_the_absorbed_bodys_ids_as_the_receiving_ones(merged: Merged) -> None:
    for client in (merged.nation(), merged.on(f"{merged.into.slug}.localhost")):
        listed = client.get("requests", "json", service_request_id=f"{merged.old_id},{merged.new_id}")
        assert listed.status == 200
        assert [item["service_request_id"] for item in listed.json()] == [merged.new_id]
    token = token_for(merged.old_id)  # handed out when the case was filed, before the merge
    for client in (merged.nation(), merged.on(f"{merged.into.slug}.localhost")):
        reply = client.get(f"tokens/{token}", "json")
        assert (reply.status, reply.json()) == (200, [{"service_request_id": merged.new_id, "token": token}])


def test_national_routing_takes_the_absorbed_bodys_code_as_jurisdiction(merged: Merged) -> None:
    reply = merged.nation().post("json", api_key=merged.national_key, jurisdiction_id=ABSORBED,
                                 service_code="road", lat="13.1001", long="99.9501", description="ไฟทางดับหน้าโรงเรียน")
    assert reply.status == 201
    request_id = reply.json()[0]["service_request_id"]
    assert request_id.startswith(f"{RECEIVING}-")
    assert ComplaintFact.objects.get(body=merged.into, complaint_id=int(request_id.split("-")[1])).channel == "open311"
