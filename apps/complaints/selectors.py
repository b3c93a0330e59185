"""Reads of a body's complaints."""

from __future__ import annotations

import hmac
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import check_password
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.complaints.context import current_body
from apps.complaints.models import Attachment, Complaint, ComplaintEvent, Department, EventKind, StaffMember
from apps.complaints.policies import Actor, visible_complaints
from apps.complaints.public_cases import (
    CaseFilters,
    PublicCase,
    content_withheld,
    fact_deadlines,
    open311_filter,
)
from apps.complaints.status import OPEN_STATUSES, Status
from apps.reporting.models import ComplaintFact
from apps.ui.normalise import ascii_digits
from tenants.models import LocalBody


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in ascii_digits(code or "").upper() if ch.isascii() and ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else ""


def complaint_lookup_for_citizen(*, code: str, second_factor: str) -> Complaint | None:
    """The case for a tracking code plus its second factor (phone's last 4 digits or the PIN), or
    None for a wrong code, a wrong factor, or a case still waiting to be accepted — one answer
    for all, so a code alone reveals nothing."""
    code = normalise_code(code)
    factor = "".join(ch for ch in ascii_digits(second_factor or "") if ch in "0123456789")
    if not code or not factor:
        return None
    # A code issued anew in a merge of bodies still finds its case; where two cases answer to one
    # code (a transfer between the merged bodies), the second factor tells them apart, and a case
    # that is still going on is tried before the one it was transferred from.
    cases = sorted(by_code(Complaint.objects.exclude(status=Status.TRANSFER_OFFERED), code)[:5],
                   key=lambda c: (c.status == Status.TRANSFERRED, c.tracking_code != code, c.pk))
    if not cases:
        check_password(factor, "pbkdf2_sha256$1000000$x$x")  # same cost as a real check
        return None
    for complaint in cases:
        if complaint.phone_last4 and hmac.compare_digest(complaint.phone_last4, factor[-4:]):
            return complaint
        if complaint.pin_hash and check_password(factor, complaint.pin_hash):
            return complaint
    return None


def by_code(cases: QuerySet[Complaint], code: str) -> QuerySet[Complaint]:
    """Cases tracked by `code`: their own, or one they had before a merge of bodies re-issued it."""
    return cases.filter(Q(tracking_code=code) | Q(former_codes__contains=[code]))


