"""What the oversight charts draw, one shape for every page: every month of the period so far on the
axis (a month with no complaint is a 0 count, not a missing month; a month to come is not drawn as
0), and the on-time share of a month with no resolution is no figure (a gap, named in the table
beside the chart), never 0 %."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.oversight.selectors import Period, Row
from apps.oversight.templatetags.oversight_tags import thai_month


def months_of(period: Period) -> Iterator[str]:
    """The months of the period that have begun: a month still to come is not a month of 0."""
    year, month = period.since.year, period.since.month
    last = min(period.until, timezone.localdate())
    while dt.date(year, month, 1) <= last:
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def monthly(period: Period, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """One row per month of the period: its label (พ.ศ.), counts and the on-time resolution share
    (None when no complaint of the month was resolved or due)."""
    by_month = {r["key"]: r for r in rows}
    out = []
    for key in months_of(period):
        row = by_month.get(key)
        out.append({"key": key, "label": thai_month(key), "received": row["received"] if row else 0,
                    "resolved": row["resolved"] if row else 0,
                    "resolve_pct": row["on_time_pct"]["resolve"] if row else None})
    return out


def trend(period: Period, rows: Sequence[Row], *, with_pct: bool) -> dict[str, Any]:
    """The trend chart's data and words (translated here: the script has no catalogue). Empty
    when the period has no complaint at all: the page then says so instead of drawing axes."""
    months = monthly(period, rows)
    if not any(m["received"] or m["resolved"] for m in months):
        return {}
    chart: dict[str, Any] = {
        "labels": [m["label"] for m in months],
        "counts": [{"label": _("รับเรื่อง"), "data": [m["received"] for m in months]},
                   {"label": _("แล้วเสร็จ"), "data": [m["resolved"] for m in months]}],
        "count_axis": _("จำนวนเรื่อง"), "no_figure": _("ไม่มีเรื่องที่แก้ไขเสร็จ"), "rows": months,
    }
    if with_pct:
        chart["pct"] = {"label": _("แก้ไขทันเวลา %"), "data": [m["resolve_pct"] for m in months]}
        chart["pct_axis"] = _("ร้อยละ")
    return chart


def channels(rows: Sequence[Row]) -> dict[str, Any]:
    """Complaints by channel, the channels that had any (none at all: no chart)."""
    used = [r for r in rows if r["received"]]
    if not used:
        return {}
    return {"labels": [r["label"] for r in used], "data": [r["received"] for r in used], "label": _("ช่องทาง")}
