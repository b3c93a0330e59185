from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from api.models import ApiKey, api_key_create, hash_key
from tests.apps.oversight.factories import BKK, fact

PII_WORDS = ("phone_number", "national_id", "description", "complainant", "address", "full_name", "contact")
JAN = dt.datetime(2025, 1, 10, 9, 0, tzinfo=BKK)
BASE = "/api/national/v1/"


def client_for(scope: str) -> APIClient:
    _key, raw = api_key_create(name=f"test {scope}", scope=scope)
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


@pytest.fixture
def facts(banlat, thasen, outside_body):  # type: ignore[no-untyped-def]
    fact(banlat, received=JAN, status="resolved", resolved_at=JAN + dt.timedelta(days=3), resolve_met=True)
    fact(thasen, received=JAN, status="received", channel="phone", national_category="water")
    fact(outside_body, received=JAN, status="received")


def test_key_is_stored_hashed_and_revocable(db) -> None:  # type: ignore[no-untyped-def]
    key, raw = api_key_create(name="dla", scope="nation")
    assert raw not in (key.key_hash, key.prefix) and key.key_hash == hash_key(raw)
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get(BASE + "aggregates/").status_code == 200
    key.revoke()
    assert client.get(BASE + "aggregates/").status_code == 401
    assert APIClient(HTTP_HOST="localhost").get(BASE + "aggregates/").status_code == 401


def test_aggregates_by_level_with_exact_values(facts, banlat) -> None:  # type: ignore[no-untyped-def]
    client = client_for("province:76")
    q = "&since=2025-01&until=2025-03"
    province = client.get(BASE + f"aggregates/?level=province&code=76&group_by=area{q}").json()
    assert province["totals"]["received"] == 3
    assert [(r["key"], r["received"]) for r in province["rows"]] == [("7601", 1), ("7606", 2)]
    district = client.get(BASE + f"aggregates/?level=district&code=7606&group_by=channel{q}").json()
    assert {r["key"]: r["received"] for r in district["rows"]}["phone"] == 1
    body = client.get(BASE + f"aggregates/?level=body&code={banlat.dla_code}{q}").json()
    assert (body["totals"]["resolved"], body["totals"]["median_days_to_resolve"]) == (1, 3.0)
    by_status = client.get(BASE + f"aggregates/?level=district&code=7606&group_by=status{q}").json()
    assert {r["key"]: r["received"] for r in by_status["rows"] if r["received"]} == {"resolved": 1, "received": 1}
    water = client.get(BASE + f"aggregates/?level=district&code=7606&category=water{q}").json()
    assert water["totals"]["received"] == 1
    assert not _keys([province, district, body]) & set(PII_WORDS)


def _keys(value: object) -> set[str]:
    """Every key anywhere in a JSON document (channel *values* like "phone" are not personal data)."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_out_of_scope_is_404(facts, outside_body) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district:7606")
    assert client.get(BASE + "aggregates/?level=province&code=76").status_code == 404
    assert client.get(BASE + "aggregates/?level=district&code=7601").status_code == 404
    assert client.get(BASE + "aggregates/?level=nation").status_code == 404
    assert client.get(BASE + f"aggregates/?level=body&code={outside_body.dla_code}").status_code == 404
    assert client.get(BASE + f"bodies/{outside_body.dla_code}/").status_code == 404
    assert client.get(BASE + "bodies/?district=7601").status_code == 404
    assert client.get(BASE + "sla-compliance/?level=province&code=76").status_code == 404


def test_body_list_is_paginated_with_sla_status(db) -> None:  # type: ignore[no-untyped-def]
    client = client_for("province:76")
    first = client.get(BASE + "bodies/?page_size=50").json()
    assert first["count"] == 85 and len(first["results"]) == 50 and first["next"]
    assert set(first["results"][0]) == {"dla_code", "name_th", "name_en", "kind", "province_code",
                                        "district_code", "status", "sla"}
    district = client.get(BASE + "bodies/?district=7606&sla_published=false").json()
    assert district["count"] == 15
    publication = client.get(BASE + "sla-publication/?level=province&code=76").json()
    assert (publication["bodies"], publication["published"]) == (85, 0)


def test_sla_compliance_per_stage(facts) -> None:  # type: ignore[no-untyped-def]
    data = client_for("nation").get(BASE + "sla-compliance/?level=district&code=7606&since=2025-01&until=2025-01")
    assert data.json()["totals"]["on_time_pct"] == {"ack": None, "route": None, "reply": None, "resolve": 100.0}


def test_etag_and_last_modified_give_304(facts) -> None:  # type: ignore[no-untyped-def]
    client = client_for("nation")
    url = BASE + "aggregates/?level=province&code=76&since=2025-01&until=2025-03"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_throttled_per_key(db, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import caches

    caches["shared"].clear()
    settings.NATIONAL_API_THROTTLE_RATE = "2/minute"
    client = client_for("nation")
    assert [client.get(BASE + "bodies/?page_size=1").status_code for _ in range(3)] == [200, 200, 429]


def test_openapi_schema_and_docs(db) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_HOST="localhost")
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/national/v1/aggregates/" in json.loads(schema.content)["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_live_server_over_real_http(committed) -> None:  # type: ignore[no-untyped-def]
    stamp = str(time.time_ns())[-8:]
    key, raw = api_key_create(name=f"live {stamp}", scope="district:7606")
    port = _free_port()
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=settings.DATABASES["default"]["NAME"], PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def get(path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
            request = urllib.request.Request(f"http://localhost:{port}{path}",
                                             headers={"Authorization": f"Api-Key {raw}", **headers})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    return response.status, dict(response.headers), response.read()
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers), error.read()

        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = get(BASE + "bodies/?page_size=5")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert status == 200
        assert json.loads(body)["count"] == 15
        assert get(BASE + "bodies/?page_size=5", **{"If-None-Match": headers["ETag"]})[0] == 304
        assert get(BASE + "aggregates/?level=district&code=7601")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=20)
        ApiKey.objects.filter(pk=key.pk).delete()
