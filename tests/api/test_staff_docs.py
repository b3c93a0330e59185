"""Each body's own OpenAPI document of its staff API and its browsable docs: the body's address
as the server, a request body for every write, multipart for the actions that take files, and a
docs page that keeps to the Content-Security-Policy (same-origin scripts only, the style block
with the request's nonce, assets vendored from drf-spectacular-sidecar)."""

from __future__ import annotations

import re

from django.test import Client

from tenants.models import LocalBody


def test_the_body_serves_its_own_staff_api_document(banlat: LocalBody, thasen: LocalBody) -> None:
    response = Client(HTTP_HOST=f"{banlat.slug}.localhost").get("/api/staff/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == f"Rongthuk staff API: {banlat.display_name}"
    assert document["servers"] == [{"url": f"http://{banlat.slug}.localhost", "description": banlat.display_name}]
    assert all(path.startswith("/api/staff/v1/") for path in document["paths"])
    assert "/api/staff/v1/openapi.json" not in document["paths"]
    writes = [(path, method, operation) for path, item in document["paths"].items()
              for method, operation in item.items() if method in ("post", "put", "patch")]
    assert len(writes) == 16  # intake, the identity reveal and the 14 desk actions
    assert [(path, method) for path, method, operation in writes if "requestBody" not in operation] == []
    for action in ("reply", "resolve"):
        content = document["paths"][f"/api/staff/v1/complaints/{{id}}/{action}/"]["post"]["requestBody"]["content"]
        assert sorted(content) == ["application/json", "multipart/form-data"]
    assert set(document["components"]["securitySchemes"]) == {"staffToken", "cookieAuth"}
    other = Client(HTTP_HOST=f"{thasen.slug}.localhost").get("/api/staff/v1/openapi.json").json()
    assert other["servers"][0]["url"] == f"http://{thasen.slug}.localhost"


def test_the_docs_page_loads_only_same_origin_scripts_under_the_csp(banlat: LocalBody) -> None:
    client = Client(HTTP_HOST=f"{banlat.slug}.localhost")
    page = client.get("/api/staff/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    policy = page.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all(re.search(r'src="/', attributes) for attributes in scripts)
    assert re.findall(r"<style([^>]*)>", html) == [f' nonce="{nonce}"']
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(a.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/") or a.startswith("/api/staff/v1/docs/")
               for a in assets), assets
    script = client.get("/api/staff/v1/docs/?script=")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("application/javascript")
    assert "/api/staff/v1/openapi.json" in script.content.decode()
