"""A body's own domains, managed by its admin on the staff pages (apps.onboarding): add a name
(a pending claim), prove that it reaches this platform, make it primary, remove it. Each change is
audited in the platform's log and the body's, and every web process's host table follows it
(tenants.cache: the Domain table's trigger and the on-commit clear).

The proof is a token at `http://<name>/.well-known/rongthuk-domain.txt`, or a TXT record
`_rongthuk.<name>` whose text is the token (asked of DOMAIN_VERIFICATION_DNS_SERVERS or the
system's resolver, first). Once the body points the
name at the platform (a CNAME to its `<slug>.` host, README "Custom domains") the tenant middleware
answers that address for the pending claim with its token; the body's own web server may publish
the file instead before the name is moved. The check runs from the staff page's button, the CLI
(`rongthuk bodies domain verify`) and a Celery task (`tenants.domain_claims_check`). It connects to
the name's public address only (an internal address is refused), or to DOMAIN_VERIFICATION_CONNECT
when set (a local proxy or a test server; the name is still sent as the Host)."""

from __future__ import annotations

import http.client
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta

import dns.exception
import dns.nameserver
import dns.resolver
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from apps.audit.services import audit_record
from tenants import cache
from tenants.lifecycle import BodyLifecycleError, _label, domain_change_begin, primary_domain_of
from tenants.models import Domain, DomainClaim, LocalBody
from tenants.services import domain_names

WELL_KNOWN_PATH = "/.well-known/rongthuk-domain.txt"
CHECK_TIMEOUT_SECONDS = 5.0
# The other proof: a TXT record at `_rongthuk.<name>` whose text is the claim's token.
TXT_LABEL = "_rongthuk"
# The periodic check gives up on a claim nobody completed in this long (the admin may check again).
CLAIM_RETRY_DAYS = 14


class DomainRefused(BodyLifecycleError):
    """A refused domain change; the message is Thai (or English when chosen) for the body's admin."""


@dataclass
class _Platform:
    schema_name: str


def _audit(kind: str, body: LocalBody, changes: dict[str, object], actor: object, actor_label: str) -> None:
    """The body's log and the platform's, whichever schema the request is in (a staff page runs in
    the body's, the CLI and the worker in the public one): the actor is linked where it is a user."""
    label = actor_label or _label(actor)
    for where in (body, _Platform(get_public_schema_name())):
        audit_record(kind=kind, actor=actor, actor_label=label, target=body, changes=changes, body=where)


def _hosts_changed() -> None:
    """This process's host table now (a bulk update sends no signal), every process's on commit."""
    cache.clear()
    transaction.on_commit(cache.clear)


def _locked(body: LocalBody) -> LocalBody:
    return LocalBody.objects.select_for_update().get(pk=body.pk)


def domain_claims_of(body: LocalBody) -> list[DomainClaim]:
    return list(DomainClaim.objects.filter(body=body).order_by("domain"))


@transaction.atomic
def domain_claim_add(*, body: LocalBody, domain: str, actor: object = None, actor_label: str = "") -> DomainClaim:
    """A pending claim on a name for the body. Refused: not a host name, an IP address, a name under
    the platform's domain, a name another body has or has claimed, one this body has already."""
    body, name, existing = domain_change_begin(body=body, domain=domain, refused=DomainRefused)
    claim = DomainClaim.objects.filter(domain=name).first()
    owner = existing.tenant_id if existing is not None else (claim.body_id if claim is not None else None)
    if owner is not None and owner != body.pk:
        raise DomainRefused(_("โดเมน %(domain)s เป็นของหน่วยงานอื่นอยู่แล้ว") % {"domain": name})
    if owner is not None:
        raise DomainRefused(_("โดเมน %(domain)s เป็นของหน่วยงานนี้อยู่แล้ว") % {"domain": name})
    claim = DomainClaim.objects.create(body=body, domain=name, token=secrets.token_urlsafe(24))
    _audit("domain.claim", body, {"after": {"domain": name, "state": "pending"}}, actor, actor_label)
    return claim


def _addresses(name: str) -> list[tuple[str, int]]:
    override = settings.DOMAIN_VERIFICATION_CONNECT
    if override:
        host, _sep, port = override.rpartition(":")
        return [(host, int(port))]
    try:
        infos = socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)
    except OSError as error:
        raise DomainRefused(_("ยังไม่พบโดเมนนี้ใน DNS")) from error
    found = []
    for info in infos:
        address = str(info[4][0])
        if not ipaddress.ip_address(address).is_global:
            raise DomainRefused(_("โดเมนนี้ชี้ไปยังที่อยู่ภายใน ตรวจสอบไม่ได้"))
        found.append((address, 80))
    return found


