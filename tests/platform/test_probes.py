"""/healthz answers on every host and the bare IP without a query; /readyz answers 503 with the
reason when the database or the broker is down (real Redis started here, a real closed port, a
real process with no database)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import cache
from tenants.models import LocalBody
from tests.faults.stack import PrivateRedis

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _steady(settings: Any) -> None:
    cache.clear()
    settings.TENANT_CACHE_CHECK_SECONDS = 3600


def test_healthz_answers_on_the_bare_ip_an_unknown_host_and_every_body_without_a_query(banlat: LocalBody) -> None:
    client = Client()
    client.get("/healthz", HTTP_HOST="localhost")  # the process reads its host table once
    with CaptureQueriesContext(connection) as counted:
        answers = {host: client.get("/healthz", HTTP_HOST=host) for host in
                   ("10.0.3.7:8000", "10.0.3.7", "[fd00::7]:8000", "localhost", "banlat.localhost",
                    "5760601.localhost", "nosuchbody.localhost", "probe.internal")}
    assert counted.captured_queries == []
    assert {host: (r.status_code, r.json()["schema"]) for host, r in answers.items()} == {
        "10.0.3.7:8000": (200, None), "10.0.3.7": (200, None), "[fd00::7]:8000": (200, None),
        "localhost": (200, "public"), "banlat.localhost": (200, "b5760601"), "5760601.localhost": (200, "b5760601"),
        "nosuchbody.localhost": (200, None), "probe.internal": (200, None)}
    assert answers["banlat.localhost"].json() == {"status": "ok", "schema": "b5760601", "dla_code": "5760601"}
    assert answers["10.0.3.7:8000"]["Cache-Control"] == "no-store"


def test_readyz_is_ok_with_the_database_and_the_filesystem_broker(db: None) -> None:
    response = Client().get("/readyz", HTTP_HOST="10.0.3.7:8000")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.fixture
def redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_readyz_follows_a_redis_broker_down_and_up(db: None, redis: PrivateRedis, settings: Any) -> None:
    settings.CELERY_BROKER_URL = redis.url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    client = Client(HTTP_HOST="localhost")
    assert client.get("/readyz").status_code == 200
    redis.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert [p.split(":")[0] for p in response.json()["problems"]] == ["broker"]
    redis.start()
    assert client.get("/readyz").status_code == 200


def test_a_broker_nobody_listens_on_is_not_ready(db: None, settings: Any) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    started = time.monotonic()
    response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"][0].startswith("broker: ")
    assert time.monotonic() - started < 15  # a probe is answered, not hung


def test_with_the_database_down_healthz_is_alive_and_readyz_names_the_database() -> None:
    code = ("import json, django; django.setup(); from django.test import Client; c = Client(); "
            "a = c.get('/healthz', HTTP_HOST='10.0.0.9:8000'); b = c.get('/readyz', HTTP_HOST='10.0.0.9:8000'); "
            "print(json.dumps([a.status_code, a.json(), b.status_code, b.json()]))")
    env = {"DJANGO_SETTINGS_MODULE": "rongthuk.settings", "PATH": "/usr/bin:/bin",
           "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{_closed_port()}/nothing"}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    alive, health, ready, readiness = json.loads(result.stdout.strip().splitlines()[-1])
    assert (alive, health) == (200, {"status": "ok", "schema": None, "dla_code": None})
    assert ready == 503
    assert [p.split(":")[0] for p in readiness["problems"]] == ["database"]
