from __future__ import annotations

import pytest
from django.test import Client

from tenants import cache


@pytest.fixture
def client() -> Client:
    cache.clear()
    return Client()


@pytest.fixture
def banlat_client(client: Client, banlat: object) -> Client:
    client.defaults["HTTP_HOST"] = "banlat.localhost"
    # Not 127.0.0.1: the browser tests' server commits rate-limit counts for the loopback address.
    client.defaults["REMOTE_ADDR"] = "10.77.0.1"
    return client


@pytest.fixture
def thasen_client(thasen: object) -> Client:
    return Client(HTTP_HOST="thasen.localhost", REMOTE_ADDR="10.77.0.2")
