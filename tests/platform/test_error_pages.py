"""Error pages in Thai (English when chosen) and in the platform's look, JSON under /api/; the 500
page comes from a view that really raises with DEBUG off; nginx has static Thai pages for the
failures gunicorn cannot answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.platform import boom_urls

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def boom(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = boom_urls.Tenant
    settings.PUBLIC_SCHEMA_URLCONF = boom_urls.Public
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("host", ["banlat.localhost", "localhost"])
def test_a_view_that_raises_gives_the_thai_500_page(banlat, boom, host: str) -> None:
    response = boom.get("/boom/", HTTP_HOST=host)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>ระบบขัดข้อง (500)</title>" in html
    assert "ขออภัย ระบบขัดข้องชั่วคราว" in html
    assert 'class="site-header"' in html and "ui/css/ui.css" in html
    assert "Server Error" not in html


def test_500_in_english_when_chosen(banlat, boom) -> None:
    boom.cookies["django_language"] = "en"
    html = boom.get("/boom/", HTTP_HOST="banlat.localhost").content.decode()
    assert "<title>Server error (500)</title>" in html
    assert "ระบบขัดข้อง" not in html


def test_api_500_is_json_in_thai(banlat, boom) -> None:
    response = boom.get("/api/boom/", HTTP_HOST="banlat.localhost")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["message"].startswith("ขออภัย ระบบขัดข้องชั่วคราว")


@pytest.mark.parametrize("host", ["banlat.localhost", "localhost"])
def test_404_page_in_thai(banlat, boom, host: str) -> None:
    response = boom.get("/no-such-page/", HTTP_HOST=host)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>ไม่พบหน้านี้ (404)</title>" in html and 'class="site-header"' in html
    assert "Not Found" not in html


def test_400_page_in_thai_for_a_bad_host_header(banlat, boom) -> None:
    response = boom.get("/", HTTP_HOST="banlat.localhost:notaport")
    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง (400)" in response.content.decode()


def test_csrf_failure_is_the_thai_403_page(banlat) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/complaints/new/", {"description": "x"}, HTTP_HOST="banlat.localhost")
    assert response.status_code == 403
    html = response.content.decode()
    assert "ไม่มีสิทธิ์เข้าถึง (403)" in html and "CSRF" not in html


def test_nginx_serves_static_thai_pages_for_gateway_failures() -> None:
    conf = (REPO / "deploy/nginx/rongthuk.conf.template").read_text()
    assert "error_page 502 503 504 /_errors/50x.html;" in conf
    assert "proxy_intercept_errors on" not in conf  # the app's own 503/JSON errors pass through
    alias = re.search(r"location /_errors/ \{\s*alias (\S+);", conf)
    assert alias is not None
    compose = (REPO / "docker-compose.yml").read_text()
    assert f"./deploy/nginx/errors:{alias.group(1).rstrip('/')}:ro" in compose
    page = (REPO / "deploy/nginx/errors/50x.html").read_text()
    assert '<html lang="th">' in page and "ระบบไม่พร้อมให้บริการชั่วคราว" in page
    assert "ระบบไม่พร้อม" in (REPO / "deploy/nginx/errors/50x.html").read_text()
    assert "ข้อมูลใหญ่เกินกำหนด (413)" in (REPO / "deploy/nginx/errors/413.html").read_text()
