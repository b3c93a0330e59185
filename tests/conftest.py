"""The standing cast, made once per test session in the test database (creating schemas is the
expensive step): every body of จังหวัดเพชรบุรี from the shipped registry, among them
เทศบาลตำบลบ้านลาด (banlat) and อบต.ท่าเสน (thasen) in อำเภอบ้านลาด, and one outside the district.

Tests run inside a transaction that is rolled back (pytest-django's `db`), so they share these
schemas. Tests that need a real worker or a real HTTP server use committed data (`committed`)
and leave it behind under unique names.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import translation
from django_tenants.utils import schema_context

from tenants.models import LocalBody

REPO = Path(__file__).resolve().parent.parent
BANLAT = "5760601"  # เทศบาลตำบลบ้านลาด, อำเภอบ้านลาด
THASEN = "6760609"  # อบต.ท่าเสน, อำเภอบ้านลาด
OUTSIDE = "4760102"  # เทศบาลเมืองเพชรบุรี, อำเภอเมืองเพชรบุรี


def pytest_configure(config: pytest.Config) -> None:
    """Settings start no server; without DATABASE_URL the test session starts the embedded one.
    The .mo catalogues are build products: compiled here when a .po is newer."""
    from django.test.signals import setting_changed

    from apps.ui.i18n.build import compile_catalogues

    if compile_catalogues():
        # Django is already set up (pytest-django) and may have read the default language's
        # catalogues before these .mo files existed: have it read them again, as a settings change
        # of LOCALE_PATHS does.
        setting_changed.send(sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS,
                             enter=False)
    # The suite runs at any hour: no quiet hours unless a test sets them (tests/apps/complaints/
    # test_quiet_hours.py); the workers and servers the tests start inherit the environment.
    os.environ["QUIET_HOURS_START"] = os.environ["QUIET_HOURS_END"] = "0"
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = 0
    # No DNS query leaves the machine: a custom-domain test that wants the TXT proof points the
    # check at its own DNS server (tests/tenants/test_domains_txt.py).
    os.environ["DOMAIN_VERIFICATION_DNS_SERVERS"] = "off"
    settings.DOMAIN_VERIFICATION_DNS_SERVERS = ["off"]
    # No map tiles from outside (the default is OpenStreetMap's): maps draw their own background
    # (apps/ui/static/ui/js/basemap.js); a test that wants a tile server sets one.
    os.environ["PORTAL_TILE_URL"] = ""
    settings.PORTAL_TILE_URL = ""
    if settings.EMBEDDED_DATABASE:
        from rongthuk import embedded

        embedded.ensure_running()


@pytest.fixture(scope="session")
def django_db_setup(request: pytest.FixtureRequest, django_test_environment: None,
                    django_db_blocker: pytest.FixtureRequest, django_db_keepdb: bool, django_db_createdb: bool,
                    django_db_modify_db_settings: None) -> Iterator[None]:
    """pytest-django's set-up, always for the default database (tests that use real processes
    ask only for `committed`, which pytest-django does not count), then the standing cast."""
    from django.test.utils import setup_databases, teardown_databases

    from rongthuk.demo import DEMO_PROVINCE, REGISTRY
    from tenants.geography import geography_load
    from tenants.services import bodies_import, bodies_migrate

    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=keepdb)
        bodies_migrate(show_progress=False)
        geography_load()
        bodies_import(REGISTRY, provinces={DEMO_PROVINCE}, show_progress=False)
        for hook in SESSION_SETUP_HOOKS:
            hook()
    yield
    if not keepdb:
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            name = connection.settings_dict["NAME"]
            connections.close_all()
            # Worker, server and import subprocesses may still hold a connection for a moment.
            with connection._nodb_cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
            teardown_databases(config, verbosity=0)


def _standing_cast() -> None:
    """Staff of banlat and thasen: admin, executive, officer (กองช่าง), clerk — usernames
    `<role>` in each body's own schema, password STAFF_PASSWORD."""
    from apps.accounts.models import User
    from apps.complaints.models import Department, StaffMember

    for code in (BANLAT, THASEN):
        body = LocalBody.objects.get(dla_code=code)
        with schema_context(body.schema_name):
            engineering = Department.objects.get(code="engineering")
            if User.objects.filter(username="admin").exists():
                continue  # a reused test database already has the cast
            for role in ("admin", "executive", "officer", "clerk"):
                user = User.objects.create_user(role, STAFF_PASSWORD, full_name=f"{role} {body.name_th}",
                                                email=f"{role}@{body.slug}.example")
                StaffMember.objects.create(user=user, role=role,
                                           department=engineering if role == "officer" else None)
            # A staff user of another department, to prove officers see only their own.
            other = User.objects.create_user("health_officer", STAFF_PASSWORD, full_name="สมใจ รักษ์สุขภาพ")
            StaffMember.objects.create(user=other, role="officer", department=Department.objects.get(code="health"))


STAFF_PASSWORD = "correct-horse-battery"  # noqa: S105 - test data

# Apps add committed, session-wide data here.
SESSION_SETUP_HOOKS: list = [_standing_cast]


@pytest.fixture(autouse=True)
def _public_schema_first() -> Iterator[None]:
    """Every test starts on the public schema, whatever the test before it left behind."""
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _platform_language_first() -> Iterator[None]:
    """Every test starts in the platform's language (Thai): a request made by an earlier test in
    English leaves English active in the thread (LocaleMiddleware activates, nothing deactivates)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def banlat(db: None) -> LocalBody:
    return LocalBody.objects.get(dla_code=BANLAT)


@pytest.fixture
def thasen(db: None) -> LocalBody:
    return LocalBody.objects.get(dla_code=THASEN)


@pytest.fixture
def outside_body(db: None) -> LocalBody:
    return LocalBody.objects.get(dla_code=OUTSIDE)


def staff(body: LocalBody, role: str = "officer"):  # type: ignore[no-untyped-def]
    """A staff user of the standing cast (call inside the body's schema_context)."""
    from apps.accounts.models import User

    return User.objects.get(username=role)


@pytest.fixture
def committed(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Database access without the per-test transaction: what a test writes is visible to other
    processes (a worker, a live server). Such tests must name what they create uniquely."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield
        connection.set_schema_to_public()


def _worker_log() -> Path:
    return REPO / ".data" / f"worker-{settings.DATABASES['default']['NAME']}.log"


def _test_env() -> dict[str, str]:
    env = dict(os.environ)
    env["RONGTHUK_DATABASE_NAME"] = settings.DATABASES["default"]["NAME"]
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in")
    if folder:
        env["RONGTHUK_BROKER_FOLDER"] = Path(str(folder)).parent.name
    env["PYTHONUNBUFFERED"] = "1"
    # Webhook receivers in tests listen on 127.0.0.1 (apps.webhooks.addresses refuses it otherwise).
    env["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = "1"
    return env


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker (with beat) on the test database and the test broker folder."""
    broker = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")) if \
        settings.CELERY_BROKER_URL.startswith("filesystem://") else None
    if broker:
        broker.mkdir(parents=True, exist_ok=True)
        for leftover in broker.iterdir():
            leftover.unlink()
    log = _worker_log().open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rongthuk.celery", "worker", "--loglevel=INFO",
         "--concurrency=1", "--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=REPO, env=_test_env(), stdout=log, stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll until predicate() is truthy; return its value or fail with the worker's log tail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    log = _worker_log()
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no worker log)"
    pytest.fail(f"condition not met within {timeout}s; worker log tail:\n{tail}")


__all__ = ["schema_context", "wait_for"]
