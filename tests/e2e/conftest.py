"""A real server and a real browser: Debian's chromium driven by Playwright (never a downloaded
browser build). The server runs on the committed test data of this session's test database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary blocking calls, which Django refuses under a running loop unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def portal_server(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[str]:
    """`rongthuk runserver` on a free port, on the test database; yields its port as a string."""
    from apps.portal.models import IntakeThrottle

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        IntakeThrottle.objects.all().delete()  # earlier runs on a reused database count as one address
    port = str(_free_port())
    env = dict(os.environ)
    env.update({"RONGTHUK_DATABASE_NAME": str(settings.DATABASES["default"]["NAME"]), "DEBUG": "1",
                "PYTHONUNBUFFERED": "1", "CSRF_TRUSTED_ORIGINS": f"http://*.localhost:{port},http://localhost:{port}"})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            log.close()
            pytest.fail("the server did not start:\n" + (ARTIFACTS / "server.log").read_text()[-3000:])
        time.sleep(0.3)
    yield port
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is absent: `apt-get install chromium` (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Shots:
    """Screenshots of each step, named <test>/<nn>-<step>-<size>.png under test-artifacts/e2e."""

    def __init__(self, name: str) -> None:
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def __call__(self, page: object, step: str) -> None:
        self.count += 1
        size = "phone" if page.viewport_size["width"] < 600 else "desktop"  # type: ignore[attr-defined]
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{step}-{size}.png"), full_page=True)  # type: ignore[attr-defined]


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name.replace("[", "-").replace("]", ""))
