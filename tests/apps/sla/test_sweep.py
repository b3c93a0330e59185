"""The sweep: warnings at 75 %, escalations at breach and to the district office, exactly once,
quiet at night for non-urgent classes, and safe with two sweeps at once."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import ComplaintEvent, Notification
from apps.oversight.sweep import stage_clocks_sweep
from apps.reporting.models import ComplaintFact, OutboxEntry
from apps.sla.models import StageClock
from tests.apps.sla.helpers import at, clock_sync, complaint_make, event_add


def _events(complaint) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(e.kind, e.data.get("stage"), e.data.get("level"))
            for e in ComplaintEvent.objects.filter(complaint=complaint, kind__startswith="sla_")]


@pytest.mark.django_db
def test_warn_escalate_and_district_each_once(banlat) -> None:
    with schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, at("2025-03-03", "09:00"))
        complaint.assignee = User.objects.get(username="officer")
        complaint.save(update_fields=["assignee"])
        event_add(complaint, "assign", at("2025-03-03", "09:10"))
        clock_sync(banlat, complaint, at("2025-03-03", "09:10"))

    report = stage_clocks_sweep(now=at("2025-03-03", "15:00"))
    assert (report.claimed, report.warnings, report.escalations, report.notifications) == (1, 1, 0, 1)
    assert stage_clocks_sweep(now=at("2025-03-03", "15:00")).claimed == 0
    with schema_context(banlat.schema_name):
        assert _events(complaint) == [("sla_warning", "ack", "assignee")]
        notice = Notification.objects.get(complaint=complaint)
        assert (notice.recipient, notice.channel, notice.next_attempt_at) == (
            "officer@banlat.example", "email", at("2025-03-03", "15:00"))
    assert OutboxEntry.objects.filter(body=banlat, notification_id=notice.pk).exists()

    report = stage_clocks_sweep(now=at("2025-03-04", "09:01"))
    assert (report.claimed, report.warnings, report.escalations) == (1, 0, 1)
    with schema_context(banlat.schema_name):
        assert Notification.objects.filter(complaint=complaint).order_by("id").last().recipient == \
            "executive@banlat.example"
    # District office: 3 working days after the breach (Friday 09:00); its officers are told.
    from apps.oversight.services import oversight_profile_set

    with schema_context("public"):
        office = User.objects.create_user("district_banlat", "x" * 16, email="thongthin.banlat@example.go.th")
        oversight_profile_set(user=office, level="district", code="7606")
    assert stage_clocks_sweep(now=at("2025-03-07", "08:59")).district_escalations == 0
    assert stage_clocks_sweep(now=at("2025-03-07", "09:01")).district_escalations == 1
    with schema_context(banlat.schema_name):
        notice = Notification.objects.filter(complaint=complaint).order_by("id").last()
        assert notice.recipient == "thongthin.banlat@example.go.th"
        assert complaint.tracking_code in notice.subject and "สมชาย" not in notice.body
    clock = StageClock.objects.get(complaint_id=complaint.pk, body=banlat, stage="ack")
    assert (clock.warned_at, clock.escalated_at, clock.district_escalated_at, clock.next_action_at) == (
        at("2025-03-03", "15:00"), at("2025-03-04", "09:01"), at("2025-03-07", "09:01"), None)
    with schema_context(banlat.schema_name):
        assert _events(complaint) == [("sla_warning", "ack", "assignee"), ("sla_escalation", "ack", "executive"),
                                      ("sla_escalation", "ack", "district")]
        assert ComplaintEvent.objects.filter(complaint=complaint, kind="sla_warning").get().actor_label == "ระบบ"


@pytest.mark.django_db
def test_completed_stage_is_not_escalated(banlat) -> None:
    with schema_context(banlat.schema_name):
        complaint = complaint_make(banlat, at("2025-03-03", "09:00"))
        event_add(complaint, "status", at("2025-03-03", "10:00"), to_status="acknowledged")
        event_add(complaint, "assign", at("2025-03-03", "10:00"))
        clock_sync(banlat, complaint, at("2025-03-03", "10:00"))
    report = stage_clocks_sweep(now=at("2025-03-04", "10:00"))
    assert report.claimed == 0


@pytest.mark.django_db
def test_no_notification_at_night_unless_urgent(banlat) -> None:
    with schema_context(banlat.schema_name):
        general = complaint_make(banlat, at("2025-04-11", "15:00"))
        urgent = complaint_make(banlat, at("2025-04-11", "15:00"), national="urgent_hazard", sla_class="A")
        for complaint in (general, urgent):
            event_add(complaint, "status", at("2025-04-11", "15:10"), to_status="acknowledged")
            event_add(complaint, "assign", at("2025-04-11", "15:10"))
            clock_sync(banlat, complaint, at("2025-04-11", "15:10"))
    # Urgent resolution (1 working day) breaches on Thursday 17 April at 15:00; at 22:00 the
    # general complaint's reply stage is not yet due, so only Songkran night for the urgent one.
    report = stage_clocks_sweep(now=at("2025-04-13", "22:00"))
    with schema_context(banlat.schema_name):
        assert [n.next_attempt_at for n in Notification.objects.filter(complaint=urgent)] == []
    report = stage_clocks_sweep(now=at("2025-04-17", "22:00"))
    assert report.escalations == 1
    with schema_context(banlat.schema_name):
        assert [n.next_attempt_at for n in Notification.objects.filter(complaint=urgent)] == \
            [at("2025-04-17", "22:00")]
    # 75 % of the 15-day stages passed: both complaints are warned; only the urgent one is told now.
    report = stage_clocks_sweep(now=at("2025-04-25", "22:00"))
    assert (report.warnings, report.deferred_notifications) == (5, 3)
    with schema_context(banlat.schema_name):
        assert {n.next_attempt_at for n in Notification.objects.filter(complaint=general)} == \
            {at("2025-04-28", "08:30")}
        assert sorted(_events(general)) == [("sla_warning", "progress", "assignee"),
                                            ("sla_warning", "reply", "assignee"),
                                            ("sla_warning", "resolve", "assignee")]
        assert {n.next_attempt_at for n in Notification.objects.filter(complaint=urgent)} == \
            {at("2025-04-17", "22:00"), at("2025-04-25", "22:00")}


def test_two_concurrent_sweeps_warn_each_stage_exactly_once(committed, banlat_committed) -> None:
    body = banlat_committed
    complaints = []
    try:
        with schema_context(body.schema_name):
            for _ in range(40):
                complaint = complaint_make(body, at("2020-03-02", "09:00"))
                event_add(complaint, "status", at("2020-03-02", "09:05"), to_status="acknowledged")
                event_add(complaint, "assign", at("2020-03-02", "09:05"))
                clock_sync(body, complaint, at("2020-03-02", "09:05"))
                complaints.append(complaint.pk)
        now = at("2020-03-14", "10:00")  # 75 % of the 15-day reply, resolution and progress stages
        barrier = threading.Barrier(2)
        reports, errors = [], []
        # Each thread opens its own connection; point it at the test database explicitly.
        name = connection.settings_dict["NAME"]

        def sweep() -> None:
            try:
                connections["default"].settings_dict["NAME"] = name
                barrier.wait()
                reports.append(stage_clocks_sweep(now=now, batch=7))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sum(r.claimed for r in reports) == 40 * 3  # reply, resolve, progress
        with schema_context(body.schema_name):
            warnings = ComplaintEvent.objects.filter(complaint_id__in=complaints, kind="sla_warning")
            assert warnings.count() == 40 * 3
            assert len({(w.complaint_id, w.data["stage"]) for w in warnings}) == 40 * 3
        assert stage_clocks_sweep(now=now).claimed == 0
    finally:
        facts = ComplaintFact.objects.filter(body=body, complaint_id__in=complaints)
        StageClock.objects.filter(fact__in=facts).delete()
        facts.delete()
        with schema_context(body.schema_name):
            from apps.complaints.models import Complaint

            notifications = Notification.objects.filter(complaint_id__in=complaints)
            OutboxEntry.objects.filter(body=body, notification_id__in=list(notifications.values_list("pk", flat=True))
                                       ).delete()
            notifications.delete()
            Complaint.objects.filter(pk__in=complaints).delete()


def _due_cases(body, n: int, received) -> None:  # type: ignore[no-untyped-def]
    with schema_context(body.schema_name):
        for _ in range(n):
            complaint = complaint_make(body, received)
            clock_sync(body, complaint, received)


@pytest.mark.django_db
def test_a_batch_reads_the_public_schema_once_whatever_the_number_of_bodies(banlat, thasen) -> None:
    """The public reads of a batch (the bodies, their calendars and office hours, the offices) are one query each,
    the claim two (the due clocks, their marks); every further body costs only its own writes, the
    same for each body."""
    _due_cases(banlat, 2, at("2025-03-03", "09:00"))
    with CaptureQueriesContext(connection) as one:
        assert stage_clocks_sweep(now=at("2025-03-03", "15:00")).bodies == {banlat.pk}
    _due_cases(banlat, 3, at("2025-03-04", "09:00"))
    _due_cases(thasen, 1, at("2025-03-04", "09:00"))
    with CaptureQueriesContext(connection) as two:
        assert stage_clocks_sweep(now=at("2025-03-04", "15:00")).bodies == {banlat.pk, thasen.pk}

    def public_reads(queries: CaptureQueriesContext) -> dict[str, int]:
        tables = ("oversight_oversightprofile", "tenants_localbody", "sla_bodyclosure", "sla_bodyofficehours",
                  "sla_stageclock")
        return {t: sum(bool(re.search(rf'\b{t}\b', q["sql"])) for q in queries.captured_queries) for t in tables}

    once = {"oversight_oversightprofile": 1, "tenants_localbody": 1, "sla_bodyclosure": 1, "sla_bodyofficehours": 1,
            "sla_stageclock": 2}
    assert public_reads(one) == public_reads(two) == once
    # One body's writes, whatever its number of cases: its schema, a savepoint, the cases, the
    # executives, the events, the body's webhook endpoints, the e-mails, the outbox pointers, the
    # savepoint's release.
    assert len(one.captured_queries) == 20
    # The second body costs the same 9, less one: both sweeps run inside this test's one transaction,
    # and the body's webhook endpoints are read once per transaction, so banlat's are not read again.
    assert len(two.captured_queries) - len(one.captured_queries) == 9 - 1
