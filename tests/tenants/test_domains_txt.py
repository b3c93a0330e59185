"""A body's own domain proved by a DNS TXT record (`_rongthuk.<name>` TXT `<token>`) beside the
well-known address: the admin sees the record's name and value, and the check accepts either. The
check asks a real DNS server (dnslib's, on a free UDP port of this machine) named by
DOMAIN_VERIFICATION_DNS_SERVERS, and the body's web server is a real local one too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from dnslib import QTYPE, RCODE, RR, TXT, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSServer

from apps.audit.models import AuditEntry
from tenants.domains import WELL_KNOWN_PATH, domain_claim_add, domain_claim_check
from tenants.models import Domain, DomainClaim, LocalBody
from tests.apps.complaints.staff_helpers import signed_in
from tests.tenants.conftest import BodyWebServer

pytestmark = pytest.mark.usefixtures("hosts_forgotten")
CUSTOM = "complaint.banlat.go.th"


class _Zone(BaseResolver):  # type: ignore[misc]
    """TXT records by name; every other question is NXDOMAIN. Remembers what it was asked."""

    def __init__(self) -> None:
        self.txt: dict[str, list[str]] = {}
        self.asked: list[tuple[str, str]] = []

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".")
        self.asked.append((name, QTYPE[request.q.qtype]))
        if request.q.qtype == QTYPE.TXT and name in self.txt:
            for text in self.txt[name]:
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, rdata=TXT(text), ttl=60))
        else:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


class _Quiet:
    def __getattr__(self, name: str) -> object:
        return lambda *args, **kwargs: None


@pytest.fixture
def zone(settings) -> Iterator[_Zone]:  # type: ignore[no-untyped-def]
    records = _Zone()
    server = DNSServer(records, address="127.0.0.1", port=0, logger=_Quiet())  # UDP, a free port
    server.start_thread()
    settings.DOMAIN_VERIFICATION_DNS_SERVERS = [f"127.0.0.1:{server.server.server_address[1]}"]
    yield records
    server.stop()
    server.server.server_close()


def test_the_admin_sees_the_txt_record_and_it_alone_verifies_the_name(
        banlat: LocalBody, zone: _Zone, body_web: BodyWebServer) -> None:
    admin = signed_in(banlat, "admin")
    page = admin.post("/staff/setup/domains/", {"action": "add", "domain": CUSTOM}, follow=True).content.decode()
    claim = DomainClaim.objects.get(domain=CUSTOM)
    assert f"ระเบียน DNS: <code>_rongthuk.{CUSTOM} TXT {claim.token}</code>" in page

    zone.txt[f"_rongthuk.{CUSTOM}"] = ["v=something-else", claim.token]
    assert domain_claim_check(claim=claim, actor_label="test") is True
    assert zone.asked == [(f"_rongthuk.{CUSTOM}", "TXT")]
    assert body_web.hosts == []  # the TXT record sufficed: the web server was not asked
    assert Domain.objects.get(domain=CUSTOM).tenant_id == banlat.pk
    entry = AuditEntry.objects.get(kind="domain.verify", target_id=str(banlat.pk))
    assert entry.changes == {"after": {"domain": CUSTOM, "state": "verified", "proof": "dns"}}


def test_without_the_record_the_well_known_address_still_proves_it(
        banlat: LocalBody, zone: _Zone, body_web: BodyWebServer) -> None:
    claim = domain_claim_add(body=banlat, domain=CUSTOM, actor_label="test")
    body_web.tokens[CUSTOM] = claim.token
    assert domain_claim_check(claim=claim, actor_label="test") is True
    assert (zone.asked, body_web.hosts) == ([(f"_rongthuk.{CUSTOM}", "TXT")], [CUSTOM])
    entry = AuditEntry.objects.get(kind="domain.verify", target_id=str(banlat.pk))
    assert entry.changes["after"]["proof"] == "http"


def test_a_wrong_record_and_no_token_name_both_proofs_in_the_reason(
        banlat: LocalBody, zone: _Zone, body_web: BodyWebServer) -> None:
    claim = domain_claim_add(body=banlat, domain=CUSTOM, actor_label="test")
    zone.txt[f"_rongthuk.{CUSTOM}"] = ["not-the-token"]
    assert domain_claim_check(claim=claim, actor_label="test") is False
    claim.refresh_from_db()
    assert claim.last_problem == (f"ไม่พบรหัสยืนยันที่ http://{CUSTOM}{WELL_KNOWN_PATH} "
                                  f"และไม่พบรหัสยืนยันในระเบียน TXT ของ _rongthuk.{CUSTOM}")
    assert not Domain.objects.filter(domain=CUSTOM).exists()


def test_a_dns_server_that_is_not_an_address_is_named_in_the_error(banlat: LocalBody, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DOMAIN_VERIFICATION_DNS_SERVERS = ["dns.example:53"]
    claim = domain_claim_add(body=banlat, domain=CUSTOM, actor_label="test")
    with pytest.raises(ImproperlyConfigured, match="^DOMAIN_VERIFICATION_DNS_SERVERS: 'dns.example:53' is not an IP"):
        domain_claim_check(claim=claim, actor_label="test")
