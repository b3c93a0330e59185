"""The published OpenAPI document covers the national reporting API and the staff API (/api/...):
the Open311 endpoints follow their own specification (GeoReport v2, /open311/)."""

from __future__ import annotations

from typing import Any


def published_apis_only(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list[tuple[str, str, str, Any]]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
