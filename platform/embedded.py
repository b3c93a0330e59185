"""The embedded PostgreSQL that `make demo` and `make test` use when DATABASE_URL is unset.

pgserver (pip-only) ships PostgreSQL binaries and runs a private server on a unix socket inside
the project's data folder. As root it creates a system user `pgserver` to own the cluster.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from rongthuk.env import project_root

DATABASE_NAME = "rongthuk"


def data_dir() -> Path:
    return project_root() / ".data" / "postgres"


def _prepare_runtime_dir() -> None:
    runtime = project_root() / ".data" / "run"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(runtime, 0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def _running_socket_dir(directory: Path) -> str | None:
    """The socket folder of a live postmaster for this data folder, read from postmaster.pid."""
    try:
        lines = (directory / "postmaster.pid").read_text().splitlines()
        pid = int(lines[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    return lines[4].strip() or None


def bin_dir() -> Path:
    """Where pgserver keeps pg_ctl, pg_dump and psql (found without importing it: importing it
    reads XDG_RUNTIME_DIR and starts its bookkeeping)."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pgserver package is not installed (pip install pgserver)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def socket_dir() -> str:
    """Where the server's socket is (or will be): read from postmaster.pid when it runs, else the
    data folder, where pgserver puts it unless that path is too long for a unix socket. Starts
    nothing, so settings can call it at import."""
    return _running_socket_dir(data_dir()) or str(data_dir())


def ensure_running() -> str:
    """Start the embedded server if it is not up, create the database, return the socket folder.

    Called by the commands that need the database (the `rongthuk` CLI, `manage.py`, the test
    session, `python -m rongthuk.embedded start`), never by settings. Points Django's
    connection settings at the socket it found, in case it is not the data folder."""
    directory = data_dir()
    socket = _running_socket_dir(directory)
    if socket is None:
        directory.parent.mkdir(parents=True, exist_ok=True)
        _prepare_runtime_dir()
        import pgserver

        server = pgserver.get_server(str(directory), cleanup_mode=None)
        existing = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
        if "(1 row)" not in existing:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        socket = _running_socket_dir(directory)
        if socket is None:
            raise RuntimeError(f"the embedded PostgreSQL in {directory} did not start; see {directory}/log")
    _point_settings_at(socket)
    return socket


def _point_settings_at(socket: str) -> None:
    from django.conf import settings  # this module must import without Django configured

    if settings.configured and getattr(settings, "EMBEDDED_DATABASE", False):
        settings.DATABASES["default"]["HOST"] = socket


def stop() -> None:
    directory = data_dir()
    if not (directory / "postmaster.pid").exists():
        return
    pg_ctl = bin_dir() / "pg_ctl"
    command = [str(pg_ctl), "-D", str(directory), "-m", "fast", "-w", "stop"]
    if os.geteuid() == 0:
        command = ["su", "pgserver", "-s", "/bin/sh", "-c", " ".join(command)]
    subprocess.run(command, check=False, capture_output=True)


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    if action == "start":
        print(ensure_running())
    elif action == "stop":
        stop()
    else:
        raise SystemExit(f"usage: python -m rongthuk.embedded [start|stop], not {action!r}")
