"""After an upgrade (a new DLA code), Open311 ids minted with the old code keep working, over real
HTTP (`rongthuk runserver` on the test database): one request by its old id is a permanent
redirect to its id with the new code, lists and tokens read old ids as new ones, and national
routing by `jurisdiction_id` takes the old code. Data is committed (the server is another
process) and the upgrade is undone at the end of the module."""

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
from tenants.lifecycle import body_upgrade
from tenants.models import Domain, LocalBody
from tests.api.open311.client import LiveDeployment, live_server
from tests.apps.complaints.staff_helpers import committed_cases_delete

SAMPHRAYA = "6760406"  # อบต.สามพระยา, อำเภอชะอำ
NEW_CODE = "5760498"


@dataclass
class Upgraded(LiveDeployment):
    body: LocalBody
    old_id: str
    new_id: str
    national_key: str


def _undo(body: LocalBody, before: dict[str, object], domains: list[tuple[str, bool, bool]], first_audit: int,
          key_ids: list[int]) -> None:
    connection.set_schema_to_public()
    ids = list(ComplaintFact.objects.filter(body=body).values_list("complaint_id", flat=True))
    committed_cases_delete(body, ids)
    with schema_context(body.schema_name):
        AuditEntry.objects.filter(kind="body.upgrade").delete()
    AuditEntry.objects.filter(pk__gte=first_audit).delete()
    Domain.objects.filter(tenant=body).delete()
    Domain.objects.bulk_create([Domain(domain=name, tenant=body, is_primary=primary, redirect=redirect)
                                for name, primary, redirect in domains])
    LocalBody.objects.filter(pk=body.pk).update(**before)
    ApiKey.objects.filter(pk__in=key_ids).delete()
    cache.clear()


@pytest.fixture(scope="module")
def upgraded(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Upgraded]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        body = LocalBody.objects.get(dla_code=SAMPHRAYA)
        before = {"dla_code": body.dla_code, "previous_dla_code": body.previous_dla_code, "kind": body.kind,
                  "name_th": body.name_th, "slug": body.slug}
        domains = list(Domain.objects.filter(tenant=body).values_list("domain", "is_primary", "redirect"))
        first_audit = (AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        key, raw = api_key_create(name=f"national {time.time_ns()}", scope="nation", access=Access.WRITE)
        try:
            with schema_context(body.schema_name):
                category = Category.objects.get(national_category_id="road")
                case = complaint_submit(channel="web", category=category, description="ถนนหน้าวัดเป็นหลุม",
                                        location_text="หน้าวัด", latitude="12.7", longitude="99.9").complaint
            body_upgrade(body=body, new_code=NEW_CODE, kind="subdistrict_municipality", actor_label="test")
            body.refresh_from_db()
            cache.clear()
            with live_server() as port:
                yield Upgraded(port, body, f"{SAMPHRAYA}-{case.pk}", f"{NEW_CODE}-{case.pk}", raw)
        finally:
            _undo(body, before, domains, first_audit, [key.pk])


def test_one_request_by_its_old_id_is_a_permanent_redirect_to_its_new_id(upgraded: Upgraded) -> None:
    nation = upgraded.nation()
    moved = nation.get(f"requests/{upgraded.old_id}", "json", locale="en")
    assert moved.status == 301
    assert moved.headers["location"] == f"/open311/v2/requests/{upgraded.new_id}.json?locale=en"
    found = nation.call("GET", moved.headers["location"])
    assert found.status == 200
    item = found.json()[0]
    assert (item["service_request_id"], item["agency_responsible"]) == (upgraded.new_id, "เทศบาลตำบลสามพระยา")

    # On the body's old host: the host redirects to the new one, then the id to the new id.
    old_host = upgraded.on(f"{SAMPHRAYA}.localhost").get(f"requests/{upgraded.old_id}", "xml")
    assert old_host.status == 301
    assert old_host.headers["location"] == (f"http://{upgraded.body.slug}.localhost:{upgraded.port}"
                                            f"/open311/v2/requests/{upgraded.old_id}.xml")
    body = upgraded.on(f"{upgraded.body.slug}.localhost")
    again = body.get(f"requests/{upgraded.old_id}", "xml")
    assert (again.status, again.headers["location"]) == (301, f"/open311/v2/requests/{upgraded.new_id}.xml")
    assert body.call("GET", again.headers["location"]).xml().findtext("request/service_request_id") == upgraded.new_id


def test_lists_and_tokens_read_old_ids_as_new_ones(upgraded: Upgraded) -> None:
    for client in (upgraded.nation(), upgraded.on(f"{upgraded.body.slug}.localhost")):
        listed = client.get("requests", "json", service_request_id=f"{upgraded.old_id},{upgraded.new_id}")
        assert listed.status == 200
        assert [item["service_request_id"] for item in listed.json()] == [upgraded.new_id]
    token = token_for(upgraded.old_id)  # handed out when the case was filed, before the upgrade
    reply = upgraded.on(f"{upgraded.body.slug}.localhost").get(f"tokens/{token}", "json")
    assert reply.status == 200
    assert reply.json() == [{"service_request_id": upgraded.new_id, "token": token}]


def test_national_routing_takes_the_old_code_as_jurisdiction(upgraded: Upgraded) -> None:
    reply = upgraded.nation().post("json", api_key=upgraded.national_key, jurisdiction_id=SAMPHRAYA,
                                   service_code="road", lat="12.7001", long="99.9001",
                                   description="ไฟทางดับหน้าโรงเรียน")
    assert reply.status == 201
    request_id = reply.json()[0]["service_request_id"]
    assert request_id.startswith(f"{NEW_CODE}-")
    fact = ComplaintFact.objects.get(body=upgraded.body, complaint_id=int(request_id.split("-")[1]))
    assert fact.channel == "open311"

    unknown = upgraded.nation().post("json", api_key=upgraded.national_key, jurisdiction_id="6769999",
                                     service_code="road", lat="12.7", long="99.9")
    assert unknown.status == 404
    assert unknown.json() == [{"code": 404, "description": "jurisdiction_id: ไม่พบหน่วยงานที่เปิดให้บริการรหัสนี้"}]
