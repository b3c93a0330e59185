"""Integration figures at national scale, in one run: Open311 GET service requests on a body at
50,000 cases (p95 at page sizes 50 and 1,000), the national GET across every body from the facts
at 10 M facts (p95), and webhook deliveries per second per worker with the console baseline.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rongthuk_integ \\
    RONGTHUK_DATABASE_NAME=rongthuk_integ_bench RONGTHUK_BROKER_FOLDER=broker-integ-bench \\
        .venv/bin/python bench/open311_scale.py --cases 50000 --facts 10000000 --requests 40 --events 500

Data (kept in the bench database, made once): the DLA registry's demo province, 7,850 synthetic
bodies and the facts inserted with one generate_series statement (bench/oversight.py), the body's
cases bulk-inserted (bench/complaints.py). Each GET goes through the whole Django stack in process
(test client: middleware, host resolution, throttle, query, XML/JSON rendering; no socket). The
same-run baseline of the GETs is the body's /open311/v2/services.json (the same stack, a list of
a few rows). Webhooks: bench/integrations.py's delivery run (one process delivering one after the
other: what a worker of concurrency 1 does) against the console provider in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")
os.environ.setdefault("RONGTHUK_DATABASE_NAME", "rongthuk_integ_bench")
os.environ.setdefault("OPEN311_ANONYMOUS_RATE", "1000000/m")
# The webhook run's receiver listens on 127.0.0.1 (before Django reads its settings).
os.environ.setdefault("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from bench._setup import synthetic_bodies  # noqa: E402
from bench.complaints import INBOX_BODY, fill_inbox, staff_user  # noqa: E402
from bench.complaints import setup as body_setup  # noqa: E402
from bench.integrations import bench_webhooks  # noqa: E402 - sets up Django on the bench database
from bench.open311 import WINDOW, measure  # noqa: E402
from bench.oversight import setup as national_setup  # noqa: E402
from tenants import cache  # noqa: E402
from tenants.models import LocalBody  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--facts", type=int, default=10000000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    started = time.perf_counter()
    # Synthetic bodies have no schema: once they exist, only the public schema is migrated.
    if not synthetic_bodies():  # also on a database not migrated yet
        body_setup()
    national_setup(7850, args.facts)
    body = LocalBody.objects.get(dla_code=INBOX_BODY)
    # The measured body's own schema (the synthetic bodies have none): anything pending since.
    call_command("migrate_schemas", tenant=True, schema_name=body.schema_name, interactive=False, verbosity=0)
    fill_inbox(body, args.cases)
    cache.clear()
    print(f"data ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reporting_complaintfact")
        facts = cursor.fetchone()[0]
    local, national = Client(HTTP_HOST=f"{body.slug}.localhost"), Client(HTTP_HOST="localhost")
    base50, base95, _q, _n = measure(local, "/open311/v2/services.json", args.requests)
    rows = [("baseline: body /services.json", "", base50, base95, _q, _n)]
    for where, client, label in ((f"body ({args.cases:,} cases)", local, "newest"),
                                 (f"body ({args.cases:,} cases)", local, "status=open"),
                                 (f"national ({facts:,} facts)", national, "newest"),
                                 (f"national ({facts:,} facts)", national, "status=open"),
                                 (f"national ({facts:,} facts)", national, "service_code=road")):
        query = WINDOW if label == "newest" else f"{WINDOW}&{label}"
        for size in (50, 1000):
            rows.append((where, f"{label}, page_size={size}",
                         *measure(client, f"/open311/v2/requests.json?{query}&page_size={size}", args.requests)))
    settings.NOTIFICATION_BACKENDS["email"] = "apps.complaints.notifications.ConsoleBackend"
    admin: User = staff_user(body, "admin")
    per_second, console_per_second = bench_webhooks(body, admin, args.events)
    out = sys.stdout
    out.write(f"\nOpen311 GET /open311/v2/requests.json, {args.requests} requests each "
              "(ms; × baseline: p95 / baseline p95)\n")
    out.write("| where | query | p50 | p95 | × baseline | queries | items |\n"
              "| --- | --- | --- | --- | --- | --- | --- |\n")
    for where, what, p50, p95, queries, items in rows:
        out.write(f"| {where} | {what} | {p50:.1f} | {p95:.1f} | {p95 / base95:.1f} | {queries} | {items} |\n")
    out.write(f"\nWebhook deliveries, one worker (one process, sequential), {args.events} events\n")
    out.write("| delivery | per second |\n| --- | --- |\n")
    out.write(f"| signed HTTP POST to a local receiver | {per_second:.0f} |\n")
    out.write(f"| baseline: the same outbox to the console provider | {console_per_second:.0f} |\n")
    out.write(f"| ratio | {per_second / console_per_second:.2f} |\n")
    out.write(f"\ncommand: RONGTHUK_DATABASE_NAME={os.environ['RONGTHUK_DATABASE_NAME']} .venv/bin/python "
              f"bench/open311_scale.py --cases {args.cases} --facts {args.facts} --requests {args.requests} "
              f"--events {args.events}\n")
    out.write("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + "\n")


if __name__ == "__main__":
    main()
