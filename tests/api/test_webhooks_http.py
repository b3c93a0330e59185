"""Webhooks over real HTTP: a partner drives a case through the staff API of a live server with a
token; a real Celery worker delivers the case's events to a receiver server in this test, which
checks every signature; a receiver that fails is retried and then gets the event once more with
the same id (it dedupes on it). Then: no personal data without the scope, and the scope's reveals
recorded; no private addresses unless the setting allows them."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints import notifications
from apps.complaints.models import Category, Complaint, IdentityAccess, Notification, OutboxStatus, StaffMember
from apps.complaints.tasks import notifications_sweep
from apps.reporting.models import OutboxEntry
from apps.tokens.services import staff_token_issue
from apps.webhooks.addresses import AddressRefused, url_check
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.services import WebhookError, webhook_endpoint_create
from apps.webhooks.signing import verify
from tenants.models import LocalBody
from tests.api.test_national import _free_port
from tests.apps.complaints.staff_helpers import committed_case_delete, make_case
from tests.conftest import _test_env, wait_for

# A body of the standing registry that no other test uses: its endpoint hears only this test's cases.
BODY = "6760505"


class Receiver:
    """An HTTP server that records each POST and answers with the next status of `answers`
    (then 200)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.received.append({"headers": dict(self.headers), "body": body, "status": status,
                                          "path": self.path})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rongthuk"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self, event_id: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.received if event_id is None or r["headers"]["X-Rongthuk-Event-Id"] == event_id]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()


