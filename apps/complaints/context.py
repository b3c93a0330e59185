"""The body whose schema the connection is on: complaints always belong to it."""

from __future__ import annotations

from django.db import connection

from tenants.db import current_schema
from tenants.models import LocalBody


def current_body() -> LocalBody:
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, LocalBody) and tenant.schema_name == current_schema():
        return tenant
    # schema_context() sets only the schema name; the registry row is one indexed query away.
    return LocalBody.objects.get(schema_name=current_schema())
