"""The pure clock (apps.sla.clock): exact deadlines on the Thai calendar, no database."""

from __future__ import annotations

import datetime as dt

from apps.sla import clock
from apps.sla.calendar import BANGKOK, Calendar
from apps.sla.clock import Event
from apps.sla.defaults import default_rows


def at(day: str, hm: str = "09:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=BANGKOK)


def snapshot(sla_class: str = "B") -> dict:
    return {"source": "framework", "version": 1, "sla_class": sla_class,
            "stages": {stage: {"days": days, "day_type": kind}
                       for cls, stage, days, kind in default_rows() if cls == sla_class}}


def status(when: dt.datetime, to: str, **data: object) -> Event:
    return Event(kind="status", created_at=when, to_status=to, is_public=True, data=data)


def run(events: list[Event], received: dt.datetime, now: dt.datetime, *, sla_class: str = "B",
        calendar: Calendar | None = None) -> clock.ClockResult:
    return clock.compute(snapshot(sla_class), events, calendar or Calendar.build(), received_at=received, now=now)


def test_weekend_is_skipped_for_working_day_stages() -> None:
    received = at("2025-03-07", "15:00")  # a Friday
    result = run([], received, received)
    assert result.current("ack").due_at == at("2025-03-10", "15:00")
    assert result.current("ack").warn_at == at("2025-03-10", "13:00")
    assert result.current("route").due_at == at("2025-03-12", "15:00")
    assert result.current("reply").due_at == at("2025-03-22", "15:00")
    assert result.current("resolve").due_at == at("2025-03-22", "15:00")


def test_received_on_saturday_is_due_at_monday_closing() -> None:
    result = run([], at("2025-03-08", "10:00"), at("2025-03-08", "10:00"))
    assert result.current("ack").due_at == at("2025-03-10", "16:30")


def test_songkran_holidays_and_in_lieu_day_are_skipped() -> None:
    # 13–15 April 2025 plus the in-lieu Wednesday 16th: Friday 15:00 → Thursday 17th 15:00.
    result = run([], at("2025-04-11", "15:00"), at("2025-04-11", "15:00"))
    assert result.current("ack").due_at == at("2025-04-17", "15:00")


def test_coronation_day_in_lieu_monday_is_skipped() -> None:
    result = run([], at("2025-05-02", "16:00"), at("2025-05-02", "16:00"))
    assert result.current("ack").due_at == at("2025-05-06", "16:00")


def test_body_closure_and_national_extra_day_are_skipped() -> None:
    calendar = Calendar.build({dt.date(2025, 3, 10), dt.date(2025, 3, 11)})
    result = run([], at("2025-03-07", "15:00"), at("2025-03-07", "15:00"), calendar=calendar)
    assert result.current("ack").due_at == at("2025-03-12", "15:00")


def test_class_a_resolution_is_one_working_day() -> None:
    result = run([], at("2025-03-03", "09:00"), at("2025-03-03", "09:00"), sla_class="A")
    assert result.current("resolve").due_at == at("2025-03-04", "09:00")
    assert (result.current("resolve").days, result.current("resolve").day_type) == (1, "working")


def test_waiting_pauses_every_stage_and_resume_restarts_it() -> None:
    received = at("2025-03-03", "09:00")
    events = [status(at("2025-03-03", "09:30"), "acknowledged"),
              status(at("2025-03-04", "09:00"), "waiting"),
              status(at("2025-03-06", "09:00"), "in_progress")]
    paused = run(events[:2], received, at("2025-03-05", "12:00"))
    assert paused.current("route").paused is True
    assert paused.current("route").breached(at("2025-03-05", "12:00")) is False
    assert paused.paused_seconds == 27 * 3600

    resumed = run(events, received, at("2025-03-06", "10:00"))
    assert resumed.paused_seconds == 48 * 3600
    assert resumed.current("ack").met is True
    # 8 office hours used before the pause, 16 left from Thursday 09:00.
    assert resumed.current("route").due_at == at("2025-03-10", "09:00")
    assert resumed.current("route").paused is False
    assert resumed.current("reply").due_at == at("2025-03-20", "09:00")


def test_reopen_starts_a_new_cycle_and_keeps_ever_breached() -> None:
    received = at("2025-03-03", "09:00")
    events = [status(at("2025-03-04", "11:00"), "acknowledged"),  # 2 hours late
              Event(kind="assign", created_at=at("2025-03-04", "11:05")),
              Event(kind="reply", created_at=at("2025-03-05", "10:00"), is_public=True),
              status(at("2025-03-10", "10:00"), "resolved"),
              status(at("2025-03-10", "10:30"), "closed"),
              status(at("2025-03-20", "10:00"), "received", reopen=True)]
    result = run(events, received, at("2025-03-20", "10:05"))
    assert result.cycles == 2
    first_ack = next(s for s in result.stages if s.stage == "ack" and s.cycle == 0)
    assert (first_ack.due_at, first_ack.met) == (at("2025-03-04", "09:00"), False)
    closure = next(s for s in result.stages if s.stage == "closure" and s.cycle == 0)
    assert (closure.completed_at, closure.met) == (at("2025-03-10", "10:30"), True)
    ack = result.current("ack")
    assert (ack.cycle, ack.started_at, ack.due_at, ack.met) == (1, at("2025-03-20", "10:00"), at("2025-03-21", "10:00"),
                                                                None)
    assert result.current("resolve").due_at == at("2025-04-04", "10:00")
    assert result.ever_breached is True


def test_transfer_stops_sender_clock_and_measures_time_to_transfer() -> None:
    received = at("2025-03-03", "09:00")
    events = [status(at("2025-03-03", "10:00"), "acknowledged"),
              status(at("2025-03-05", "10:00"), "transferred")]
    result = run(events, received, at("2025-04-30", "10:00"))
    route = result.current("route")
    assert (route.completed_at, route.met) == (at("2025-03-05", "10:00"), True)
    assert result.time_to_transfer_seconds == 2 * 86400 + 3600
    resolve = result.current("resolve")
    assert (resolve.completed_at, resolve.met, resolve.stopped_by_transfer) == (at("2025-03-05", "10:00"), True, True)
    assert result.pending() == []
    assert result.ever_breached is False


def test_returned_transfer_starts_a_new_cycle() -> None:
    events = [status(at("2025-03-05", "10:00"), "transferred"), status(at("2025-03-06", "10:00"), "acknowledged")]
    result = run(events, at("2025-03-03", "09:00"), at("2025-03-06", "11:00"))
    assert result.cycles == 2
    assert result.current("resolve").started_at == at("2025-03-06", "10:00")


def test_progress_reports_restart_the_period() -> None:
    received = at("2025-03-03", "09:00")
    events = [Event(kind="reply", created_at=at("2025-03-10", "09:00"), is_public=True),
              Event(kind="reply", created_at=at("2025-03-12", "09:00"), is_public=False)]
    result = run(events, received, at("2025-03-12", "10:00"), sla_class="D")
    periods = [s for s in result.stages if s.stage == "progress"]
    assert [(p.seq, p.started_at, p.due_at, p.met) for p in periods] == [
        (0, received, at("2025-03-18", "09:00"), True),
        (1, at("2025-03-10", "09:00"), at("2025-03-25", "09:00"), None),
    ]
    assert result.current("resolve").due_at == at("2025-04-17", "09:00")


def test_breach_is_reported_for_pending_stage_past_due() -> None:
    result = run([], at("2025-03-03", "09:00"), at("2025-03-04", "09:01"))
    assert result.current("ack").breached(at("2025-03-04", "09:01")) is True
    assert result.ever_breached is True


def test_rejection_completes_reply_resolution_and_closure() -> None:
    events = [status(at("2025-03-03", "10:00"), "rejected")]
    result = run(events, at("2025-03-03", "09:00"), at("2025-03-03", "11:00"))
    assert {s.stage: s.met for s in result.stages} == {
        "ack": True, "route": None, "reply": True, "resolve": True, "closure": True, "progress": True}
