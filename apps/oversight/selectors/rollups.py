"""The figures of an area or a body (counts and on-time shares, no personal data) from the fact
roll-ups, or from the facts themselves per body and category; rankings and the figures' age."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NotRequired, TypedDict

from django.conf import settings
from django.db.models import Max, Min

from apps.categories.models import NationalCategory
from apps.complaints.status import Channel, Status
from apps.oversight.models import AreaRollup, BodyRollup, ProvinceRollup
from apps.oversight.rollup_sql import CHANNELS, METRICS, MONTH, STAGES, STATUSES, metric_exprs
from apps.oversight.scoping import Scope
from apps.oversight.selectors.period import Period
from apps.ui.thai import localised_name
from tenants.models import District, LocalBody, Province
from tenants.replica import reads_connection

GROUPS = ("area", "province", "district", "body", "category", "channel", "status", "month")

# The raw metric sums of one statement's row (None: no fact at all), the value a row is grouped
# by, and a statement's parameters.
Sums = dict[str, int | float | None]
Key = str | int | dt.date
Params = list[str | int | dt.date | dt.datetime]


class Figures(TypedDict):
    received: int
    resolved: int
    open: int
    breached: int
    routed_to_oversight: int
    on_time_pct: dict[str, float | None]  # by stage (ack, route, reply, resolve); None: nothing due
    mean_days_to_resolve: float | None


class Totals(Figures):
    by_channel: dict[str, int]
    by_status: dict[str, int]
    median_days_to_resolve: float | None


class Row(TypedDict):
    """A row of a grouping: an area, a body, a category or a month with its figures; a channel or
    a status with its count (`received`) only."""

    key: str
    label: str
    received: int
    resolved: NotRequired[int]
    open: NotRequired[int]
    breached: NotRequired[int]
    routed_to_oversight: NotRequired[int]
    on_time_pct: NotRequired[dict[str, float | None]]
    mean_days_to_resolve: NotRequired[float | None]
    median_days_to_resolve: NotRequired[float | None]


class RankedRow(Row):
    rank: int  # 1 for the best on-time resolution (ranking)


class Result(TypedDict):
    totals: Totals
    rows: list[Row]


class GroupedResult(TypedDict):
    totals: Totals
    rows: dict[str, list[Row]]


def min_volume() -> int:
    """Rankings include only bodies with at least this many complaints, so one case cannot win."""
    return int(getattr(settings, "OVERSIGHT_RANKING_MIN_VOLUME", 20))


def _pct(met: int, late: int) -> float | None:
    total = met + late
    return None if total == 0 else round(100.0 * met / total, 1)


def _figures(sums: Sums) -> Figures:
    """Raw metric sums → the figures shown and served (no personal data: counts only)."""
    m = {k: (sums.get(k) or 0) for k in METRICS}
    resolved = int(m["resolved"])
    return {
        "received": int(m["received"]),
        "resolved": resolved,
        "open": int(m["open"]),
        "breached": int(m["breached"]),
        "routed_to_oversight": int(m["routed_to_oversight"]),
        "on_time_pct": {stage: _pct(int(m[f"{stage}_met"]), int(m[f"{stage}_late"])) for stage in STAGES},
        "mean_days_to_resolve": round(m["resolve_days_sum"] / resolved, 1) if resolved else None,
    }


def _totals(sums: Sums) -> Totals:
    m = {k: (sums.get(k) or 0) for k in METRICS}
    return {
        **_figures(sums),
        "by_channel": {value: int(m[f"ch_{col}"]) for col, value in CHANNELS.items()},
        "by_status": {status: int(m[f"st_{status}"]) for status in STATUSES},
        "median_days_to_resolve": None,  # figures_grouped's: from the histograms or the facts
    }


# Which column a grouping reads, and the roll-up tables (raw SQL: one statement per table with
# GROUPING SETS gives the totals and every grouping at once; the ORM's 33 Sum() expressions cost
# more to compile than the database takes to answer).
KEY_COLUMNS = {"province": "province_code", "district": "district_code", "body": "body_id",
               "category": "national_category", "month": "month"}
SUMS_SQL = ", ".join(f"sum({m})" for m in METRICS)
FACT_SUMS_SQL = ", ".join(f"sum({e})" for e in metric_exprs("f").values())
TABLES = {"province": "oversight_provincerollup", "area": "oversight_arearollup", "body": "oversight_bodyrollup",
          "facts": "reporting_complaintfact f"}
DAYS_TABLES = {"province": "oversight_provinceresolvedays", "area": "oversight_arearesolvedays"}
# Columns each source can group by.
SOURCE_KEYS = {"province": {"province", "category", "month"},
               "area": {"province", "district", "category", "month"},
               "body": {"province", "district", "body", "month"},
               "facts": {"province", "district", "body", "category", "month"}}


def _source(scope: Scope, body: LocalBody | None, category: str, group: str) -> str:
    """The smallest table that answers a grouping (or the totals, group="")."""
    if category and (body is not None or group == "body"):
        return "facts"  # per body and category: only the facts have both
    if body is not None or group == "body":
        return "body"
    if group == "district" or scope.level == "district":
        return "area"
    return "province"


def _where(source: str, scope: Scope, period: Period, body: LocalBody | None,
           category: str) -> tuple[str, Params]:
    clauses: list[str] = []
    params: Params = []
    if source == "facts":
        start, end = period.datetimes()
        clauses += ["f.received_at >= %s", "f.received_at < %s"]
        params += [start, end]
    else:
        clauses += ["month >= %s", "month <= %s"]
        params += [period.since, period.until]
    if body is not None:
        clauses.append("body_id = %s")
        params.append(body.pk)
    elif scope.level == "province":
        clauses.append("province_code = %s")
        params.append(scope.code)
    elif scope.level == "district":
        clauses.append("district_code = %s")
        params.append(scope.code)
    if category and source in ("facts", "area", "province"):
        clauses.append("national_category = %s")
        params.append(category)
    return " AND ".join(clauses), params


def _grouped(sql_from: str, where: str, params: Params, sums: str,
             groups: list[str]) -> tuple[Sums, dict[str, list[tuple[Key, Sums]]]]:
    """One statement: the totals and a row per value of each grouping, in the database's order."""
    names = list(METRICS)
    if not groups:
        with reads_connection().cursor() as cursor:
            cursor.execute(f"SELECT {sums} FROM {sql_from} WHERE {where}", params)  # noqa: S608
            return dict(zip(names, cursor.fetchone(), strict=True)), {}
    columns = [MONTH.format(r="f") if g == "month" and sql_from.endswith(" f") else KEY_COLUMNS[g]
               for g in groups]
    sets = ", ".join(f"({c})" for c in columns)
    sql = (f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, {sums} FROM {sql_from} "  # noqa: S608
           f"WHERE {where} GROUP BY GROUPING SETS ({sets}, ()) ORDER BY {', '.join(columns)}")
    full = (1 << len(columns)) - 1
    mask_of = {full ^ (1 << (len(columns) - 1 - i)): (i, g) for i, g in enumerate(groups)}
    totals: Sums = {}
    rows: dict[str, list[tuple[Key, Sums]]] = {g: [] for g in groups}
    with reads_connection().cursor() as cursor:
        cursor.execute(sql, params)
        for record in cursor.fetchall():
            mask, keys, values = record[0], record[1:1 + len(columns)], record[1 + len(columns):]
            sums_row = dict(zip(names, values, strict=True))
            if mask == full:
                totals = sums_row
            else:
                i, group = mask_of[mask]
                rows[group].append((keys[i], sums_row))
    return totals, rows


