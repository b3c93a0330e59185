"""SLA publication status of bodies, read through apps.sla's selector and normalised for oversight.

apps.sla owns agreements; this module only adapts what `agreement_status(body_ids=...)` returns
(objects or dicts) into one shape, so pages, exports and the API do not depend on its details.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from apps.categories.models import SlaClass
from apps.sla.models import DayType, Stage
from apps.sla.selectors import agreement_status
from tenants.models import LocalBody


@dataclass(frozen=True)
class SlaStatus:
    published: bool = False
    published_at: dt.datetime | None = None
    effective_from: dt.date | None = None
    meets_minimum: bool | None = None
    tighter_rows: list[str] = field(default_factory=list)
    number: str = ""
    public_url: str = ""


NOT_PUBLISHED = SlaStatus()


def _get(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, dict) and name in item:
            return item[name]
        if not isinstance(item, dict) and hasattr(item, name):
            return getattr(item, name)
    return None


def _row_text(row: Any) -> str:
    """One stricter row by its labels, never its codes: "ข บริการทั่วไป, แจ้งผลเบื้องต้น: 10 วัน (มาตรฐาน 15 วัน)"."""
    if isinstance(row, dict) and "stage" in row:
        day_types = dict(DayType.choices)
        return _("%(sla_class)s, %(stage)s: %(days)s %(day_type)s "
                 "(มาตรฐาน %(national_days)s %(national_day_type)s)") % {
            "sla_class": dict(SlaClass.choices).get(row.get("sla_class", ""), row.get("sla_class", "")),
            "stage": dict(Stage.choices).get(row["stage"], row["stage"]),
            "days": row.get("days"), "day_type": day_types.get(row.get("day_type", ""), ""),
            "national_days": row.get("national_days"),
            "national_day_type": day_types.get(row.get("national_day_type", ""), "")}
    return str(row)


def _normalise(item: Any, public_url: str) -> SlaStatus:
    if item is None:
        return NOT_PUBLISHED
    published = _get(item, "published", "is_published")
    published_at = _get(item, "published_at")
    if published is None:
        published = published_at is not None
    tighter = _get(item, "tighter_rows", "stricter_rows") or []
    meets = _get(item, "meets_framework", "meets_minimum")
    return SlaStatus(
        published=bool(published),
        published_at=published_at,
        effective_from=_get(item, "since", "effective_from"),
        meets_minimum=None if meets is None else bool(meets),
        tighter_rows=[_row_text(row) for row in tighter],
        number=str(_get(item, "number") or ""),
        public_url=(_get(item, "public_url") or public_url) if published else "",
    )


def _public_urls(ids: list[int]) -> dict[int, str]:
    """The agreement's page on the body's portal (apps.sla mounts it at /sla/ on the body's host)."""
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    return {pk: f"http://{slug}.{settings.PLATFORM_DOMAIN}{port}/sla/"
            for pk, slug in LocalBody.objects.filter(pk__in=ids).values_list("pk", "slug")}


def sla_status_for(body_ids: Iterable[int]) -> dict[int, SlaStatus]:
    ids = list(body_ids)
    raw = agreement_status(body_ids=ids)
    urls = _public_urls(ids)
    return {body_id: _normalise(raw.get(body_id), urls.get(body_id, "")) for body_id in ids}
