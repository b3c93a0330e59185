# ruff: noqa: S608 - SQL assembled from this module's constants only; no outside input reaches it.
"""SQL of the fact roll-ups: the trigger that keeps them in step with reporting_complaintfact, and
a full rebuild (after a bulk load with the trigger disabled, or to verify).

Migrations 0002 and 0003 hold frozen copies of the trigger SQL, as migrations must not import app
code (0003: the province roll-ups added).
"""

from __future__ import annotations

OPEN = ("received", "acknowledged", "in_progress", "waiting")
CHANNELS = {"web": "web", "walk_in": "walk_in", "phone": "phone", "letter": "letter", "line": "line",
            "email": "email", "1111": "1111", "transfer": "transfer"}
STATUSES = ("received", "acknowledged", "in_progress", "waiting", "resolved", "closed", "rejected",
            "transferred", "merged", "transfer_offered")
STAGES = ("ack", "route", "reply", "resolve")
MONTH = "date_trunc('month', {r}.received_at AT TIME ZONE 'Asia/Bangkok')::date"
DAYS = "GREATEST(0, LEAST(400, floor(extract(epoch FROM {r}.resolved_at - {r}.received_at) / 86400)))::int"


def metric_exprs(r: str) -> dict[str, str]:
    """Column → the value one fact row (alias r) contributes."""
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    exprs = {
        "received": "1",
        "open": f"({r}.status IN ({open_list}))::int",
        "resolved": f"({r}.resolved_at IS NOT NULL)::int",
        "breached": f"({r}.ever_breached)::int",
        "routed_to_oversight": f"({r}.routed_to_oversight)::int",
    }
    for stage in STAGES:
        exprs[f"{stage}_met"] = f"({r}.{stage}_met IS TRUE)::int"
        exprs[f"{stage}_late"] = f"({r}.{stage}_met IS FALSE)::int"
    exprs["resolve_days_sum"] = (
        f"COALESCE(extract(epoch FROM {r}.resolved_at - {r}.received_at) / 86400.0, 0)::float8")
    for column, value in CHANNELS.items():
        exprs[f"ch_{column}"] = f"({r}.channel = '{value}')::int"
    for status in STATUSES:
        exprs[f"st_{status}"] = f"({r}.status = '{status}')::int"
    return exprs


METRICS = list(metric_exprs("r"))
RELEVANT = ("status", "channel", "national_category", "received_at", "resolved_at", "ever_breached",
            "routed_to_oversight", "ack_met", "route_met", "reply_met", "resolve_met", "province_code",
            "district_code", "body_id")


def _upsert(table: str, keys: list[tuple[str, str]], values: list[str], conflict: tuple[str, ...]) -> str:
    columns = [k for k, _ in keys] + METRICS + ["updated_at"]
    updates = ", ".join(f"{m} = t.{m} + EXCLUDED.{m}" for m in METRICS)
    return (
        f"INSERT INTO {table} AS t ({', '.join(columns)}) VALUES ({', '.join([v for _, v in keys] + values)}, "
        f"now()) ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}, updated_at = now();"
    )


# table → (its key: column and the value from a fact aliased {r}, the conflict target)
ROLLUPS = {
    "oversight_arearollup": ([("province_code", "{r}.province_code"), ("district_code", "{r}.district_code"),
                              ("month", MONTH), ("national_category", "{r}.national_category")],
                             ("province_code", "district_code", "month", "national_category")),
    "oversight_bodyrollup": ([("body_id", "{r}.body_id"), ("province_code", "{r}.province_code"),
                              ("district_code", "{r}.district_code"), ("month", MONTH)], ("body_id", "month")),
    "oversight_provincerollup": ([("province_code", "{r}.province_code"), ("month", MONTH),
                                  ("national_category", "{r}.national_category")],
                                 ("province_code", "month", "national_category")),
}
DAYS_ROLLUPS = {
    "oversight_arearesolvedays": [("province_code", "{r}.province_code"), ("district_code", "{r}.district_code"),
                                  ("month", MONTH)],
    "oversight_provinceresolvedays": [("province_code", "{r}.province_code"), ("month", MONTH)],
}


def _keys(table: str, r: str) -> list[tuple[str, str]]:
    return [(c, v.format(r=r)) for c, v in ROLLUPS[table][0]]


def _signed(table: str, r: str, sign: str) -> str:
    """The fact aliased r added (sign 1) to or taken out (-1) of the table's roll-up."""
    return _upsert(table, _keys(table, r), [f"{sign} * {e}" for e in metric_exprs(r).values()], ROLLUPS[table][1])


def _days(table: str, r: str, sign: str) -> str:
    keys = [(c, v.format(r=r)) for c, v in DAYS_ROLLUPS[table]]
    columns = ", ".join([c for c, _ in keys] + ["days", "count"])
    values = ", ".join([v for _, v in keys] + [DAYS.format(r=r), sign])
    conflict = ", ".join([c for c, _ in keys] + ["days"])
    return (f"INSERT INTO {table} AS t ({columns}) VALUES ({values}) "
            f"ON CONFLICT ({conflict}) DO UPDATE SET count = t.count + EXCLUDED.count;")


def _move(table: str) -> str:
    """An updated fact: when its key in the table is unchanged (the usual case: a status change),
    one upsert of the differences; else out of the old row and into the new."""
    old_key = ", ".join(v for _, v in _keys(table, "o"))
    new_key = ", ".join(v for _, v in _keys(table, "n"))
    old_exprs, new_exprs = metric_exprs("o"), metric_exprs("n")
    deltas = [f"({new_exprs[m]}) - ({old_exprs[m]})" for m in METRICS]
    return f"""
  IF ROW({old_key}) IS NOT DISTINCT FROM ROW({new_key}) THEN
    {_upsert(table, _keys(table, "n"), deltas, ROLLUPS[table][1])}
  ELSE
    {_signed(table, "o", "-1")}
    {_signed(table, "n", "1")}
  END IF;"""


