"""Writes of the oversight app: directives, their acknowledgement and measured compliance,
reminders, officers' scopes, and the roll-up rebuild."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import current_app  # type: ignore[attr-defined]
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.audit.services import audit_diff, audit_record, audit_snapshot
from apps.oversight.cases import STAGE_COLUMNS
from apps.oversight.models import (
    Directive,
    DirectiveMeasure,
    DirectiveTarget,
    OversightProfile,
    ScopeLevel,
)
from apps.oversight.rollup_sql import OPEN, rebuild_sql
from apps.oversight.scoping import Scope, bodies_in_scope_for
from apps.oversight.sla_status import sla_status_for
from apps.reporting.models import ComplaintFact
from tenants.models import District, LocalBody, Province

log = logging.getLogger(__name__)


class DirectiveError(ValueError):
    pass


@transaction.atomic
def oversight_profile_set(*, user: User, level: str, code: str = "", office_name: str = "") -> OversightProfile:
    province = Province.objects.get(code=code) if level == ScopeLevel.PROVINCE else None
    district = District.objects.get(code=code) if level == ScopeLevel.DISTRICT else None
    fields = ("level", "province", "district", "office_name")
    old = OversightProfile.objects.filter(user=user).first()
    before = audit_snapshot(old, fields) if old is not None else {}
    profile, created = OversightProfile.objects.update_or_create(
        user=user, defaults={"level": level, "province": province, "district": district,
                             "office_name": office_name})
    changes = audit_diff(before, audit_snapshot(profile, fields))
    if changes:
        audit_record(kind="oversight_profile.create" if created else "oversight_profile.update", target=profile,
                     actor_label=gettext_noop("ระบบ"), target_label=user.get_username(), changes=changes)
    return profile


@transaction.atomic
def directive_issue(*, scope: Scope, issued_by: User, title: str, due_date: dt.date, text: str = "",
                    number: str = "", measure: str = DirectiveMeasure.ACKNOWLEDGEMENT,
                    body_codes: Iterable[str] | None = None, attachment: UploadedFile[bytes] | None = None,
                    remind_days_before: int = 3) -> Directive:
    """Issue to every body in scope, or to the listed ones (each must be in scope, else 404)."""
    if due_date < timezone.localdate():
        raise DirectiveError(_("กำหนดเสร็จต้องไม่เป็นวันที่ผ่านมาแล้ว"))
    bodies = bodies_in_scope_for(scope)
    codes = sorted(set(body_codes or []))
    if codes:
        bodies = bodies.filter(dla_code__in=codes)
        if bodies.count() != len(codes):
            raise Http404("a body is outside your area")
    targets = list(bodies)
    if not targets:
        raise DirectiveError(_("ไม่มีหน่วยงานในขอบเขต"))
    directive = Directive(title=title, text=text, number=number, measure=measure, due_date=due_date,
                          issued_by=issued_by, scope_level=scope.level, scope_code=scope.code,
                          remind_days_before=remind_days_before)
    if attachment is not None:
        directive.attachment = attachment
    directive.save()
    DirectiveTarget.objects.bulk_create([DirectiveTarget(directive=directive, body=b) for b in targets])
    audit_record(kind="directive.create", actor=issued_by, target=directive, changes={"after": {
        **audit_snapshot(directive, ("title", "number", "measure", "due_date", "scope_level", "scope_code",
                                     "remind_days_before")),
        "bodies": [b.dla_code for b in targets]}})
    transaction.on_commit(lambda: _refresh_later(directive.pk))
    return directive


def _refresh_later(directive_id: int) -> None:
    # By name: the task module calls these services, and they never import it.
    try:
        current_app.signature("oversight.directive_compliance_refresh").delay(directive_id)
    except Exception:  # noqa: BLE001 - the beat task refreshes anyway
        log.warning("could not queue the compliance refresh of directive %s", directive_id)


@transaction.atomic
def directive_acknowledge(*, target_id: int, body: LocalBody, user_name: str,
                          actor: object = None) -> DirectiveTarget:
    """A body's admin acknowledges a directive (staff UI). Another body's target is a 404.
    Idempotent: the first acknowledgement is kept."""
    target = DirectiveTarget.objects.select_for_update().select_related("directive").filter(
        pk=target_id, body=body).first()
    if target is None:
        raise Http404("no such directive")
    if target.acknowledged_at is not None:
        return target
    now = timezone.now()
    target.acknowledged_at = now
    target.acknowledged_by_name = user_name[:200]
    fields = ["acknowledged_at", "acknowledged_by_name"]
    if target.directive.measure == DirectiveMeasure.ACKNOWLEDGEMENT and target.complied_at is None:
        target.complied_at = now
        target.compliance_source = "ack"
        fields += ["complied_at", "compliance_source"]
    target.save(update_fields=fields)
    # The body's own log: its admin answered the office.
    audit_record(kind="directive.acknowledge", actor=actor, actor_label="" if actor else user_name,
                 target=target.directive,
                 body=body, changes={"after": {"acknowledged_at": now, "acknowledged_by_name": user_name}})
    return target


def _overdue_unanswered_bodies(body_ids: list[int], now: dt.datetime) -> set[int]:
    overdue = Q()
    for _stage, due, done, _label in STAGE_COLUMNS:
        overdue |= Q(**{f"{due}__lt": now, f"{done}__isnull": True})
    # Conduct cases are the office's to answer, not the body's.
    return set(ComplaintFact.objects.filter(body_id__in=body_ids, status__in=OPEN, routed_to_oversight=False)
               .filter(overdue)
               .values_list("body_id", flat=True).distinct())


@transaction.atomic
def directive_compliance_refresh(*, directive: Directive, now: dt.datetime | None = None) -> int:
    """Mark measurable compliance (SLA published and meeting the minimum; no overdue case left
    unanswered). Returns how many targets became compliant. Idempotent."""
    if directive.measure == DirectiveMeasure.ACKNOWLEDGEMENT:
        return 0
    now = now or timezone.now()
    pending = list(DirectiveTarget.objects.select_for_update().filter(directive=directive, complied_at__isnull=True))
    if not pending:
        return 0
    ids = [t.body_id for t in pending]
    done: dict[int, dt.datetime] = {}
    if directive.measure == DirectiveMeasure.SLA_PUBLISHED:
        for body_id, sla in sla_status_for(ids).items():
            if sla.published and sla.meets_minimum is not False:
                done[body_id] = now
    elif directive.measure == DirectiveMeasure.OVERDUE_ANSWERED:
        still = _overdue_unanswered_bodies(ids, now)
        done = {body_id: now for body_id in ids if body_id not in still}
    changed = [t for t in pending if t.body_id in done]
    for target in changed:
        target.complied_at = done[target.body_id]
        target.compliance_source = "auto"
    DirectiveTarget.objects.bulk_update(changed, ["complied_at", "compliance_source"])
    return len(changed)


def directives_compliance_refresh_all(*, now: dt.datetime | None = None) -> int:
    total = 0
    open_directives = Directive.objects.exclude(measure=DirectiveMeasure.ACKNOWLEDGEMENT).filter(
        targets__complied_at__isnull=True).distinct()
    for directive in open_directives:
        total += directive_compliance_refresh(directive=directive, now=now)
    return total


@transaction.atomic
def directive_reminders_send(*, today: dt.date | None = None) -> list[DirectiveTarget]:
    """Remind bodies that have not complied, once, within `remind_days_before` days of the due
    date. The reminder shows in the body's staff UI (directives_for_body). Idempotent."""
    today = today or timezone.localdate()
    now = timezone.now()
    due: list[DirectiveTarget] = []
    targets = (DirectiveTarget.objects.select_for_update().select_related("directive", "body")
               .filter(complied_at__isnull=True, reminded_at__isnull=True, directive__due_date__gte=today))
    for target in targets:
        if target.directive.due_date - dt.timedelta(days=target.directive.remind_days_before) <= today:
            target.reminded_at = now
            due.append(target)
    DirectiveTarget.objects.bulk_update(due, ["reminded_at"])
    for target in due:
        log.info("directive %s: reminded %s (due %s)", target.directive_id, target.body.dla_code,
                 target.directive.due_date)
    return due


def rollup_rebuild() -> None:
    """Recompute the roll-ups from the facts (after a bulk load with the trigger disabled)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in rebuild_sql():
            cursor.execute(statement)
