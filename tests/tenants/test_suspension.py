"""A body suspended while a citizen is filling in the complaint form: the complaint they send is
stored and the receipt tells them the body is temporarily closed and will handle it on reopening;
everything else on the body's site is the 503 page. The suspension reaches another running web
process at its next version check (at most TENANT_CACHE_CHECK_SECONDS apart), however long its host
cache TTL."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint
from tenants import cache
from tenants.models import BodyStatus, HostCacheVersion, LocalBody
from tenants.services import body_set_status
from tests.apps.portal.helpers import form_data
from tests.conftest import REPO, THASEN, wait_for
from tests.faultkit import free_port


@pytest.fixture
def thasen_live(committed: None) -> Iterator[LocalBody]:
    """อบต.ท่าเสน, active again after the test whatever happened."""
    body = LocalBody.objects.get(dla_code=THASEN)
    yield body
    body.refresh_from_db()
    if body.status != BodyStatus.ACTIVE:
        body_set_status(body=body, status=BodyStatus.ACTIVE)


def test_a_complaint_sent_after_the_body_was_suspended_is_stored_and_the_citizen_told(thasen_live) -> None:
    body = thasen_live
    marker = uuid.uuid4().hex
    cache.clear()
    citizen = Client(HTTP_HOST="thasen.localhost", REMOTE_ADDR="10.78.11.1")
    assert citizen.get("/complaints/new/").status_code == 200  # the citizen starts typing
    body_set_status(body=body, status=BodyStatus.SUSPENDED)

    response = citizen.post("/complaints/new/", form_data(body, description=f"ถนนขาด {marker}",
                                                           phone="0821110011"))
    assert response.status_code == 302 and response["Location"] == "/complaints/receipt/"
    receipt = citizen.get("/complaints/receipt/")
    assert receipt.status_code == 200
    page = receipt.content.decode()
    code = citizen.session["portal_receipt"]["code"]
    assert code in page
    assert (f"{body.display_name} ปิดให้บริการชั่วคราว เรื่องของท่านบันทึกไว้แล้ว "
            "และจะได้รับการดำเนินการเมื่อหน่วยงานเปิดให้บริการอีกครั้ง") in page
    with schema_context(body.schema_name):
        stored = Complaint.objects.get(tracking_code=code)
    assert marker in stored.description and stored.complainant_phone == "0821110011"

    # Everything else, the empty form included, is the "temporarily closed" page.
    for path in ("/", "/complaints/new/", "/track/", "/staff/"):
        closed = Client(HTTP_HOST="thasen.localhost").get(path)
        assert closed.status_code == 503, path
        assert "ปิดให้บริการรับเรื่องร้องทุกข์ทางออนไลน์ชั่วคราว" in closed.content.decode()


def test_every_change_to_bodies_bumps_the_host_cache_version(thasen_live) -> None:
    before = HostCacheVersion.objects.get(pk=1).version
    LocalBody.objects.filter(pk=thasen_live.pk).update(status=BodyStatus.SUSPENDED)  # a bulk update: no signal
    assert HostCacheVersion.objects.get(pk=1).version == before + 1
    body_set_status(body=LocalBody.objects.get(pk=thasen_live.pk), status=BodyStatus.ACTIVE)
    assert HostCacheVersion.objects.get(pk=1).version == before + 2


def _status(port: int) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"thasen.localhost:{port}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_suspension_reaches_another_web_process_at_its_next_version_check(thasen_live) -> None:
    """Another web process holds the host in its cache for an hour; it checks the cache version on
    every request here (TENANT_CACHE_CHECK_MS=0), so the first request after the suspension is the
    503 and the first after the reopening is the portal again: the change travelled through the
    database's version row, not the TTL."""
    port = free_port()
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=str(settings.DATABASES["default"]["NAME"]),
               TENANT_CACHE_TTL="3600", TENANT_CACHE_CHECK_MS="0", PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def up() -> bool:
            try:
                return _status(port) == 200
            except OSError:
                return False

        wait_for(up, timeout=60, interval=0.3)  # the host is now cached in that process for an hour
        assert _status(port) == 200
        body_set_status(body=thasen_live, status=BodyStatus.SUSPENDED)
        assert _status(port) == 503
        body_set_status(body=LocalBody.objects.get(pk=thasen_live.pk), status=BodyStatus.ACTIVE)
        assert _status(port) == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
