"""Open311 GET service requests: a body at N cases, and the national endpoint across the facts.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_open311 RONGTHUK_BROKER_FOLDER=broker-bench \\
        .venv/bin/python bench/open311.py --cases 50000 --facts 1000000 --requests 40

Body: N cases in อบต.ท่าเสน (bulk-inserted once and kept, as bench/complaints.py does), then p50/p95
server time (Django's test client: the whole request stack in process, no socket) of
/open311/v2/requests.json at page sizes 50 and 1,000, newest first and with filters. National: the
synthetic bodies and facts of bench/oversight.py (kept in the same database), then the same on
http://<platform>/open311/v2/requests.json, which reads the facts only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

# The bench reads without a key, many times a minute: lift the anonymous limit for this process.
os.environ.setdefault("OPEN311_ANONYMOUS_RATE", "1000000/m")
_setup.start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.complaints import INBOX_BODY, fill_inbox, percentile  # noqa: E402
from bench.complaints import setup as body_setup  # noqa: E402
from bench.oversight import setup as national_setup  # noqa: E402
from tenants import cache  # noqa: E402
from tenants.models import LocalBody  # noqa: E402

# Wide enough to reach every bench case (they go back N × 10 minutes, the facts two years).
WINDOW = "start_date=2020-01-01T00:00:00%2B07:00"


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    times = []
    queries = items = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        queries, items = len(captured), len(response.json())
    return percentile(times, 50), percentile(times, 95), queries, items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--facts", type=int, default=1000000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    # Synthetic bodies have no schema: once they exist, only the public schema is migrated.
    if not _setup.synthetic_bodies():
        body_setup()
    national_setup(7850, args.facts)
    body = LocalBody.objects.get(dla_code=INBOX_BODY)
    fill_inbox(body, args.cases)
    cache.clear()
    rows = []
    local = Client(HTTP_HOST=f"{body.slug}.localhost")
    for label, query in (("newest", WINDOW), ("status=open", f"{WINDOW}&status=open"),
                         ("service_code=road", f"{WINDOW}&service_code=road"), ("page 20", f"{WINDOW}&page=20")):
        for size in (50, 1000):
            url = f"/open311/v2/requests.json?{query}&page_size={size}"
            rows.append((f"body ({args.cases:,} cases)", f"{label}, page_size={size}", *measure(local, url,
                                                                                                args.requests)))
    national = Client(HTTP_HOST="localhost")
    facts = connection.cursor()
    facts.execute("SELECT count(*) FROM reporting_complaintfact")
    total = facts.fetchone()[0]
    for label, query in (("newest", WINDOW), ("service_code=road", f"{WINDOW}&service_code=road"),
                         ("status=open", f"{WINDOW}&status=open")):
        for size in (50, 1000):
            url = f"/open311/v2/requests.json?{query}&page_size={size}"
            rows.append((f"national ({total:,} facts)", f"{label}, page_size={size}", *measure(national, url,
                                                                                               args.requests)))
    sys.stdout.write(f"$ {' '.join(sys.argv)}\n\n| where | GET requests.json | p50 ms | p95 ms | queries | items |\n"
                     "| --- | --- | --- | --- | --- | --- |\n")
    for where, what, p50, p95, queries, items in rows:
        sys.stdout.write(f"| {where} | {what} | {p50:.1f} | {p95:.1f} | {queries} | {items} |\n")


if __name__ == "__main__":
    main()
