"""Open311 keys: a body admin issues and revokes them in the staff pages, the national admin in
Django's admin; hashed, scoped, read or write; and the body's own SLA in expected_datetime."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django_tenants.utils import schema_context

from api.admin import ApiKeyForm
from api.models import Access, ApiKey, api_key_create, hash_key
from apps.audit.models import AuditEntry
from apps.sla.calendar import BANGKOK
from apps.sla.services import sla_agreement_draft_create, sla_agreement_publish, sla_agreement_row_set
from tenants import cache
from tenants.models import LocalBody
from tests.conftest import STAFF_PASSWORD
from tests.signin import password_and_code


def _staff(host: str, role: str) -> Client:
    cache.clear()
    client = Client(HTTP_HOST=host)
    schema = LocalBody.objects.get(domains__domain=host).schema_name
    return password_and_code(client, username=role, password=STAFF_PASSWORD, schema=schema)


def test_body_admin_issues_a_hashed_key_shown_once_and_revokes_it(banlat: LocalBody) -> None:
    admin = _staff("banlat.localhost", "admin")
    assert admin.get("/staff/api-keys/").status_code == 200
    page = admin.post("/staff/api-keys/", {"action": "issue", "name": "Traffy Fondue", "access": "write"})
    assert page.status_code == 200
    key = ApiKey.objects.get(body=banlat, name="Traffy Fondue")
    raw = page.content.decode().split('<code id="new-key">')[1].split("</code>")[0]
    assert raw.startswith(f"{key.prefix}.") and key.key_hash == hash_key(raw) and raw not in key.key_hash
    assert (key.access, key.scope, key.revoked_at) == ("write", "", None)
    assert raw not in admin.get("/staff/api-keys/").content.decode()  # shown once
    with schema_context(banlat.schema_name):
        assert AuditEntry.objects.filter(kind="api_key.create", target_id=str(key.pk)).count() == 1

    post = {"service_code": "road", "description": "ถนนพัง", "address_string": "ซอย 1", "api_key": raw}
    open311 = Client(HTTP_HOST="banlat.localhost")
    assert open311.post("/open311/v2/requests.json", post).status_code == 201
    assert admin.post("/staff/api-keys/", {"action": "revoke", "key": key.pk}).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    refused = open311.post("/open311/v2/requests.json", post)
    assert refused.status_code == 403
    assert refused.json() == [{"code": 403, "description": "api_key ไม่ถูกต้องหรือถูกยกเลิกแล้ว"}]


def test_only_the_bodys_admin_manages_its_keys(banlat: LocalBody, thasen: LocalBody) -> None:
    key, _raw = api_key_create(name="banlat system", body=banlat, access=Access.READ)
    assert _staff("banlat.localhost", "officer").get("/staff/api-keys/").status_code == 403
    assert Client(HTTP_HOST="banlat.localhost").get("/staff/api-keys/").status_code == 302  # to sign-in
    other = _staff("thasen.localhost", "admin")
    assert "banlat system" not in other.get("/staff/api-keys/").content.decode()
    other.post("/staff/api-keys/", {"action": "revoke", "key": key.pk})
    key.refresh_from_db()
    assert key.revoked_at is None
    empty = _staff("banlat.localhost", "admin").post("/staff/api-keys/", {"action": "issue", "name": " ",
                                                                           "access": "write"})
    assert empty.status_code == 400 and ApiKey.objects.filter(body=banlat).count() == 1


def test_national_admin_form_scopes_keys(banlat: LocalBody) -> None:
    assert ApiKeyForm({"name": "DLA", "scope": "nation", "access": "write"}).is_valid()
    assert not ApiKeyForm({"name": "DLA", "scope": "", "access": "write"}).is_valid()
    assert not ApiKeyForm({"name": "x", "scope": "nation", "body": banlat.pk, "access": "read"}).is_valid()
    assert ApiKeyForm({"name": "x", "scope": "", "body": banlat.pk, "access": "read"}).is_valid()


def test_a_bodys_key_is_not_a_national_reporting_key(banlat: LocalBody) -> None:
    _key, raw = api_key_create(name="body", body=banlat, access=Access.WRITE)
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/api/national/v1/bodies/").status_code == 401


def test_expected_datetime_follows_the_bodys_published_agreement(banlat: LocalBody) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=BANGKOK), tick=False):
        agreement = sla_agreement_draft_create(body=banlat, number="1/2569")
        sla_agreement_row_set(agreement=agreement, sla_class="B", stage="resolve", days=7, day_type="calendar")
        sla_agreement_publish(agreement=agreement, effective_from=dt.date(2026, 3, 3))
        _key, raw = api_key_create(name="sla", body=banlat, access=Access.WRITE)
        cache.clear()
        client = Client(HTTP_HOST="banlat.localhost")
        created = client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "road",
                                                             "description": "ถนนพัง", "address_string": "ซอย 1"})
        request_id = created.json()[0]["service_request_id"]
        urgent = client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "urgent_hazard",
                                                            "description": "เสาไฟล้ม", "address_string": "ซอย 2"})
        urgent_id = urgent.json()[0]["service_request_id"]
        one = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
        hazard = client.get(f"/open311/v2/requests/{urgent_id}.json").json()[0]
    assert (one["requested_datetime"], one["expected_datetime"]) == ("2026-03-03T09:00:00+07:00",
                                                                     "2026-03-10T09:00:00+07:00")
    # class A keeps the framework's 1 working day; 3 March 2026 is Makha Bucha (a public holiday), so
    # the working day is Wednesday's office hours, 08:30–16:30
    assert hazard["expected_datetime"] == "2026-03-04T16:30:00+07:00"