def _call(port: int, host: str, method: str, path: str, token: str, data: dict[str, Any] | None = None,
          key: str = "") -> tuple[int, dict[str, Any]]:
    headers = {"Host": host, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers,  # noqa: S310
                                     data=json.dumps(data).encode() if data is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own live server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310
                return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_partner_drives_a_case_and_every_event_arrives_signed_once_retried(
        committed: None, celery_worker_process: subprocess.Popen[bytes], receiver: Receiver) -> None:
    body = LocalBody.objects.get(dla_code=BODY)
    stamp = str(time.time_ns())[-9:]
    with schema_context(body.schema_name), override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True):
        user = User.objects.create_user(f"partner-{stamp}", f"pw-{stamp}-long-enough", full_name="ระบบของจังหวัด")
        StaffMember.objects.create(user=user, role="admin")
        _token, raw = staff_token_issue(actor=user, user=user, name="provincial app", scope="write")
        endpoint, secret = webhook_endpoint_create(actor=user, name=f"receiver {stamp}", url=receiver.url,
                                                   events=["case.created", "case.status_changed", "case.replied"])
        category = Category.objects.filter(national_category_id="road", is_active=True).order_by("position").first()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=_test_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    host = f"{body.slug}.localhost:{port}"
    try:
        _wait(port)
        receiver.answers = [500]  # the first delivery fails
        status, created = _call(port, host, "POST", "/api/staff/v1/complaints/", raw, {
            "channel": "phone", "category": category.pk, "description": "ถนนทรุดหน้าตลาด",
            "complainant": {"name": "สมใจ รักดี", "phone": "0815556666"},
            "external_source": "traffy", "external_id": f"TF-{stamp}"}, key=f"intake-{stamp}")
        assert status == 201, created
        pk = created["id"]
        status, acked = _call(port, host, "POST", f"/api/staff/v1/complaints/{pk}/acknowledge/", raw, {"text": ""},
                              key=f"ack-{stamp}")
        assert (status, acked["complaint"]["status"]) == (200, "acknowledged")
        status, replied = _call(port, host, "POST", f"/api/staff/v1/complaints/{pk}/reply/", raw,
                                {"text": "กองช่างรับทราบ จะซ่อมภายในสัปดาห์นี้"}, key=f"reply-{stamp}")
        assert status == 200, replied
        # Retried by the client: same key, nothing new, no new event.
        again = _call(port, host, "POST", f"/api/staff/v1/complaints/{pk}/reply/", raw,
                      {"text": "กองช่างรับทราบ จะซ่อมภายในสัปดาห์นี้"}, key=f"reply-{stamp}")
        assert (again[0], again[1]["replayed"]) == (200, True)

        with schema_context(body.schema_name):
            rows = list(Notification.objects.filter(channel="webhook", recipient=str(endpoint.pk)).order_by("pk"))
        # created, received→acknowledged (status), the reply: one row each.
        assert [json.loads(r.body)["type"] for r in rows] == ["case.created", "case.status_changed", "case.replied"]

        def delivered(count: int) -> Any:
            return lambda: len(receiver.received) >= count and receiver.received
        wait_for(delivered(3), timeout=60)
        first = rows[0]
        with schema_context(body.schema_name):
            failed = wait_for(lambda: Notification.objects.filter(pk=first.pk, status=OutboxStatus.PENDING,
                                                                  attempts=1).first(), timeout=60)
        assert failed.last_error == "HTTP 500"
        # Time passes (the backoff is 2 minutes): the outbox sweep finds it due and the worker retries.
        with schema_context(body.schema_name):
            Notification.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
        OutboxEntry.objects.filter(body=body, notification_id=first.pk).update(due_at=timezone.now())
        assert notifications_sweep() >= 1
        wait_for(delivered(4), timeout=60)
        with schema_context(body.schema_name):
            done = wait_for(lambda: Notification.objects.filter(pk=first.pk, status=OutboxStatus.SENT).first(),
                            timeout=60)
        assert done.attempts == 2
    finally:
        server.terminate()
        server.wait(timeout=20)
        with schema_context(body.schema_name):
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)

    event_id = json.loads(first.body)["id"]
    tries = receiver.events(event_id)
    assert [t["status"] for t in tries] == [500, 200]
    assert tries[0]["body"] == tries[1]["body"] == first.body.encode()  # the same bytes every time
    for request in receiver.received:
        headers = request["headers"]
        assert verify(secret, headers["X-Rongthuk-Timestamp"], request["body"], headers["X-Rongthuk-Signature"])
        assert not verify("whsec_wrong", headers["X-Rongthuk-Timestamp"], request["body"],
                          headers["X-Rongthuk-Signature"])
        assert request["path"] == "/rongthuk"
        text = request["body"].decode()
        assert "สมใจ" not in text and "0815556666" not in text and "ถนนทรุด" not in text  # no personal data
    payload = json.loads(tries[1]["body"])
    assert payload["case"]["id"] == pk and payload["case"]["external_id"] == f"TF-{stamp}"
    assert (payload["case"]["external_source"], payload["body"]["dla_code"]) == ("traffy", BODY)
    reply = json.loads(receiver.events(json.loads(rows[2].body)["id"])[0]["body"])
    assert reply["event"]["text"] == "กองช่างรับทราบ จะซ่อมภายในสัปดาห์นี้"  # the public reply is public
    assert {r["headers"]["X-Rongthuk-Event"] for r in receiver.received} == {
        "case.created", "case.status_changed", "case.replied"}
    with schema_context(body.schema_name):
        assert Complaint.objects.get(pk=pk).external_id == f"TF-{stamp}"
    # The case leaves nothing behind for the tests that constrain or count every fact.
    committed_case_delete(body, pk)


