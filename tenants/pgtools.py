"""The PostgreSQL client tools provisioning needs, matched to the server it talks to.

pg_dump refuses to dump a server newer than itself, and an older pg_dump's output may not replay
on a newer server, so the tool is chosen by the server's major version: `settings.PG_DUMP` when set
(RONGTHUK_PG_DUMP, or the embedded server's own), otherwise the first of Debian's
/usr/lib/postgresql/<major>/bin, `pg_config --bindir` and PATH whose version is the server's or
newer (preferring the server's own).
"""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection


class ToolNotFound(RuntimeError):
    pass


def _major(version_output: str) -> int | None:
    match = re.search(r"\b(\d+)(?:\.\d+)?", version_output)
    return int(match.group(1)) if match else None


def tool_major(path: str) -> int | None:
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return _major(result.stdout)


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _candidates(major: int) -> list[str]:
    found = [f"/usr/lib/postgresql/{major}/bin/pg_dump"]
    found += sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True,
                                    timeout=10).stdout.strip()
            found.append(str(Path(bindir) / "pg_dump"))
        except (OSError, subprocess.SubprocessError):
            pass
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(on_path)
    return [path for path in dict.fromkeys(found) if Path(path).is_file()]


@cache
def pg_dump_path() -> str:
    configured = getattr(settings, "PG_DUMP", None)
    if configured:
        if not Path(configured).is_file():
            raise ToolNotFound(f"pg_dump not found at {configured} (RONGTHUK_PG_DUMP)")
        return str(configured)
    major = server_major()
    usable = [(tool_major(path), path) for path in _candidates(major)]
    usable = [(found, path) for found, path in usable if found is not None and found >= major]
    if not usable:
        raise ToolNotFound(
            f"no pg_dump for PostgreSQL {major} or newer: install the PostgreSQL {major} client tools "
            f"(Debian: postgresql-client-{major}) or name one with RONGTHUK_PG_DUMP")
    usable.sort(key=lambda pair: (pair[0] != major, pair[0]))
    return usable[0][1]
