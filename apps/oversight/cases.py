"""The two case lists of the oversight pages, read from the facts only (no personal data, never a
body's schema): open complaints past a stage deadline, and the conduct and corruption cases an
office handles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.categories.models import NationalCategory
from apps.complaints.conduct import handled_by
from apps.complaints.status import Status
from apps.oversight.models import ScopeLevel
from apps.oversight.rollup_sql import OPEN
from apps.oversight.scoping import Scope
from apps.reporting.models import ComplaintFact
from apps.ui.thai import localised_name
from tenants.models import LocalBody


def escalation_state(days_over: int) -> str:
    """Derived from how long a stage is overdue (the sweep escalates on the same steps)."""
    if days_over >= 15:
        return _("ถึงท้องถิ่นอำเภอ")
    if days_over >= 3:
        return _("ถึงผู้บริหารหน่วยงาน")
    return _("แจ้งเตือนเจ้าหน้าที่")


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
    fields = ["tracking_code", "national_category", "sla_class", "status", "received_at", "body_id",
              "ever_breached"] + [c for s in STAGE_COLUMNS for c in s[1:3]]
    rows = []
    for fact in qs.values(*fields).order_by("received_at")[:limit]:
        late = [(fact[due], label) for _s, due, done, label in STAGE_COLUMNS
                if fact[due] is not None and fact[due] < now and fact[done] is None]
        due_at, stage = min(late, key=lambda item: item[0])
        days_over = (now - due_at).days
        rows.append({"tracking_code": fact["tracking_code"], "national_category": fact["national_category"],
                     "sla_class": fact["sla_class"], "status": fact["status"], "stage": stage,
                     "due_at": due_at, "days_over": days_over, "escalation": escalation_state(days_over),
                     "body_id": fact["body_id"], "received_at": fact["received_at"]})
    rows.sort(key=lambda r: -r["days_over"])
    _attach_bodies(rows)
    return rows


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
