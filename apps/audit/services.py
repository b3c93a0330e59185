"""The one write path of the audit log.

Call `audit_record(...)` from inside the service (or admin save) that makes the change, in its
transaction: the entry and the change commit or roll back together. No signals.

    audit_record(kind="department.update", actor=user, target=department,
                 changes=audit_diff(before, audit_snapshot(department, FIELDS)))

The entry goes to the schema the connection is on (a body's log on the body's host, the
platform's log on the public domain), or to `body`'s schema when given.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Protocol

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from apps.audit.kinds import KINDS
from apps.audit.models import AuditEntry


class HasSchema(Protocol):
    """A body (tenants.models.LocalBody): the audit log sits below the apps that write to it,
    tenants among them, so it knows a body only by its schema."""

    schema_name: str


def _current_schema() -> str:
    # The schema django-tenants' backend keeps on the connection (tenants.db reads it the same way
    # for the layers above this one).
    return str(connection.schema_name)  # type: ignore[attr-defined]

# Citizens' personal data never goes to the platform's (public) log: these names are refused there.
_CITIZEN_FIELDS = ("complainant_", "citizen", "national_id", "line_user")
# Never stored in any log, whatever the schema.
_SECRET_FIELDS = frozenset({"password", "key_hash", "pin_hash", "secret", "token"})
REDACTED = "***"


class _Encoder(DjangoJSONEncoder):
    def default(self, o: object) -> object:
        if isinstance(o, models.Model):
            return str(o.pk)
        if isinstance(o, FieldFile):
            return o.name or ""
        if isinstance(o, (set, frozenset, tuple)):
            return list(o)
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _jsonable(value: Mapping[str, object]) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(json.dumps(value, cls=_Encoder, ensure_ascii=False))
    return loaded


def audit_snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """The named fields of `obj` as JSON values (a foreign key as its id)."""
    values: dict[str, object] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(obj, attname)
    snapshot: dict[str, object] = _jsonable(values)
    return snapshot


def audit_diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, dict[str, object]]:
    """{"before": ..., "after": ...} holding only the fields whose values differ; {} if none."""
    before, after = _jsonable(dict(before)), _jsonable(dict(after))
    names = [n for n in {**before, **after} if before.get(n) != after.get(n)]
    if not names:
        return {}
    return {"before": {n: before[n] for n in names if n in before},
            "after": {n: after[n] for n in names if n in after}}


def _redact(value: object) -> object:
    if isinstance(value, dict):
        return {k: REDACTED if k in _SECRET_FIELDS else _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value


def _names(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _names(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _names(inner)


def audit_record(*, kind: str, actor: object = None, target: models.Model | None = None,
                 changes: Mapping[str, object] | None = None, target_label: str = "", target_type: str = "",
                 target_id: object = "", actor_label: str = "", body: HasSchema | None = None,
                 at: dt.datetime | None = None) -> AuditEntry:
    """Append one entry. `actor`: the signed-in user (None or an anonymous user for the system or
    someone not signed in; then say who in `actor_label`, e.g. the username tried). `target`: the
    changed object (its type, id and label are taken from it unless given). `changes`: JSON-able;
    a field named like a secret is stored as ***. Raises ValueError for an unknown kind, and for
    citizens' personal data bound for the platform's log."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}: add it to apps.audit.kinds.KINDS")
    data = _redact(_jsonable(dict(changes or {})))
    schema = body.schema_name if body is not None else _current_schema()
    if schema == get_public_schema_name() and any(n.startswith(_CITIZEN_FIELDS) for n in _names(data)):
        raise ValueError("citizens' personal data is never written to the platform's audit log")
    user = actor if isinstance(actor, get_user_model()) else None
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id if target_id != "" else target.pk
        target_label = target_label or str(target)
    entry = AuditEntry(
        created_at=at or timezone.now(), kind=kind,
        actor_label=(actor_label or (user.get_username() if user else ""))[:150],
        target_type=target_type[:60], target_id=str(target_id if target_id is not None else "")[:40],
        target_label=target_label[:200], changes=data,
    )
    if schema == _current_schema():
        entry.actor = user
        entry.save()
    else:
        # Another schema's users are another table: keep the name only.
        with schema_context(schema):
            entry.save()
    return entry
