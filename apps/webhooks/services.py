"""A body admin's webhook endpoints: register (the signing secret is returned once), change the
events or the personal-data scope, switch off and on. Each change is in the body's audit log
(the secret never is)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.audit.services import audit_diff, audit_record, audit_snapshot
from apps.ui.secrets import encrypt
from apps.webhooks.addresses import AddressRefused, url_check
from apps.webhooks.models import WebhookEndpoint, WebhookEvent
from tenants.db import current_schema

FIELDS = ("name", "url", "events", "personal_data", "is_active")


class WebhookError(Exception):
    def __init__(self, message: object, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def _clean(*, name: str, url: str, events: Sequence[str]) -> tuple[str, str, list[str]]:
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise WebhookError(_("กรุณาตั้งชื่อปลายทาง (ไม่เกิน 120 ตัวอักษร)"), field="name")
    url = (url or "").strip()
    if len(url) > 500:
        raise WebhookError(_("URL ยาวเกิน 500 ตัวอักษร"), field="url")
    try:
        url_check(url)
    except AddressRefused as exc:
        raise WebhookError(exc.message, field="url") from exc
    chosen = [e for e in WebhookEvent.values if e in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise WebhookError(_("กรุณาเลือกเหตุการณ์จากรายการอย่างน้อยหนึ่งรายการ"), field="events")
    return name, url, chosen


@transaction.atomic
def webhook_endpoint_create(*, actor: User, name: str, url: str, events: Sequence[str],
                            personal_data: bool = False) -> tuple[WebhookEndpoint, str]:
    name, url, chosen = _clean(name=name, url=url, events=events)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint = WebhookEndpoint.objects.create(name=name, url=url, events=chosen, personal_data=personal_data,
                                              secret_encrypted=encrypt(secret), created_by=actor,
                                              created_at=timezone.now())
    _endpoints_forget()
    audit_record(kind="webhook.create", actor=actor, target=endpoint,
                 changes={"after": audit_snapshot(endpoint, FIELDS)})
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(*, actor: User, endpoint: WebhookEndpoint, name: str, url: str,
                            events: Sequence[str], personal_data: bool, is_active: bool) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = audit_snapshot(endpoint, FIELDS)
    name, url, chosen = _clean(name=name, url=url, events=events)
    endpoint.name, endpoint.url, endpoint.events = name, url, chosen
    endpoint.personal_data, endpoint.is_active = personal_data, is_active
    changes = audit_diff(before, audit_snapshot(endpoint, FIELDS))
    if changes:
        endpoint.save(update_fields=list(FIELDS))
        _endpoints_forget()
        audit_record(kind="webhook.update", actor=actor, target=endpoint, changes=changes)
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(*, actor: User, endpoint: WebhookEndpoint) -> tuple[WebhookEndpoint, str]:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint.secret_encrypted = encrypt(secret)
    endpoint.save(update_fields=["secret_encrypted"])
    _endpoints_forget()
    audit_record(kind="webhook.secret", actor=actor, target=endpoint, changes={"after": {"secret": "new"}})
    return endpoint, secret


def webhook_endpoints_for(event: str) -> list[WebhookEndpoint]:
    """The active endpoints that take `event` (one query on a table of a few rows)."""
    return list(WebhookEndpoint.objects.filter(is_active=True, events__contains=[event]).order_by("pk"))


def webhook_endpoints_active() -> list[WebhookEndpoint]:
    """The body's active endpoints, read once per transaction: every timeline event asks (a bulk
    import or the SLA sweep writes thousands in one transaction). Outside a transaction, a read.

    The copy is kept on the connection with the schema and the connection's list of on-commit
    callbacks: Django replaces that list when the transaction commits or rolls back (and when a
    savepoint rolls back), so a copy from another transaction is never used. A change to an
    endpoint in this transaction drops it (`_endpoints_forget`)."""
    if not connection.in_atomic_block:
        return _endpoints_read()
    schema = current_schema()
    cached = getattr(connection, _CACHE, None)
    if cached is None or cached[0] is not connection.run_on_commit:
        cached = (connection.run_on_commit, {})
        setattr(connection, _CACHE, cached)
    by_schema: dict[str, tuple[WebhookEndpoint, ...]] = cached[1]
    if schema not in by_schema:
        by_schema[schema] = tuple(_endpoints_read())
    return list(by_schema[schema])


_CACHE = "_rongthuk_webhook_endpoints"


def _endpoints_read() -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(is_active=True).order_by("pk"))


def _endpoints_forget() -> None:
    setattr(connection, _CACHE, None)
