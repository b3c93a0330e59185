"""Writes of SLA data: snapshots and clocks for the complaint service, agreement drafting and
publication with validation against the national framework."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.services import audit_diff, audit_record, audit_snapshot
from apps.categories.models import SlaClass
from apps.reporting.models import ComplaintFact
from apps.sla import clock
from apps.sla.calendar import Calendar
from apps.sla.escalation import Escalation
from apps.sla.models import (
    WEEKDAYS_DEFAULT,
    Agreement,
    AgreementRow,
    AgreementStatus,
    BodyClosure,
    BodyOfficeHours,
    DayType,
    Framework,
    FrameworkRow,
    Stage,
    StageClock,
)
from apps.sla.selectors import (
    ClockedCase,
    agreement_in_force,
    agreement_violations,
    body_calendar,
    framework_in_force,
    local_date,
    office_hours_default,
    rows_of,
)
from apps.ui.normalise import check_lengths
from tenants.models import LocalBody

# Who acts: a signed-in user (staff, a national admin) or None for the system.
Actor = User | None


FACT_STAGE_FIELDS = {
    clock.ACK: ("ack_due_at", "ack_met"),
    clock.ROUTE: ("route_due_at", "route_met"),
    clock.REPLY: ("reply_due_at", "reply_met"),
    clock.RESOLVE: ("resolve_due_at", "resolve_met"),
}


# --- snapshots and clocks (called by the complaint service inside its transaction) -----------------

def sla_snapshot_for(*, body: LocalBody, sla_class: str, at: dt.datetime) -> dict[str, object]:
    """The rows in force for `body` at `at` for one class, JSON-able: the published agreement in
    force on that day, with any stage it leaves out taken from the framework; or the framework."""
    on = local_date(at)
    framework = framework_in_force(on=on)
    national = rows_of(framework) if framework else {}
    agreement = agreement_in_force(body_id=body.pk, on=on)
    own = rows_of(agreement) if agreement else {}
    stages: dict[str, dict[str, object]] = {}
    for stage in Stage.values:
        row = own.get((sla_class, stage)) or national.get((sla_class, stage))
        if row:
            stages[stage] = {"days": row[0], "day_type": row[1]}
    snapshot: dict[str, object] = {
        "source": "agreement" if agreement else "framework",
        "version": agreement.pk if agreement else (framework.pk if framework else None),
        "framework_version": framework.pk if framework else None,
        "is_default_framework": bool(framework and framework.is_default),
        "sla_class": sla_class,
        "stages": stages,
        "taken_at": at.isoformat(),
    }
    if agreement:
        snapshot["agreement_number"] = agreement.number
    return snapshot


def _next_action(row: StageClock) -> dt.datetime | None:
    if row.completed_at is not None or row.paused or row.due_at is None:
        return None
    escalation = Escalation(warn_at=row.warn_at, due_at=row.due_at, district_due_at=row.district_due_at)
    return escalation.next_action(done=(row.warned_at is not None, row.escalated_at is not None,
                                        row.district_escalated_at is not None))


_CLOCK_FIELDS = ["started_at", "due_at", "warn_at", "district_due_at", "completed_at", "met", "paused",
                 "next_action_at", "sla_class", "complaint_id"]


def complaint_clock_update(*, complaint: ClockedCase, fact: ComplaintFact, now: dt.datetime | None = None,
                           save_fields: Sequence[str] = ()) -> clock.ClockResult:
    """Recompute the complaint's clock from its snapshot and events; set the fact's SLA columns
    and save the fact (inserted if new; otherwise updated with the SLA columns plus
    `save_fields`, the case columns the caller changed: one statement) and upsert its stage
    clocks. Never saves the complaint. Called inside the complaint service's transaction, in the
    body's schema."""
    now = now or timezone.now()
    snapshot = complaint.sla_snapshot or sla_snapshot_for(body=fact.body, sla_class=complaint.sla_class,
                                                          at=complaint.received_at)
    calendar = body_calendar(body_id=fact.body_id, around=now)
    events = list(complaint.events.all().order_by("created_at", "id"))
    result = clock.compute(snapshot, events, calendar, received_at=complaint.received_at, now=now)

    for stage, (due_field, met_field) in FACT_STAGE_FIELDS.items():
        current = result.current(stage)
        setattr(fact, due_field, current.due_at if current else None)
        setattr(fact, met_field, current.met if current else None)
    progress = result.current(clock.PROGRESS)
    fact.progress_due_at = progress.due_at if progress and progress.pending else None
    fact.paused_seconds = result.paused_seconds
    fact.ever_breached = bool(fact.ever_breached) or result.ever_breached
    fact.sla_source = str(snapshot.get("source", ""))
    version = snapshot.get("version")
    fact.sla_version = version if isinstance(version, int) else None
    fields = [f for pair in FACT_STAGE_FIELDS.values() for f in pair] + [
        "progress_due_at", "paused_seconds", "ever_breached", "sla_source", "sla_version"]
    inserted = fact.pk is None
    if inserted:
        fact.save()
    else:
        fact.save(update_fields=[*fields, *save_fields, "updated_at"])
    _stage_clocks_upsert(fact=fact, complaint=complaint, result=result, calendar=calendar, fresh=inserted)
    return result


