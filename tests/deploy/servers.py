"""Servers of the deploy suite's own, beside the fault suite's private PostgreSQL (tests/faults/stack.py):
a streaming replica made from it with pg_basebackup, a pgbouncer in front of it (Debian's package),
and the web server as deploy/ configures it (gunicorn, deploy/gunicorn.conf.py). The machine's
servers are never touched; every server here has its own port and folder under a temp dir."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.conftest import BANLAT, REPO, THASEN
from tests.faultkit import free_port
from tests.faults.stack import (
    _OWN,
    DATABASE,
    PrivatePostgres,
    _as_postgres,
    _server_user,
    owned_temp,
    provision,
    wait_until,
)

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


class Replica(PrivatePostgres):
    """A hot standby of `primary`: pg_basebackup -R (standby.signal and primary_conninfo), streaming."""

    # A hot standby needs at least the primary's max_connections (PrivatePostgres.options: 200).
    options = "-c hot_standby=on -c max_connections=200"

    def __init__(self, primary: PrivatePostgres) -> None:
        self.primary = primary
        super().__init__(prefix="rongthuk-deploy-replica-")

    def create(self) -> None:
        subprocess.run(_as_postgres([str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port),
                                     "-U", "postgres", "-D", str(self.data), "-R", "-X", "stream", "--no-sync"]),
                       check=True, capture_output=True, timeout=300)

    def caught_up(self) -> bool:
        """Everything the primary has written is replayed here."""
        with self.primary.connect() as conn:
            row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        assert row is not None
        with self.connect() as conn:
            done = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [row[0]]).fetchone()
        return bool(done and done[0])


def deploy_pgbouncer_settings() -> dict[str, str]:
    ini = configparser.ConfigParser()
    ini.read(REPO / "deploy" / "pgbouncer" / "pgbouncer.ini", encoding="utf-8")
    return dict(ini["pgbouncer"])


class Pgbouncer:
    """Debian's pgbouncer with deploy/pgbouncer/pgbouncer.ini's pool mode and reset query, on its own
    port, with `pool_size` server connections for the database: every client shares them."""

    def __init__(self, primary: PrivatePostgres, *, pool_size: int) -> None:
        deployed = deploy_pgbouncer_settings()
        self.root = owned_temp("rongthuk-deploy-pgbouncer-")
        self.port = free_port()
        self.log = self.root / "pgbouncer.log"
        (self.root / "userlist.txt").write_text('"postgres" ""\n', encoding="utf-8")
        (self.root / "pgbouncer.ini").write_text(
            f"[databases]\n{DATABASE} = host=127.0.0.1 port={primary.port} dbname={DATABASE}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir = {self.root}\n"
            f"logfile = {self.log}\npidfile = {self.root / 'pgbouncer.pid'}\n"
            f"auth_type = trust\nauth_file = {self.root / 'userlist.txt'}\nadmin_users = postgres\n"
            f"pool_mode = {deployed['pool_mode']}\nserver_reset_query = {deployed['server_reset_query']}\n"
            f"default_pool_size = {pool_size}\nmin_pool_size = 0\nmax_client_conn = 200\n"
            "server_lifetime = 3600\nserver_idle_timeout = 3600\n"
            "ignore_startup_parameters = extra_float_digits,options\n",
            encoding="utf-8")
        if os.geteuid() == 0:
            for path in self.root.iterdir():
                shutil.chown(path, _server_user())
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> None:
        # pgbouncer refuses to run as root.
        self.process = subprocess.Popen(_as_postgres([PGBOUNCER, str(self.root / "pgbouncer.ini")]),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, 20)

    def _answers(self) -> bool:
        try:
            self.show("VERSION")
        except psycopg.OperationalError:
            return False
        return True

    def show(self, what: str) -> list[dict[str, object]]:
        """The admin console's SHOW <what> (SERVERS, CLIENTS, POOLS, STATS)."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="pgbouncer",
                             autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
            cursor = conn.execute(f"SHOW {what}")
            names = [c.name for c in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Platform:
    """The platform's database on a private primary, provisioned once with two bodies (banlat, thasen)."""

    primary: PrivatePostgres
    logs: Path
    broker: str = field(default_factory=lambda: f"broker-deploy-{os.getpid()}")
    media: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rongthuk-deploy-media-")))

    def env(self, database_url: str, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _OWN and not k.startswith("DATABASE_")}
        env.update({"DATABASE_URL": database_url, "RONGTHUK_BROKER_FOLDER": self.broker,
                    "MEDIA_ROOT": str(self.media), "PYTHONUNBUFFERED": "1", "XDG_RUNTIME_DIR": str(self.logs),
                    "PORTAL_TRUSTED_PROXIES": "1", **extra})
        return env

    def cli(self, *args: str, env: dict[str, str] | None = None, timeout: float = 600) -> str:
        done = subprocess.run([sys.executable, "-m", "rongthuk.cli", *args], cwd=REPO,
                              env=env or self.env(self.primary.url), capture_output=True, text=True,
                              timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"rongthuk {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def provision(self) -> None:
        provision(self.primary, self.cli, self.logs, {BANLAT, THASEN})

    def body(self, dla_code: str) -> tuple[str, str, str]:
        """(schema, slug, Thai name) of a body."""
        with self.primary.connect() as conn:
            row = conn.execute("SELECT schema_name, slug, name_th FROM tenants_localbody WHERE dla_code = %s",
                               [dla_code]).fetchone()
        assert row is not None
        return row[0], row[1], row[2]

    def destroy(self) -> None:
        shutil.rmtree(REPO / ".data" / self.broker, ignore_errors=True)
        shutil.rmtree(self.media, ignore_errors=True)


class Web:
    """gunicorn as deploy/gunicorn.conf.py configures it, on a port of its own."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2) -> None:
        self.port = free_port()
        self.log = log
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers),
               "GUNICORN_ACCESS_LOG": ""}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "rongthuk.wsgi:application"],
            cwd=REPO, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
        wait_until(self._up, 120, 0.3)

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.log.read_text(errors='replace')[-3000:]}")
        return get(self.port, "/healthz", "localhost")[0] == 200

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def get(port: int, path: str, host: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",  # noqa: S310 - loopback
                                     headers={"Host": f"{host}:{port}", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return int(response.status), response.read().decode(errors="replace"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode(errors="replace"), dict(error.headers)
    except OSError:
        return 0, "", {}
