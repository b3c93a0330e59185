from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import cache
from tenants.models import BodyStatus, Domain, LocalBody


@pytest.fixture
def client() -> Client:
    cache.clear()
    return Client()


def test_a_body_is_served_at_its_slug_and_at_its_dla_code(client: Client, banlat: LocalBody) -> None:
    for host in ("banlat.localhost", "5760601.localhost"):
        response = client.get("/healthz", HTTP_HOST=host)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "schema": "b5760601", "dla_code": "5760601"}
    page = client.get("/", HTTP_HOST="banlat.localhost")
    assert "เทศบาลตำบลบ้านลาด" in page.content.decode()


def test_the_public_domain_answers_healthz(client: Client, db: None) -> None:
    response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.json()["schema"] == "public"


def test_an_unknown_host_is_a_404_page_not_the_public_site(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="nosuchbody.localhost")
    assert response.status_code == 404
    assert "ไม่พบหน่วยงาน" in response.content.decode()


def test_suspended_body_is_closed_with_503_and_archived_with_410(client: Client, banlat: LocalBody) -> None:
    assert client.get("/", HTTP_HOST="banlat.localhost").status_code == 200
    banlat.status = BodyStatus.SUSPENDED
    banlat.save(update_fields=["status"])  # the cached lookup is dropped on change
    response = client.get("/", HTTP_HOST="banlat.localhost")
    assert response.status_code == 503
    assert "ปิดให้บริการ" in response.content.decode()
    banlat.status = BodyStatus.ARCHIVED
    banlat.save(update_fields=["status"])
    assert client.get("/complaints/new/", HTTP_HOST="banlat.localhost").status_code == 410


def test_the_whole_host_table_is_read_once_and_no_host_costs_a_query_after_it(
        client: Client, banlat: LocalBody, settings: Any) -> None:
    settings.TENANT_CACHE_CHECK_SECONDS = 3600  # no version check inside the counted requests
    with CaptureQueriesContext(connection) as first:
        assert client.get("/healthz", HTTP_HOST="banlat.localhost").status_code == 200
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in first.captured_queries if " FROM " in q["sql"]]
    assert tables == ["public.tenants_hostcacheversion", '"tenants_localbody"', '"tenants_domain"']
    hosts = [f"{body.slug}.localhost" for body in LocalBody.objects.bodies()[:40]]
    hosts += ["nosuchbody.localhost", "5760601.localhost", "x.y.localhost"]
    with CaptureQueriesContext(connection) as after:
        for host in hosts:
            assert client.get("/healthz", HTTP_HOST=host).status_code == 200
    assert after.captured_queries == []


def test_a_new_domain_is_served_at_once_in_the_process_that_made_it(client: Client, banlat: LocalBody) -> None:
    assert client.get("/healthz", HTTP_HOST="ban-lat-office.localhost").json()["schema"] is None
    Domain.objects.create(domain="ban-lat-office.localhost", tenant=banlat, is_primary=False)
    assert client.get("/healthz", HTTP_HOST="ban-lat-office.localhost").json()["schema"] == "b5760601"
    assert client.get("/", HTTP_HOST="ban-lat-office.localhost").status_code == 200


def test_another_process_sees_a_change_by_the_version_row(client: Client, banlat: LocalBody,
                                                           settings: Any) -> None:
    """A change made elsewhere (raw SQL here: no signal reaches this process) is seen once the
    version row is read again: the trigger bumped it in the changing transaction."""
    settings.TENANT_CACHE_CHECK_SECONDS = 0
    assert client.get("/", HTTP_HOST="banlat.localhost").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tenants_localbody SET status = 'suspended' WHERE id = %s", [banlat.pk])
    assert client.get("/", HTTP_HOST="banlat.localhost").status_code == 503
