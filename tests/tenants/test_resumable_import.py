"""The registry import killed midway and run again finishes with no duplicates and no half-made
schema marked active (real processes, real kill)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from tenants.models import BodyStatus, Domain, LocalBody
from tests.conftest import REPO

KRABI = "กระบี่"


def _import(csv: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=settings.DATABASES["default"]["NAME"])
    return subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "bodies", "import", str(csv), "--workers", "1"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _schemas(prefix: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [prefix + "%"])
        return {row[0] for row in cursor.fetchall()}


def test_import_killed_midway_resumes_without_duplicates(committed: None, tmp_path: Path) -> None:
    source = (REPO / "tenants" / "data" / "lao.csv").read_text(encoding="utf-8").splitlines()
    rows = [line for line in source[1:] if line.startswith(KRABI + ",")]
    csv = tmp_path / "krabi.csv"
    csv.write_text("\n".join([source[0], *rows]) + "\n", encoding="utf-8")
    codes = [line.split(",")[2] for line in rows]
    assert len(codes) > 40

    first = _import(csv)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some bodies are active, then kill hard
        if LocalBody.objects.filter(dla_code__in=codes, status=BodyStatus.ACTIVE).count() >= 5:
            break
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)

    half = LocalBody.objects.filter(dla_code__in=codes)
    active = set(half.filter(status=BodyStatus.ACTIVE).values_list("schema_name", flat=True))
    pending = set(half.filter(status=BodyStatus.PROVISIONING).values_list("schema_name", flat=True))
    assert active and pending, "the kill should land midway"
    # no half-made schema: a body still provisioning has no schema at all
    assert not pending & _schemas("b")
    assert active <= _schemas("b")

    second = _import(csv)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    bodies = LocalBody.objects.filter(dla_code__in=codes)
    assert bodies.count() == len(codes) == len(set(codes))
    assert not bodies.exclude(status=BodyStatus.ACTIVE).exists()
    assert Domain.objects.filter(tenant__dla_code__in=codes).count() == 2 * len(codes)
    assert set(bodies.values_list("schema_name", flat=True)) <= _schemas("b")
