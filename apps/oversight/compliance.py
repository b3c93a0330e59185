"""When bodies met a directive's measured requirements: reads only (public schema, the facts and the
published agreements), never a body's schema. The services store what these return.

Each time is when the body did the thing, not when the platform looked:
- an SLA: the moment the agreement in force that meets the national minimum was both published and
  in force (its publication, or the start of its effective day if that is later);
- the overdue cases: the moment the last case that was overdue was answered (the overdue stage
  done late, or the case left the open statuses), when none is left unanswered.
A time before the directive was issued counts as its issue: a body that already complied did so
the moment the directive reached it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from apps.oversight.cases import STAGE_COLUMNS
from apps.oversight.rollup_sql import OPEN
from apps.sla.models import Agreement
from apps.sla.selectors import agreement_status


def sla_met_times(body_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """Bodies whose agreement in force meets the minimum, with when it was published and in force."""
    status = agreement_status(body_ids=list(body_ids))
    meeting = [s["agreement_id"] for s in status.values()
               if s["published"] and s["agreement_id"] and s["meets_framework"] is not False]
    tz = timezone.get_default_timezone()
    out: dict[int, dt.datetime] = {}
    for agreement in Agreement.objects.filter(pk__in=meeting).only("body_id", "effective_from", "published_at"):
        moments: list[dt.datetime] = [agreement.published_at] if agreement.published_at else []
        if agreement.effective_from:
            moments.append(dt.datetime.combine(agreement.effective_from, dt.time.min, tzinfo=tz))
        if moments:
            out[agreement.body_id] = max(moments)
    return out


def _answer(done: str) -> str:
    """When a stage stopped being unanswered: done, or the case leaving the open statuses."""
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    left = "COALESCE(resolved_at, closed_at, rejected_at, transferred_at, updated_at)"
    return f"COALESCE({done}, CASE WHEN status NOT IN ({open_list}) THEN {left} END)"


def overdue_met_times(body_ids: Iterable[int], now: dt.datetime) -> dict[int, dt.datetime | None]:
    """Bodies with no overdue case left unanswered (conduct cases are the office's), each with when
    its last late answer was given (None: it never had a late one)."""
    ids = list(body_ids)
    if not ids:
        return {}
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    unanswered = " OR ".join(f"({due} < %s AND {done} IS NULL)" for _s, due, done, _l in STAGE_COLUMNS)
    late = ", ".join(f"CASE WHEN {_answer(done)} > {due} THEN {_answer(done)} END"
                     for _s, due, done, _l in STAGE_COLUMNS)
    sql = (f"SELECT body_id, bool_or(status IN ({open_list}) AND ({unanswered})), max(GREATEST({late})) "  # noqa: S608
           "FROM reporting_complaintfact WHERE body_id = ANY(%s) AND NOT routed_to_oversight GROUP BY body_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [now] * len(STAGE_COLUMNS) + [ids])
        found = {body_id: (pending, last) for body_id, pending, last in cursor.fetchall()}
    return {body_id: found.get(body_id, (False, None))[1] for body_id in ids
            if not found.get(body_id, (False, None))[0]}
