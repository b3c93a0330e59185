"""`rongthuk bodies import` killed with SIGKILL takes its provisioning workers with it: none is
left behind re-parented to init, cloning schemas for an import nobody is running. (Real
processes, a real kill.) Run again, the import finishes what was left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tenants.models import BodyStatus, LocalBody
from tests.conftest import REPO, wait_for

PHANGNGA = "พังงา"


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _forget(codes: list[str]) -> None:
    """Remove these bodies and their schemas, so the import has them to provision (again)."""
    bodies = list(LocalBody.objects.filter(dla_code__in=codes).values_list("pk", "schema_name"))
    with connection.cursor() as cursor:
        for _pk, schema in bodies:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        # SQL, not the ORM: its cascade would look for references in tables of the bodies' schemas.
        ids = [pk for pk, _schema in bodies]
        cursor.execute("DELETE FROM tenants_domain WHERE tenant_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM tenants_servicearea WHERE body_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM tenants_localbody WHERE id = ANY(%s)", [ids])


def _import(csv: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=settings.DATABASES["default"]["NAME"])
    return subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "bodies", "import", str(csv), "--workers", "2"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def phangnga(committed: None, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """The registry's rows for จังหวัดพังงา, none of them on the platform before or after."""
    source = (REPO / "tenants" / "data" / "lao.csv").read_text(encoding="utf-8").splitlines()
    rows = [line for line in source[1:] if line.startswith(PHANGNGA + ",")]
    csv = tmp_path / "phangnga.csv"
    csv.write_text("\n".join([source[0], *rows]) + "\n", encoding="utf-8")
    codes = [line.split(",")[2] for line in rows]
    _forget(codes)
    yield csv, codes
    # A body left provisioning has no schema, which the next session's migrate would trip on.
    _forget(codes)


def test_sigkill_of_the_import_stops_its_pool_workers(phangnga: tuple[Path, list[str]]) -> None:
    csv, codes = phangnga
    assert len(codes) > 40  # more than two chunks of 20: the pool is used

    importer = _import(csv)
    bodies = LocalBody.objects.filter(dla_code__in=codes)
    wait_for(lambda: bodies.filter(status=BodyStatus.ACTIVE).count() >= 3 and len(_children(importer.pid)) >= 2,
             timeout=180, interval=0.02)
    workers = _children(importer.pid)
    os.kill(importer.pid, signal.SIGKILL)
    importer.wait(timeout=30)
    at_kill = bodies.filter(status=BodyStatus.ACTIVE).count()

    wait_for(lambda: not any(_alive(pid) for pid in workers), timeout=30)
    # Nobody goes on provisioning for the dead import: each worker was a few bodies into a chunk
    # of 20 and stops there (at most one commit already sent to the server may still land).
    after = bodies.filter(status=BodyStatus.ACTIVE).count()
    assert after - at_kill <= 1, f"{after - at_kill} bodies provisioned after the import was killed"
    assert bodies.filter(status=BodyStatus.PROVISIONING).count() == len(codes) - after

    again = _import(csv)
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert bodies.count() == len(codes)
    assert not bodies.exclude(status=BodyStatus.ACTIVE).exists()
