"""What every bench script does before it measures, once.

A script runs as `python bench/<name>.py`, so this folder is on `sys.path` and `import _setup`
finds this module; `start()` puts the project itself on the path, sets the script's environment
defaults, makes its database on the server the settings name (the embedded one without
DATABASE_URL) and starts Django; `demo_bodies()` brings that database to the demo province:
migrations, the geography and the province's bodies, each only when missing. The project's and
Django's modules are imported inside the functions: nothing of them loads before `start()`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenants.models import LocalBody

REPO = Path(__file__).resolve().parent.parent


def start(database: str | None = None, *, fresh: bool = False, **env: str) -> None:
    """`database`: the script's own database (RONGTHUK_DATABASE_NAME, when the caller did not set
    it), made if missing, or made anew with `fresh`; None: the one RONGTHUK_DATABASE_NAME names
    (made if missing), else the settings' database as it is.
    `env`: defaults for the script's other settings (the caller's environment wins)."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")
    for name, value in env.items():
        os.environ.setdefault(name, value)
    name = os.environ.setdefault("RONGTHUK_DATABASE_NAME", database) if database else \
        os.environ.get("RONGTHUK_DATABASE_NAME")
    if name:
        database_ensure(name, fresh=fresh)
    import django

    django.setup()


def database_ensure(name: str, *, fresh: bool = False) -> None:
    """Make the database `name` on the settings' server if it is not there (`fresh`: drop it first)."""
    import psycopg

    url = os.environ.get("DATABASE_URL")
    if url:
        connect: dict[str, Any] = {"conninfo": url.rsplit("/", 1)[0] + "/postgres"}
    else:
        from rongthuk import embedded

        connect = {"dbname": "postgres", "user": "postgres", "host": embedded.ensure_running()}
    with psycopg.connect(**connect, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def demo_bodies(code: str = "5760601", *, whole_registry: bool = False) -> LocalBody:
    """Migrations, the geography and the bodies of the demo province (or, with `whole_registry`,
    all 7,850), each only when missing; returns the body with DLA code `code` (เทศบาลตำบลบ้านลาด
    by default)."""
    from rongthuk.demo import DEMO_PROVINCE, REGISTRY
    from tenants.geography import geography_load
    from tenants.models import LocalBody, Subdistrict
    from tenants.services import bodies_import, bodies_migrate

    bodies_migrate(show_progress=False)
    if Subdistrict.objects.count() < 7000:
        geography_load()
    if whole_registry and LocalBody.objects.live().count() < 7850:
        started = time.perf_counter()
        report = bodies_import(REGISTRY, show_progress=True)
        print(f"registry: {report.provisioned} bodies provisioned in {time.perf_counter() - started:.0f} s")
    elif not LocalBody.objects.filter(dla_code=code).exists():
        bodies_import(REGISTRY, provinces={DEMO_PROVINCE}, show_progress=False)
    return LocalBody.objects.get(dla_code=code)


def synthetic_bodies() -> bool:
    """Whether the database holds the national benches' synthetic bodies already (DLA codes 9…,
    no schema, so only the public schema may be migrated); False on a database not migrated yet."""
    from django.db import connection

    from tenants.models import LocalBody

    return "tenants_localbody" in connection.introspection.table_names() and \
        LocalBody.objects.filter(dla_code__startswith="9").exists()


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of `repeat` calls, after one call that warms caches up."""
    call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples
