"""Error reporting: every event says which body it came from, and never carries personal data."""

from __future__ import annotations

from typing import Any


def tag_event_with_body(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection  # sentry initialises before apps load

    tenant = getattr(connection, "tenant", None)
    tags = event.setdefault("tags", {})
    tags["schema"] = getattr(connection, "schema_name", "public")
    dla_code = getattr(tenant, "dla_code", None)
    if dla_code:
        tags["dla_code"] = dla_code
    return event


def init_sentry(dsn: str, *, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=tag_event_with_body,  # type: ignore[arg-type]
        traces_sample_rate=0.0,
    )
