"""SLA publication status of bodies, read through apps.sla's selector and normalised for oversight.

apps.sla owns agreements; this module only adapts what `agreement_status(body_ids=...)` returns
(objects or dicts) into one shape, so pages, exports and the API do not depend on its details.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SlaStatus:
    published: bool = False
    published_at: dt.datetime | None = None
    effective_from: dt.date | None = None
    meets_minimum: bool | None = None
    tighter_rows: list[str] = field(default_factory=list)
    version: int | None = None
    public_url: str = ""


NOT_PUBLISHED = SlaStatus()


def _get(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, dict) and name in item:
            return item[name]
        if not isinstance(item, dict) and hasattr(item, name):
            return getattr(item, name)
    return None


def _normalise(item: Any) -> SlaStatus:
    if item is None:
        return NOT_PUBLISHED
    published = _get(item, "published", "is_published")
    published_at = _get(item, "published_at")
    if published is None:
        published = published_at is not None
    tighter = _get(item, "tighter_rows", "stricter_rows") or []
    meets = _get(item, "meets_minimum", "meets_national_minimum", "compliant")
    return SlaStatus(
        published=bool(published),
        published_at=published_at,
        effective_from=_get(item, "effective_from", "effective_date"),
        meets_minimum=None if meets is None else bool(meets),
        tighter_rows=[str(row) for row in tighter],
        version=_get(item, "version"),
        public_url=_get(item, "public_url", "url") or "",
    )


def sla_status_for(body_ids: Iterable[int]) -> dict[int, SlaStatus]:
    ids = list(body_ids)
    try:
        from apps.sla.selectors import agreement_status  # noqa: PLC0415 - built in parallel
    except ImportError:
        return dict.fromkeys(ids, NOT_PUBLISHED)
    raw = agreement_status(body_ids=ids)
    if isinstance(raw, dict):
        return {body_id: _normalise(raw.get(body_id)) for body_id in ids}
    found = {_get(item, "body_id"): _normalise(item) for item in raw}
    return {body_id: found.get(body_id, NOT_PUBLISHED) for body_id in ids}