def _medians(source: str, scope: Scope, period: Period, key: str | None,
             total: bool) -> dict[Key | None, float | None]:
    """Whole-day medians from a resolve-days histogram, computed in SQL from cumulative sums: the
    n-th smallest value (0-based) is the first day whose running count exceeds n. Returns a median
    per value of `key` and, with total=True (or key=None), the whole scope's under None."""
    where, params = _where(source, scope, period, None, "")
    column = KEY_COLUMNS[key] if key else None
    if column and total:
        head, group = f"GROUPING({column}) = 1 AS whole, {column} AS k", f"GROUPING SETS (({column}, days), (days))"
    elif column:
        head, group = f"false AS whole, {column} AS k", f"{column}, days"
    else:
        head, group = "true AS whole, NULL AS k", "days"
    sql = (
        f"WITH h AS (SELECT {head}, days, sum(count)::bigint AS n FROM {DAYS_TABLES[source]} "  # noqa: S608
        f"WHERE {where} GROUP BY {group}), "
        "c AS (SELECT whole, k, days, sum(n) OVER (PARTITION BY whole, k ORDER BY days) AS cum, "
        "sum(n) OVER (PARTITION BY whole, k) AS total FROM h WHERE n > 0) "
        "SELECT whole, k, (min(days) FILTER (WHERE cum > div(total - 1, 2)) "
        "+ min(days) FILTER (WHERE cum > div(total, 2))) / 2.0 FROM c GROUP BY whole, k")
    out: dict[Key | None, float | None] = {}
    with reads_connection().cursor() as cursor:
        cursor.execute(sql, params)
        for whole, k, median in cursor.fetchall():
            out[None if whole else k] = float(median)
    return out


