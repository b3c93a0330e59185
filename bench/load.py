"""Mixed traffic against gunicorn as deploy/ configures it, on loopback, for a bounded time.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rongthuk_big .venv/bin/python bench/load.py \\
        --seconds 60 --concurrency 12

The database must hold the bodies to spread over (`rongthuk bodies import`: the whole registry).
Prepares (once per run, idempotent) signed-in officers with a verified second factor in
`--staff-bodies` bodies, a few cases in each, district and provincial officers and a national API
key; then starts gunicorn with deploy/gunicorn.conf.py (DEBUG off, PORTAL_TRUSTED_PROXIES=1 as
behind nginx) on 127.0.0.1 and runs, each for `--seconds`:

1. citizen pages with the page cache off (PORTAL_PAGE_CACHE=0): the baseline;
2. citizen pages with the page cache on (its hit ratio is printed);
3. the full mix: citizen pages, complaint submissions, track look-ups, staff inbox and case pages,
   oversight dashboards and the national API.

Citizen pages are the body home, /sla/, /stats/, /complaints/new/ and /track/ of bodies drawn
uniformly from every active body (`--shape zipf` for a few busy bodies and a long tail), and the
platform home and finder. The load generator is asyncio over raw sockets (one TCP connection per
request), in this process, or Debian's wrk for the citizen phases (`--generator wrk`: keep-alive
connections; the mix as one wrk per kind, all at once). Prints req/s and p50/p95/p99 per kind, errors
per kind, the ratio to the baseline, the CPU milliseconds per request of gunicorn, of PostgreSQL
and of the generator in each phase (bench/_cpu.py: the figure that holds when the box is shared and
wall-clock throughput is not), every PostgreSQL backend's memory (RssAnon from /proc) at the end,
the command and the load average. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
import _setup  # noqa: E402, I001  (first: the path, the database, Django)
import _cpu  # noqa: E402
import _wrk  # noqa: E402

_setup.start()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from api.models import api_key_create  # noqa: E402
from apps.accounts.models import User  # noqa: E402
from apps.accounts.signin import SESSION_SCHEMA  # noqa: E402
from apps.complaints.models import Category, Complaint, StaffMember  # noqa: E402
from apps.complaints.services.intake import complaint_submit  # noqa: E402
from apps.complaints.validation import Complainant  # noqa: E402
from apps.oversight.services import oversight_profile_set  # noqa: E402
from tenants.models import BodyStatus, LocalBody  # noqa: E402

CITIZEN_PATHS = ("/", "/sla/", "/stats/", "/complaints/new/", "/track/")


def citizen_targets(cast: Cast, *, pages: int, seed: int) -> list[tuple[str, str]]:
    """`pages` distinct citizen pages (0: every page of every body) drawn as Load.citizen draws them:
    nine in ten a body's page of a random body, one in ten the platform's home or finder."""
    rng = random.Random(seed)
    domain = settings.PLATFORM_DOMAIN
    if pages <= 0:
        return [(host, path) for host in cast.hosts for path in CITIZEN_PATHS]
    chosen: set[tuple[str, str]] = set()
    while len(chosen) < min(pages, len(cast.hosts) * len(CITIZEN_PATHS)):
        if rng.random() < 0.1:
            district = rng.choice(cast.districts)
            chosen.add((domain, rng.choice(["/", f"/?province={district[:2]}", f"/?district={district}",
                                            f"/finder/districts.json?province={district[:2]}",
                                            f"/finder/bodies.json?district={district}"])))
        else:
            chosen.add((rng.choice(cast.hosts), rng.choice(CITIZEN_PATHS)))
    return sorted(chosen)
PASSWORD = "bench-load-pw-1"  # noqa: S105 - bench data


# --- set-up -------------------------------------------------------------------------------------

def _verified_session(user: User, *, schema: str) -> str:
    """A session that has passed the second factor, as the sign-in pages leave it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if schema != "public":
        store[SESSION_SCHEMA] = schema
    store.create()
    return str(store.session_key)


@dataclass
class Cast:
    hosts: list[str]
    staff: list[tuple[str, str, list[int]]] = field(default_factory=list)  # host, session, case ids
    oversight: list[str] = field(default_factory=list)  # sessions on the platform domain
    api_key: str = ""
    tracks: list[tuple[str, str, str]] = field(default_factory=list)  # host, code, phone digits
    districts: list[str] = field(default_factory=list)