def test_the_personal_data_scope_sends_the_complainant_and_records_each_reveal(banlat: LocalBody,
                                                                               settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with schema_context(banlat.schema_name):
        admin = User.objects.get(username="admin")
        webhook_endpoint_create(actor=admin, name="ระบบกองช่าง", url="http://127.0.0.1:9/in",
                                events=["case.created"], personal_data=True)
        webhook_endpoint_create(actor=admin, name="แดชบอร์ด", url="http://127.0.0.1:9/dash", events=["case.created"])
    case = make_case(banlat, name="สมหญิง ใจงาม", phone="0891112222", description="ท่อระบายน้ำตัน")
    with schema_context(banlat.schema_name):
        rows = {json.loads(n.body)["case"].get("complainant", {}).get("name"): json.loads(n.body)
                for n in Notification.objects.filter(channel="webhook", complaint=case)}
        assert set(rows) == {"สมหญิง ใจงาม", None}
        assert rows["สมหญิง ใจงาม"]["case"]["description"] == "ท่อระบายน้ำตัน"
        assert "description" not in rows[None]["case"]
        assert rows["สมหญิง ใจงาม"]["id"] == rows[None]["id"]  # one event, one id, at every endpoint
        reveals = list(IdentityAccess.objects.filter(complaint=case).values_list("actor_label", "user_id"))
    assert reveals == [("webhook: ระบบกองช่าง", None)]


def test_conduct_cases_are_never_sent(banlat: LocalBody, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with schema_context(banlat.schema_name):
        webhook_endpoint_create(actor=User.objects.get(username="admin"), name="ทุกเหตุการณ์",
                                url="http://127.0.0.1:9/in", events=["case.created", "case.status_changed"])
    case = make_case(banlat, national="conduct")
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=case.pk).routed_to_oversight is True
        assert not Notification.objects.filter(channel="webhook", complaint=case).exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1/in", "http://10.1.2.3/in", "http://169.254.169.254/latest",
                                 "http://[::1]/in", "http://localhost:8000/in", "http://192.168.1.10/in",
                                 "http://[::ffff:127.0.0.1]/in", "ftp://example.org/in", "http://user:pw@1.1.1.1/"])
def test_private_and_odd_addresses_are_refused_in_thai(banlat: LocalBody, url: str) -> None:
    with schema_context(banlat.schema_name):
        before = WebhookEndpoint.objects.count()
        with pytest.raises(WebhookError) as refused:
            webhook_endpoint_create(actor=User.objects.get(username="admin"), name="x", url=url,
                                    events=["case.created"])
        assert refused.value.field == "url" and str(refused.value.message).startswith("URL")
        assert WebhookEndpoint.objects.count() == before


def test_an_address_that_turned_private_is_not_called_at_delivery(banlat: LocalBody, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with schema_context(banlat.schema_name):
        webhook_endpoint_create(actor=User.objects.get(username="admin"), name="ต่อมากลายเป็นภายใน",
                                url="http://127.0.0.1:9/in", events=["case.created"])
    case = make_case(banlat)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(AddressRefused):
        url_check("http://127.0.0.1:9/in")
    with schema_context(banlat.schema_name):
        row = Notification.objects.get(channel="webhook", complaint=case)
        assert notifications.deliver([row.pk]) == 0
        row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.last_error.startswith("URL")


def test_the_admin_registers_an_endpoint_sees_its_log_and_redelivers(banlat: LocalBody, settings: Any) -> None:
    from tests.apps.complaints.staff_helpers import signed_in

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    admin = signed_in(banlat, "admin")
    page = admin.post("/staff/admin/webhooks/", {"name": "ระบบ GIS", "url": "http://127.0.0.1:9/gis",
                                                 "events": ["case.created"]})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("whsec_") and secret in page.content.decode()
    with schema_context(banlat.schema_name):
        endpoint = WebhookEndpoint.objects.get(name="ระบบ GIS")
        assert secret not in endpoint.secret_encrypted
    assert secret not in admin.get("/staff/admin/webhooks/").content.decode()  # shown once
    case = make_case(banlat)
    with schema_context(banlat.schema_name):
        row = Notification.objects.get(channel="webhook", complaint=case)
        notifications.deliver([row.pk])  # nobody listens on port 9: a failure, kept
    log = admin.get(f"/staff/admin/webhooks/{endpoint.pk}/").content.decode()
    assert f'data-delivery="{row.pk}" data-status="pending"' in log and case.tracking_code in log
    assert admin.post(f"/staff/admin/webhooks/{endpoint.pk}/", {"action": "redeliver",
                                                                 "delivery": row.pk}).status_code == 302
    for role in ("officer", "clerk", "executive"):
        assert signed_in(banlat, role).get(f"/staff/admin/webhooks/{endpoint.pk}/").status_code == 404
        assert signed_in(banlat, role).get("/staff/admin/webhooks/").status_code == 403
    refused = admin.post("/staff/admin/webhooks/", {"name": "x", "url": "http://127.0.0.1:9/", "events": []})
    assert refused.status_code == 400
