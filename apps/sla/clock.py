"""The SLA clock of one complaint, rebuilt from its event log (pure: no database).

Inputs: the snapshot of the rows in force at receipt (see services.sla_snapshot_for), the
complaint's events, a Calendar and "now". Nothing is read from stored counters, so the result is
the same however often and in whatever order it is recomputed.

Rules (DESIGN.md, "SLA model"):
- A cycle starts at receipt, at each reopen (a status event to "received" with data.reopen) and
  when a transfer that was refused comes back (transferred → an open status).
- Stages per cycle: acknowledge (first status change away from "received"), route (first assign,
  or a transfer out: time to transfer), first substantive reply (first public reply, or the
  resolution itself), resolution (resolved/closed/rejected/merged), closure notice (after
  resolution: closing, or a public reply/notice), and progress reports every N days while open
  (each public reply or notice starts the next period).
- Time in "waiting" (for the complainant) stops every stage's clock and is counted in
  paused_seconds. A transfer out stops the sender's stages (met if not already late).
- Working-day limits count office time on the calendar; calendar-day limits count wall time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from apps.sla.calendar import Calendar

ACK, ROUTE, REPLY, RESOLVE, PROGRESS, CLOSURE = "ack", "route", "reply", "resolve", "progress", "closure"
STAGES = (ACK, ROUTE, REPLY, RESOLVE, PROGRESS, CLOSURE)
CALENDAR, WORKING = "calendar", "working"
WARN_FRACTION = 0.75

PAUSE_STATUSES = frozenset({"waiting"})
OPEN_STATUSES = frozenset({"received", "acknowledged", "in_progress", "waiting"})
RESOLUTION_STATUSES = frozenset({"resolved", "closed", "rejected", "merged"})
TRANSFERRED = "transferred"


@dataclass(frozen=True)
class Event:
    kind: str
    created_at: dt.datetime
    to_status: str = ""
    is_public: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, obj: Any) -> Event:
        """From a ComplaintEvent, a dict, or an Event."""
        if isinstance(obj, Event):
            return obj
        get: Callable[..., Any] = obj.get if isinstance(obj, Mapping) \
            else (lambda name, default=None: getattr(obj, name, default))
        return cls(kind=get("kind", "") or "", created_at=get("created_at"), to_status=get("to_status", "") or "",
                   is_public=bool(get("is_public", False)), data=get("data", None) or {})

    @property
    def is_reopen(self) -> bool:
        return self.to_status == "received" and bool(self.data.get("reopen"))

    @property
    def is_report(self) -> bool:
        # What tells the complainant where things stand: a public reply or a notice sent to them.
        return (self.kind == "reply" and self.is_public) or self.kind == "notification"


@dataclass
class StageResult:
    stage: str
    cycle: int
    seq: int
    days: int
    day_type: str
    started_at: dt.datetime
    due_at: dt.datetime
    warn_at: dt.datetime
    completed_at: dt.datetime | None = None
    met: bool | None = None
    # The clock is stopped now (waiting for the complainant); due_at/warn_at are projected as if
    # it restarted now.
    paused: bool = False
    stopped_by_transfer: bool = False

    def breached(self, now: dt.datetime) -> bool:
        if self.met is not None:
            return not self.met
        return not self.paused and now > self.due_at

    @property
    def pending(self) -> bool:
        return self.completed_at is None


@dataclass
class ClockResult:
    stages: list[StageResult]
    cycles: int
    paused_seconds: int
    ever_breached: bool
    time_to_transfer_seconds: int | None
    now: dt.datetime

    def current(self, stage: str) -> StageResult | None:
        """The stage in the latest cycle (for progress, its latest period)."""
        found = [s for s in self.stages if s.stage == stage and s.cycle == self.cycles - 1]
        return found[-1] if found else None

    def pending(self) -> list[StageResult]:
        return sorted((s for s in self.stages if s.pending), key=lambda s: s.due_at)


@dataclass(frozen=True)
class _Stop:
    start: dt.datetime
    end: dt.datetime | None


class _Deadline:
    def __init__(self, calendar: Calendar, stops: Sequence[_Stop], now: dt.datetime) -> None:
        self.calendar, self.stops, self.now = calendar, stops, now

    def _measure(self, day_type: str, a: dt.datetime, b: dt.datetime) -> float:
        if day_type == WORKING:
            return self.calendar.office_seconds_between(a, b)
        return max(0.0, (b - a).total_seconds())

    def _advance(self, day_type: str, a: dt.datetime, seconds: float) -> dt.datetime:
        if day_type == WORKING:
            return self.calendar.add_office_seconds(a, seconds)
        return a + dt.timedelta(seconds=seconds)

    def budget(self, days: float, day_type: str) -> float:
        return days * (self.calendar.office_seconds if day_type == WORKING else 86400.0)

    def at(self, start: dt.datetime, seconds: float, day_type: str) -> tuple[dt.datetime, bool]:
        """When `seconds` of clock time (wall or office) have run after `start`, skipping stops.
        Returns (instant, stopped_now): stopped_now when an open stop (now waiting) is reached
        first, and the instant is projected from now."""
        t, remaining = start, seconds
        for stop in self.stops:
            if stop.end is not None and stop.end <= t:
                continue
            if stop.start > t:
                segment = self._measure(day_type, t, stop.start)
                if segment >= remaining:
                    return self._advance(day_type, t, remaining), False
                remaining -= segment
            if stop.end is None:
                return self._advance(day_type, max(self.now, stop.start, t), remaining), True
            t = max(t, stop.end)
        return self._advance(day_type, t, remaining), False


def _rows(snapshot: Mapping[str, Any]) -> dict[str, tuple[int, str]]:
    rows = snapshot.get("stages") or {}
    return {stage: (int(row["days"]), str(row["day_type"])) for stage, row in rows.items() if row}


def compute(snapshot: Mapping[str, Any], events: Iterable[Any], calendar: Calendar, *,
            received_at: dt.datetime, now: dt.datetime) -> ClockResult:
    rows = _rows(snapshot)
    evs = sorted((Event.of(e) for e in events), key=lambda e: e.created_at)

    # Status timeline → cycle starts, pauses (waiting) and the transfer stop.
    status, since = "received", received_at
    cycle_starts = [received_at]
    pauses: list[_Stop] = []
    paused_seconds = 0.0
    for ev in evs:
        if not ev.to_status or ev.created_at < received_at:
            continue
        if status in PAUSE_STATUSES and ev.to_status not in PAUSE_STATUSES:
            pauses.append(_Stop(since, ev.created_at))
            paused_seconds += (ev.created_at - since).total_seconds()
        if ev.is_reopen or (status == TRANSFERRED and ev.to_status in OPEN_STATUSES):
            cycle_starts.append(ev.created_at)
        if ev.to_status != status:
            if ev.to_status in PAUSE_STATUSES and status not in PAUSE_STATUSES:
                since = ev.created_at
            status = ev.to_status
    if status in PAUSE_STATUSES:
        pauses.append(_Stop(since, None))
        paused_seconds += max(0.0, (now - since).total_seconds())

    deadline = _Deadline(calendar, pauses, now)
    stages: list[StageResult] = []
    time_to_transfer: int | None = None

    def stage(name: str, cycle: int, seq: int, start: dt.datetime, done: dt.datetime | None,
              *, by_transfer: bool = False) -> StageResult | None:
        if name not in rows:
            return None
        days, day_type = rows[name]
        budget = deadline.budget(days, day_type)
        due, paused = deadline.at(start, budget, day_type)
        warn, _ = deadline.at(start, budget * WARN_FRACTION, day_type)
        result = StageResult(stage=name, cycle=cycle, seq=seq, days=days, day_type=day_type, started_at=start,
                             due_at=due, warn_at=warn)
        if done is not None:
            # A stage completed is never "paused": its due time is fixed by the pauses before it.
            due, _ = _Deadline(calendar, [p for p in pauses if p.start < done], done).at(start, budget, day_type)
            result.due_at, result.completed_at, result.met = due, done, done <= due
            result.stopped_by_transfer = by_transfer
        else:
            result.paused = paused and not now > due
        stages.append(result)
        return result

    def run_cycle(cycle: int, start: dt.datetime, end: dt.datetime | None) -> None:
        nonlocal time_to_transfer
        in_cycle = [e for e in evs if e.created_at >= start and (end is None or e.created_at < end)
                    and not (e.created_at == start and e.is_reopen)]

        def first(pred: Any, after: dt.datetime | None = None, events: list[Event] = in_cycle) -> Event | None:
            return next((e for e in events if pred(e) and (after is None or e.created_at >= after)), None)

        transfer = first(lambda e: e.to_status == TRANSFERRED)
        transfer_at = transfer.created_at if transfer else None
        resolution = first(lambda e: e.to_status in RESOLUTION_STATUSES)
        resolved_at = resolution.created_at if resolution else None
        if transfer_at and resolved_at and resolved_at > transfer_at:
            resolved_at = None
        stop_at = transfer_at if transfer_at and not resolved_at else None

        def done_or_stop(found: dt.datetime | None) -> tuple[dt.datetime | None, bool]:
            if found is not None and (stop_at is None or found <= stop_at):
                return found, False
            return (stop_at, True) if stop_at else (None, False)

        ack = first(lambda e: bool(e.to_status) and e.to_status not in {"received", "transfer_offered"})
        stage(ACK, cycle, 0, start, ack.created_at if ack else None)

        routed = first(lambda e: e.kind in {"assign", "transfer"} or e.to_status == TRANSFERRED)
        stage(ROUTE, cycle, 0, start, routed.created_at if routed else None)
        if transfer_at is not None and time_to_transfer is None:
            time_to_transfer = int((transfer_at - start).total_seconds())

        reply = first(lambda e: e.kind == "reply" and e.is_public)
        reply_at = min(t for t in (reply.created_at if reply else None, resolved_at) if t) if (reply or resolved_at) \
            else None
        done, by_transfer = done_or_stop(reply_at)
        stage(REPLY, cycle, 0, start, done, by_transfer=by_transfer)

        done, by_transfer = done_or_stop(resolved_at)
        stage(RESOLVE, cycle, 0, start, done, by_transfer=by_transfer)

        if resolved_at is not None and resolution is not None:
            if resolution.to_status in {"closed", "rejected", "merged"}:
                notice_at: dt.datetime | None = resolved_at
            else:
                notice = first(lambda e: e.to_status == "closed" or e.is_report, after=resolved_at)
                notice_at = notice.created_at if notice else None
            stage(CLOSURE, cycle, 0, resolved_at, notice_at)

        # Progress reports: each period runs from the previous report (or the cycle's start).
        if PROGRESS in rows:
            anchor, seq = start, 0
            finish = resolved_at or stop_at
            while seq < 1000:
                report = first(lambda e, a=anchor: e.is_report and e.created_at > a)
                report_at = report.created_at if report else None
                if report_at is not None and (finish is None or report_at < finish):
                    stage(PROGRESS, cycle, seq, anchor, report_at)
                    anchor, seq = report_at, seq + 1
                    continue
                stage(PROGRESS, cycle, seq, anchor, finish, by_transfer=bool(stop_at and finish == stop_at))
                break

    for cycle, start in enumerate(cycle_starts):
        run_cycle(cycle, start, cycle_starts[cycle + 1] if cycle + 1 < len(cycle_starts) else None)

    ever = any(s.breached(now) for s in stages)
    return ClockResult(stages=stages, cycles=len(cycle_starts), paused_seconds=int(paused_seconds),
                       ever_breached=ever, time_to_transfer_seconds=time_to_transfer, now=now)
