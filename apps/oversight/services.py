"""Writes of the oversight app: directives, their acknowledgement and measured compliance,
reminders, officers' scopes, and the roll-up rebuild."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import current_app  # type: ignore[attr-defined]
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.audit.services import audit_diff, audit_record, audit_snapshot
from apps.oversight import compliance
from apps.oversight.models import (
    Directive,
    DirectiveMeasure,
    DirectiveTarget,
    OversightProfile,
    ScopeLevel,
)
from apps.oversight.rollup_sql import rebuild_sql
from apps.oversight.scoping import Scope, bodies_in_scope_for
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
                    number: str = "", requirements: Iterable[str] = (DirectiveMeasure.ACKNOWLEDGEMENT,),
                    body_codes: Iterable[str] | None = None, attachment: UploadedFile[bytes] | None = None,
                    remind_days_before: int = 3) -> Directive:
    """Issue to every body in scope, or to the listed ones (each must be in scope, else 404). The
    body complies when it has met every requirement (in the order of DirectiveMeasure)."""
    wanted = set(requirements)
    if not wanted or not wanted <= set(DirectiveMeasure.values):
        raise DirectiveError(_("เลือกสิ่งที่หน่วยงานต้องปฏิบัติอย่างน้อยหนึ่งข้อ"))
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
    directive = Directive(title=title, text=text, number=number, due_date=due_date,
                          requirements=[r for r in DirectiveMeasure.values if r in wanted],
                          issued_by=issued_by, scope_level=scope.level, scope_code=scope.code,
                          remind_days_before=remind_days_before)
    if attachment is not None:
        directive.attachment = attachment
    directive.save()
    DirectiveTarget.objects.bulk_create([DirectiveTarget(directive=directive, body=b) for b in targets])
    audit_record(kind="directive.create", actor=issued_by, target=directive, changes={"after": {
        **audit_snapshot(directive, ("title", "number", "requirements", "due_date", "scope_level", "scope_code",
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
    if _complete(target, target.directive):
        fields += ["complied_at", "compliance_source"]
    target.save(update_fields=fields)
    # The body's own log: its admin answered the office.
    audit_record(kind="directive.acknowledge", actor=actor, actor_label="" if actor else user_name,
                 target=target.directive,
                 body=body, changes={"after": {"acknowledged_at": now, "acknowledged_by_name": user_name}})
    return target


def _complete(target: DirectiveTarget, directive: Directive) -> bool:
    """Set complied_at when every requirement is met: the moment the last one was (never before
    the directive was issued). True when it changed."""
    if target.complied_at is not None:
        return False
    times = [target.met_at(r) for r in directive.requirements]
    if not times or any(t is None for t in times):
        return False
    target.complied_at = max([directive.issued_at, *(t for t in times if t is not None)])
    measured = any(r != DirectiveMeasure.ACKNOWLEDGEMENT for r in directive.requirements)
    target.compliance_source = "auto" if measured else "ack"
    return True


@transaction.atomic
def directive_compliance_refresh(*, directive: Directive, now: dt.datetime | None = None) -> int:
    """Record the measured requirements the bodies have met since (an SLA in force meeting the
    minimum; no overdue case left unanswered), each at the moment it was met, and complied_at once
    all are. Returns how many targets became compliant. Idempotent: a met requirement stays met."""
    now = now or timezone.now()
    pending = list(DirectiveTarget.objects.select_for_update().filter(directive=directive, complied_at__isnull=True))
    if not pending:
        return 0
    issued = directive.issued_at
    if DirectiveMeasure.SLA_PUBLISHED in directive.requirements:
        sla = compliance.sla_met_times(t.body_id for t in pending if t.sla_met_at is None)
        for target in pending:
            if target.sla_met_at is None and target.body_id in sla:
                target.sla_met_at = max(issued, sla[target.body_id])
    if DirectiveMeasure.OVERDUE_ANSWERED in directive.requirements:
        answered = compliance.overdue_met_times((t.body_id for t in pending if t.overdue_met_at is None), now)
        for target in pending:
            if target.overdue_met_at is None and target.body_id in answered:
                target.overdue_met_at = max(issued, answered[target.body_id] or issued)
    complied = sum(1 for target in pending if _complete(target, directive))
    DirectiveTarget.objects.bulk_update(pending, ["sla_met_at", "overdue_met_at", "complied_at", "compliance_source"])
    return complied


def directives_compliance_refresh_all(*, now: dt.datetime | None = None) -> int:
    total = 0
    measured = [DirectiveMeasure.SLA_PUBLISHED, DirectiveMeasure.OVERDUE_ANSWERED]
    open_directives = Directive.objects.filter(requirements__overlap=measured,
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
