"""The two case lists of the oversight pages, read from the facts only (no personal data, never a
body's schema): open complaints past a stage deadline, and the conduct and corruption cases an
office handles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.categories.models import NationalCategory
from apps.complaints.conduct import handled_by
from apps.complaints.status import Status
from apps.oversight.models import ScopeLevel
from apps.oversight.rollup_sql import OPEN
from apps.oversight.scoping import Scope
from apps.reporting.models import ComplaintFact
from apps.sla.escalation import Escalation, Step
from apps.sla.models import StageClock
from apps.sla.selectors import bodies_calendars
from apps.ui.thai import localised_name
from tenants.models import LocalBody

STAGE_COLUMNS = (("ack", "ack_due_at", "acknowledged_at", gettext_lazy("แจ้งรับเรื่อง")),
                 ("route", "route_due_at", "routed_at", gettext_lazy("ส่งต่อ")),
                 ("reply", "reply_due_at", "first_reply_at", gettext_lazy("แจ้งผลเบื้องต้น")),
                 ("resolve", "resolve_due_at", "resolved_at", gettext_lazy("แก้ไขแล้วเสร็จ")))


def overdue_facts(scope: Scope, *, body: LocalBody | None = None, now: dt.datetime | None = None,
                  limit: int = 500) -> list[dict[str, Any]]:
    """Open complaints with a stage past its deadline: tracking code, category, stage, days over,
    escalation state. Facts hold no personal data, and nothing else is read."""
    now = now or timezone.now()
    overdue = Q()
    for _stage, due, done, _label in STAGE_COLUMNS:
        overdue |= Q(**{f"{due}__lt": now, f"{done}__isnull": True})
    qs = ComplaintFact.objects.filter(scope.fact_filter(), status__in=OPEN).filter(overdue)
    if scope.level == ScopeLevel.DISTRICT:
        # Complaints about the district office itself are the province's: not even their codes here.
        qs = qs.exclude(routed_to_oversight=True, about_district_office=True)
    if body is not None:
        qs = qs.filter(body=body)
    fields = ["id", "tracking_code", "national_category", "sla_class", "status", "received_at", "body_id",
              "ever_breached"] + [c for s in STAGE_COLUMNS for c in s[1:3]]
    rows = []
    facts = list(qs.values(*fields).order_by("received_at")[:limit])
    steps = _escalation_steps(facts, now=now)
    for fact in facts:
        late = [(fact[due], stage, label) for stage, due, done, label in STAGE_COLUMNS
                if fact[due] is not None and fact[due] < now and fact[done] is None]
        due_at, stage, label = min(late, key=lambda item: (item[0], item[1]))
        step = steps[(fact["id"], stage, due_at)]
        rows.append({"tracking_code": fact["tracking_code"], "national_category": fact["national_category"],
                     "sla_class": fact["sla_class"], "status": fact["status"], "stage": label,
                     "due_at": due_at, "days_over": (now - due_at).days, "escalation": str(step.label),
                     "body_id": fact["body_id"], "received_at": fact["received_at"]})
    rows.sort(key=lambda r: -r["days_over"])
    _attach_bodies(rows)
    return rows


def _escalation_steps(facts: list[dict[str, Any]], *, now: dt.datetime) -> dict[tuple[int, str, dt.datetime], Step]:
    """The step each overdue stage has reached at `now`, by the rule the sweep acts on
    (apps.sla.escalation) and from the times the sweep reads: the stage clock's. One query for all
    the rows; a fact with no clock (imported figures) is judged on its body's calendar."""
    wanted = {(fact["id"], stage, fact[due]) for fact in facts for stage, due, done, _label in STAGE_COLUMNS
              if fact[due] is not None and fact[due] < now and fact[done] is None}
    steps: dict[tuple[int, str, dt.datetime], Step] = {}
    clocks = StageClock.objects.filter(fact_id__in={key[0] for key in wanted}, completed_at__isnull=True,
                                       stage__in=[s[0] for s in STAGE_COLUMNS])
    for fact_id, stage, due_at, warn_at, district_due_at in clocks.values_list(
            "fact_id", "stage", "due_at", "warn_at", "district_due_at"):
        if due_at is not None and (fact_id, stage, due_at) in wanted:
            steps[(fact_id, stage, due_at)] = Escalation(warn_at=warn_at, due_at=due_at,
                                                         district_due_at=district_due_at).reached(now)
    missing = wanted - set(steps)
    if missing:
        body_of = {fact["id"]: fact["body_id"] for fact in facts}
        calendars = bodies_calendars(body_ids={body_of[key[0]] for key in missing}, around=now)
        for fact_id, stage, due_at in missing:
            escalation = Escalation.of(warn_at=None, due_at=due_at, calendar=calendars[body_of[fact_id]])
            steps[(fact_id, stage, due_at)] = escalation.reached(now)
    return steps


def conduct_queue(scope: Scope, *, limit: int = 500) -> list[dict[str, Any]]:
    """Conduct and corruption complaints, newest first, only what the facts hold: for a district or
    provincial office the cases it handles (never those about a district office, for that office),
    for the nation every one."""
    if scope.level in (ScopeLevel.DISTRICT, ScopeLevel.PROVINCE):
        routed = handled_by(scope.level, scope.code)
    else:
        routed = scope.fact_filter() & Q(routed_to_oversight=True)
    now = timezone.now()
    qs = (ComplaintFact.objects.filter(routed).order_by("-received_at", "-id")
          .values("id", "tracking_code", "national_category", "status", "received_at", "resolve_due_at",
                  "resolved_at", "closed_at", "ever_breached", "about_district_office", "body_id")[:limit])
    rows: list[dict[str, Any]] = [dict(r) for r in qs]
    for row in rows:
        row["status_label"] = Status(row["status"]).label if row["status"] in Status.values else row["status"]
        due: dt.datetime | None = row["resolve_due_at"]
        row["overdue"] = bool(due and due < now and row["status"] in OPEN)
    _attach_bodies(rows)
    return rows


def _attach_bodies(rows: list[dict[str, Any]]) -> None:
    """Each row's body, and its national category by name (in the page's language), never by code."""
    bodies = {b.pk: b for b in LocalBody.objects.filter(pk__in={r["body_id"] for r in rows})}
    categories = {c.code: c for c in NationalCategory.objects.filter(code__in={r["national_category"] for r in rows})}
    for row in rows:
        category = categories.get(row["national_category"])
        row["category_label"] = localised_name(category) if category else row["national_category"]
        body = bodies.get(row["body_id"])
        row["body_code"] = body.dla_code if body else ""
        row["body_name"] = body.display_name if body else ""