def _body_medians(body_ids: list[int], period: Period) -> dict[Key | None, float | None]:
    """Whole-day medians straight from the facts, for a handful of bodies (indexed by body)."""
    if not body_ids:
        return {}
    start, end = period.datetimes()
    with reads_connection().cursor() as cursor:
        cursor.execute(
            "SELECT body_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY floor(extract(epoch FROM "
            "resolved_at - received_at) / 86400)) FROM reporting_complaintfact "
            "WHERE body_id = ANY(%s) AND received_at >= %s AND received_at < %s AND resolved_at IS NOT NULL "
            "GROUP BY body_id", [body_ids, start, end])
        return {body_id: float(value) for body_id, value in cursor.fetchall()}


def _resolve_group(scope: Scope, body: LocalBody | None, group_by: str) -> str:
    if group_by == "area":
        group_by = "month" if body is not None else \
            {"nation": "province", "province": "district", "district": "body"}[scope.level]
    if group_by and group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    if body is not None and group_by in ("category", "body"):
        raise ValueError(f"group_by {group_by} is not available for one body")
    return group_by


def figures(scope: Scope, period: Period, *, body: LocalBody | None = None, category: str = "",
            group_by: str = "") -> Result:
    """Totals and optional rows for an area or one body. group_by: province, district, body,
    category, channel, status or month ("area" = the next level down)."""
    group_by = _resolve_group(scope, body, group_by)
    result = figures_grouped(scope, period, body=body, category=category, groups=[group_by] if group_by else [])
    return {"totals": result["totals"], "rows": result["rows"].get(group_by, [])}


def figures_grouped(scope: Scope, period: Period, *, body: LocalBody | None = None, category: str = "",
                    groups: list[str]) -> GroupedResult:
    """Totals and the rows of several groupings at once (the performance page's four): one
    statement per roll-up table involved, one for the medians. {"totals": ..., "rows": {group: rows}}"""
    groups = [_resolve_group(scope, body, g) for g in groups]
    sql_groups = [g for g in dict.fromkeys(groups) if g and g not in ("channel", "status")]
    by_source: dict[str, list[str]] = {}
    for group in sql_groups:
        by_source.setdefault(_source(scope, body, category, group), []).append(group)
    totals_source = _source(scope, body, category, "")
    if not by_source:
        by_source[totals_source] = []
    elif totals_source not in by_source:
        # The totals come with any grouping's statement (all tables hold the same facts); prefer the
        # one the totals would read anyway, else the first.
        totals_source = next(iter(by_source))
    raw_rows: dict[str, list[tuple[Key, Sums]]] = {}
    raw_totals: Sums = {}
    for source, source_groups in by_source.items():
        where, params = _where(source, scope, period, body, category)
        sums = FACT_SUMS_SQL if source == "facts" else SUMS_SQL
        totals_here, rows_here = _grouped(TABLES[source], where, params, sums, source_groups)
        if source == totals_source:
            raw_totals = totals_here
        raw_rows.update(rows_here)
    totals = _totals(raw_totals)

    # Medians: from the histograms when there is no category filter; one statement gives the totals'
    # and a province/district grouping's.
    median_key = next((g for g in sql_groups if g in ("province", "district")), None) if not category else None
    medians: dict[Key | None, float | None] = {}
    if body is not None:
        totals["median_days_to_resolve"] = None if category else _body_medians([body.pk], period).get(body.pk)
    elif category:
        totals["median_days_to_resolve"] = None
    else:
        area_level = scope.level == "district" or median_key == "district"
        medians = _medians("area" if area_level else "province", scope, period, median_key, total=True)
        totals["median_days_to_resolve"] = medians.get(None)

    result: GroupedResult = {"totals": totals, "rows": {}}
    for group in groups:
        if not group:
            continue
        if group in ("channel", "status"):
            counts = totals["by_channel"] if group == "channel" else totals["by_status"]
            labels = dict(Channel.choices) if group == "channel" else dict(Status.choices)
            result["rows"][group] = [{"key": k, "label": str(labels.get(k, k)), "received": v}
                                     for k, v in counts.items()]
            continue
        rows = raw_rows[group]
        if group == median_key:
            group_medians = medians
        elif group == "body" and not category:
            body_ids = [int(value) for value, _sums in rows if isinstance(value, int)]
            group_medians = _body_medians(body_ids, period) if len(rows) <= 200 else {}
        else:
            group_medians = {}
        names = _names(group, [value for value, _sums in rows])
        out: list[Row] = []
        for value, sums_row in rows:
            code = value.isoformat()[:7] if isinstance(value, dt.date) else str(value)
            if group == "body":
                code = names.get(value, ("", ""))[0]
            out.append(Row(**_figures(sums_row), key=code, label=names.get(value, (code, code))[1],
                           median_days_to_resolve=group_medians.get(value)))
        result["rows"][group] = out
    return result


