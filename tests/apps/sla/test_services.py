"""Snapshots, the fact's SLA columns and stage clocks, agreements and their validation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from apps.sla.models import AgreementStatus, Framework, StageClock
from apps.sla.selectors import agreement_status, pending_deadlines
from apps.sla.services import (
    sla_agreement_draft_create,
    sla_agreement_publish,
    sla_agreement_row_set,
    sla_framework_create,
    sla_snapshot_for,
)
from tests.apps.sla.helpers import at, clock_sync, complaint_make, event_add

pytestmark = pytest.mark.django_db


def default_framework() -> Framework:
    return Framework.objects.get(is_default=True)


def test_body_without_agreement_is_held_to_the_framework(banlat) -> None:
    snap = sla_snapshot_for(body=banlat, sla_class="A", at=at("2025-03-03"))
    assert snap["source"] == "framework"
    assert snap["version"] == default_framework().pk
    assert snap["is_default_framework"] is True
    assert snap["stages"] == {
        "ack": {"days": 1, "day_type": "working"}, "route": {"days": 3, "day_type": "working"},
        "reply": {"days": 15, "day_type": "calendar"}, "resolve": {"days": 1, "day_type": "working"},
        "progress": {"days": 15, "day_type": "calendar"}, "closure": {"days": 1, "day_type": "working"},
    }


def test_clock_update_sets_fact_columns_and_stage_clocks(banlat) -> None:
    with schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, at("2025-04-11", "15:00"))
        event_add(complaint, "status", at("2025-04-17", "10:00"), to_status="acknowledged")
        event_add(complaint, "status", at("2025-04-18", "09:00"), to_status="waiting")
        fact = clock_sync(banlat, complaint, at("2025-04-19", "09:00"))
    assert (fact.ack_due_at, fact.ack_met) == (at("2025-04-17", "15:00"), True)
    assert fact.route_met is None
    assert fact.paused_seconds == 86400
    assert fact.ever_breached is False
    assert (fact.sla_source, fact.sla_version) == ("framework", default_framework().pk)
    clocks = {c.stage: c for c in StageClock.objects.filter(fact=fact)}
    assert sorted(clocks) == ["ack", "progress", "reply", "resolve", "route"]
    assert clocks["ack"].next_action_at is None
    assert clocks["route"].paused is True and clocks["route"].next_action_at is None
    assert clocks["ack"].body_id == banlat.pk and clocks["ack"].complaint_id == complaint.pk


def test_clock_update_keeps_sweep_marks_and_ever_breached(banlat) -> None:
    with schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, at("2025-03-03", "09:00"))
        fact = clock_sync(banlat, complaint, at("2025-03-03", "09:00"))
        ack = StageClock.objects.get(fact=fact, stage="ack")
        assert ack.next_action_at == at("2025-03-03", "15:00")
        StageClock.objects.filter(pk=ack.pk).update(warned_at=at("2025-03-03", "15:01"))
        fact = clock_sync(banlat, complaint, at("2025-03-04", "10:00"))
        ack.refresh_from_db()
        assert ack.warned_at == at("2025-03-03", "15:01")
        assert ack.next_action_at == at("2025-03-04", "09:00")
        assert fact.ever_breached is True
        event_add(complaint, "status", at("2025-03-04", "11:00"), to_status="acknowledged")
        event_add(complaint, "status", at("2025-03-04", "12:00"), to_status="received", reopen=True)
        fact = clock_sync(banlat, complaint, at("2025-03-04", "12:00"))
    assert fact.ever_breached is True
    assert fact.ack_due_at == at("2025-03-05", "12:00")
    assert StageClock.objects.filter(fact=fact, stage="ack").count() == 2


def test_pending_deadlines_lists_every_pending_stage(banlat) -> None:
    with schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, at("2025-03-07", "15:00"))
        event_add(complaint, "assign", at("2025-03-07", "15:30"))
        pending = pending_deadlines(complaint=complaint, now=at("2025-03-10", "09:00"))
    assert [(p.stage, p.due_at, p.seconds_left) for p in pending] == [
        ("ack", at("2025-03-10", "15:00"), 6 * 3600),
        ("reply", at("2025-03-22", "15:00"), 12 * 86400 + 6 * 3600),
        ("resolve", at("2025-03-22", "15:00"), 12 * 86400 + 6 * 3600),
        ("progress", at("2025-03-22", "15:00"), 12 * 86400 + 6 * 3600),
    ]


def _publish(body, *, effective: dt.date, changes: dict) -> object:  # type: ignore[no-untyped-def]
    agreement = sla_agreement_draft_create(body=body, number="1/2568")
    for (sla_class, stage), (days, day_type) in changes.items():
        sla_agreement_row_set(agreement=agreement, sla_class=sla_class, stage=stage, days=days, day_type=day_type)
    return sla_agreement_publish(agreement=agreement, effective_from=effective)


def test_agreement_published_mid_case_does_not_move_existing_deadlines(banlat) -> None:
    with time_machine.travel(at("2025-03-03", "09:00"), tick=False), schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, at("2025-03-03", "09:00"))
        before = dict(complaint.sla_snapshot)
        agreement = _publish(banlat, effective=dt.date(2025, 3, 4), changes={("B", "reply"): (7, "calendar")})
        complaint.refresh_from_db()
        fact = clock_sync(banlat, complaint, at("2025-03-05", "09:00"))
        assert complaint.sla_snapshot == before
        assert fact.reply_due_at == at("2025-03-18", "09:00")
        later = sla_snapshot_for(body=banlat, sla_class="B", at=at("2025-03-04", "10:00"))
    assert (later["source"], later["version"]) == ("agreement", agreement.pk)
    assert later["stages"]["reply"] == {"days": 7, "day_type": "calendar"}
    assert sla_snapshot_for(body=banlat, sla_class="B", at=at("2025-03-03", "23:59"))["source"] == "framework"


def test_looser_row_is_refused_with_a_thai_message(banlat) -> None:
    agreement = sla_agreement_draft_create(body=banlat)
    with pytest.raises(ValidationError) as refused:
        sla_agreement_row_set(agreement=agreement, sla_class="B", stage="reply", days=20, day_type="calendar")
    assert refused.value.messages == [
        "ประเภทเรื่อง “ข บริการทั่วไป” ขั้นตอน “แจ้งผลเบื้องต้น”: กำหนด 20 วัน "
        "ไม่เป็นไปตามกรอบขั้นต่ำระดับประเทศ ซึ่งกำหนดไว้ไม่เกิน 15 วัน"]
    assert agreement.rows.get(sla_class="B", stage="reply").days == 15


def test_working_day_limit_is_judged_by_its_longest_calendar_span(banlat) -> None:
    agreement = sla_agreement_draft_create(body=banlat)
    with time_machine.travel(at("2025-03-01"), tick=False):
        # 10 working days received after closing on Friday 28 March 2025 end on 17 April: the
        # Chakri in-lieu Monday and Songkran make it 20 calendar days, looser than 15.
        with pytest.raises(ValidationError) as refused:
            sla_agreement_row_set(agreement=agreement, sla_class="B", stage="reply", days=10, day_type="working")
        assert "อาจกินเวลาถึง 20 วันตามปฏิทิน" in refused.value.messages[0]
        assert "ไม่เกิน 15 วัน" in refused.value.messages[0]
        row = sla_agreement_row_set(agreement=agreement, sla_class="B", stage="reply", days=5, day_type="working")
        assert (row.days, row.day_type) == (5, "working")
        # One calendar day can be longer than one working day (8 office hours): refused.
        with pytest.raises(ValidationError):
            sla_agreement_row_set(agreement=agreement, sla_class="B", stage="ack", days=1, day_type="calendar")


def test_publication_supersedes_and_keeps_history(banlat) -> None:
    with time_machine.travel(at("2025-03-01"), tick=False):
        first = _publish(banlat, effective=dt.date(2025, 3, 1), changes={("B", "resolve"): (10, "calendar")})
        second = _publish(banlat, effective=dt.date(2025, 6, 1), changes={("B", "resolve"): (7, "calendar")})
    first.refresh_from_db()
    assert (first.status, second.status) == (AgreementStatus.SUPERSEDED, AgreementStatus.PUBLISHED)
    assert sla_snapshot_for(body=banlat, sla_class="B", at=at("2025-05-31"))["stages"]["resolve"]["days"] == 10
    assert sla_snapshot_for(body=banlat, sla_class="B", at=at("2025-06-01"))["stages"]["resolve"]["days"] == 7


def test_new_framework_version_does_not_move_existing_cases(banlat) -> None:
    with schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, at("2025-03-03", "09:00"))
        sla_framework_create(name="ฉบับทางการ", effective_from=dt.date(2025, 3, 4),
                             rows={("B", "reply"): (10, "calendar")})
        fact = clock_sync(banlat, complaint, at("2025-03-05", "09:00"))
    assert fact.reply_due_at == at("2025-03-18", "09:00")
    assert sla_snapshot_for(body=banlat, sla_class="B", at=at("2025-03-05"))["stages"]["reply"]["days"] == 10


def test_agreement_status_for_oversight(banlat, thasen) -> None:
    with time_machine.travel(at("2025-03-01"), tick=False):
        agreement = _publish(banlat, effective=dt.date(2025, 3, 1), changes={("B", "reply"): (7, "calendar")})
        status = agreement_status(body_ids=[banlat.pk, thasen.pk])
    assert status[thasen.pk]["published"] is False
    mine = status[banlat.pk]
    assert (mine["published"], mine["since"], mine["meets_framework"], mine["agreement_id"]) == (
        True, dt.date(2025, 3, 1), True, agreement.pk)
    assert mine["tighter_rows"] == [{"sla_class": "B", "stage": "reply", "days": 7, "day_type": "calendar",
                                     "national_days": 15, "national_day_type": "calendar"}]


def test_framework_rows_import_from_csv(banlat) -> None:
    import tablib

    from apps.sla.admin import FrameworkRowResource

    framework = sla_framework_create(name="ฉบับทางการ 2569", effective_from=dt.date(2026, 1, 1), rows={})
    data = tablib.Dataset(headers=["framework", "sla_class", "stage", "days", "day_type"])
    data.append([framework.pk, "B", "resolve", 10, "calendar"])
    data.append([framework.pk, "B", "ack", 1, "working"])
    result = FrameworkRowResource().import_data(data, dry_run=False, raise_errors=True)
    assert (result.totals["new"], result.has_errors()) == (2, False)
    snap = sla_snapshot_for(body=banlat, sla_class="B", at=at("2026-01-02"))
    assert (snap["version"], snap["stages"]) == (framework.pk, {"ack": {"days": 1, "day_type": "working"},
                                                                "resolve": {"days": 10, "day_type": "calendar"}})
