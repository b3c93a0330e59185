"""Moving a body's page version from a service (tenants.PageVersion).

Changes to public tables move it by trigger; a body's own tables (its categories) live in 7,850
schemas, so the one service that writes them calls this in its transaction instead."""

from __future__ import annotations

from django.db import connection


def page_version_bump(*, schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.tenants_page_version_bump(%s)", [schema])
