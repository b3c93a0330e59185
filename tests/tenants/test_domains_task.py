"""The periodic check of pending body domains runs in a real Celery worker (its own queue, with
DOMAIN_VERIFICATION_CONNECT pointing at a local web server that stands in for the body's), and
verifies a committed claim once its token is published; the name is then served."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from tenants import cache
from tenants.domains import domain_claim_add
from tenants.models import Domain, DomainClaim, LocalBody
from tenants.tasks import domain_claims_check
from tests.conftest import REPO, _test_env, wait_for
from tests.tenants.conftest import BodyWebServer

NAME = "complaint.thasen.go.th"
QUEUE = "tests-domain-check"


@pytest.fixture
def worker(committed: None) -> Iterator[tuple[BodyWebServer, LocalBody]]:
    web = BodyWebServer()
    thasen = LocalBody.objects.get(dla_code="6760609")
    first_audit = (AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    env = dict(_test_env(), DOMAIN_VERIFICATION_CONNECT=f"127.0.0.1:{web.port}")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rongthuk.celery", "worker", "-Q", QUEUE, "--loglevel=WARNING",
         "--concurrency=1", "--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield web, thasen
    finally:
        process.terminate()
        process.wait(timeout=30)
        web.close()
        connection.set_schema_to_public()
        Domain.objects.filter(domain=NAME).delete()
        DomainClaim.objects.filter(domain=NAME).delete()
        AuditEntry.objects.filter(pk__gte=first_audit).delete()
        with schema_context(thasen.schema_name):
            AuditEntry.objects.filter(kind__in=["domain.claim", "domain.verify"]).delete()
        cache.clear()


def test_the_worker_verifies_a_pending_domain_once_its_token_is_published(
        worker: tuple[BodyWebServer, LocalBody]) -> None:
    web, thasen = worker
    claim = domain_claim_add(body=thasen, domain=NAME, actor_label="test")
    domain_claims_check.apply_async(queue=QUEUE)
    checked = wait_for(lambda: DomainClaim.objects.filter(pk=claim.pk, checked_at__isnull=False).first(), timeout=90)
    assert (checked.verified_at, checked.last_problem) == (
        None, f"ไม่พบรหัสยืนยันที่ http://{NAME}/.well-known/rongthuk-domain.txt")
    assert not Domain.objects.filter(domain=NAME).exists()

    web.tokens[NAME] = claim.token
    domain_claims_check.apply_async(queue=QUEUE)
    verified = wait_for(lambda: DomainClaim.objects.filter(pk=claim.pk, verified_at__isnull=False).first(), timeout=90)
    assert verified.last_problem == ""
    assert Domain.objects.get(domain=NAME).tenant_id == thasen.pk
    assert web.hosts == [NAME, NAME]
    entry = AuditEntry.objects.get(kind="domain.verify", target_id=str(thasen.pk))
    assert (entry.actor_label, entry.changes) == ("domain-check", {"after": {"domain": NAME, "state": "verified",
                                                                         "proof": "http"}})