def txt_record_name(domain: str) -> str:
    return f"{TXT_LABEL}.{domain}"


def _nameserver(value: str) -> dns.nameserver.Do53Nameserver:
    """`address`, `address:port` or `[v6 address]:port` (DOMAIN_VERIFICATION_DNS_SERVERS)."""
    host, port = value, "53"
    if value.startswith("[") and "]" in value:
        host, _sep, rest = value[1:].partition("]")
        port = rest.removeprefix(":") or "53"
    elif value.count(":") == 1:
        host, port = value.split(":")
    try:
        ipaddress.ip_address(host)
        return dns.nameserver.Do53Nameserver(host, int(port))
    except ValueError as error:
        raise ImproperlyConfigured(f"DOMAIN_VERIFICATION_DNS_SERVERS: {value!r} is not an IP address[:port]") from error


def _txt_holds(name: str, token: str) -> bool | None:
    """Whether a TXT record at `_rongthuk.<name>` holds the token, asked of the system's resolver or
    of DOMAIN_VERIFICATION_DNS_SERVERS; None when that setting is `off` (no TXT proof looked for)."""
    servers = [s.strip() for s in settings.DOMAIN_VERIFICATION_DNS_SERVERS if s.strip()]
    if servers == ["off"]:
        return None
    try:
        resolver = dns.resolver.Resolver(configure=not servers)
        if servers:
            resolver.nameservers = [_nameserver(s) for s in servers]
        resolver.lifetime = CHECK_TIMEOUT_SECONDS
        answer = resolver.resolve(txt_record_name(name), "TXT", search=False)
    except dns.exception.DNSException:
        return False
    return any(b"".join(r.strings).decode("utf-8", "replace").strip() == token for r in answer)


def _token_found(name: str, token: str) -> str:
    """The proof found ("dns": the TXT record, "http": the well-known address), or DomainRefused
    with the reason for both."""
    txt = _txt_holds(name, token)
    if txt:
        return "dns"
    try:
        _token_at_well_known(name, token)
    except DomainRefused as error:
        if txt is None:
            raise
        raise DomainRefused(_("%(http)s และไม่พบรหัสยืนยันในระเบียน TXT ของ %(record)s")
                            % {"http": error.message, "record": txt_record_name(name)}) from error
    return "http"


def _token_at_well_known(name: str, token: str) -> None:
    """Raise DomainRefused with the reason unless the token is at the name's well-known address."""
    problem = _("ไม่พบรหัสยืนยันที่ %(url)s") % {"url": f"http://{name}{WELL_KNOWN_PATH}"}
    for address, port in _addresses(name):
        connection = http.client.HTTPConnection(address, port, timeout=CHECK_TIMEOUT_SECONDS)
        try:
            connection.request("GET", WELL_KNOWN_PATH, headers={"Host": name, "User-Agent": "rongthuk-domain-check"})
            response = connection.getresponse()
            text = response.read(1024).decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException):
            problem = _("เชื่อมต่อ %(name)s ไม่ได้") % {"name": name}
            continue
        finally:
            connection.close()
        if response.status == 200 and text == token:
            return
    raise DomainRefused(problem)


def domain_claim_check(*, claim: DomainClaim, actor: object = None, actor_label: str = "") -> bool:
    """Look for the claim's token; when found, the name becomes one of the body's domains (served
    at once, not primary). Returns whether it is verified; the reason of a failure is kept on the
    claim (`last_problem`). Idempotent: a verified claim is left as it is."""
    if claim.verified_at is not None:
        return True
    try:
        proof = _token_found(claim.domain, claim.token)
    except DomainRefused as error:
        claim.checked_at, claim.last_problem = timezone.now(), error.message[:300]
        DomainClaim.objects.filter(pk=claim.pk).update(checked_at=claim.checked_at, last_problem=claim.last_problem)
        return False
    with transaction.atomic():
        body = _locked(claim.body)
        claim = DomainClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.verified_at is not None:
            return True
        clash = Domain.objects.filter(domain=claim.domain).exclude(tenant=body).first()
        if clash is not None:  # an operator gave the name to another body meanwhile
            DomainClaim.objects.filter(pk=claim.pk).update(checked_at=timezone.now(), last_problem=_(
                "โดเมน %(domain)s เป็นของหน่วยงานอื่นอยู่แล้ว") % {"domain": claim.domain})
            return False
        Domain.objects.get_or_create(domain=claim.domain, defaults={"tenant": body, "is_primary": False})
        claim.verified_at = claim.checked_at = timezone.now()
        claim.last_problem = ""
        claim.save(update_fields=["verified_at", "checked_at", "last_problem"])
        _audit("domain.verify", body, {"after": {"domain": claim.domain, "state": "verified", "proof": proof}},
               actor, actor_label)
        _hosts_changed()
    return True