def trigger_sql() -> str:
    apply_statements = "\n  ".join(_signed(t, "r", "sign") for t in ROLLUPS)
    apply_days = "\n    ".join(_days(t, "r", "sign") for t in DAYS_ROLLUPS)
    move_statements = "".join(_move(t) for t in ROLLUPS)
    old_days = "\n    ".join(_days(t, "o", "-1") for t in DAYS_ROLLUPS)
    new_days = "\n    ".join(_days(t, "n", "1") for t in DAYS_ROLLUPS)
    days_inputs = ("province_code", "district_code", "received_at", "resolved_at")
    days_moved = (f"ROW({', '.join(f'o.{c}' for c in days_inputs)}) IS DISTINCT FROM "
                  f"ROW({', '.join(f'n.{c}' for c in days_inputs)})")
    old = ", ".join(f"OLD.{c}" for c in RELEVANT)
    new = ", ".join(f"NEW.{c}" for c in RELEVANT)
    return f"""
CREATE OR REPLACE FUNCTION oversight_rollup_apply(r reporting_complaintfact, sign integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  {apply_statements}
  IF r.resolved_at IS NOT NULL THEN
    {apply_days}
  END IF;
END $$;

CREATE OR REPLACE FUNCTION oversight_rollup_move(o reporting_complaintfact, n reporting_complaintfact)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN{move_statements}
  IF {days_moved} THEN
    IF o.resolved_at IS NOT NULL THEN
    {old_days}
    END IF;
    IF n.resolved_at IS NOT NULL THEN
    {new_days}
    END IF;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION oversight_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF ROW({old}) IS NOT DISTINCT FROM ROW({new}) THEN
      RETURN NULL;
    END IF;
    PERFORM oversight_rollup_move(OLD, NEW);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM oversight_rollup_apply(OLD, -1);
  ELSE
    PERFORM oversight_rollup_apply(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS oversight_rollup ON reporting_complaintfact;
CREATE TRIGGER oversight_rollup AFTER INSERT OR UPDATE OR DELETE ON reporting_complaintfact
FOR EACH ROW EXECUTE FUNCTION oversight_rollup_trigger();
"""


DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS oversight_rollup ON reporting_complaintfact;
DROP FUNCTION IF EXISTS oversight_rollup_trigger();
DROP FUNCTION IF EXISTS oversight_rollup_move(reporting_complaintfact, reporting_complaintfact);
DROP FUNCTION IF EXISTS oversight_rollup_apply(reporting_complaintfact, integer);
"""

# Indexes on the facts for the two lists oversight reads from the facts directly. Partial, so they
# hold only open or routed complaints (a small share of ten million rows).
FACT_INDEX_SQL = """
CREATE INDEX IF NOT EXISTS oversight_fact_open_area ON reporting_complaintfact
  (province_code, district_code, body_id) WHERE status IN ('received', 'acknowledged', 'in_progress', 'waiting');
CREATE INDEX IF NOT EXISTS oversight_fact_routed ON reporting_complaintfact
  (province_code, district_code, received_at) WHERE routed_to_oversight;
"""
DROP_FACT_INDEX_SQL = """
DROP INDEX IF EXISTS oversight_fact_open_area;
DROP INDEX IF EXISTS oversight_fact_routed;
"""


def rebuild_sql() -> list[str]:
    """Statements that recompute every roll-up from the facts."""
    exprs = metric_exprs("f")
    sums = ", ".join(f"sum({e})" for e in exprs.values())
    month = MONTH.format(r="f")
    metrics = ", ".join(METRICS)
    return [
        "TRUNCATE oversight_arearollup, oversight_bodyrollup, oversight_arearesolvedays, oversight_provincerollup, "
        "oversight_provinceresolvedays",
        f"INSERT INTO oversight_arearollup (province_code, district_code, month, national_category, {metrics}, "
        f"updated_at) SELECT f.province_code, f.district_code, {month}, f.national_category, {sums}, now() "
        "FROM reporting_complaintfact f GROUP BY 1, 2, 3, 4",
        f"INSERT INTO oversight_bodyrollup (body_id, province_code, district_code, month, {metrics}, updated_at) "
        f"SELECT f.body_id, min(f.province_code), min(f.district_code), {month}, {sums}, now() "
        "FROM reporting_complaintfact f GROUP BY 1, 4",
        "INSERT INTO oversight_arearesolvedays (province_code, district_code, month, days, count) "
        f"SELECT f.province_code, f.district_code, {month}, {DAYS.format(r='f')}, count(*) "
        "FROM reporting_complaintfact f WHERE f.resolved_at IS NOT NULL GROUP BY 1, 2, 3, 4",
        *province_rebuild_sql(),
    ]


def province_rebuild_sql() -> list[str]:
    """The province roll-ups are exact sums of the district ones (same facts, coarser key)."""
    metrics = ", ".join(METRICS)
    sums = ", ".join(f"sum({m})" for m in METRICS)
    return [
        f"INSERT INTO oversight_provincerollup (province_code, month, national_category, {metrics}, updated_at) "
        f"SELECT province_code, month, national_category, {sums}, max(updated_at) FROM oversight_arearollup "
        "GROUP BY 1, 2, 3",
        "INSERT INTO oversight_provinceresolvedays (province_code, month, days, count) "
        "SELECT province_code, month, days, sum(count) FROM oversight_arearesolvedays GROUP BY 1, 2, 3",
    ]