def _stage_clocks_upsert(*, fact: ComplaintFact, complaint: ClockedCase, result: clock.ClockResult, calendar: Calendar,
                         fresh: bool = False) -> None:
    """`fresh`: the fact was inserted just now, so it has no stage clocks yet."""
    existing = {} if fresh else {(r.stage, r.cycle, r.seq): r for r in StageClock.objects.filter(fact=fact)}
    create: list[StageClock] = []
    update: list[StageClock] = []
    for s in result.stages:
        row = existing.pop((s.stage, s.cycle, s.seq), None)
        is_new = row is None
        if row is None:
            row = StageClock(fact=fact, body_id=fact.body_id, stage=s.stage, cycle=s.cycle, seq=s.seq)
        row.complaint_id = complaint.pk
        row.sla_class = str(complaint.sla_class)
        escalation = Escalation.of(warn_at=s.warn_at, due_at=s.due_at, calendar=calendar)
        row.started_at, row.due_at, row.warn_at = s.started_at, s.due_at, s.warn_at
        row.district_due_at = escalation.district_due_at
        row.completed_at, row.met, row.paused = s.completed_at, s.met, s.paused
        row.next_action_at = _next_action(row)
        (create if is_new else update).append(row)
    if create:
        StageClock.objects.bulk_create(create)
    if update:
        StageClock.objects.bulk_update(update, _CLOCK_FIELDS)
    if existing:
        # Periods that no longer exist (an event was corrected): keep nothing stale for the sweep.
        StageClock.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()


# --- agreement validation --------------------------------------------------------------------------

def _check(*, agreement: Agreement, rows: Mapping[tuple[str, str], tuple[int, str]], on: dt.date) -> Framework:
    framework = framework_in_force(on=on)
    if framework is None:
        raise ValidationError(_("ยังไม่มีกรอบข้อตกลงระดับประเทศที่มีผลใช้บังคับ"))
    problems = agreement_violations(rows=rows, framework_rows=rows_of(framework), body_id=agreement.body_id,
                                    on=on, calendar=None)
    if problems:
        raise ValidationError([p.message for p in problems])
    return framework


# --- agreement lifecycle ---------------------------------------------------------------------------

@transaction.atomic
def sla_agreement_draft_create(*, body: LocalBody, number: str = "", title: str = "", actor: Actor = None) -> Agreement:
    """A new draft, pre-filled with the agreement in force (or the framework's limits)."""
    check_lengths(Agreement, {"number": number, "title": title})
    today = local_date(timezone.now())
    source: Framework | Agreement | None = agreement_in_force(body_id=body.pk, on=today) or \
        framework_in_force(on=today)
    if not title:
        # The title is part of the published (Thai) announcement, whatever the admin's language.
        with translation.override("th"):
            title = _("ข้อตกลงระดับการให้บริการ (Service Level Agreement) การรับและจัดการเรื่องร้องเรียน"
                      " %(name)s") % {"name": body.display_name}
    # The signatory usually stays the same from one version to the next: carried over, editable.
    previous = source if isinstance(source, Agreement) else None
    agreement = Agreement.objects.create(
        body=body, number=number, status=AgreementStatus.DRAFT, title=title,
        signatory_name=previous.signatory_name if previous else "",
        signatory_position=previous.signatory_position if previous else "")
    if source is not None:
        AgreementRow.objects.bulk_create([
            AgreementRow(agreement=agreement, sla_class=k[0], stage=k[1], days=v[0], day_type=v[1])
            for k, v in rows_of(source).items()
        ])
    audit_record(kind="sla.draft_create", actor=actor, target=agreement, body=body,
                 changes={"after": {**audit_snapshot(agreement, ("number", "title", "status")),
                                    "rows": len(rows_of(source)) if source is not None else 0}})
    return agreement


