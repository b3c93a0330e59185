""""Deadline moved" reaches the citizen like every other change: when staff end a wait for the
citizen's information, the deadlines have moved by the pause, and the new ones are pushed on LINE
(and sent by SMS), in the citizen's language while the officer works in English."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Complaint, Department, Notification
from apps.complaints.services.transfer import complaint_transfer, complaint_transfer_accept
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_citizen_respond,
    complaint_reopen,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
    complaint_resume,
)
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


def _moved(body_name: str, case, language: str) -> str:  # type: ignore[no-untyped-def]
    """The "deadline moved" text as the citizen reads it, from the deadlines as they now stand."""
    with translation.override(language):
        paused = "clock paused while waiting for you" if language == "en" else \
            "หยุดนับเวลาระหว่างรอข้อมูลจากท่าน"
        listed = "; ".join(f"{d.stage_label} ({paused})" if d.paused else
                           f"{d.stage_label} {thai.format_datetime(d.due_at)}"
                           for d in pending_deadlines(complaint=case))
    if language == "en":
        return f"{body_name}: new deadlines for complaint {case.tracking_code}: {listed}"
    return f"{body_name} แจ้งกำหนดเวลาใหม่ของเรื่อง {case.tracking_code}: {listed}"


def test_every_move_of_a_deadline_is_told_and_nothing_else_is(line, banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    """The citizen's answer, a reopen, a transfer accepted: each moves the deadlines and is told (the
    pause itself is told by the request for information), in the citizen's language (English here)
    while the officers work in Thai; acknowledging, assigning, replying, resolving finish a stage or
    start the next period and move nothing."""
    with schema_context(banlat.schema_name):
        with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
            case = file_complaint(complainant=Complainant(name="John", phone="0812345679"), language="en").complaint
        clerk = User.objects.get(username="clerk")
        name = banlat.display_name
        told: list[str] = []
        with translation.override("th"):
            with time_machine.travel(START, tick=False):
                complaint_acknowledge(complaint=case, actor=clerk)
                complaint_assign(complaint=case, actor=clerk, department=Department.objects.get(code="engineering"))
                complaint_reply(complaint=case, actor=clerk, text="กำลังตรวจสอบ")
                assert Notification.objects.filter(complaint=case, body__contains=": new deadlines for").count() == 0
                complaint_request_info(complaint=case, actor=clerk, text="Which pole?")
                # The request says the clock waits: one message, not a second "new deadlines".
                asked = Notification.objects.filter(complaint=case, channel="sms").order_by("-id").first()
                assert asked is not None and asked.body == (
                    f"{name} needs more information on complaint {case.tracking_code}: Which pole? "
                    "(clock paused while waiting for you)")
            with time_machine.travel(START + dt.timedelta(days=3), tick=False):
                complaint_citizen_respond(complaint=case, text="The one by the temple")
                told.append(_moved(name, case, "en"))
                complaint_resolve(complaint=case, actor=clerk, resolution="Fixed")
            with time_machine.travel(START + dt.timedelta(days=4), tick=False):
                complaint_reopen(complaint=case, actor=clerk, reason="Broken again")
                told.append(_moved(name, case, "en"))
                complaint_transfer(complaint=case, actor=clerk, reason="Their road", to_body=thasen)
        moved = list(Notification.objects.filter(complaint=case, channel="sms", body__contains=": new deadlines for")
                     .order_by("id").values_list("body", flat=True))
        assert moved == told
    with schema_context(thasen.schema_name), time_machine.travel(START + dt.timedelta(days=5), tick=False):
        offer = Complaint.objects.get(transfer_origin_complaint_id=case.pk, transfer_origin_body=banlat)
        offer = complaint_transfer_accept(complaint=offer, actor=User.objects.get(username="clerk"))
        moved = list(Notification.objects.filter(complaint=offer, channel="sms", body__contains=": new deadlines for")
                     .values_list("body", flat=True))
        assert moved == [_moved(thasen.display_name, offer, "en")]
