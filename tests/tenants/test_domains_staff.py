"""A body's own domains from its admin's staff page (/staff/setup/domains/): added as a pending
claim (not served), verified by its token at the well-known address over real HTTP (a local web
server standing in for the body's, or the platform itself answering for a pending name), then
served, made primary and removed; each change audited; refusals in Thai, a 400, nothing changed."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from tenants import cache
from tenants.domains import WELL_KNOWN_PATH, domain_claim_add
from tenants.models import Domain, DomainClaim, LocalBody
from tests.api.open311.client import live_server
from tests.apps.complaints.staff_helpers import signed_in
from tests.tenants.conftest import BodyWebServer

CUSTOM = "complaint.banlat.go.th"
PAGE = "/staff/setup/domains/"


@pytest.fixture(autouse=True)
def _hosts_forgotten() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _state(page: str, name: str) -> str:
    row = page.split(f'<tr data-domain="{name}">', 1)[1].split("</tr>", 1)[0]
    return row.split('<td class="state">', 1)[1].split("<", 1)[0].strip()


def test_the_admin_adds_verifies_makes_primary_and_removes_a_domain(banlat: LocalBody,
                                                                    body_web: BodyWebServer) -> None:
    admin = signed_in(banlat, "admin")
    added = admin.post(PAGE, {"action": "add", "domain": " Complaint.Banlat.go.th. "}, follow=True)
    assert added.status_code == 200
    page = added.content.decode()
    assert "เพิ่มโดเมน complaint.banlat.go.th แล้ว รอการยืนยัน" in page and _state(page, CUSTOM) == "รอการยืนยัน"
    claim = DomainClaim.objects.get(domain=CUSTOM)
    assert claim.body_id == banlat.pk and claim.token in page
    assert not Domain.objects.filter(domain=CUSTOM).exists()
    assert Client().get("/", HTTP_HOST=CUSTOM).status_code == 404  # pending: not served

    failed = admin.post(PAGE, {"action": "check", "domain": CUSTOM})
    assert failed.status_code == 400
    problem = f"ไม่พบรหัสยืนยันที่ http://{CUSTOM}{WELL_KNOWN_PATH}"
    assert f"ยังยืนยันโดเมน {CUSTOM} ไม่ได้: {problem}" in failed.content.decode()
    claim.refresh_from_db()
    assert (claim.verified_at, claim.last_problem) == (None, problem) and body_web.hosts == [CUSTOM]

    body_web.tokens[CUSTOM] = claim.token
    verified = admin.post(PAGE, {"action": "check", "domain": CUSTOM}, follow=True)
    assert f"ยืนยันโดเมน {CUSTOM} แล้ว" in verified.content.decode()
    assert _state(verified.content.decode(), CUSTOM) == "ยืนยันแล้ว"
    assert dict(Domain.objects.filter(tenant=banlat).values_list("domain", "is_primary")) == {
        "banlat.localhost": True, "5760601.localhost": False, CUSTOM: False}
    served = Client().get("/", HTTP_HOST=CUSTOM)
    assert served.status_code == 200
    assert '<link rel="canonical" href="http://banlat.localhost/">' in served.content.decode()

    primary = admin.post(PAGE, {"action": "primary", "domain": CUSTOM}, follow=True)
    assert f"โดเมนหลักเป็น {CUSTOM} แล้ว" in primary.content.decode()
    moved = Client().get("/track/?x=1", HTTP_HOST="banlat.localhost")
    assert moved.status_code == 301 and moved["Location"] == f"http://{CUSTOM}/track/?x=1"

    back = signed_in(banlat, "admin", Client(HTTP_HOST=CUSTOM))
    removed = back.post(PAGE, {"action": "remove", "domain": CUSTOM})
    assert removed.status_code == 302
    assert dict(Domain.objects.filter(tenant=banlat).values_list("domain", "is_primary", )) == {
        "banlat.localhost": True, "5760601.localhost": False}
    assert not DomainClaim.objects.filter(domain=CUSTOM).exists()
    assert Client().get("/", HTTP_HOST="banlat.localhost").status_code == 200
    assert Client().get("/", HTTP_HOST=CUSTOM).status_code == 404

    kinds = ["domain.claim", "domain.verify", "domain.primary", "domain.remove"]
    platform_log = AuditEntry.objects.filter(kind__startswith="domain.", target_id=str(banlat.pk)).order_by("pk")
    assert [(e.kind, e.actor_label) for e in platform_log] == [(k, "admin") for k in kinds]
    with schema_context(banlat.schema_name):
        body_log = AuditEntry.objects.filter(kind__startswith="domain.").order_by("pk")
        assert [(e.kind, e.actor.username if e.actor else None) for e in body_log] == [(k, "admin") for k in kinds]
        assert body_log.last().changes == {"before": {"domain": CUSTOM, "state": "primary"},  # type: ignore[union-attr]
                                           "after": {"primary": "banlat.localhost"}}


@pytest.mark.parametrize(("name", "message"), [
    ("not a host", "ชื่อโดเมนไม่ถูกต้อง"),
    ("203.0.113.9", "ชื่อโดเมนไม่ถูกต้อง"),
    ("x" * 300 + ".go.th", "ชื่อโดเมนไม่ถูกต้อง"),
    ("thasen.localhost", "โดเมนย่อยของ localhost เป็นของระบบ ใช้เป็นโดเมนของหน่วยงานเองไม่ได้"),
    ("complaint.thasen.go.th", "โดเมน complaint.thasen.go.th เป็นของหน่วยงานอื่นอยู่แล้ว"),
    ("www.thasen.go.th", "โดเมน www.thasen.go.th เป็นของหน่วยงานอื่นอยู่แล้ว"),
])
def test_a_refused_domain_is_a_thai_400_and_changes_nothing(banlat: LocalBody, thasen: LocalBody, name: str,
                                                             message: str) -> None:
    domain_claim_add(body=thasen, domain="complaint.thasen.go.th")  # pending, held for ท่าเสน
    Domain.objects.create(domain="www.thasen.go.th", tenant=thasen, is_primary=False)  # given by the operator
    before = _counts(banlat)
    refused = signed_in(banlat, "admin").post(PAGE, {"action": "add", "domain": name})
    assert refused.status_code == 400
    assert message in refused.content.decode()
    assert _counts(banlat) == before


def _counts(body: LocalBody) -> tuple[int, int, int, int]:
    with schema_context("public"):
        public = (DomainClaim.objects.count(), Domain.objects.count(), AuditEntry.objects.count())
    with schema_context(body.schema_name):
        return (*public, AuditEntry.objects.filter(kind__startswith="domain.").count())


def test_the_page_is_the_admins_only(banlat: LocalBody) -> None:
    # An officer is refused (403); someone not signed in is sent to the sign-in page (302).
    for username, refused in (("officer", 403), ("outsider", 302)):
        client = signed_in(banlat, username) if username == "officer" else Client(HTTP_HOST="banlat.localhost")
        response = client.get(PAGE)
        assert response.status_code == refused
        if refused == 302:
            assert response["Location"].startswith("/staff/login/")
        assert client.post(PAGE, {"action": "add", "domain": CUSTOM}).status_code == refused
    assert not DomainClaim.objects.filter(domain=CUSTOM).exists()
    page = signed_in(banlat, "admin").get(PAGE)
    assert page.status_code == 200 and "ยังไม่มีโดเมนของหน่วยงานเอง" in page.content.decode()


@pytest.fixture
def pointed(committed: None, settings) -> Iterator[tuple[LocalBody, int]]:  # type: ignore[no-untyped-def]
    """A claim committed for ท่าเสน and a live server of the platform (the name "points at it")."""
    thasen = LocalBody.objects.get(dla_code="6760609")
    first_audit = (AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    domain_claim_add(body=thasen, domain="complaint.thasen.go.th", actor_label="test")
    try:
        with live_server() as port:
            settings.DOMAIN_VERIFICATION_CONNECT = f"127.0.0.1:{port}"
            yield thasen, port
    finally:
        connection.set_schema_to_public()
        Domain.objects.filter(domain="complaint.thasen.go.th").delete()
        DomainClaim.objects.filter(domain="complaint.thasen.go.th").delete()
        AuditEntry.objects.filter(pk__gte=first_audit).delete()
        with schema_context(thasen.schema_name):
            AuditEntry.objects.filter(kind__in=["domain.claim", "domain.verify"]).delete()
        cache.clear()


def test_the_cli_verifies_a_name_that_points_at_the_platform(pointed: tuple[LocalBody, int]) -> None:
    thasen, port = pointed
    claim = DomainClaim.objects.get(domain="complaint.thasen.go.th")
    answered = Client().get(WELL_KNOWN_PATH, HTTP_HOST="complaint.thasen.go.th")
    assert (answered.status_code, answered.content.decode()) == (200, claim.token)
    assert Client().get("/", HTTP_HOST="complaint.thasen.go.th").status_code == 404

    out = io.StringIO()
    call_command("bodies", "domain", "verify", stdout=out)
    assert out.getvalue() == "complaint.thasen.go.th: verified (6760609)\nchecked 1, verified 1\n"
    assert Domain.objects.get(domain="complaint.thasen.go.th").tenant_id == thasen.pk
    assert DomainClaim.objects.get(domain="complaint.thasen.go.th").verified_at is not None
    again = io.StringIO()
    call_command("bodies", "domain", "verify", stdout=again)
    assert again.getvalue() == "checked 0, verified 0\n"
