"""Bulk invitation of every body's first administrator: one spreadsheet of the whole registry
(7,849 bodies and Bangkok) uploaded by the national admin.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_invitations .venv/bin/python bench/invitations.py

The registry is imported and provisioned once into the bench database (minutes on a first run).
Measured, in one run: reading and checking the sheet alone (the baseline: no database write),
the upload itself (each row its own transaction: the body locked, the invitation, its audit entry
and the e-mail written to the body's outbox, published after commit), and the same file uploaded
again (every row skipped: what resuming costs). Printed with the command and the load average.
Invitations of an earlier run are revoked first, so each run invites every body again.
"""

from __future__ import annotations

import os
import time

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

_setup.start("rongthuk_bench_invitations")

from django.db import connection  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.onboarding import spreadsheet  # noqa: E402
from apps.onboarding.contacts import contact_clean  # noqa: E402
from apps.onboarding.models import Invitation, InvitationStatus  # noqa: E402
from apps.onboarding.selectors import body_adoption, totals  # noqa: E402
from apps.onboarding.services import invitations_import  # noqa: E402
from apps.oversight.scoping import NATION  # noqa: E402
from tenants.models import LocalBody  # noqa: E402


def setup() -> User:
    _setup.demo_bodies(whole_registry=True)
    user = User.objects.filter(username="bench-national").first()
    return user or User.objects.create_superuser("bench-national", "bench-national-pw-1")


def sheet() -> bytes:
    lines = [",".join(spreadsheet.HEADER)]
    for code, slug, name in LocalBody.objects.live().order_by("dla_code").values_list("dla_code", "slug", "name_th"):
        lines.append(f"{code},ปลัด {name},ปลัด,admin@{slug}.example,08{code[-7:]:0>8}")
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def main() -> None:
    user = setup()
    Invitation.objects.filter(status=InvitationStatus.PENDING).update(status=InvitationStatus.REVOKED)
    content = sheet()
    rows = content.count(b"\n") - 1
    command = (f"RONGTHUK_DATABASE_NAME={os.environ['RONGTHUK_DATABASE_NAME']} "
               f".venv/bin/python bench/invitations.py")
    results: list[tuple[str, int, dict[str, int], float, tuple[float, float, float]]] = []

    load = os.getloadavg()
    started = time.perf_counter()
    parsed = spreadsheet.read_rows(file_name="registry.csv", content=content)
    for row in parsed:
        contact_clean(full_name=row.full_name, position=row.position, email=row.email, mobile=row.mobile)
    results.append(("read and check the sheet only (baseline, no writes)", len(parsed), {},
                    time.perf_counter() - started, load))

    for label in ("upload: every body invited (e-mail to each body's outbox)",
                  "the same file again: every row skipped"):
        load = os.getloadavg()
        started = time.perf_counter()
        batch = invitations_import(scope=NATION, actor=user, file_name="registry.csv", content=content)
        wall = time.perf_counter() - started
        outcomes: dict[str, int] = {}
        for entry in batch.report:
            outcomes[entry["outcome"]] = outcomes.get(entry["outcome"], 0) + 1
        results.append((label, len(batch.report), outcomes, wall, load))

    adoption = []
    for _ in range(5):
        started = time.perf_counter()
        figures = totals(body_adoption(NATION))
        adoption.append(time.perf_counter() - started)

    print(f"\n$ {command}\n")
    print(f"{rows:,} rows ({len(content) / 1024:,.0f} KiB CSV)\n")
    print("| step | rows | invited / skipped / refused | wall s | ms per row | vs baseline | "
          "load average before (1/5/15 min) |")
    print("|---|---:|---|---:|---:|---:|---|")
    base = results[0][3]
    for label, count, outcomes, wall, load in results:
        split = " / ".join(str(outcomes.get(k, 0)) for k in ("invited", "skipped", "refused")) if outcomes else "-"
        print(f"| {label} | {count:,} | {split} | {wall:.1f} | {wall * 1000 / max(count, 1):.2f} | "
              f"{wall / base:.0f}x | {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} |")
    adoption.sort()
    print(f"\nthe national adoption figures afterwards ({figures}): median of 5 {adoption[2] * 1000:.0f} ms, "
          f"fastest {adoption[0] * 1000:.0f} ms (public tables only)")
    print(f"\n{os.cpu_count()} CPUs; PostgreSQL {connection.pg_version}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
