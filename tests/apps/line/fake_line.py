"""A local fake of the LINE platform over real HTTP: the Messaging API's reply, push and profile
endpoints and the content endpoint, with LINE's rules that matter here (bearer token, at most 5
messages, quick reply labels of at most 20 characters, a retry key accepted once: 409 after)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that stops reading (the 20 MB photo refused from its Content-Length) is expected.
        pass


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeLine:
    token: str
    calls: list[Call] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)
    down: bool = False
    retry_keys: set[str] = field(default_factory=set)
    # Rich menus: id → {"menu": the request, "image": bytes, "content_type": str}; the default one's id.
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_rich_menu: str = ""
    # Content ids answered 500 this many more times (LINE's content host failing), then served.
    failing: dict[str, int] = field(default_factory=dict)
    # Content ids whose answer waits until `release` is set (a slow content host).
    held: set[str] = field(default_factory=set)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def replies(self) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.path == "/v2/bot/message/reply"]

    def content_calls(self, message_id: str) -> list[Call]:
        return [c for c in self.calls if c.path == f"/v2/bot/message/{message_id}/content"]

    def pushes(self) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.path == "/v2/bot/message/push"]

    def reply_texts(self) -> list[list[str]]:
        """The text (or alt text) of each reply's messages, reply by reply."""
        return [[msg.get("text") or msg.get("altText", "") for msg in r["messages"]] for r in self.replies()]

    def start(self) -> FakeLine:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _send(self, status: int, payload: bytes = b"{}", content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    self._send(401, b'{"message":"Authentication failed"}')
                    return False
                return True

            def do_GET(self) -> None:  # noqa: N802
                if not self._authorised():
                    return
                if fake.down:
                    self._send(500, b'{"message":"Internal server error"}')
                    return
                if self.path.startswith("/v2/bot/profile/"):
                    self._send(200, json.dumps({"userId": self.path.rsplit("/", 1)[1],
                                                "displayName": "นางสาวมะลิ ชาวนา"}).encode())
                    return
                if self.path.startswith("/v2/bot/message/") and self.path.endswith("/content"):
                    message_id = self.path.split("/")[4]
                    if fake.failing.get(message_id, 0) > 0:
                        fake.failing[message_id] -= 1
                        fake.calls.append(Call(self.path, dict(self.headers), {"status": 500}))
                        self._send(500, b'{"message":"Internal server error"}')
                        return
                    if message_id in fake.held:
                        fake.release.wait(timeout=30)
                    data = fake.contents.get(message_id)
                    if data is None:
                        self._send(404, b'{"message":"Not found"}')
                        return
                    fake.calls.append(Call(self.path, dict(self.headers), {}))
                    self._send(200, data, "image/jpeg")
                    return
                self._send(404)

            def _rich_menu(self, raw: bytes) -> None:
                """LINE's rules that matter: a 2500-wide menu with areas inside it; a PNG or JPEG image
                of the menu's size (at most 1 MB); a default only for an existing menu."""
                parts = self.path.split("/")
                if self.path == "/v2/bot/richmenu":
                    menu = json.loads(raw)
                    size = menu.get("size", {})
                    inside = all(a["bounds"]["x"] + a["bounds"]["width"] <= size.get("width", 0)
                                 for a in menu.get("areas", []))
                    if size.get("width") != 2500 or not inside or len(menu.get("chatBarText", "")) > 14:
                        self._send(400, b'{"message":"The request body has 1 error(s)"}')
                        return
                    menu_id = f"richmenu-{len(fake.rich_menus) + 1:032d}"
                    fake.rich_menus[menu_id] = {"menu": menu, "image": b"", "content_type": ""}
                    self._send(200, json.dumps({"richMenuId": menu_id}).encode())
                elif len(parts) == 6 and parts[5] == "content" and parts[4] in fake.rich_menus:
                    kind = self.headers.get("Content-Type", "")
                    if kind not in ("image/png", "image/jpeg") or len(raw) > 1024 * 1024:
                        self._send(400, b'{"message":"Invalid image"}')
                        return
                    fake.rich_menus[parts[4]].update(image=raw, content_type=kind)
                    self._send(200)
                elif self.path.startswith("/v2/bot/user/all/richmenu/") and parts[-1] in fake.rich_menus:
                    fake.default_rich_menu = parts[-1]
                    self._send(200)
                else:
                    self._send(404, b'{"message":"Not found"}')

            def do_POST(self) -> None:  # noqa: N802
                if not self._authorised():
                    return
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if fake.down:
                    self._send(500, b'{"message":"Internal server error"}')
                    return
                if "/richmenu" in self.path:
                    self._rich_menu(raw)
                    return
                body = json.loads(raw or b"{}")
                messages = body.get("messages", [])
                problems = [len(messages) > 5] + [
                    len(item["action"].get("label", "")) > 20
                    for message in messages for item in (message.get("quickReply") or {}).get("items", [])]
                if any(problems):
                    self._send(400, b'{"message":"The request body has 1 error(s)"}')
                    return
                if self.path == "/v2/bot/message/push":
                    key = self.headers.get("X-Line-Retry-Key")
                    if key in fake.retry_keys:
                        self._send(409, b'{"message":"The retry key is already accepted"}')
                        return
                    if key:
                        fake.retry_keys.add(key)
                if self.path in ("/v2/bot/message/reply", "/v2/bot/message/push"):
                    fake.calls.append(Call(self.path, dict(self.headers), body))
                    sent = [{"id": str(len(fake.calls) * 10 + i), "quoteToken": "q"} for i in range(len(messages))]
                    self._send(200, json.dumps({"sentMessages": sent}).encode())
                    return
                self._send(404)

        self.server = _Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
