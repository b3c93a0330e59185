"""The deadlines a person reads on the staff case page, the receipt and the tracking page.

The clock (apps.sla) owes every pending stage; what is shown must not contradict itself: a case
that is no longer open owes nothing (its deadlines are never shown as overdue), and a progress
report or first reply falling due after the resolution deadline is not shown (the case must be resolved first,
so that date would never come). Each stage is said in plain Thai ("แก้ไขเสร็จภายใน …").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import Complaint
from apps.complaints.status import OPEN_STATUSES
from apps.sla.models import Stage
from apps.sla.selectors import pending_deadlines
from apps.ui.thai import deadline_state

# What the body promises at each stage, in the words a citizen uses, and what it means.
PHRASES: dict[str, tuple[Promise, Promise]] = {
    Stage.ACK: (_("รับเรื่องภายใน"), _("หน่วยงานแจ้งท่านว่ารับเรื่องแล้ว พร้อมเลขติดตามเรื่อง")),
    Stage.ROUTE: (_("ส่งเรื่องถึงกองที่รับผิดชอบภายใน"),
                  _("หรือส่งต่อหน่วยงานที่มีอำนาจ และแจ้งให้ท่านทราบ")),
    Stage.REPLY: (_("แจ้งผลเบื้องต้นภายใน"), _("หน่วยงานบอกท่านว่าจะแก้ไขอย่างไร")),
    Stage.PROGRESS: (_("แจ้งความคืบหน้าภายใน"), _("ระหว่างที่เรื่องยังไม่เสร็จ หน่วยงานรายงานความคืบหน้าเป็นระยะ")),
    Stage.RESOLVE: (_("แก้ไขเสร็จภายใน"), _("กำหนดแก้ไขปัญหาให้แล้วเสร็จ")),
    Stage.CLOSURE: (_("แจ้งผลและปิดเรื่องภายใน"), _("หน่วยงานแจ้งผลการดำเนินการให้ท่านทราบ")),
}


@dataclass(frozen=True)
class ShownDeadline:
    stage: str
    phrase: str
    explanation: str
    due_at: dt.datetime
    # paused (waiting for the complainant), overdue, soon (within a day), ok
    state: str
    paused: bool


def case_deadlines(*, complaint: Complaint, now: dt.datetime | None = None) -> list[ShownDeadline]:
    """What the case still owes, nearest first; nothing once it is no longer open."""
    if complaint.status not in OPEN_STATUSES:
        return []
    now = now or timezone.now()
    pending = pending_deadlines(complaint=complaint, now=now)
    resolve = min((d.due_at for d in pending if d.stage == Stage.RESOLVE), default=None)
    shown = []
    for d in pending:
        # A progress report or a first reply due after the case must be resolved (class A: resolved
        # in a working day, first reply in 15 days) would never come: the resolution answers both.
        if resolve is not None and ((d.stage == Stage.PROGRESS and d.due_at >= resolve)
                                    or (d.stage == Stage.REPLY and d.due_at > resolve)):
            continue
        phrase, explanation = (str(t) for t in PHRASES[d.stage]) if d.stage in PHRASES else (d.stage_label, "")
        state = "paused" if d.paused else deadline_state(d.due_at, now)
        shown.append(ShownDeadline(stage=d.stage, phrase=phrase, explanation=explanation,
                                   due_at=d.due_at, state=state, paused=d.paused))
    return shown