def prepare(*, staff_bodies: int, seed: int) -> Cast:
    rng = random.Random(seed)
    bodies = list(LocalBody.objects.bodies().filter(status=BodyStatus.ACTIVE)
                  .values_list("slug", "schema_name", "district_id"))
    domain = settings.PLATFORM_DOMAIN
    cast = Cast(hosts=[f"{slug}.{domain}" for slug, _schema, _district in bodies])
    cast.districts = sorted({d for _s, _c, d in bodies if d})
    for slug, schema, _district in rng.sample(bodies, min(staff_bodies, len(bodies))):
        with schema_context(schema):
            user = User.objects.filter(username="bench-clerk").first() or \
                User.objects.create_user("bench-clerk", PASSWORD, full_name="เจ้าหน้าที่ทดสอบ")
            StaffMember.objects.get_or_create(user=user, defaults={"role": "clerk"})
            cases = list(Complaint.objects.filter(description__startswith="bench-load").values_list("pk", flat=True))
            category = Category.objects.filter(is_active=True).first()
            while len(cases) < 5 and category is not None:
                result = complaint_submit(
                    channel="web", category=category, description=f"bench-load ไฟถนนดับ {len(cases)}",
                    complainant=Complainant(name="ผู้ร้อง ทดสอบ", phone=f"08{rng.randrange(10**8):08d}"),
                    privacy_notice_shown=True)
                cases.append(result.complaint.pk)
            for code, phone in Complaint.objects.filter(pk__in=cases).values_list("tracking_code", "complainant_phone"):
                cast.tracks.append((f"{slug}.{domain}", code, phone[-4:]))
            cast.staff.append((f"{slug}.{domain}", _verified_session(user, schema=schema), cases))
    officers = [("district", d) for d in rng.sample(cast.districts, min(8, len(cast.districts)))]
    officers += [("province", p) for p in sorted({d[:2] for _l, d in officers})[:4]]
    for level, code in officers:
        username = f"bench-{level}-{code}"
        user = User.objects.filter(username=username).first() or User.objects.create_user(username, PASSWORD)
        oversight_profile_set(user=user, level=level, code=code)
        cast.oversight.append(_verified_session(user, schema="public"))
    _key, cast.api_key = api_key_create(name=f"bench-load-{int(time.time())}", scope="nation")
    return cast


# --- the server ---------------------------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(*, port: int, cache: bool, extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DEBUG": "0", "PORTAL_TRUSTED_PROXIES": "1", "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_ACCESS_LOG": "", "PORTAL_PAGE_CACHE": "1" if cache else "0", **extra_env}
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "-c", str(REPO / "deploy" / "gunicorn.conf.py"),
         "rongthuk.wsgi:application"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/readyz", headers={"Host": "localhost"})
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not become ready: " + (server.stderr.read().decode() if server.stderr else ""))


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- the load generator -------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, list[str]]
    body: bytes


async def http(port: int, method: str, host: str, path: str, *, headers: dict[str, str] | None = None,
               body: bytes = b"") -> Reply:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close", "User-Agent: rongthuk-bench"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    data = await reader.read()
    writer.close()
    head, _, content = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, list[str]] = defaultdict(list)
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()].append(value.strip())
    return Reply(int(status_line.split()[1]), parsed, content)


def cookie(reply: Reply, name: str) -> str:
    for value in reply.headers.get("set-cookie", []):
        if value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


def field_value(html: bytes, name: str) -> str:
    found = re.search(rb'name="' + name.encode() + rb'" value="([^"]+)"', html)
    return found.group(1).decode() if found else ""


