"""URL enumeration and audit-log reads shared by the coverage tests."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry


def url_names(urlconf: str) -> Iterator[str]:
    """Every named route of a URLconf, namespaced (`staff:departments`)."""

    def walk(patterns: list, namespace: str) -> Iterator[str]:  # type: ignore[type-arg]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else \
                    (pattern.namespace or namespace)
                yield from walk(pattern.url_patterns, inner or "")
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                yield f"{namespace}:{name}" if namespace else name

    yield from walk(get_resolver(urlconf).url_patterns, "")


def last_id(schema: str) -> int:
    with schema_context(schema):
        return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def entries_since(schema: str, after: int) -> list[AuditEntry]:
    with schema_context(schema):
        return list(AuditEntry.objects.filter(id__gt=after).order_by("id"))
