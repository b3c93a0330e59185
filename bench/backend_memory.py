"""How a PostgreSQL backend's private memory grows with the bodies it serves, and where
DATABASE_CONN_MAX_BODIES stops it.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rongthuk_big .venv/bin/python bench/backend_memory.py \\
        --bodies 1500 --max-bodies 1000

Serves the body home, /stats/ and the complaint form (page cache off: every page reads the body's
own tables) of N different bodies in turn, in this process through Django's test client, and reads
the backend's RssAnon from /proc/<pid>/status as it goes; the connection is recycled by
tenants.connections after `--max-bodies` bodies, as in a web worker. Prints a table, the command
and the load average. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

os.environ["PORTAL_PAGE_CACHE"] = "0"
_setup.start()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tenants.models import BodyStatus, LocalBody  # noqa: E402


def rss_anon_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
    return 0


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=1500)
    parser.add_argument("--max-bodies", type=int, default=1000)
    parser.add_argument("--every", type=int, default=250)
    args = parser.parse_args()
    settings.DATABASE_CONN_MAX_BODIES = args.max_bodies
    # Age is the other bound (CONN_MAX_AGE); off here, so what is measured is the bodies' share.
    connection.settings_dict["CONN_MAX_AGE"] = None
    load_before = os.getloadavg()
    slugs = list(LocalBody.objects.bodies().filter(status=BodyStatus.ACTIVE).order_by("?")
                 .values_list("slug", flat=True)[: args.bodies])
    connection.close()
    client = Client(HTTP_HOST=f"{slugs[0]}.{settings.PLATFORM_DOMAIN}")
    client.get("/healthz")
    pid = backend_pid()
    rows = [("0", str(pid), f"{rss_anon_kb(pid) / 1024:.1f}", "")]
    started = time.monotonic()
    for n, slug in enumerate(slugs, 1):
        host = f"{slug}.{settings.PLATFORM_DOMAIN}"
        for path in ("/", "/stats/", "/complaints/new/"):
            assert client.get(path, HTTP_HOST=host).status_code == 200
        if connection.connection is None:  # recycled after the request: the next one is new
            rows.append((str(n), str(pid), "", "closed after the request (DATABASE_CONN_MAX_BODIES)"))
            pid = backend_pid()
        if n % args.every == 0:
            now = backend_pid()
            note = "" if now == pid else f"a new backend (was {pid})"
            pid = now
            rows.append((str(n), str(pid), f"{rss_anon_kb(pid) / 1024:.1f}", note))
    elapsed = time.monotonic() - started
    print(f"{'bodies served':>13} | {'backend':>7} | {'RssAnon MB':>10} | note")
    for row in rows:
        print(f"{row[0]:>13} | {row[1]:>7} | {row[2]:>10} | {row[3]}")
    print(f"\n{len(slugs)} bodies × 3 pages in {elapsed:.0f} s")
    print("command:", " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv]))
    print(f"load average before: {' '.join(f'{v:.2f}' for v in load_before)}; "
          f"after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
