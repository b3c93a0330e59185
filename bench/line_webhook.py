"""LINE webhook handling per event: median and p95 ms.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_line .venv/bin/python bench/line_webhook.py --users 200

Each request carries one correctly signed event and goes through the whole Django stack in process
(Django's test client: middleware, tenant resolution, the view; no socket on our side). The time
covers the signature check, the event's row (redeliveries), the chat state update and the reply,
which is a real HTTP call to a local fake LINE platform. A photo is noted and its fetch task queued
(the content is fetched by a worker, not in the webhook: not measured here). Rows:
each step of a filing conversation, a redelivered event (recognised and skipped), a wrongly signed
request (refused), and the final submit (the complaint through the intake service, with the
profile call and the Flex receipt) shown apart because it is the intake, not the chat.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

_setup.start("rongthuk_bench_line")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.complaints.models import Category  # noqa: E402
from apps.line.services import line_channel_connect  # noqa: E402
from tenants.models import LocalBody  # noqa: E402
from tests.apps.line.conftest import SECRET, TOKEN, Chat, sign  # noqa: E402
from tests.apps.line.fake_line import FakeLine  # noqa: E402

BODY = "5760601"  # เทศบาลตำบลบ้านลาด


def setup() -> LocalBody:
    body = _setup.demo_bodies(BODY)
    with schema_context(body.schema_name):
        admin = User.objects.filter(username="bench_admin").first() or User.objects.create_user("bench_admin", None)
        line_channel_connect(actor=admin, channel_id="2000000009", channel_secret=SECRET, access_token=TOKEN)
    return body


def timed(send: Callable[[], Any], expect: int) -> float:
    started = time.perf_counter()
    response = send()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != expect:
        raise SystemExit(f"unexpected {response.status_code}: {response.content[:300]!r}")
    return elapsed


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200, help="conversations (each: 6 chat events)")
    parser.add_argument("--submits", type=int, default=50, help="conversations that end in a complaint")
    args = parser.parse_args()

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 403s are the point of one row
    body = setup()
    fake = FakeLine(token=TOKEN).start()
    settings.LINE_API_BASE = settings.LINE_DATA_API_BASE = fake.url
    with schema_context(body.schema_name):
        category = Category.objects.filter(is_active=True, national_category_id="road").get()
    client = Client()
    answered: dict[str, int] = {}
    rows: dict[str, list[float]] = {k: [] for k in (
        "follow (new LINE user, welcome)", "menu: แจ้งเรื่อง (state → category)", "category chosen (state → description)",
        "description text (state → details)", "review (confirmation card)", "cancel (state cleared)",
        "redelivered event (skipped)", "wrong signature (refused, 403)", "submit: complaint via intake + Flex receipt",
        "photo (noted; its task queued, content not fetched)")}
    names = list(rows)

    def post(chat: Chat, event: dict[str, Any]) -> Callable[[], Any]:
        chat.client = client
        return lambda: chat.post(event)

    for i in range(args.users + 5):
        chat = Chat("U" + uuid.uuid4().hex)
        submit = 5 <= i < 5 + args.submits
        steps = [(names[0], chat.event("follow", follow={"isUnblocked": False})), (names[1], chat.postback("a=file")),
                 (names[2], chat.postback(f"a=cat&id={category.pk}")), (names[3], chat.text(f"ถนนเป็นหลุม จุดที่ {i}"))]
        if not submit:  # a photo (its content is a task's job; a submit would wait for it)
            steps.append((names[9], chat.image(str(10_000_000 + i))))
        steps += [(names[4], chat.postback("a=review")),
                  (names[8], chat.postback("a=submit")) if submit else (names[5], chat.postback("a=cancel"))]
        measured = []
        for name, event in steps:
            before = len(fake.replies())
            measured.append((name, timed(post(chat, event), 200)))
            if i >= 5:  # which step went unanswered: counted per row
                answered[name] = answered.get(name, 0) + len(fake.replies()) - before
        again = dict(steps[3][1], deliveryContext={"isRedelivery": True})
        redelivered = timed(post(chat, again), 200)
        payload = json.dumps({"destination": "Ubot", "events": [chat.text("x")]}).encode()
        wrong = timed(lambda payload=payload: client.post(  # type: ignore[misc]
            "/line/webhook/", payload, content_type="application/json", HTTP_HOST=f"{body.slug}.localhost",
            HTTP_X_LINE_SIGNATURE=sign(payload, "f" * 32)), 403)
        if i < 5:
            continue  # warm-up: imports, the first connection, caches
        for name, value in measured:
            rows[name].append(value)
        rows[names[6]].append(redelivered)
        rows[names[7]].append(wrong)

    chat_events = [v for name in (*names[:8], names[9]) for v in rows[name]]
    print(f"command: RONGTHUK_DATABASE_NAME={os.environ['RONGTHUK_DATABASE_NAME']} "
          f".venv/bin/python bench/line_webhook.py {' '.join(sys.argv[1:])}")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    print()
    print(f"| {'event (one per signed request)':<52} | {'n':>5} | {'median ms':>9} | {'p95 ms':>7} | {'replied':>7} |")
    print(f"| {'-' * 52} | {'-' * 5} | {'-' * 9} | {'-' * 7} | {'-' * 7} |")
    for name in names:
        values = rows[name]
        if values:
            print(f"| {name:<52} | {len(values):>5} | {statistics.median(values):>9.1f} | {p95(values):>7.1f} | "
                  f"{answered.get(name, 0):>7} |")
    print(f"| {'all chat events (every row but submit)':<52} | {len(chat_events):>5} | "
          f"{statistics.median(chat_events):>9.1f} | {p95(chat_events):>7.1f} |")
    # Six answered events per conversation, seven with the photo; redeliveries and 403s get none.
    expected = (args.users + 5) * 6 + (args.users + 5 - args.submits)
    print(f"\nreplies the fake LINE platform received: {len(fake.replies())} of {expected}")
    fake.stop()


if __name__ == "__main__":
    main()
