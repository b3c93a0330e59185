"""Claiming the SLA clocks that are due, across all bodies, in two statements.

A range read of the partial index on StageClock.next_action_at, locked with FOR UPDATE SKIP LOCKED,
then one UPDATE that records on each claimed clock the steps the escalation rule
(apps.sla.escalation) says are due and its next action. The caller writes what the claims cause in
the same transaction, so a sweep that dies midway rolls its claims back with its writes (the next
sweep redoes them), and two sweeps at once never take the same row. The sweep itself
(apps.oversight.sweep) decides who is told and hands the writes to the complaint service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from apps.sla.calendar import Calendar
from apps.sla.escalation import Escalation, Step

URGENT_CLASSES = frozenset({"A"})

DUE_SQL = """
SELECT id, body_id, complaint_id, stage, cycle, seq, sla_class, warn_at, due_at, district_due_at,
    warned_at IS NOT NULL, escalated_at IS NOT NULL, district_escalated_at IS NOT NULL
FROM sla_stageclock
WHERE next_action_at IS NOT NULL AND next_action_at <= %(now)s
ORDER BY next_action_at
LIMIT %(limit)s
FOR UPDATE SKIP LOCKED
"""

MARK_SQL = """
UPDATE sla_stageclock AS s SET
    warned_at = CASE WHEN v.warn THEN %(now)s ELSE s.warned_at END,
    escalated_at = CASE WHEN v.escalate THEN %(now)s ELSE s.escalated_at END,
    district_escalated_at = CASE WHEN v.district THEN %(now)s ELSE s.district_escalated_at END,
    next_action_at = v.next_action_at
FROM unnest(%(ids)s::bigint[], %(warn)s::boolean[], %(escalate)s::boolean[], %(district)s::boolean[],
            %(next)s::timestamptz[]) AS v(id, warn, escalate, district, next_action_at)
WHERE s.id = v.id
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
    claims: list[Claimed] = []
    following: list[dt.datetime | None] = []
    with connection.cursor() as cursor:
        cursor.execute(DUE_SQL, {"now": now, "limit": limit})
        for (clock_id, body_id, complaint_id, stage, cycle, seq, sla_class, warn_at, due_at, district_due_at,
             warned, escalated, district_escalated) in cursor.fetchall():
            escalation = Escalation(warn_at=warn_at, due_at=due_at, district_due_at=district_due_at)
            reached = escalation.reached(now)
            warn = not warned and reached >= Step.STAFF
            escalate = not escalated and reached >= Step.EXECUTIVES
            district = not district_escalated and reached >= Step.DISTRICT_OFFICE
            claims.append(Claimed(clock_id, body_id, complaint_id, stage, cycle, seq, sla_class, due_at,
                                  warn, escalate, district))
            following.append(escalation.next_action(done=(warned or warn, escalated or escalate,
                                                          district_escalated or district)))
        if claims:
            cursor.execute(MARK_SQL, {
                "now": now, "ids": [c.clock_id for c in claims], "warn": [c.warn for c in claims],
                "escalate": [c.escalate for c in claims], "district": [c.district for c in claims],
                "next": following})
    return claims


def when_to_notify(claim: Claimed, calendar: Calendar, now: dt.datetime) -> dt.datetime:
    # Nobody is woken at night or on a holiday for a non-urgent stage: the state is recorded now,
    # the message waits for the next office opening.
    if claim.sla_class in URGENT_CLASSES:
        return now
    return calendar.next_office_opening(now)