def domain_claims_check_pending(*, body: LocalBody | None = None, domain: str = "",
                                actor_label: str = "domain-check") -> list[tuple[DomainClaim, bool]]:
    """The periodic check: every pending claim younger than CLAIM_RETRY_DAYS (or one body's, or
    one name), once each."""
    since = timezone.now() - timedelta(days=CLAIM_RETRY_DAYS)
    pending = DomainClaim.objects.filter(verified_at__isnull=True, created_at__gte=since).select_related("body")
    if body is not None:
        pending = pending.filter(body=body)
    if domain:
        pending = pending.filter(domain=domain.strip().lower().rstrip("."))
    return [(claim, domain_claim_check(claim=claim, actor_label=actor_label)) for claim in pending.order_by("pk")]


@transaction.atomic
def domain_primary_set(*, body: LocalBody, domain: str, actor: object = None, actor_label: str = "") -> None:
    """Where canonical links point: one of the body's verified own domains (its platform hosts then
    answer with a permanent redirect to it), or its platform `<slug>.` host again."""
    body = _locked(body)
    name = (domain or "").strip().lower().rstrip(".")
    platform_hosts = domain_names(body.slug, body.dla_code)
    row = Domain.objects.filter(tenant=body, domain=name).first()
    own = DomainClaim.objects.filter(body=body, domain=name, verified_at__isnull=False).exists()
    if row is None or not (own or name == platform_hosts[0]):
        raise DomainRefused(_("ไม่พบโดเมน %(domain)s ที่ยืนยันแล้วของหน่วยงานนี้") % {"domain": name})
    before = primary_domain_of(body)
    if before == name:
        return
    customs = DomainClaim.objects.filter(body=body, verified_at__isnull=False).values_list("domain", flat=True)
    mine = Domain.objects.filter(tenant=body)
    if name == platform_hosts[0]:
        mine.filter(domain__in=list(customs)).update(is_primary=False, redirect=False)
        mine.filter(domain__in=platform_hosts).update(redirect=False)
        mine.filter(domain=name).update(is_primary=True)
    else:
        mine.filter(domain__in=[*platform_hosts, *customs]).exclude(domain=name).update(is_primary=False,
                                                                                       redirect=True)
        mine.filter(domain__in=list(customs)).exclude(domain=name).update(redirect=False)
        mine.filter(domain=name).update(is_primary=True, redirect=False)
    _audit("domain.primary", body, {"before": {"primary": before}, "after": {"primary": name}}, actor, actor_label)
    _hosts_changed()


@transaction.atomic
def domain_claim_remove(*, body: LocalBody, domain: str, actor: object = None, actor_label: str = "") -> None:
    """Take one of the body's own domains off, pending or verified; a primary one hands that role
    back to the body's platform hosts."""
    body = _locked(body)
    name = (domain or "").strip().lower().rstrip(".")
    claim = DomainClaim.objects.filter(body=body, domain=name).first()
    if claim is None:
        raise DomainRefused(_("ไม่พบโดเมน %(domain)s ของหน่วยงานนี้ที่ลบได้") % {"domain": name})
    row = Domain.objects.filter(tenant=body, domain=name).first()
    was_primary = row is not None and row.is_primary
    if row is not None:
        row.delete()
    if was_primary:
        platform_hosts = domain_names(body.slug, body.dla_code)
        Domain.objects.filter(tenant=body, domain__in=platform_hosts).update(redirect=False)
        Domain.objects.filter(tenant=body, domain=platform_hosts[0]).update(is_primary=True)
    state = "pending" if claim.verified_at is None else ("primary" if was_primary else "verified")
    claim.delete()
    _audit("domain.remove", body, {"before": {"domain": name, "state": state},
                                   "after": {"primary": primary_domain_of(body)}}, actor, actor_label)
    _hosts_changed()


def pending_token(host: str) -> str | None:
    """The token the well-known address answers on a pending claim's host (tenants.middleware)."""
    return DomainClaim.objects.filter(domain=host.lower().rstrip("."), verified_at__isnull=True).values_list(
        "token", flat=True).first()
