""""Deadline moved" reaches the citizen like every other change: when staff end a wait for the
citizen's information, the deadlines have moved by the pause, and the new ones are pushed on LINE
(and sent by SMS), in the citizen's language while the officer works in English."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Notification
from apps.complaints.services.workflow import complaint_acknowledge, complaint_request_info, complaint_resume
from apps.complaints.validation import Complainant
from apps.line.models import LineUser
from apps.sla.selectors import pending_deadlines
from apps.ui import thai
from tests.apps.complaints.helpers import file_complaint
from tests.apps.line.conftest import deliver_line

CITIZEN = "U" + "5" * 32
START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def test_the_new_deadlines_are_pushed_when_a_wait_ends(line, banlat) -> None:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        LineUser.objects.create(user_id=CITIZEN, language="th", created_at=timezone.now())
        with time_machine.travel(START, tick=False):
            case = file_complaint(complainant=Complainant(name="สมชาย", phone="0812345678", line_id=CITIZEN),
                                  channel="web").complaint
            officer = User.objects.get(username="officer")
            with translation.override("en"):
                complaint_acknowledge(complaint=case, actor=officer)
                complaint_request_info(complaint=case, actor=officer, text="ขอรูปเสาไฟต้นที่ดับ")
            before = {d.stage: d.due_at for d in pending_deadlines(complaint=case)}
        with time_machine.travel(START + dt.timedelta(days=2), tick=False), translation.override("en"):
            complaint_resume(complaint=case, actor=officer, text="ผู้ร้องแจ้งทางโทรศัพท์แล้ว")
            with translation.override("th"):
                pending = pending_deadlines(complaint=case)
                expected = "; ".join(f"{d.stage_label} {thai.format_datetime(d.due_at)}" for d in pending)
            assert {d.stage: d.due_at for d in pending} != before  # the pause moved them
            deliver_line()
        push = line.pushes()[-1]
        assert push["to"] == CITIZEN
        text = f"{banlat.display_name} แจ้งกำหนดเวลาใหม่ของเรื่อง {case.tracking_code}: {expected}"
        assert push["messages"][0]["text"] == text
        sms = Notification.objects.filter(complaint=case, channel="sms").order_by("-id").first()
        assert sms is not None and sms.body == text
