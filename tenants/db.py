"""Typed access to the schema state django-tenants keeps on the database connection.

django-tenants' backend (django_tenants.postgresql_backend) adds `schema_name`, `set_tenant` and
`set_schema_to_public` to the connection at run time; django-stubs types `connection` as Django's
`BaseDatabaseWrapper`, which has none of them. These helpers are the one place that reaches for
those attributes, so the rest of the code stays typed.
"""

from __future__ import annotations

from django.db import connection

from tenants.models import LocalBody


def current_schema() -> str:
    """The schema the default connection is set to."""
    # Set by django-tenants' backend; unknown to BaseDatabaseWrapper's stubs.
    return connection.schema_name  # type: ignore[attr-defined]


def use_public_schema() -> None:
    """Point the default connection at the public schema."""
    # Added by django-tenants' backend; unknown to BaseDatabaseWrapper's stubs.
    connection.set_schema_to_public()  # type: ignore[attr-defined]


def use_body(body: LocalBody) -> None:
    """Point the default connection at a body's schema (request routing only)."""
    # Added by django-tenants' backend; unknown to BaseDatabaseWrapper's stubs.
    connection.set_tenant(body)  # type: ignore[attr-defined]