def _names(group_by: str, keys: Sequence[Key]) -> dict[Key, tuple[str, str]]:
    """Each row's key and name, in the page's language (English names on English pages)."""
    if group_by == "province":
        return {p.code: (p.code, localised_name(p)) for p in Province.objects.filter(code__in=keys)}
    if group_by == "district":
        return {d.code: (d.code, localised_name(d)) for d in District.objects.filter(code__in=keys)}
    if group_by == "body":
        return {b.pk: (b.dla_code, b.display_name) for b in LocalBody.objects.filter(pk__in=keys)}
    if group_by == "category":
        found = {c.code: c for c in NationalCategory.objects.filter(code__in=keys)}
        return {k: (str(k), localised_name(found[str(k)]) if str(k) in found else str(k)) for k in keys}
    return {}


def national_category_label(code: str) -> str:
    """A national category by its name, never its code (the code itself if it is unknown)."""
    category = NationalCategory.objects.filter(code=code).first()
    return localised_name(category) if category is not None else code


def ranking(rows: list[Row]) -> tuple[list[RankedRow], list[Row]]:
    """Rows ranked by on-time resolution, then on-time reply; only those above the minimum volume."""
    floor = min_volume()
    too_few = [r for r in rows if r["received"] < floor]

    def key(r: Row) -> tuple[float, float, int]:
        pct = r["on_time_pct"]
        return (-(pct["resolve"] or 0.0), -(pct["reply"] or 0.0), -r["received"])

    ranked = sorted((r for r in rows if r["received"] >= floor), key=key)
    return [RankedRow(**row, rank=place) for place, row in enumerate(ranked, start=1)], too_few


def last_modified(scope: Scope, *, body: LocalBody | None = None) -> dt.datetime | None:
    """When the figures in scope last changed (the roll-ups' newest update)."""
    newest: dt.datetime | None
    if body is not None:
        newest = BodyRollup.objects.filter(body=body).aggregate(m=Max("updated_at"))["m"]
    elif scope.level == "district":
        newest = AreaRollup.objects.filter(scope.fact_filter()).aggregate(m=Max("updated_at"))["m"]
    else:
        newest = ProvinceRollup.objects.filter(scope.fact_filter()).aggregate(m=Max("updated_at"))["m"]
    return newest


def data_months(scope: Scope) -> tuple[dt.date | None, dt.date | None]:
    table = AreaRollup if scope.level == "district" else ProvinceRollup
    agg = table.objects.filter(scope.fact_filter()).aggregate(lo=Min("month"), hi=Max("month"))
    return agg["lo"], agg["hi"]
