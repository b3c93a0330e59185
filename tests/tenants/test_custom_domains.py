"""A body's own domain: served as soon as it is added (no ALLOWED_HOSTS edit), canonical links to
the primary domain, the platform hosts redirecting once it is primary; bad names refused in Thai."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from apps.audit.models import AuditEntry
from tenants import cache
from tenants.lifecycle import BodyLifecycleError, body_domain_add, body_domain_remove
from tenants.models import Domain, LocalBody

CUSTOM = "complaint.banlat.go.th"


@pytest.fixture(autouse=True)
def _hosts_forgotten() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_a_custom_domain_is_served_at_once_and_canonical_links_follow_the_primary(banlat: LocalBody) -> None:
    assert Client().get("/", HTTP_HOST=CUSTOM).status_code == 404
    out = io.StringIO()
    call_command("bodies", "domain", "add", banlat.dla_code, "Complaint.Banlat.go.th.", stdout=out)
    assert out.getvalue().splitlines() == ["banlat.localhost (primary)", "5760601.localhost (alias)",
                                           f"{CUSTOM} (alias)"]
    page = Client().get("/", HTTP_HOST=CUSTOM)
    assert page.status_code == 200 and "เทศบาลตำบลบ้านลาด" in page.content.decode()
    assert '<link rel="canonical" href="http://banlat.localhost/">' in page.content.decode()
    assert Client().get("/", HTTP_HOST="complaint.other.go.th").status_code == 404
    assert AuditEntry.objects.filter(kind="domain.add", target_id=str(banlat.pk)).count() == 1

    body_domain_add(body=banlat, domain=CUSTOM, make_primary=True, actor_label="cli:test")
    moved = Client().get("/track/?x=1", HTTP_HOST="banlat.localhost:8000")
    assert moved.status_code == 301 and moved["Location"] == f"http://{CUSTOM}:8000/track/?x=1"
    assert Client().get("/sla/", HTTP_HOST="5760601.localhost").status_code == 301
    # Probes are answered on every host, a redirect host too (rongthuk.health).
    assert Client().get("/healthz", HTTP_HOST="5760601.localhost").json()["schema"] == banlat.schema_name
    page = Client().get("/stats/", HTTP_HOST=CUSTOM)
    assert f'<link rel="canonical" href="http://{CUSTOM}/stats/">' in page.content.decode()

    body_domain_remove(body=banlat, domain=CUSTOM)
    assert dict(Domain.objects.filter(tenant=banlat).values_list("domain", "is_primary")) == {
        "banlat.localhost": True, "5760601.localhost": False}
    assert Client().get("/", HTTP_HOST="banlat.localhost").status_code == 200


@pytest.mark.parametrize(("name", "message"), [
    ("thasen.localhost", "โดเมนย่อยของ localhost เป็นของระบบ ใช้เป็นโดเมนของหน่วยงานเองไม่ได้"),
    ("10.0.0.1", "ชื่อโดเมนไม่ถูกต้อง"),
    ("bad_name.go.th", "ชื่อโดเมนไม่ถูกต้อง"),
    ("go", "ชื่อโดเมนไม่ถูกต้อง"),
])
def test_bad_domains_are_refused(banlat: LocalBody, name: str, message: str) -> None:
    with pytest.raises(BodyLifecycleError) as refused:
        body_domain_add(body=banlat, domain=name)
    assert refused.value.message == message
    assert Domain.objects.filter(tenant=banlat).count() == 2


def test_another_bodys_domain_is_refused(banlat: LocalBody, thasen: LocalBody) -> None:
    body_domain_add(body=thasen, domain="rongthuk.thasen.go.th")
    with pytest.raises(CommandError, match="^โดเมน rongthuk.thasen.go.th เป็นของหน่วยงานอื่นอยู่แล้ว$"):
        call_command("bodies", "domain", "add", banlat.dla_code, "rongthuk.thasen.go.th")
    with pytest.raises(BodyLifecycleError, match="^ไม่พบโดเมน banlat.localhost ของหน่วยงานนี้ที่ลบได้$"):
        body_domain_remove(body=banlat, domain="banlat.localhost")
