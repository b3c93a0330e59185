"""Fixtures of the body lifecycle tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tenants import cache
from tenants.domains import WELL_KNOWN_PATH


@pytest.fixture
def hosts_forgotten() -> Iterator[None]:
    """The host cache outlives the test's rolled-back transaction: empty it on both sides."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


class BodyWebServer:
    """The body's own web server: answers the well-known address for the names in `tokens`."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.hosts: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                host = self.headers.get("Host", "")
                outer.hosts.append(host)
                token = outer.tokens.get(host)
                status, body = (200, token.encode()) if token and self.path == WELL_KNOWN_PATH else (404, b"")
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def body_web(settings) -> Iterator[BodyWebServer]:  # type: ignore[no-untyped-def]
    server = BodyWebServer()
    settings.DOMAIN_VERIFICATION_CONNECT = f"127.0.0.1:{server.port}"
    yield server
    server.close()
