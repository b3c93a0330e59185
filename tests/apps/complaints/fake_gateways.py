"""Local fakes of the real notification providers over real network connections: the ANTS SMS
gateway's Send Message endpoint (HTTP Basic authentication, its JSON request and answer, its
delivery-report body) and an SMTP server (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.faultkit import free_port

ANTS_GROUPS = {1: "PENDING", 2: "UNDELIVERED", 3: "DELIVERED", 4: "EXPIRED", 5: "REJECTED"}


@dataclass
class FakeAnts:
    username: str = "body-account"
    password: str = "gateway-password"  # noqa: S105 - test data
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    fail_next: int = 0  # answer 500 to this many requests
    refuse_group: int | None = None  # answer with this status group (2, 4, 5: refused)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"

    def start(self) -> FakeAnts:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                expected = "Basic " + base64.b64encode(f"{fake.username}:{fake.password}".encode()).decode()
                if self.path != "/sms/send" or self.headers.get("Authorization") != expected:
                    self._send(401, {"error": {"code": 401, "name": "UNAUTHORIZED"}})
                    return
                body = json.loads(raw)
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                if fake.fail_next:
                    fake.fail_next -= 1
                    self._send(500, {"error": {"code": 500, "name": "INTERNAL_ERROR"}})
                    return
                group = fake.refuse_group or 1
                answer = [{"to": d["to"], "messageId": d.get("messageId") or f"ants-{len(fake.requests)}",
                           "status": {"groupId": group, "groupName": ANTS_GROUPS[group], "id": 7,
                                      "name": f"{ANTS_GROUPS[group]}_ENROUTE", "description": "Message sent"}}
                          for m in body["messages"] for d in m["destinations"]]
                self._send(200, {"bulkId": f"bulk-{len(fake.requests)}", "messages": answer})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @staticmethod
    def report(message: dict[str, Any], group: int) -> dict[str, Any]:
        """The delivery report ANTS posts to a message's notifyUrl."""
        destination = message["destinations"][0]
        return {"bulkId": "bulk-1", "details": [{
            "messageId": destination["messageId"], "to": destination["to"], "from": message["from"],
            "text": message["text"], "credit": 1, "sendDate": "2026-12-01T10:00:00.000",
            "doneDate": "2026-12-01T10:00:05.000", "callbackData": message.get("callbackData", ""),
            "status": {"groupId": group, "groupName": ANTS_GROUPS[group], "id": 5,
                       "name": f"{ANTS_GROUPS[group]}_TO_HANDSET", "description": "Message delivered to handset"},
        }]}


class _Keep:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class FakeSmtp:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.keep = _Keep()
        self.controller = Controller(self.keep, hostname="127.0.0.1", port=self.port)
        self.running = False

    @property
    def messages(self) -> list[EmailMessage]:
        return self.keep.messages

    def start(self) -> FakeSmtp:
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False