def public_timeline(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.filter(is_public=True).order_by("created_at", "id")


def waiting_request(*, complaint: Complaint) -> ComplaintEvent | None:
    """The request for information the case is waiting on (the latest one), shown above the answer form."""
    return (complaint.events.filter(kind=EventKind.STATUS, to_status=Status.WAITING, is_public=True)
            .order_by("-created_at", "-id").first())


def public_attachments(*, complaint: Complaint) -> QuerySet[Attachment]:
    return complaint.attachments.filter(is_public=True).order_by("created_at")


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    department: int | None = None
    category: int | None = None
    channel: str = ""
    due: str = ""  # "soon" or "overdue"
    query: str = ""


def inbox(*, user: Actor, filters: InboxFilters) -> QuerySet[Complaint]:
    """The staff inbox: a fixed number of queries whatever the page size (no N+1)."""
    cases = visible_complaints(user).select_related("category", "department", "assignee")
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.department:
        cases = cases.filter(department_id=filters.department)
    if filters.category:
        cases = cases.filter(category_id=filters.category)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.query:
        code = normalise_code(filters.query)
        cases = by_code(cases, code) if code else cases.filter(description__icontains=filters.query)
    if filters.due:
        cases = _due_filter(cases, filters.due)
    return cases.order_by("-received_at", "-id")


def _due_filter(cases: QuerySet[Complaint], due: str) -> QuerySet[Complaint]:
    """Due-soon and overdue come from the SLA clocks on the reporting facts (public schema)."""
    now = timezone.now()
    facts = ComplaintFact.objects.filter(body_id=current_body().pk, status__in=OPEN_STATUSES,
                                         resolve_due_at__isnull=False)
    if due == "overdue":
        facts = facts.filter(resolve_due_at__lt=now)
    elif due == "soon":
        facts = facts.filter(resolve_due_at__gte=now, resolve_due_at__lt=now + timedelta(days=2))
    else:
        return cases
    # A subquery on the public table (one database, one statement), not a list of ids.
    return cases.filter(pk__in=facts.values("complaint_id"))


def _distance_m(lat1: Decimal, lng1: Decimal, lat2: Decimal, lng2: Decimal) -> float:
    r = 6_371_000.0
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def cases_within(cases: QuerySet[Complaint], *, latitude: Decimal, longitude: Decimal,
                 within_m: int) -> list[Complaint]:
    """The cases pinned within `within_m` metres, newest first: a bounding box first (cheap, in
    the query), then the true distance (of at most 200 of them)."""
    deg = Decimal(within_m) / Decimal(111_000)
    box = cases.filter(latitude__range=(latitude - deg, latitude + deg),
                       longitude__range=(longitude - deg * 2, longitude + deg * 2))
    near = [c for c in box[:200]
            if _distance_m(latitude, longitude, c.latitude, c.longitude) <= within_m]  # type: ignore[arg-type]
    return sorted(near, key=lambda c: c.received_at, reverse=True)


def duplicate_candidates(*, user: Actor, national_category: str, latitude: Decimal | None,
                         longitude: Decimal | None, subdistrict_code: str = "", within_m: int = 200, days: int = 14,
                         exclude_id: int | None = None, limit: int = 5) -> list[Complaint]:
    """Open cases `user` may see, of the same category, nearby (or in the same subdistrict when no
    pin) and recent."""
    since = timezone.now() - timedelta(days=days)
    cases = visible_complaints(user).filter(national_category=national_category, status__in=OPEN_STATUSES,
                                     received_at__gte=since)
    if exclude_id:
        cases = cases.exclude(pk=exclude_id)
    if latitude is not None and longitude is not None:
        return cases_within(cases, latitude=latitude, longitude=longitude, within_m=within_m)[:limit]
    if subdistrict_code:
        return list(cases.filter(subdistrict_code=subdistrict_code).order_by("-received_at")[:limit])
    return []


def inbox_due_dates(*, complaint_ids: list[int]) -> dict[int, datetime]:
    """The resolution deadline of each listed case, from the facts: one query for a whole page."""
    if not complaint_ids:
        return {}
    rows = ComplaintFact.objects.filter(body_id=current_body().pk, complaint_id__in=complaint_ids,
                                        resolve_due_at__isnull=False).values_list("complaint_id", "resolve_due_at")
    # resolve_due_at__isnull=False: the check only tells mypy.
    return {pk: due for pk, due in rows if due is not None}


def transfer_targets(*, body: LocalBody, query: str = "", limit: int = 30) -> list[LocalBody]:
    """Active bodies a case may be sent to: by name or DLA code across the platform, or, with no
    query, the others of the same district (where most cases go)."""
    bodies = LocalBody.objects.live().exclude(pk=body.pk)
    if query:
        bodies = bodies.filter(name_th__icontains=query) | bodies.filter(dla_code__startswith=query)
    elif body.district_id:
        bodies = bodies.filter(district_id=body.district_id)
    else:
        return []
    return list(bodies.order_by("name_th")[:limit])


def complaint_public_cases(*, filters: CaseFilters, category_ids: Sequence[int] | None = None) -> list[PublicCase]:
    """One page of this body's cases as the public sees them (Open311), newest first: no
    complainant, no description, place or photo link for confidential cases, and no conduct or
    corruption cases at all. Three queries a page: the cases, their deadlines (facts), their
    photo links."""
    body = current_body()
    cases = open311_filter(Complaint.objects.select_related("category"), filters)
    if filters.ids is not None:
        cases = cases.filter(pk__in=[pk for code, pk in filters.ids if code == body.dla_code])
    if filters.tickets is not None:
        cases = cases.filter(idempotency_key__in=list(filters.tickets))
    if category_ids is not None:
        cases = cases.filter(category_id__in=list(category_ids))
    page = list(cases.only(
        "id", "category__id", "category__name_th", "category__name_en", "national_category", "sla_class", "status",
        "description", "location_text", "moo", "subdistrict_code", "latitude", "longitude", "is_confidential",
        "routed_to_oversight", "received_at", "updated_at", "external_source", "external_id",
    )[filters.offset:filters.offset + filters.limit])
    ids = [case.pk for case in page]
    deadlines = fact_deadlines(body_id=body.pk, complaint_ids=ids)
    media = {
        complaint_id: str(data.get("media_url", ""))
        for complaint_id, data in ComplaintEvent.objects.filter(complaint_id__in=ids, kind=EventKind.CREATED)
        .values_list("complaint_id", "data")
        if data.get("media_url")
    }
    result = []
    for case in page:
        withheld = content_withheld(is_confidential=case.is_confidential,
                                    routed_to_oversight=case.routed_to_oversight, sla_class=case.sla_class)
        moo = _("หมู่ %(moo)s") % {"moo": case.moo} if case.moo else ""
        place = ", ".join(part for part in (case.location_text, moo) if part)
        result.append(PublicCase(
            body_code=body.dla_code, body_name=body.display_name, complaint_id=case.pk,
            national_category=case.national_category, category_id=case.category_id, status=case.status,
            received_at=case.received_at, updated_at=case.updated_at,
            expected_at=deadlines.get(case.pk, (None, None))[0],
            description=None if withheld else case.description,
            address=None if withheld else (place or None),
            latitude=None if withheld else case.latitude, longitude=None if withheld else case.longitude,
            media_url=None if withheld else media.get(case.pk),
            subdistrict_code="" if withheld else case.subdistrict_code,
            external_source=case.external_source, external_id=case.external_id,
        ))
    return result


def departments_active() -> list[Department]:
    return list(Department.objects.filter(is_active=True))


def staff_choices() -> list[tuple[int, str]]:
    """Active staff as (user id, "name (role)"), for an assignee list."""
    return [(m.user_id, f"{m.user.get_full_name()} ({m.get_role_display()})")
            for m in StaffMember.objects.select_related("user").filter(user__is_active=True)
            .order_by("user__full_name", "user__username")]
