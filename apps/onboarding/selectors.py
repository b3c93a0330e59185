"""Reads of onboarding. The adoption figures read public tables only: the registry, invitations,
the setup facts (`BodySetup`), the profile, calendar and SLA tables, and the reporting facts —
never a body's schema, whatever the number of bodies in the area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from apps.onboarding.checklist import PublicTicks, SchemaTicks, is_configured, public_ticks
from apps.onboarding.models import BodySetup, Invitation, InvitationStatus, ReminderTopic, SetupReminder
from apps.oversight.scoping import Scope, bodies_in_scope_for
from apps.reporting.models import ComplaintFact
from apps.ui.thai import localised_name
from tenants.models import BodyStatus, District, LocalBody, Province

ACTIVE_DAYS = 30
# The adoption funnel, in order: each column counts the bodies that have reached that step.
STEPS = ("invited", "claimed", "configured", "sla", "active")


@dataclass
class BodyAdoption:
    body: LocalBody
    invitation: Invitation | None
    invited: bool
    claimed: bool
    configured: bool
    sla: bool
    active: bool
    last_reminded_at: dt.datetime | None = None

    def reached(self, step: str) -> bool:
        return bool(getattr(self, step))


@dataclass
class AreaAdoption:
    code: str
    name: str
    bodies: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STEPS, 0))


def _live_invitations(scoped: QuerySet[LocalBody, dict[str, int]]) -> dict[int, Invitation]:
    """Each body's newest invitation that was not revoked (claimed, pending or expired)."""
    found: dict[int, Invitation] = {}
    for invitation in (Invitation.objects.filter(body_id__in=scoped).exclude(status=InvitationStatus.REVOKED)
                       .order_by("body_id", "-created_at")):
        found.setdefault(invitation.body_id, invitation)
    return found


def body_adoption(scope: Scope, *, now: dt.datetime | None = None) -> list[BodyAdoption]:
    """Every body of the area (archived ones aside) with its place in the funnel. A fixed number
    of statements whatever the number of bodies."""
    now = now or timezone.now()
    in_scope = bodies_in_scope_for(scope).filter(status__in=[BodyStatus.ACTIVE, BodyStatus.SUSPENDED])
    bodies = list(in_scope.order_by("province_id", "district_id", "dla_code"))
    ids = [b.pk for b in bodies]
    # The other tables are filtered by the same query (a subquery), not by a list of 7,850 ids.
    scoped = in_scope.order_by().values("pk")
    invitations = _live_invitations(scoped)
    setups = {s.body_id: s for s in BodySetup.objects.filter(body_id__in=scoped)}
    public: dict[int, PublicTicks] = public_ticks(ids, scoped=scoped)
    since = now - dt.timedelta(days=ACTIVE_DAYS)
    active = set(ComplaintFact.objects.filter(scope.fact_filter(), received_at__gte=since)
                 .values_list("body_id", flat=True).distinct())
    reminded: dict[int, dt.datetime] = {}
    for body_id, created_at in (SetupReminder.objects.filter(body_id__in=scoped)
                                .order_by("body_id", "created_at").values_list("body_id", "created_at")):
        reminded[body_id] = created_at
    rows = []
    for body in bodies:
        invitation = invitations.get(body.pk)
        claimed = invitation is not None and invitation.status == InvitationStatus.CLAIMED
        setup = setups.get(body.pk)
        ticks = SchemaTicks(setup.departments, setup.categories, setup.staff, setup.line, setup.admins) \
            if setup is not None else None
        rows.append(BodyAdoption(
            body=body, invitation=invitation, invited=invitation is not None, claimed=claimed,
            configured=claimed and is_configured(ticks, public[body.pk]),
            sla=public[body.pk].sla_published, active=body.pk in active, last_reminded_at=reminded.get(body.pk)))
    return rows


def adoption_by_area(scope: Scope, rows: list[BodyAdoption]) -> list[AreaAdoption]:
    """Per province (nation) or per district (province, district)."""
    areas: dict[str, AreaAdoption] = {}
    by_province = scope.level == "nation"
    for row in rows:
        place: Province | District | None = row.body.province if by_province else row.body.district
        code = (row.body.province_id if by_province else row.body.district_id) or ""
        area = areas.get(code)
        if area is None:
            area = areas[code] = AreaAdoption(code=code, name=localised_name(place) if place else "-")
        area.bodies += 1
        for step in STEPS:
            area.counts[step] += row.reached(step)
    return sorted(areas.values(), key=lambda a: a.code)


def totals(rows: list[BodyAdoption]) -> dict[str, int]:
    return {step: sum(r.reached(step) for r in rows) for step in STEPS}


def invitations_in_scope(scope: Scope) -> QuerySet[Invitation]:
    return (Invitation.objects.filter(body__in=bodies_in_scope_for(scope)).select_related("body")
            .order_by("-created_at"))


def reminders_for_body(body: LocalBody, *, limit: int = 20) -> list[SetupReminder]:
    return list(SetupReminder.objects.filter(body=body).order_by("-created_at")[:limit])


def bodies_to_refresh(*, limit: int) -> list[LocalBody]:
    """Claimed bodies whose checklist facts are not all ticked yet, the stalest first."""
    claimed = Invitation.objects.filter(status=InvitationStatus.CLAIMED).values("body_id")
    done = BodySetup.objects.filter(departments=True, categories=True, staff=True, line=True).values("body_id")
    return list(LocalBody.objects.live().filter(pk__in=claimed).exclude(pk__in=done)
                .order_by("pk")[:limit])


TOPICS = {step: topic for step, topic in zip(STEPS, ReminderTopic.values, strict=True)}