class Load:
    def __init__(self, *, port: int, cast: Cast, mix: dict[str, float], shape: str, seed: int,
                 replay: list[tuple[str, str]] | None = None) -> None:
        self.port, self.cast, self.shape = port, cast, shape
        # The citizen pages asked for (to replay: the "warm" phase asks only for pages already cached).
        self.asked: list[tuple[str, str]] = []
        self.replay = replay
        self.rng = random.Random(seed)
        self.kinds, self.weights = list(mix), list(mix.values())
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.cache: dict[str, int] = defaultdict(int)
        self.ip = 0
        # Zipf-like: the k-th busiest body gets traffic ∝ 1/k.
        self.zipf_weights = [1 / (k + 1) for k in range(len(cast.hosts))]

    def host(self) -> str:
        if self.shape == "zipf":
            return self.rng.choices(self.cast.hosts, weights=self.zipf_weights)[0]
        return self.rng.choice(self.cast.hosts)

    def client_ip(self) -> str:
        self.ip += 1
        return f"10.{(self.ip >> 16) & 255}.{(self.ip >> 8) & 255}.{self.ip & 255}"

    async def timed(self, kind: str, method: str, host: str, path: str, *, ok: tuple[int, ...] = (200,),
                    **kwargs: object) -> Reply | None:
        start = time.perf_counter()
        try:
            reply = await http(self.port, method, host, path, **kwargs)  # type: ignore[arg-type]
        except OSError as error:
            self.errors[kind][type(error).__name__] += 1
            return None
        self.latency[kind].append(time.perf_counter() - start)
        if reply.status not in ok:
            self.errors[kind][str(reply.status)] += 1
        for value in reply.headers.get("x-page-cache", []):
            self.cache[value] += 1
        return reply

    async def citizen(self) -> None:
        if self.replay:
            host, path = self.rng.choice(self.replay)
            await self.timed("citizen", "GET", host, path)
            return
        if self.rng.random() < 0.1:
            district = self.rng.choice(self.cast.districts)
            path = self.rng.choice(["/", f"/?province={district[:2]}", f"/?district={district}",
                                    f"/finder/districts.json?province={district[:2]}",
                                    f"/finder/bodies.json?district={district}"])
            host = settings.PLATFORM_DOMAIN
        else:
            host, path = self.host(), self.rng.choice(CITIZEN_PATHS)
        self.asked.append((host, path))
        await self.timed("citizen", "GET", host, path)

    async def healthz(self) -> None:
        await self.timed("healthz", "GET", self.host(), "/healthz")

    async def submit(self) -> None:
        host = self.host()
        form = await self.timed("citizen", "GET", host, "/complaints/new/")
        if form is None or form.status != 200:
            return
        categories = re.findall(rb'name="category" value="(\d+)"', form.body)
        if not categories:
            self.errors["submit"]["no category"] += 1
            return
        data = {"csrfmiddlewaretoken": field_value(form.body, "csrfmiddlewaretoken"),
                "idempotency_key": field_value(form.body, "idempotency_key"),
                "category": self.rng.choice(categories).decode(), "description": "ไฟถนนดับหน้าโรงเรียน (bench)",
                "location_text": "หน้าโรงเรียน", "moo": "1", "name": "ผู้ร้อง ทดสอบ",
                "phone": f"08{self.rng.randrange(10**8):08d}", "consent": "on"}
        await self.timed("submit", "POST", host, "/complaints/new/", ok=(302,), body=urlencode(data).encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Cookie": f"csrftoken={cookie(form, 'csrftoken')}",
                                  "X-Forwarded-For": self.client_ip()})

    async def track(self) -> None:
        host, code, digits = self.rng.choice(self.cast.tracks)
        form = await self.timed("citizen", "GET", host, "/track/")
        if form is None or form.status != 200:
            return
        data = {"csrfmiddlewaretoken": field_value(form.body, "csrfmiddlewaretoken"), "code": code,
                "second_factor": digits}
        await self.timed("track", "POST", host, "/track/", ok=(302,), body=urlencode(data).encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Cookie": f"csrftoken={cookie(form, 'csrftoken')}",
                                  "X-Forwarded-For": self.client_ip()})

    async def staff_inbox(self) -> None:
        host, session, _cases = self.rng.choice(self.cast.staff)
        await self.timed("staff inbox", "GET", host, "/staff/", headers={"Cookie": f"sessionid={session}"})

    async def staff_case(self) -> None:
        host, session, cases = self.rng.choice(self.cast.staff)
        await self.timed("staff case", "GET", host, f"/staff/cases/{self.rng.choice(cases)}/",
                         headers={"Cookie": f"sessionid={session}"})

    async def oversight(self) -> None:
        session = self.rng.choice(self.cast.oversight)
        path = self.rng.choice(["/oversight/", "/oversight/performance/"])
        await self.timed("oversight", "GET", settings.PLATFORM_DOMAIN, path, headers={"Cookie": f"sessionid={session}"})

    async def api(self) -> None:
        path = self.rng.choice(["/api/national/v1/aggregates/", "/api/national/v1/sla-compliance/",
                                f"/api/national/v1/bodies/?province={self.rng.choice(self.cast.districts)[:2]}"])
        await self.timed("national api", "GET", settings.PLATFORM_DOMAIN, path,
                         headers={"Authorization": f"Api-Key {self.cast.api_key}"})

    async def user(self, until: float) -> None:
        actions = {"citizen": self.citizen, "healthz": self.healthz, "submit": self.submit, "track": self.track,
                   "staff inbox": self.staff_inbox, "staff case": self.staff_case, "oversight": self.oversight,
                   "national api": self.api}
        while time.monotonic() < until:
            await actions[self.rng.choices(self.kinds, weights=self.weights)[0]]()

    async def fill(self, targets: list[tuple[str, str]], *, concurrency: int) -> float:
        """Every target once, `concurrency` at a time."""
        start = time.monotonic()
        queue = iter(targets)

        async def worker() -> None:
            for host, path in queue:
                await self.timed("citizen", "GET", host, path)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.monotonic() - start

    async def run(self, *, seconds: float, concurrency: int) -> float:
        start = time.monotonic()
        await asyncio.gather(*(self.user(start + seconds) for _ in range(concurrency)))
        return time.monotonic() - start


