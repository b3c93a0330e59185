"""Claiming the SLA clocks that are due, across all bodies, in one statement.

A range read of the partial index on StageClock.next_action_at, locked with FOR UPDATE SKIP LOCKED
and marked in the same UPDATE: the caller writes what the claims cause in the same transaction, so
a sweep that dies midway rolls its claims back with its writes (the next sweep redoes them), and
two sweeps at once never take the same row. The sweep itself (apps.oversight.sweep) decides and
hands the writes to the complaint service.

When each action falls due is decided where the clocks are written (apps.sla.services): warn at
75 % of a stage, escalate to the executives at breach, to the district office
`district_escalation_working_days()` working days after it (apps.sla.escalation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from apps.sla.calendar import Calendar

URGENT_CLASSES = frozenset({"A"})

CLAIM_SQL = """
WITH due AS (
    SELECT id FROM sla_stageclock
    WHERE next_action_at IS NOT NULL AND next_action_at <= %(now)s
    ORDER BY next_action_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE sla_stageclock AS s SET
    warned_at = CASE WHEN s.warned_at IS NULL AND s.warn_at <= %(now)s THEN %(now)s ELSE s.warned_at END,
    escalated_at = CASE WHEN s.escalated_at IS NULL AND s.due_at <= %(now)s THEN %(now)s ELSE s.escalated_at END,
    district_escalated_at = CASE WHEN s.district_escalated_at IS NULL AND s.district_due_at <= %(now)s
                                 THEN %(now)s ELSE s.district_escalated_at END,
    next_action_at = CASE
        WHEN s.warned_at IS NULL AND s.warn_at > %(now)s THEN s.warn_at
        WHEN s.escalated_at IS NULL AND s.due_at > %(now)s THEN s.due_at
        WHEN s.district_escalated_at IS NULL AND s.district_due_at > %(now)s THEN s.district_due_at
        ELSE NULL END
FROM due WHERE s.id = due.id
RETURNING s.id, s.body_id, s.complaint_id, s.stage, s.cycle, s.seq, s.sla_class, s.due_at,
    s.warned_at = %(now)s, s.escalated_at = %(now)s, s.district_escalated_at = %(now)s
"""


@dataclass(frozen=True)
class Claimed:
    clock_id: int
    body_id: int
    complaint_id: int
    stage: str
    cycle: int
    seq: int
    sla_class: str
    due_at: dt.datetime
    warn: bool
    escalate: bool
    district: bool


def stage_clocks_claim(*, now: dt.datetime, limit: int) -> list[Claimed]:
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {"now": now, "limit": limit})
        return [Claimed(*row) for row in cursor.fetchall()]


def when_to_notify(claim: Claimed, calendar: Calendar, now: dt.datetime) -> dt.datetime:
    # Nobody is woken at night or on a holiday for a non-urgent stage: the state is recorded now,
    # the message waits for the next office opening.
    if claim.sla_class in URGENT_CLASSES:
        return now
    return calendar.next_office_opening(now)
