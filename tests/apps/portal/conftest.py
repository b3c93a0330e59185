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
    return client


@pytest.fixture
def thasen_client(thasen: object) -> Client:
    return Client(HTTP_HOST="thasen.localhost")