@transaction.atomic
def sla_agreement_row_set(*, agreement: Agreement, sla_class: str, stage: str, days: int,
                          day_type: str, actor: Actor = None) -> AgreementRow:
    """Set one row of a draft; refused (ValidationError, Thai) if looser than the framework."""
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(_("แก้ไขได้เฉพาะร่างข้อตกลง ข้อตกลงที่ประกาศแล้วต้องออกฉบับใหม่"))
    if sla_class not in SlaClass.values or stage not in Stage.values or day_type not in DayType.values:
        raise ValidationError(_("ประเภทเรื่อง ขั้นตอน หรือหน่วยนับไม่ถูกต้อง"))
    if days < 1:
        raise ValidationError(_("ระยะเวลาต้องไม่น้อยกว่า 1"))
    on = agreement.effective_from or local_date(timezone.now())
    _check(agreement=agreement, rows={(sla_class, stage): (days, day_type)}, on=on)
    old = AgreementRow.objects.filter(agreement=agreement, sla_class=sla_class, stage=stage).first()
    before = audit_snapshot(old, ("days", "day_type")) if old is not None else {}
    row, _created = AgreementRow.objects.update_or_create(agreement=agreement, sla_class=sla_class, stage=stage,
                                                   defaults={"days": days, "day_type": day_type})
    changes = audit_diff(before, audit_snapshot(row, ("days", "day_type")))
    if changes:
        audit_record(kind="sla.row_set", actor=actor, target=agreement, body=agreement.body,
                     changes={**changes, "sla_class": sla_class, "stage": stage})
    return row


@transaction.atomic
def sla_agreement_update(*, agreement: Agreement, actor: Actor = None, **fields: object) -> Agreement:
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(_("แก้ไขได้เฉพาะร่างข้อตกลง"))
    allowed = {"number", "title", "signatory_name", "signatory_position", "effective_from", "announced_on"}
    if set(fields) - allowed:
        raise ValueError(", ".join(sorted(set(fields) - allowed)))
    check_lengths(Agreement, fields)
    before = audit_snapshot(agreement, fields)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.save(update_fields=[*fields.keys(), "updated_at"])
    changes = audit_diff(before, audit_snapshot(agreement, fields))
    if changes:
        audit_record(kind="sla.draft_update", actor=actor, target=agreement, body=agreement.body, changes=changes)
    return agreement


@transaction.atomic
def sla_agreement_publish(*, agreement: Agreement, effective_from: dt.date,
                          announced_on: dt.date | None = None, actor: Actor = None) -> Agreement:
    """Publish a draft: every row is checked against the framework in force on the effective
    date; earlier published versions are kept, marked superseded. Cases already received keep
    their snapshot."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(_("ข้อตกลงนี้ประกาศไปแล้ว"))
    rows = rows_of(agreement)
    if not rows:
        raise ValidationError(_("ร่างข้อตกลงยังไม่มีรายการ"))
    framework = _check(agreement=agreement, rows=rows, on=effective_from)
    now = timezone.now()
    superseded = Agreement.objects.filter(body_id=agreement.body_id, status=AgreementStatus.PUBLISHED,
                                          effective_from__lte=effective_from)
    superseded_ids = sorted(superseded.values_list("pk", flat=True))
    superseded.update(status=AgreementStatus.SUPERSEDED, superseded_at=now)
    published_fields = ("status", "effective_from", "announced_on", "framework")
    before = audit_snapshot(agreement, published_fields)
    agreement.status = AgreementStatus.PUBLISHED
    agreement.effective_from = effective_from
    agreement.announced_on = announced_on or local_date(now)
    agreement.framework = framework
    agreement.published_at = now
    agreement.save(update_fields=["status", "effective_from", "announced_on", "framework", "published_at",
                                  "updated_at"])
    audit_record(kind="sla.publish", actor=actor, target=agreement, body=agreement.body,
                 changes={**audit_diff(before, audit_snapshot(agreement, published_fields)),
                          "superseded": superseded_ids})
    return agreement


@transaction.atomic
def sla_framework_create(*, name: str, effective_from: dt.date, rows: Mapping[tuple[str, str], tuple[int, str]],
                         is_default: bool = False, note: str = "", actor: Actor = None) -> Framework:
    """A new national version. Existing cases keep their snapshots; agreements are judged against
    it from its effective date."""
    framework = Framework.objects.create(name=name, effective_from=effective_from, is_default=is_default, note=note)
    FrameworkRow.objects.bulk_create([
        FrameworkRow(framework=framework, sla_class=k[0], stage=k[1], days=v[0], day_type=v[1])
        for k, v in rows.items()
    ])
    audit_record(kind="framework.create", actor=actor, target=framework, changes={"after": {
        **audit_snapshot(framework, ("name", "effective_from", "is_default", "note")),
        "rows": {f"{k[0]}/{k[1]}": [v[0], v[1]] for k, v in sorted(rows.items())}}})
    return framework


# --- the body's own calendar (closures) ------------------------------------------------------------

@transaction.atomic
def sla_body_closure_add(*, body: LocalBody, date: dt.date, reason: str, actor: Actor = None) -> BodyClosure:
    """A day the body's office is closed: working-day limits skip it from now on."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("กรุณาระบุเหตุผลที่ปิดทำการ"))
    if len(reason) > 200:
        raise ValidationError(_("เหตุผลยาวเกิน 200 ตัวอักษร"))
    if BodyClosure.objects.filter(body=body, date=date).exists():
        raise ValidationError(_("วันที่นี้บันทึกเป็นวันปิดทำการไว้แล้ว"))
    closure = BodyClosure.objects.create(body=body, date=date, reason=reason)
    audit_record(kind="calendar.create", actor=actor, target=closure, body=body, target_label=date.isoformat(),
                 changes={"after": audit_snapshot(closure, ("date", "reason"))})
    return closure


