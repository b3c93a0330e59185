"""One escalation rule: the oversight pages' label of an overdue case says the step the sweep has
recorded on it, at every instant of its life (apps.sla.escalation)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tenants.utils import schema_context

from apps.oversight import cases
from apps.oversight.scoping import Scope
from apps.oversight.sweep import stage_clocks_sweep
from apps.sla.calendar import Calendar
from apps.sla.escalation import Escalation, Step
from apps.sla.models import StageClock
from tests.apps.sla.helpers import at, clock_sync, complaint_make, event_add

DISTRICT = Scope("district", "7606")


def _recorded(clock: StageClock) -> Step:
    """The furthest step the sweep has recorded on a stage clock."""
    if clock.district_escalated_at is not None:
        return Step.DISTRICT_OFFICE
    if clock.escalated_at is not None:
        return Step.EXECUTIVES
    if clock.warned_at is not None:
        return Step.STAFF
    return Step.NONE


@pytest.mark.django_db
def test_the_overdue_label_is_the_step_the_sweep_recorded_at_every_instant(banlat) -> None:
    received = at("2025-03-03", "09:00")  # a Monday
    with schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, received)
        clock_sync(banlat, complaint, received)
    labels = {step: str(step.label) for step in Step}
    # Acknowledged late on Thursday, routed late the next Wednesday.
    staff_work = {at("2025-03-06", "10:00"): ("status", "acknowledged", "acknowledged_at"),
                  at("2025-03-12", "10:00"): ("assign", "", "routed_at")}
    seen: list[tuple[str, str, str]] = []
    # Every hour for 20 days, nights and the weekends included: 481 instants.
    for hours in range(0, 20 * 24 + 1):
        now = received + dt.timedelta(hours=hours)
        with time_machine.travel(now, tick=False):
            if now in staff_work:
                kind, to_status, column = staff_work[now]
                with schema_context(banlat.schema_name):
                    event_add(complaint, kind, now, to_status=to_status)
                    setattr(complaint, column, now)
                    complaint.save(update_fields=[column])
                    clock_sync(banlat, complaint, now)
            stage_clocks_sweep(now=now)
            rows = [r for r in cases.overdue_facts(DISTRICT, now=now) if r["tracking_code"] == complaint.tracking_code]
        clocks = {(c.stage, c.due_at): c for c in StageClock.objects.filter(complaint_id=complaint.pk, body=banlat)}
        late = sorted((due, stage) for (stage, due), c in clocks.items()
                      if stage in ("ack", "route", "reply", "resolve") and due is not None and due < now
                      and c.completed_at is None)
        if not late:
            assert rows == []
            continue
        (row,) = rows
        due_at, stage = late[0]
        assert row["due_at"] == due_at
        assert row["escalation"] == labels[_recorded(clocks[(stage, due_at)])], now
        if not seen or seen[-1][1:] != (stage, row["escalation"]):
            seen.append((now.strftime("%a %d %H:%M"), stage, row["escalation"]))
    # Each late stage goes to the executives at its deadline (listed from the next hour: a stage
    # is overdue after its due time) and to the district office 3 working days later.
    assert seen == [
        ("Tue 04 10:00", "ack", "ถึงผู้บริหารหน่วยงาน"),  # 1 working day
        ("Thu 06 10:00", "route", "ถึงผู้บริหารหน่วยงาน"),  # 3 working days; acknowledged at 10:00
        ("Tue 11 09:00", "route", "ถึงท้องถิ่นอำเภอ"),
        ("Tue 18 10:00", "reply", "ถึงผู้บริหารหน่วยงาน"),  # 15 calendar days
        ("Fri 21 09:00", "reply", "ถึงท้องถิ่นอำเภอ"),
    ]


def test_the_steps_fall_due_at_their_times_to_the_microsecond() -> None:
    calendar = Calendar.build()
    due = at("2025-03-07", "16:00")  # a Friday: three working days later is Wednesday
    escalation = Escalation.of(warn_at=at("2025-03-07", "10:00"), due_at=due, calendar=calendar)
    assert escalation.district_due_at == at("2025-03-12", "16:00")
    tick = dt.timedelta(microseconds=1)
    assert [escalation.reached(t) for t in (at("2025-03-07", "10:00") - tick, at("2025-03-07", "10:00"),
                                            due - tick, due, at("2025-03-12", "16:00") - tick,
                                            at("2025-03-12", "16:00"))] == [
        Step.NONE, Step.STAFF, Step.STAFF, Step.EXECUTIVES, Step.EXECUTIVES, Step.DISTRICT_OFFICE]
    assert escalation.next_action(done=(False, False, False)) == at("2025-03-07", "10:00")
    assert escalation.next_action(done=(True, False, False)) == due
    assert escalation.next_action(done=(True, True, False)) == at("2025-03-12", "16:00")
    assert escalation.next_action(done=(True, True, True)) is None
