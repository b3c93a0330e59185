import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import cache
from tenants.models import BodyStatus, LocalBody


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
    assert client.get("/healthz", HTTP_HOST="nosuchbody.localhost").status_code == 404


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


def test_host_lookups_are_cached(client: Client, banlat: LocalBody) -> None:
    with CaptureQueriesContext(connection) as first:
        client.get("/healthz", HTTP_HOST="banlat.localhost")
    with CaptureQueriesContext(connection) as second:
        assert client.get("/healthz", HTTP_HOST="banlat.localhost").status_code == 200
    assert any("tenants_domain" in q["sql"] for q in first.captured_queries)
    assert not any("tenants_domain" in q["sql"] for q in second.captured_queries)
