"""When a stage is escalated, and to whom: the one rule.

A stage's officer is warned at 75 % of its time (`warn_at`, from apps.sla.clock), its body's
executives are told when it is due and not done, and the district office (the provincial office
where there is none) `district_escalation_working_days()` working days later on the body's calendar.
The clock writer (apps.sla.services) stores the three times on each stage clock with `Escalation.of`;
the sweep (apps.oversight.sweep) records on a claimed clock every step `reached` says is due; the
oversight pages label an overdue case with the step its clock has `reached` — so the label and the
sweep cannot disagree about a case at any instant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.sla.calendar import Calendar


class Step(models.IntegerChoices):
    NONE = 0, _("ยังไม่ถึงกำหนดเร่งรัด")
    STAFF = 1, _("แจ้งเตือนเจ้าหน้าที่")
    EXECUTIVES = 2, _("ถึงผู้บริหารหน่วยงาน")
    DISTRICT_OFFICE = 3, _("ถึงท้องถิ่นอำเภอ")


def district_escalation_working_days() -> int:
    return int(getattr(settings, "SLA_DISTRICT_ESCALATION_WORKING_DAYS", 3))


@dataclass(frozen=True)
class Escalation:
    """A stage's three escalation times (None: the stage has no such step)."""

    warn_at: dt.datetime | None
    due_at: dt.datetime | None
    district_due_at: dt.datetime | None

    @classmethod
    def of(cls, *, warn_at: dt.datetime | None, due_at: dt.datetime | None, calendar: Calendar) -> Escalation:
        district = calendar.add_working_days(due_at, district_escalation_working_days()) if due_at else None
        return cls(warn_at=warn_at, due_at=due_at, district_due_at=district)

    def _times(self) -> tuple[tuple[Step, dt.datetime | None], ...]:
        return ((Step.STAFF, self.warn_at), (Step.EXECUTIVES, self.due_at),
                (Step.DISTRICT_OFFICE, self.district_due_at))

    def reached(self, now: dt.datetime) -> Step:
        """The furthest step due at `now` (a step falls due at its time, to the microsecond)."""
        step = Step.NONE
        for candidate, at in self._times():
            if at is not None and at <= now:
                step = candidate
        return step

    def next_action(self, *, done: tuple[bool, bool, bool]) -> dt.datetime | None:
        """The time of the first step not yet recorded (`done`: whether the clock has recorded the
        staff warning, the executives' and the district office's escalation)."""
        for recorded, (_step, at) in zip(done, self._times(), strict=True):
            if not recorded and at is not None:
                return at
        return None
