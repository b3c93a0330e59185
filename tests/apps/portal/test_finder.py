from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants.models import BodyStatus, LocalBody

pytestmark = pytest.mark.django_db


def _names(response: object) -> list[str]:
    return [b["name"] for b in response.json()["bodies"]]  # type: ignore[attr-defined]


def test_platform_home_offers_the_finder(client: Client) -> None:
    page = client.get("/", HTTP_HOST="localhost")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="finder-q"' in html and "เพชรบุรี" in html
    assert '<label for="finder-province">' in html


def test_typing_a_thai_name_finds_the_body_with_its_portal_address(client: Client, banlat: LocalBody) -> None:
    response = client.get("/finder/bodies.json", {"q": "บ้านลาด"}, HTTP_HOST="localhost")
    bodies = response.json()["bodies"]
    assert bodies[0]["name"] == "เทศบาลตำบลบ้านลาด"
    assert bodies[0]["url"] == "http://banlat.localhost/"
    assert bodies[0]["district"] == "บ้านลาด" and bodies[0]["province"] == "เพชรบุรี"
    # then the other bodies of อำเภอบ้านลาด
    assert "องค์การบริหารส่วนตำบลท่าเสน" in _names(response)


def test_abbreviated_kind_prefixes_are_understood(client: Client, thasen: LocalBody) -> None:
    for query in ("อบต.ท่าเสน", "อบต. ท่าเสน", "องค์การบริหารส่วนตำบลท่าเสน"):
        names = _names(client.get("/finder/bodies.json", {"q": query}, HTTP_HOST="localhost"))
        assert names[0] == "องค์การบริหารส่วนตำบลท่าเสน", query


def test_an_english_name_finds_the_bodies_of_that_district(client: Client, banlat: LocalBody) -> None:
    response = client.get("/finder/bodies.json", {"q": "ban lat"}, HTTP_HOST="localhost")
    names = _names(response)
    assert "เทศบาลตำบลบ้านลาด" in names and "องค์การบริหารส่วนตำบลท่าเสน" in names
    assert "เทศบาลเมืองเพชรบุรี" not in names


def test_province_then_district_lists_its_live_bodies(client: Client, banlat: LocalBody, thasen: LocalBody) -> None:
    districts = client.get("/finder/districts.json", {"province": "76"}, HTTP_HOST="localhost").json()["districts"]
    assert {"code": "7606", "name": "บ้านลาด"} in districts
    thasen.status = BodyStatus.SUSPENDED
    thasen.save(update_fields=["status"])
    names = _names(client.get("/finder/bodies.json", {"district": "7606"}, HTTP_HOST="localhost"))
    assert "เทศบาลตำบลบ้านลาด" in names and "องค์การบริหารส่วนตำบลท่าเสน" not in names


def test_the_finder_works_without_javascript(client: Client, banlat: LocalBody) -> None:
    html = client.get("/", {"province": "76", "district": "7606"}, HTTP_HOST="localhost").content.decode()
    assert 'href="http://banlat.localhost/"' in html
    html = client.get("/", {"q": "บ้านลาด"}, HTTP_HOST="localhost").content.decode()
    assert 'href="http://banlat.localhost/"' in html


def test_a_search_costs_a_fixed_number_of_queries(client: Client, banlat: LocalBody, settings: Any) -> None:
    settings.TENANT_CACHE_CHECK_SECONDS = 3600  # the host table's version check stays out of the count
    client.get("/finder/bodies.json", {"q": "บ้าน"}, HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/finder/bodies.json", {"q": "บ้าน"}, HTTP_HOST="localhost")
    assert len(response.json()["bodies"]) == 20
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) <= 3  # one per tier, however many bodies match


def test_empty_and_hostile_queries_return_nothing_harmful(client: Client, db: None) -> None:
    assert client.get("/finder/bodies.json", {"q": "   "}, HTTP_HOST="localhost").json() == {"bodies": []}
    evil = client.get("/finder/bodies.json", {"q": "'; DROP TABLE x; --<script>"}, HTTP_HOST="localhost")
    assert evil.status_code == 200 and evil.json() == {"bodies": []}
    assert client.get("/", {"q": "<script>alert(1)</script>"}, HTTP_HOST="localhost").content.decode().count(
        "<script>alert(1)") == 0
