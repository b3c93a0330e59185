"""Real local servers and real faults for the reliability tests: an HTTP SMS gateway that can be
slow, failing or both (and honours Idempotency-Key like a real gateway), a "broker" that accepts
TCP connections and never answers, a broker switch for this process's Celery app, and a file store
that is full or read-only (a tiny tmpfs when this machine lets us mount, otherwise a folder we may
not write to)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rongthuk.celery import app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmsGateway:
    """A tiny SMS gateway on 127.0.0.1. `failing`: answer 503. `hold`: keep each request waiting
    until `release()` (a slow provider, without sleeping). Messages are delivered once per
    Idempotency-Key: a repeat is answered 200 and not delivered again."""

    failing: bool = False
    hold: bool = False
    delivered: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, int]] = field(default_factory=list)
    arrived: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    _gate: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def start(self) -> SmsGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                key = self.headers.get("Idempotency-Key", "")
                gateway.arrived.release()
                if gateway.hold:
                    gateway._gate.wait()
                with gateway._lock:
                    if gateway.failing:
                        code = 503
                    else:
                        code = 200
                        gateway.delivered.setdefault(key, payload["message"])
                    gateway.requests.append((key, code))
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": %s}' % (b"true" if code == 200 else b"false"))

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def release(self) -> None:
        self.hold = False
        self._gate.set()

    def stop(self) -> None:
        self.release()
        if self.server:
            self.server.shutdown()
            self.server.server_close()


class SilentServer:
    """Accepts TCP connections and never answers (a hung broker)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self._running:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # held open, never read from, never written to

    def stop(self) -> None:
        self._running = False
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@contextmanager
def broker_at(url: str, transport_options: dict[str, object] | None = None) -> Iterator[None]:
    """Point this process's Celery app at another broker for the block (workers are untouched)."""
    keys = ("broker_url", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options if transport_options is not None else {
        "socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1}
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = Path(tempfile.mkdtemp(prefix="rongthuk-mount-probe-"))
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(probe)],
                              capture_output=True, check=False)
        if done.returncode != 0:
            return False
        subprocess.run(["umount", str(probe)], check=True)
        return True
    finally:
        probe.rmdir()


@contextmanager
def broken_store(kind: str) -> Iterator[Path]:
    """A media folder that refuses writes: "full" (ENOSPC) or "readonly" (EROFS, or EACCES)."""
    folder = Path(tempfile.mkdtemp(prefix=f"rongthuk-media-{kind}-"))
    mounted = False
    try:
        if _can_mount():
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
            mounted = True
            if kind == "full":
                # Fill it, leaving the folders a photo's path needs impossible to hold data.
                with (folder / "filler").open("wb", buffering=0) as filler:
                    try:
                        while True:
                            filler.write(b"\0" * 4096)
                    except OSError:
                        pass  # ENOSPC: full
            else:
                subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        elif kind == "readonly" and os.geteuid() != 0:
            folder.chmod(0o500)
        else:  # root without mount rights: a "folder" that is a file cannot hold anything
            folder.rmdir()
            folder.write_bytes(b"")
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        if folder.is_dir():
            folder.chmod(0o700)
            shutil.rmtree(folder, ignore_errors=True)
        elif folder.exists():
            folder.unlink()
