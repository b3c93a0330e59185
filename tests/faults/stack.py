"""The platform as it runs in production, on servers of the fault suite's own: a PRIVATE PostgreSQL
(Debian's binaries, its own port and data folder; the machine's server is never touched), a
private Redis broker, the web server and a Celery worker as real processes, an HTTP SMS gateway,
and a citizen who files complaints over HTTP and retries like a browser would."""

from __future__ import annotations

import glob
import html
import http.cookiejar
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.conftest import REPO
from tests.faultkit import SmsGateway, free_port

DATABASE = "rongthuk_faults"
BANLAT_ROW_CODE = "5760601"
# Variables of the developer's own set-up that must not leak into the private stack.
_OWN = ("DATABASE_URL", "RONGTHUK_DATABASE_NAME", "CELERY_BROKER_URL", "REDIS_URL", "RONGTHUK_BROKER_FOLDER",
        "MEDIA_ROOT", "NOTIFY_SMS_BACKEND", "SMS_GATEWAY_URL", "DJANGO_SETTINGS_MODULE")


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` system user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", _server_user(), "--", *args]
    return args


def postgres_bindir() -> Path:
    candidates = []
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(done.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    try:  # the embedded server's own binaries, installed with the project (pgserver)
        import pgserver

        candidates.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin"))
    except ImportError:
        pass
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise RuntimeError("no PostgreSQL server binaries (initdb) found: apt-get install postgresql")


def _server_user() -> str:
    """The system user that runs the private server when we are root (Debian's, or pgserver's)."""
    for name in ("postgres", "pgserver"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    subprocess.run(["useradd", "--system", "--no-create-home", "pgserver"], check=True)
    return "pgserver"


def owned_temp(prefix: str) -> Path:
    """A temp folder the PostgreSQL tools may write in (they run as the server's user when we are root)."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, _server_user())
    return root


class PrivatePostgres:
    """A server of the suite's own: its folder, port and log; `initdb` makes its cluster (a
    subclass may make it otherwise: tests/deploy/servers.py's replica, with pg_basebackup)."""

    options = "-c max_connections=200"

    def __init__(self, *, prefix: str = "rongthuk-faults-pg-") -> None:
        self.root = owned_temp(prefix)
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.bin = postgres_bindir()
        self.create()

    def create(self) -> None:
        subprocess.run(_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                                     "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _ctl(self, *args: str) -> None:
        done = subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                                            "-w", *args]), capture_output=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {done.stderr.decode(errors='replace')}\n{log}")

    def start(self) -> None:
        self._ctl("-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {self.options}", "start")

    def restart(self) -> None:
        """A crash and recovery: `immediate` stops without a checkpoint, like a power cut, and the
        server replays its WAL on start. Committed transactions must all be there."""
        self._ctl("-m", "immediate", "stop")
        self.start()

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=DATABASE, autocommit=True)

    def destroy(self) -> None:
        try:
            self.stop()
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)


def provision(pg: PrivatePostgres, cli: Callable[..., str], logs: Path, dla_codes: Collection[str]) -> None:
    """The platform's database on a fresh private server, with these bodies of the shipped registry
    (`cli` runs `rongthuk <args>` against it)."""
    with psycopg.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    cli("bodies", "migrate")
    source = (REPO / "tenants" / "data" / "lao.csv").read_text(encoding="utf-8").splitlines()
    rows = [line for line in source[1:] if line.split(",")[2] in dla_codes]
    csv = logs / "bodies.csv"
    csv.write_text("\n".join([source[0], *rows]) + "\n", encoding="utf-8")
    # docker-compose's first steps exactly: `bodies import` loads the geography the registry needs.
    imported = cli("bodies", "import", str(csv), "--workers", "1")
    assert "geography loaded first: 77 provinces, 928 districts, 7436 subdistricts" in imported, imported


class PrivateRedis:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is required for the fault suite: apt-get install redis-server")
        self.binary = binary
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: _accepts(self.port), 20)

    def stop(self) -> None:
        """Gone: every message it held is lost with it (the outbox is what saves them)."""
        if self.process:
            self.process.kill()
            self.process.wait(timeout=20)
            self.process = None

    def hang(self) -> None:
        """Stopped with SIGSTOP: the kernel still completes TCP handshakes, nothing ever answers."""
        assert self.process
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process
        self.process.send_signal(signal.SIGCONT)


def _accepts(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_until(predicate, timeout: float, interval: float = 0.2):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


@dataclass
class Stack:
    pg: PrivatePostgres
    redis: PrivateRedis
    gateway: SmsGateway
    media: MediaStore
    logs: Path
    web_port: int = 0
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    schema: str = ""
    _worker_runs: int = 0

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _OWN}
        env.update({
            "DATABASE_URL": self.pg.url, "CELERY_BROKER_URL": self.redis.url, "MEDIA_ROOT": str(self.media.path),
            "NOTIFY_SMS_BACKEND": "apps.complaints.notifications.HttpSmsBackend",
            "SMS_GATEWAY_URL": self.gateway.url, "SMS_GATEWAY_TIMEOUT": "20",
            "NOTIFICATION_CLAIM_SECONDS": "3", "PORTAL_TRUSTED_PROXIES": "1", "PYTHONUNBUFFERED": "1",
            "XDG_RUNTIME_DIR": str(self.logs),
        })
        return env

    def cli(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run([sys.executable, "-m", "rongthuk.cli", *args], cwd=REPO, env=self.env(),
                              capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"rongthuk {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def provision(self) -> None:
        provision(self.pg, self.cli, self.logs, {BANLAT_ROW_CODE})
        with self.pg.connect() as conn:
            row = conn.execute("SELECT schema_name FROM tenants_localbody WHERE dla_code = %s",
                               [BANLAT_ROW_CODE]).fetchone()
        assert row is not None
        self.schema = row[0]

    def start_web(self) -> None:
        self.web_port = free_port()
        log = (self.logs / "web.log").open("ab")
        self.web = subprocess.Popen(
            [sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{self.web_port}"],
            cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: _http_ok(self.web_port), 90, 0.3)

    def start_worker(self) -> subprocess.Popen[bytes]:
        self._worker_runs += 1
        log = (self.logs / f"worker-{self._worker_runs}.log").open("ab")
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "rongthuk.celery", "worker", "--loglevel=INFO", "--pool=solo",
             "--concurrency=1", "--without-heartbeat", "--without-mingle", "--without-gossip",
             "-n", f"faults{self._worker_runs}@%h"],
            cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        return self.worker

    def kill_worker(self) -> None:
        if self.worker and self.worker.poll() is None:
            self.worker.kill()
            self.worker.wait(timeout=30)
        self.worker = None

    def sweep(self) -> None:
        """What beat does every minute: `celery call` of the outbox sweep."""
        subprocess.run([sys.executable, "-m", "celery", "-A", "rongthuk.celery", "call",
                        "complaints.notifications_sweep"], cwd=REPO, env=self.env(), capture_output=True,
                       timeout=120, check=False)

    def stop(self) -> None:
        self.kill_worker()
        if self.web and self.web.poll() is None:
            self.web.terminate()
            try:
                self.web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.web.kill()


def _http_ok(port: int) -> bool:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except OSError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "rongthuk" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Filing:
    marker: str
    code: str | None = None
    attempts: int = 0
    errors: list[str] = field(default_factory=list)
    photo_refused: bool = False


class Citizen:
    """Files one complaint through the portal form over HTTP, and retries as a browser user
    would on an error page or a dropped connection: the same page again, with its hidden
    idempotency key. Acknowledged = the receipt page with a tracking code was seen."""

    def __init__(self, port: int, number: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.host = f"banlat.localhost:{port}"
        self.address = f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255 or 1}"
        self.phone = f"08{number:08d}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def _send(self, method: str, path: str, body: bytes | None = None,
              content_type: str | None = None) -> tuple[int, str, str]:
        headers = {"Host": self.host, "X-Forwarded-For": self.address}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, method=method,  # noqa: S310 - loopback
                                         headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode(errors="replace"), response.headers.get(
                    "Location", "")
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode(errors="replace"), error.headers.get("Location", "")

    def file(self, marker: str, *, photo: bytes | None = None, attempts: int = 60) -> Filing:
        filing = Filing(marker)
        fields: dict[str, str] | None = None
        key = ""
        for _attempt in range(attempts):
            filing.attempts += 1
            try:
                if fields is None:
                    status, page, _location = self._send("GET", "/complaints/new/")
                    if status != 200:
                        raise _Retry(f"form {status}")
                    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                    category = re.search(r'name="category" value="(\d+)"', page)
                    assert csrf and category, "the form page changed"
                    key = key or html.unescape(re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
                    fields = {
                        "csrfmiddlewaretoken": csrf.group(1), "idempotency_key": key, "category": category.group(1),
                        "description": f"ไฟฟ้าดับทั้งหมู่บ้าน {marker}", "location_text": "หน้าวัด", "moo": "3",
                        "subdistrict": "", "latitude": "13.000100", "longitude": "99.950200",
                        "name": "ผู้ร้อง ทดสอบ", "phone": self.phone, "email": "", "line_id": "", "consent": "on",
                        "website": "",
                    }
                body, content_type = _multipart(fields, [("photos", "photo.jpg", photo)] if photo else [])
                status, page, location = self._send("POST", "/complaints/new/", body, content_type)
                if status == 403:  # the session (and its CSRF token) did not survive: a fresh page, same key
                    fields = None
                    raise _Retry("csrf")
                if status != 302 or not location.endswith("/complaints/receipt/"):
                    raise _Retry(f"post {status}")
                status, page, _location = self._send("GET", "/complaints/receipt/")
                if status != 200:
                    raise _Retry(f"receipt {status}")
                code = re.search(r'id="tracking-code">([A-Z0-9-]+)<', page)
                assert code, "the receipt page changed"
                filing.code = code.group(1)
                filing.photo_refused = 'id="files-not-received"' in page
                return filing
            except (_Retry, OSError) as problem:
                filing.errors.append(str(problem))
                time.sleep(0.3)
        return filing


class _Retry(Exception):
    pass


def run_citizens(stack: Stack, prefix: str, count: int, *, threads: int = 3, photo: bytes | None = None,
                 on_progress=None) -> list[Filing]:  # type: ignore[no-untyped-def]
    """`count` citizens, `threads` at a time; on_progress(done) after each acknowledged filing."""
    filings: list[Filing] = []
    lock = threading.Lock()
    numbers = iter(range(count))
    seed = secrets.randbelow(10**4) * 1000  # phone numbers stay 10 digits

    def run() -> None:
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            filing = Citizen(stack.web_port, seed + number + 1).file(f"{prefix}-{number:03d}-{seed}", photo=photo)
            with lock:
                filings.append(filing)
                done = len(filings)
            if on_progress:
                on_progress(done)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return filings


class MediaStore:
    """The web server's MEDIA_ROOT, which the storage fault makes unwritable while it runs:
    a tmpfs remounted read-only when this machine lets us mount (root), a folder without write
    permission otherwise, and for root without mount rights a file put in the folder's place."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="rongthuk-faults-media-"))
        self.mounted = False
        if os.geteuid() == 0 and shutil.which("mount"):
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(self.path)],
                                  capture_output=True, check=False)
            self.mounted = done.returncode == 0
        self.how = "read-only mount" if self.mounted else ("no write permission" if os.geteuid() else "not a folder")

    def break_(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)
        elif os.geteuid():
            for folder in [self.path, *[p for p in self.path.rglob("*") if p.is_dir()]]:
                folder.chmod(0o500)
        else:
            self.path.rename(self.path.with_suffix(".away"))
            self.path.write_bytes(b"")

    def mend(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(self.path)], check=True)
        elif os.geteuid():
            for folder in [self.path, *[p for p in self.path.rglob("*") if p.is_dir()]]:
                folder.chmod(0o700)
        else:
            self.path.unlink()
            self.path.with_suffix(".away").rename(self.path)

    def destroy(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False)
        shutil.rmtree(self.path, ignore_errors=True)