@transaction.atomic
def sla_body_closure_delete(*, body: LocalBody, closure_id: int, actor: Actor = None) -> None:
    closure = BodyClosure.objects.select_for_update().filter(body=body, pk=closure_id).first()
    if closure is None:
        raise ValidationError(_("ไม่พบวันปิดทำการที่เลือก"))
    audit_record(kind="calendar.delete", actor=actor, target=closure, body=body,
                 target_label=closure.date.isoformat(), changes={"before": audit_snapshot(closure, ("date", "reason"))})
    closure.delete()


@transaction.atomic
def sla_office_hours_set(*, body: LocalBody, opens_at: dt.time, closes_at: dt.time, weekdays: str,
                         actor: Actor = None) -> BodyOfficeHours:
    """The body's office hours and working days: working-day limits of cases received from now
    on are counted in them (a case's deadlines already set do not move)."""
    digits = "".join(sorted(set(weekdays)))
    if not digits or any(d not in "1234567" for d in digits):
        raise ValidationError(_("กรุณาเลือกวันทำการอย่างน้อยหนึ่งวัน"))
    if opens_at >= closes_at:
        raise ValidationError(_("เวลาเปิดทำการต้องก่อนเวลาปิดทำการ"))
    hours = BodyOfficeHours.objects.select_for_update().filter(body=body).first()
    fields = ("opens_at", "closes_at", "weekdays")
    if hours is None:
        default_open, default_close = office_hours_default()
        before = {"opens_at": default_open, "closes_at": default_close, "weekdays": WEEKDAYS_DEFAULT}
        hours = BodyOfficeHours(body=body)
    else:
        before = audit_snapshot(hours, fields)
    hours.opens_at, hours.closes_at, hours.weekdays = opens_at, closes_at, digits
    after = {"opens_at": opens_at, "closes_at": closes_at, "weekdays": digits}
    changes = audit_diff(before, after)
    if not changes.get("after"):
        return hours
    hours.save()
    audit_record(kind="calendar.hours", actor=actor, target=hours, body=body, target_label=str(body),
                 changes=changes)
    return hours


@transaction.atomic
def sla_agreement_signed_copy_attach(*, agreement: Agreement, content: File[bytes],
                                     actor: Actor = None) -> Agreement:
    """The signed, scanned announcement of a published agreement, published beside the generated
    one. `content` has been checked like every upload (a PDF or an image, re-encoded)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == AgreementStatus.DRAFT:
        raise ValidationError(_("แนบฉบับลงนามได้เมื่อประกาศข้อตกลงแล้ว"))
    before = agreement.signed_copy.name or ""
    agreement.signed_copy.save(f"{agreement.body_id}-{agreement.pk}-{content.name}", content, save=False)
    agreement.save(update_fields=["signed_copy", "updated_at"])
    audit_record(kind="sla.signed_copy", actor=actor, target=agreement, body=agreement.body,
                 changes={"before": {"signed_copy": before}, "after": {"signed_copy": agreement.signed_copy.name}})
    return agreement
