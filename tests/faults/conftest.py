"""The fault suite's stack (tests/faults/stack.py), made once per run, and the table of each
fault's figures printed at the end of the run (and written to .data/faults-report.txt)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.faultkit import SmsGateway
from tests.faults.stack import MediaStore, PrivatePostgres, PrivateRedis, Stack

LEDGER: list[dict[str, object]] = []
COLUMNS = [
    ("fault", "fault"), ("submissions", "submissions"), ("acknowledged", "acknowledged"), ("lost", "lost"),
    ("duplicated", "duplicated"), ("notifications", "notifications"), ("notif_lost", "notifications lost"),
    ("notif_repeats", "provider repeats (same key)"), ("citizen_retries", "citizen retries"),
]


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    logs = Path(tempfile.mkdtemp(prefix="rongthuk-faults-logs-"))
    pg = PrivatePostgres()
    redis = PrivateRedis()
    gateway = SmsGateway().start()
    media = MediaStore()
    platform = Stack(pg=pg, redis=redis, gateway=gateway, media=media, logs=logs)
    try:
        pg.start()
        redis.start()
        platform.provision()
        platform.start_web()
        platform.start_worker()
        yield platform
    finally:
        platform.stop()
        gateway.stop()
        redis.stop()
        pg.destroy()
        media.destroy()
        print(f"\nfault suite logs: {logs}")


def record(row: dict[str, object]) -> None:
    LEDGER.append(row)


def _table() -> str:
    widths = [max(len(title), *(len(str(row.get(key, ""))) for row in LEDGER)) for key, title in COLUMNS]
    line = " | ".join(title.ljust(width) for (_key, title), width in zip(COLUMNS, widths, strict=True))
    rule = "-+-".join("-" * width for width in widths)
    rows = [" | ".join(str(row.get(key, "")).rjust(width) if key != "fault" else str(row[key]).ljust(width)
                       for (key, _title), width in zip(COLUMNS, widths, strict=True)) for row in LEDGER]
    return "\n".join([line, rule, *rows])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not LEDGER:
        return
    table = _table()
    terminalreporter.section("fault campaign: acknowledged submissions lost, duplicate cases, notifications lost")
    terminalreporter.write_line(table)
    out = REPO / ".data" / "faults-report.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table + "\n", encoding="utf-8")
