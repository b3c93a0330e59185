"""The request types the views declare, so `request.tenant` is typed and needs no `type: ignore`.

Django's HttpRequest has no `tenant`; tenants.middleware sets it on every request to a body's
host (the body, resolved from the host) before any view of the body's URLconf runs.
"""

from __future__ import annotations

from django.http import HttpRequest

from tenants.models import LocalBody


class BodyRequest(HttpRequest):
    """A request on a body's host: `tenant` is the body (tenants.middleware)."""

    tenant: LocalBody
