"""A small Open311 GeoReport v2 client, written from the spec for the tests, over real HTTP to a
server process (`rongthuk runserver`). XML responses are parsed with defusedxml."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405 - the type only; parsing is defusedxml's

from defusedxml.ElementTree import fromstring
from django.conf import settings


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    raw: bytes

    def json(self) -> Any:
        return json.loads(self.raw)

    def xml(self) -> Element:
        return fromstring(self.raw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(**extra_env: str) -> Iterator[int]:
    """`rongthuk runserver` on the test database; yields its port once it answers."""
    port = free_port()
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=settings.DATABASES["default"]["NAME"], PYTHONUNBUFFERED="1",
               **extra_env)
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                Open311(port, "localhost").call("GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


class Open311:
    def __init__(self, port: int, host: str, base: str = "/open311/v2/") -> None:
        self.port, self.host, self.base = port, host, base

    def call(self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
             ) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Host": f"{self.host}:{self.port}", **(headers or {})})
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def get(self, resource: str, fmt: str = "json", **params: Any) -> Reply:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        return self.call("GET", f"{self.base}{resource}.{fmt}" + (f"?{query}" if query else ""))

    def post(self, fmt: str = "json", **fields: Any) -> Reply:
        data = urllib.parse.urlencode(fields).encode()
        return self.call("POST", f"{self.base}requests.{fmt}", body=data,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})


def xml_items(root: Element, item: str) -> list[dict[str, str]]:
    """`<root><item><a>1</a>…</item>…</root>` → [{"a": "1", …}, …] (leaf elements only)."""
    return [{child.tag: child.text or "" for child in element if len(child) == 0} for element in root.findall(item)]


@dataclass
class LiveDeployment:
    """A live server's port, with a client for the national host and one for any body's host."""

    port: int

    def nation(self) -> Open311:
        return Open311(self.port, "localhost")

    def on(self, host: str) -> Open311:
        return Open311(self.port, host)
