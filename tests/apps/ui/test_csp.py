"""Images only from the app itself, data: and blob: images, and the configured map tile server:
never from any https origin."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.test import Client

from apps.portal.models import BodyProfile
from apps.ui.csp import tile_origin
from tenants.models import LocalBody
from tests.conftest import REPO


def _img_src(policy: str) -> str:
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("img-src"))


def test_without_a_tile_server_images_come_from_the_app_only(banlat: LocalBody) -> None:
    for host, path in (("localhost", "/"), ("banlat.localhost", "/"), ("banlat.localhost", "/complaints/new/"),
                       ("banlat.localhost", "/staff/login/")):
        assert _img_src(Client(HTTP_HOST=host).get(path)["Content-Security-Policy"]) == \
            "img-src 'self' data: blob:", (host, path)


def test_a_bodys_own_tile_server_is_allowed_on_its_map_pages_only(banlat: LocalBody, thasen: LocalBody) -> None:
    BodyProfile.objects.create(body=banlat, tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    for path in ("/", "/complaints/new/"):
        assert _img_src(Client(HTTP_HOST="banlat.localhost").get(path)["Content-Security-Policy"]) == \
            "img-src 'self' data: blob: https://*.tiles.example.org", path
    assert _img_src(Client(HTTP_HOST="banlat.localhost").get("/track/")["Content-Security-Policy"]) == \
        "img-src 'self' data: blob:"
    assert _img_src(Client(HTTP_HOST="thasen.localhost").get("/")["Content-Security-Policy"]) == \
        "img-src 'self' data: blob:"


def test_the_platforms_tile_server_is_allowed_on_map_pages_only(settings, banlat: LocalBody) -> None:  # type: ignore[no-untyped-def]
    env = dict(os.environ, PORTAL_TILE_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    out = subprocess.run([sys.executable, "-c", "import django, json; django.setup(); "
                          "from django.conf import settings; "
                          "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"],
                         cwd=REPO, env={**env, "DJANGO_SETTINGS_MODULE": "rongthuk.settings"},
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["'self'", "data:", "blob:"]
    settings.PORTAL_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    for path in ("/", "/complaints/new/"):
        assert _img_src(Client(HTTP_HOST="banlat.localhost").get(path)["Content-Security-Policy"]) == \
            "img-src 'self' data: blob: https://tile.openstreetmap.org", path
    assert _img_src(Client(HTTP_HOST="banlat.localhost").get("/track/")["Content-Security-Policy"]) == \
        "img-src 'self' data: blob:"


def test_the_default_tile_server_is_openstreetmap_with_its_credit() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_TILE")}
    out = subprocess.run([sys.executable, "-c", "import django, json; django.setup(); "
                          "from django.conf import settings; "
                          "print(json.dumps([settings.PORTAL_TILE_URL, settings.PORTAL_TILE_ATTRIBUTION]))"],
                         cwd=REPO, env={**env, "DJANGO_SETTINGS_MODULE": "rongthuk.settings"},
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"]


def test_tile_origins() -> None:
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tile_origin("http://127.0.0.1:8080/{z}/{x}/{y}.png") == "http://127.0.0.1:8080"
    assert tile_origin("/tiles/{z}/{x}/{y}.png") is None  # the app's own origin: 'self'
    assert tile_origin("") is None
    assert tile_origin("javascript:alert(1)") is None
    assert tile_origin("https://a.example;script-src *") is None