# --- report -------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def rows(label: str, load: Load, elapsed: float) -> list[list[str]]:
    out = []
    for kind in sorted(load.latency, key=lambda k: -len(load.latency[k])):
        values = load.latency[kind]
        errors = load.errors.get(kind, {})
        detail = f" ({', '.join(f'{k}: {v}' for k, v in errors.items())})" if errors else ""
        out.append([label, kind, str(len(values)), f"{len(values) / elapsed:.1f}", f"{percentile(values, .5):.1f}",
                    f"{percentile(values, .95):.1f}", f"{percentile(values, .99):.1f}",
                    str(sum(errors.values())) + detail])
    return out


def backends(database: str) -> list[tuple[int, str, int, int]]:
    """(pid, what it is, RssAnon kB, VmRSS kB) of every backend connected to the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, coalesce(application_name, ''), state FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", [database])
        found = cursor.fetchall()
    out = []
    for pid, app, state in found:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        out.append((pid, f"{app or 'client'} {state}",
                    int(fields.get("RssAnon", "0 kB").split()[0]), int(fields.get("VmRSS", "0 kB").split()[0])))
    return out


def backend_pids(database: str) -> list[int]:
    """The pids of the backends connected to `database` (its own connection, closed after)."""
    import psycopg

    with psycopg.connect(_conninfo(), autocommit=True) as conn:
        rows_ = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                             [database]).fetchall()
    return [int(r[0]) for r in rows_]


def _conninfo() -> str:
    db = settings.DATABASES["default"]
    return (f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} dbname={db['NAME']} "
            f"user={db['USER']}" + (f" password={db['PASSWORD']}" if db.get("PASSWORD") else ""))


def cpu_row(phase: str, requests: int, usage: _cpu.Usage) -> list[str]:
    server, database, generator = usage.per_request(requests)
    per_cpu_second = requests / (usage.server + usage.database + usage.generator) if requests else 0.0
    return [phase, str(requests), f"{usage.seconds:.1f}", f"{server:.2f}", f"{database:.2f}", f"{generator:.2f}",
            f"{server + database + generator:.2f}", f"{per_cpu_second:.0f}"]


def table(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    rule = "-|-".join("-" * w for w in widths)
    return "\n".join([line, rule] + [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in body])


def memory_phase(*, port: int, cast: Cast, seconds: float, concurrency: int, database: str,
                 seed: int) -> list[tuple[int, str, int, int]]:
    """Random-body citizen traffic with the page cache off (every request reads its body's schema)
    for `seconds`, in one-minute wrk runs; each backend's memory printed after each minute."""
    targets = [(host, path) for host in cast.hosts for path in CITIZEN_PATHS]
    started, minute, memory = time.monotonic(), 0, []
    while time.monotonic() - started < seconds:
        span = min(60.0, seconds - (time.monotonic() - started))
        if span < 1:
            break
        minute += 1
        result = _wrk.run(port=port, targets=targets, seconds=span, connections=concurrency, seed=seed + minute)
        memory = backends(database)
        connection.close()
        anon = sorted((m[2] / 1024 for m in memory), reverse=True)
        print(f"memory phase, minute {minute}: {result.rate:.1f} req/s, p95 {result.p95:.1f} ms, errors "
              f"{sum(result.errors.values())}; backends' RssAnon MB: {', '.join(f'{a:.1f}' for a in anon)}", flush=True)
    return memory


def wrk_mix(cast: Cast, targets: list[tuple[str, str]], *, concurrency: int, seed: int) -> dict[str, _wrk.Kind]:
    """The mix for wrk: one wrk per kind, `concurrency` connections shared (citizen pages the most,
    at least one each). Forms are posted with a CSRF cookie and token made as Django makes them, a
    new client address, phone number and idempotency key for every request."""
    from apps.portal import csrf_tokens

    rng = random.Random(seed)
    secret = csrf_tokens.random_string()
    csrf = {"Cookie": f"csrftoken={secret}", "X-Forwarded-For": "{IP}"}
    token = csrf_tokens.mask(secret)
    forms = []
    for host in rng.sample(cast.hosts, min(40, len(cast.hosts))):
        slug = host.split(".", 1)[0]
        body = LocalBody.objects.bodies().get(slug=slug)
        with schema_context(body.schema_name):
            categories = list(Category.objects.filter(is_active=True).values_list("pk", flat=True))
        for category in categories[:3]:
            data = {"csrfmiddlewaretoken": token, "idempotency_key": "{KEY}", "category": str(category),
                    "description": "ไฟถนนดับหน้าโรงเรียน (bench)", "location_text": "หน้าโรงเรียน", "moo": "1",
                    "name": "ผู้ร้อง ทดสอบ", "phone": "{PHONE}", "consent": "on"}
            forms.append(("POST", host, "/complaints/new/", csrf,
                          urlencode(data, safe="{}").replace("%7B", "{").replace("%7D", "}")))
    tracks = [("POST", host, "/track/", csrf, urlencode({"csrfmiddlewaretoken": token, "code": code,
                                                         "second_factor": digits}))
              for host, code, digits in cast.tracks]
    staff = [("GET", host, "/staff/", {"Cookie": f"sessionid={session}"}, "") for host, session, _c in cast.staff]
    cases = [("GET", host, f"/staff/cases/{case}/", {"Cookie": f"sessionid={session}"}, "")
             for host, session, ids in cast.staff for case in ids]
    domain = settings.PLATFORM_DOMAIN
    oversight = [("GET", domain, path, {"Cookie": f"sessionid={session}"}, "")
                 for session in cast.oversight for path in ("/oversight/", "/oversight/performance/")]
    api = [("GET", domain, path, {"Authorization": f"Api-Key {cast.api_key}"}, "")
           for path in ["/api/national/v1/aggregates/", "/api/national/v1/sla-compliance/",
                        *{f"/api/national/v1/bodies/?province={d[:2]}" for d in cast.districts[:20]}]]
    others = {"submit": (forms, 302), "track": (tracks, 302), "staff inbox": (staff, 200),
              "staff case": (cases, 200), "oversight": (oversight, 200), "national api": (api, 200)}
    kinds = {"citizen": _wrk.Kind([("GET", h, p, {}, "") for h, p in targets],
                                  max(1, concurrency - len(others)))}
    for name, (lines, expect) in others.items():
        if lines:
            kinds[name] = _wrk.Kind(lines, 1, expect)  # type: ignore[arg-type]
    return kinds


FULL_MIX = {"citizen": 70, "submit": 3, "track": 5, "staff inbox": 8, "staff case": 6, "oversight": 4,
            "national api": 4}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--concurrency", type=int, default=12, help="simultaneous clients")
    parser.add_argument("--staff-bodies", type=int, default=40)
    parser.add_argument("--shape", choices=("uniform", "zipf"), default="uniform")
    parser.add_argument("--cache", choices=("database", "redis"), default="database",
                        help="the shared cache: the rongthuk_cache table (make demo), or Redis at --redis-url")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--phases", default="healthz,baseline,cached,warm,mix",
                        help="healthz: /healthz on random hosts (the framework's ceiling); baseline: citizen pages, "
                             "page cache off; cached: the same, cache on (cold: random pages, most not yet stored); "
                             "warm: the pages the cached phase asked for, again (all stored); mix: every kind")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--generator", choices=("python", "wrk"), default="python",
                        help="wrk: the citizen phases (baseline, warm, healthz, memory) from Debian's wrk, a C load "
                             "generator, over --pages random pages; cached then is one pass over them (each stored)")
    parser.add_argument("--pages", type=int, default=3000, help="with wrk: distinct citizen pages (0: all)")
    parser.add_argument("--memory-seconds", type=float, default=600,
                        help="the memory phase: random-body citizen traffic, page cache off, every page of every "
                             "body; each PostgreSQL backend's memory printed every minute")
    args = parser.parse_args()
    if args.generator == "wrk" and not _wrk.available():
        parser.error("wrk is not installed (Debian: apt-get install wrk)")

    load_before = os.getloadavg()
    database = str(settings.DATABASES["default"]["NAME"])
    cast = prepare(staff_bodies=args.staff_bodies, seed=args.seed)
    connection.close()
    extra = {"CACHE_REDIS_URL": args.redis_url} if args.cache == "redis" else {}
    print(f"{len(cast.hosts)} bodies, {len(cast.staff)} with a signed-in clerk, {len(cast.oversight)} oversight "
          f"officers; shape {args.shape}; shared cache: {args.cache}; gunicorn deploy/gunicorn.conf.py "
          f"(workers {os.environ.get('WEB_CONCURRENCY', 'one per CPU')}, "
          f"{os.environ.get('GUNICORN_WORKER_CLASS', 'as configured')} × {os.environ.get('GUNICORN_THREADS', '-')} "
          "threads)", flush=True)

    results: list[list[str]] = []
    cpu: list[list[str]] = []
    rates: dict[str, float] = {}
    p95s: dict[str, float] = {}
    hits: dict[str, str] = {}
    memory: list[tuple[int, str, int, int]] = []
    asked: list[tuple[str, str]] = []
    targets = citizen_targets(cast, pages=args.pages, seed=args.seed) if args.generator == "wrk" else []
    if targets:
        print(f"wrk over {len(targets)} citizen pages of {len({h for h, _p in targets})} hosts", flush=True)
    for phase in args.phases.split(","):
        cached = phase not in ("baseline", "memory")
        mix = FULL_MIX if phase == "mix" else {"healthz": 1} if phase == "healthz" else {"citizen": 1}
        port = free_port()
        server = start_server(port=port, cache=cached, extra_env=extra)
        try:
            if args.generator == "wrk" and phase == "mix":
                kinds = wrk_mix(cast, targets, concurrency=args.concurrency, seed=args.seed)
                with _cpu.Meter(server.pid, lambda: backend_pids(database)) as meter:
                    mixed = _wrk.run_mix(port=port, kinds=kinds, seconds=args.seconds, seed=args.seed)
                for name, result in mixed.items():
                    detail = f" ({', '.join(f'{k}: {v}' for k, v in result.errors.items())})" if result.errors else ""
                    results.append([phase, f"{name} (wrk, {kinds[name].connections} conn)", str(result.requests),
                                    f"{result.rate:.1f}", f"{result.p50:.1f}", f"{result.p95:.1f}",
                                    f"{result.p99:.1f}", str(sum(result.errors.values())) + detail])
                cpu.append(cpu_row(phase, sum(r.requests for r in mixed.values()), meter.usage))
                memory = backends(database)
                connection.close()
                print(f"phase {phase} done", flush=True)
                continue
            if args.generator == "wrk" and phase in ("baseline", "warm", "healthz", "memory", "cached"):
                main_kind = "healthz" if phase == "healthz" else "citizen"
                if phase == "cached":  # one pass over the pages: each rendered and stored
                    load = Load(port=port, cast=cast, mix=mix, shape=args.shape, seed=args.seed, replay=targets)
                    with _cpu.Meter(server.pid, lambda: backend_pids(database)) as meter:
                        elapsed = asyncio.run(load.fill(targets, concurrency=args.concurrency))
                    results += rows(phase, load, elapsed)
                    cpu.append(cpu_row(phase + " (python generator)", len(load.latency["citizen"]), meter.usage))
                    rates[phase] = len(load.latency[main_kind]) / elapsed
                    p95s[phase] = percentile(load.latency[main_kind], .95)
                    total = load.cache["hit"] + load.cache["miss"]
                    hits[phase] = f"{load.cache['hit'] / total:.1%} of {total}" if total else "n/a"
                elif phase == "memory":
                    memory = memory_phase(port=port, cast=cast, seconds=args.memory_seconds,
                                          concurrency=args.concurrency, database=database, seed=args.seed)
                else:
                    aimed = [(h, "/healthz") for h in cast.hosts] if phase == "healthz" else targets
                    with _cpu.Meter(server.pid, lambda: backend_pids(database)) as meter:
                        result = _wrk.run(port=port, targets=aimed, seconds=args.seconds,
                                          connections=args.concurrency, seed=args.seed)
                    cpu.append(cpu_row(phase, result.requests, meter.usage))
                    rates[phase], p95s[phase] = result.rate, result.p95
                    detail = f" ({', '.join(f'{k}: {v}' for k, v in result.errors.items())})" if result.errors else ""
                    results.append([phase, f"{main_kind} (wrk)", str(result.requests), f"{result.rate:.1f}",
                                    f"{result.p50:.1f}", f"{result.p95:.1f}", f"{result.p99:.1f}",
                                    str(sum(result.errors.values())) + detail])
                if phase != "memory":
                    memory = backends(database)
                connection.close()
                print(f"phase {phase} done", flush=True)
                continue
            load = Load(port=port, cast=cast, mix=mix, shape=args.shape, seed=args.seed,
                        replay=asked if phase == "warm" else None)
            with _cpu.Meter(server.pid, lambda: backend_pids(database)) as meter:
                elapsed = asyncio.run(load.run(seconds=args.seconds, concurrency=args.concurrency))
            results += rows(phase, load, elapsed)
            cpu.append(cpu_row(phase + " (python generator)", sum(len(v) for v in load.latency.values()),
                               meter.usage))
            main_kind = "healthz" if phase == "healthz" else "citizen"
            rates[phase] = len(load.latency[main_kind]) / elapsed
            p95s[phase] = percentile(load.latency[main_kind], .95)
            if phase == "cached":
                asked = load.asked
            if phase in ("cached", "warm"):
                total = load.cache["hit"] + load.cache["miss"]
                hits[phase] = f"{load.cache['hit'] / total:.1%} of {total}" if total else "n/a"
            memory = backends(database)
            connection.close()
        finally:
            stop_server(server)
        print(f"phase {phase} done", flush=True)

    print()
    print(table(["phase", "kind", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"], results))
    print()
    print("CPU per request (from /proc: gunicorn master and workers; the database's PostgreSQL backends; the load "
          "generator — wrk, or this process for the Python generator). Requests per CPU-second: what the 2 cores "
          "could serve if nothing else ran:")
    print(table(["phase", "requests", "seconds", "server ms", "postgres ms", "generator ms", "total ms",
                 "req per CPU-s"], cpu))
    print()
    if "baseline" in rates:
        for phase in ("cached", "warm", "healthz"):
            if phase in rates:
                print(f"{phase} / baseline (citizen pages, cache off): {rates[phase] / rates['baseline']:.2f}× req/s "
                      f"({rates[phase]:.1f} vs {rates['baseline']:.1f}), p95 {p95s[phase]:.1f} vs "
                      f"{p95s['baseline']:.1f} ms" + (f"; page-cache hits {hits[phase]}" if phase in hits else ""))
    print()
    print("PostgreSQL backends of the last phase, at its end (RssAnon: private memory; VmRSS includes shared buffers):")
    print(table(["pid", "backend", "RssAnon MB", "VmRSS MB"],
                [[str(p), what, f"{anon / 1024:.1f}", f"{rss / 1024:.1f}"] for p, what, anon, rss in memory]))
    if memory:
        anon = [m[2] / 1024 for m in memory]
        print(f"total RssAnon {sum(anon):.1f} MB over {len(memory)} backends, largest {max(anon):.1f} MB, "
              f"median {statistics.median(anon):.1f} MB")
    print()
    print("command:", " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv]))
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
          f"after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
