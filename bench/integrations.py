"""Staff REST API case list (p50/p95 ms) and webhook deliveries per second with one worker.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_integrations .venv/bin/python bench/integrations.py --cases 5000

List: `GET /api/staff/v1/complaints/` with a Bearer token through the whole Django stack in process
(test client: middleware, tenant resolution, token, the inbox query, the page's deadlines), page
sizes 50 and 200, four filters; the baseline is the staff desk's inbox page (`/staff/`, the same
user signed in, the same filter) in the same run. Webhooks: N case events queued for one endpoint,
then delivered by one process calling the outbox's delivery (what one Celery worker with
concurrency 1 runs) to a local HTTP receiver: claim, sign, POST, record, one after the other;
the baseline is the same outbox delivering the same number of messages to the console provider
(no network), so the difference is the signed HTTP call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

_setup.start("rongthuk_bench_integrations", WEBHOOK_ALLOW_PRIVATE_ADDRESSES="1")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.complaints import notifications  # noqa: E402
from apps.complaints.models import Category, Complaint, Notification, StaffMember  # noqa: E402
from apps.complaints.services.intake import complaint_submit  # noqa: E402
from apps.complaints.services.workflow import complaint_note  # noqa: E402
from apps.complaints.validation import Complainant  # noqa: E402
from apps.reporting.models import ComplaintFact  # noqa: E402
from apps.tokens.services import staff_token_issue  # noqa: E402
from apps.webhooks.models import WebhookEndpoint  # noqa: E402
from apps.webhooks.services import webhook_endpoint_create  # noqa: E402
from tenants.models import LocalBody  # noqa: E402
from tests.signin import verified_login  # noqa: E402

BODY = "5760601"  # เทศบาลตำบลบ้านลาด


def setup(cases: int) -> tuple[LocalBody, User]:
    body = _setup.demo_bodies(BODY)
    with schema_context(body.schema_name):
        admin = User.objects.filter(username="bench_admin").first()
        if admin is None:
            admin = User.objects.create_user("bench_admin", None, full_name="bench")
            StaffMember.objects.create(user=admin, role="admin")
        categories = list(Category.objects.filter(is_active=True).exclude(
            national_category__sla_class__in=["conduct", "corruption"]))
        have = Complaint.objects.count()
        for n in range(have, cases):
            complaint_submit(channel="phone", category=categories[n % len(categories)],
                             description=f"เรื่องทดสอบที่ {n}", actor=admin, notify=False,
                             complainant=Complainant(name="ผู้ร้อง", phone="0812345678"))
            if n % 1000 == 999:
                print(f"  {n + 1} cases", file=sys.stderr)
        # A tenth overdue: the overdue filter has something to find.
        ids = list(Complaint.objects.order_by("pk").values_list("pk", flat=True)[::10])
    ComplaintFact.objects.filter(body=body, complaint_id__in=ids).update(
        resolve_due_at=timezone.now() - dt.timedelta(days=1))
    return body, admin


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def bench_list(body: LocalBody, admin: User, repeat: int) -> list[tuple[str, float, float, float, float]]:
    with schema_context(body.schema_name):
        raw = staff_token_issue(actor=admin, user=admin, name="bench", scope="read")[1]
    api = Client(HTTP_HOST=f"{body.slug}.localhost", HTTP_AUTHORIZATION=f"Bearer {raw}")
    with schema_context(body.schema_name):
        desk = verified_login(Client(HTTP_HOST=f"{body.slug}.localhost"), admin, schema=body.schema_name)
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    rows = []
    filters = [("all", {}, ""), ("status=open", {"status": "open"}, "?status=open"),
               ("overdue", {"overdue": "true"}, "?due=overdue"), ("updated_since", {"updated_since": since}, "")]
    for size in (50, 200):
        for label, params, desk_query in filters:
            def call_api(params: dict[str, str] = params, size: int = size) -> None:
                response = api.get("/api/staff/v1/complaints/", {**params, "page_size": size})
                assert response.status_code == 200, response.content[:200]
            samples = _setup.timed(call_api, repeat)
            baseline = [0.0]
            if size == 50 and (desk_query or label == "all"):
                def call_desk(desk_query: str = desk_query) -> None:
                    assert desk.get(f"/staff/{desk_query}").status_code == 200
                baseline = _setup.timed(call_desk, repeat)
            rows.append((f"{label}, page {size}", p(samples, 0.5), p(samples, 0.95), p(baseline, 0.5),
                         p(baseline, 0.95)))
    return rows


def bench_webhooks(body: LocalBody, admin: User, events: int) -> tuple[float, float]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with schema_context(body.schema_name):
        WebhookEndpoint.objects.update(is_active=False)
        endpoint, _secret = webhook_endpoint_create(actor=admin, name="bench", url=url, events=["case.note_added"])
        case = Complaint.objects.order_by("-pk").first()
        assert case is not None
        for n in range(events):
            complaint_note(complaint=case, actor=admin, text=f"บันทึก {n}")
        ids = list(Notification.objects.filter(channel="webhook", recipient=str(endpoint.pk), status="pending")
                   .values_list("pk", flat=True))
        start = time.perf_counter()
        sent = notifications.deliver(ids)
        webhook_seconds = time.perf_counter() - start
        assert sent == len(ids) == events, (sent, len(ids))
        console = [Notification.objects.create(complaint=case, channel="email", recipient="bench@example.org",
                                               body="x", next_attempt_at=timezone.now()).pk for _ in range(events)]
        start = time.perf_counter()
        assert notifications.deliver(console) == events
        console_seconds = time.perf_counter() - start
        endpoint.is_active = False
        endpoint.save(update_fields=["is_active"])
    server.shutdown()
    return events / webhook_seconds, events / console_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    settings.NOTIFICATION_BACKENDS["email"] = "apps.complaints.notifications.ConsoleBackend"
    body, admin = setup(args.cases)
    rows = bench_list(body, admin, args.repeat)
    per_second, console_per_second = bench_webhooks(body, admin, args.events)
    print(f"\nStaff API case list, {args.cases:,} cases in one body, {args.repeat} requests each (ms)")
    print("| list | API p50 | API p95 | desk inbox p50 | desk inbox p95 |")
    print("| --- | --- | --- | --- | --- |")
    for label, p50, p95, d50, d95 in rows:
        desk = (f"{d50:.1f} | {d95:.1f}") if d50 else "— | —"
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {desk} |")
    print(f"\nWebhook deliveries, one worker (one process, sequential), {args.events} events")
    print("| delivery | per second |")
    print("| --- | --- |")
    print(f"| signed HTTP POST to a local receiver | {per_second:.0f} |")
    print(f"| baseline: the same outbox to the console provider | {console_per_second:.0f} |")
    print(f"\ncommand: RONGTHUK_DATABASE_NAME={os.environ['RONGTHUK_DATABASE_NAME']} .venv/bin/python "
          f"bench/integrations.py --cases {args.cases} --repeat {args.repeat} --events {args.events}")
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
