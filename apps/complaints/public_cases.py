"""Cases as the public sees them (Open311): the listing rule and filters, shared by a body's own
cases (apps.complaints.selectors.complaint_public_cases) and the national list, which reads the
reporting facts alone (no body's schema is read). The facts store the case's status as a plain
string; what it means (open, unlisted) is decided here, with the complaint service's vocabulary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from apps.categories.models import OVERSIGHT_CLASSES
from apps.complaints.status import OPEN_STATUSES, Status
from apps.reporting.models import ComplaintFact

# Shown nowhere outside the body until the receiver accepts the transfer.
UNLISTED_STATUSES = frozenset({Status.TRANSFER_OFFERED})


@dataclass(frozen=True)
class PublicCase:
    """A case as the public sees it. `None` means withheld or not known here: description, place
    and photo link are withheld for confidential cases and for conduct and corruption complaints,
    and the national list (facts only) has none of them."""

    body_code: str
    body_name: str
    complaint_id: int
    national_category: str
    category_id: int | None
    status: str
    received_at: dt.datetime
    updated_at: dt.datetime
    expected_at: dt.datetime | None
    description: str | None = None
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    media_url: str | None = None
    subdistrict_code: str = ""
    # The case's id in the system it came from (e.g. Traffy Fondue's), when it has one.
    external_source: str = ""
    external_id: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def public_id(self) -> str:
        return f"{self.body_code}-{self.complaint_id}"


def content_withheld(*, is_confidential: bool, routed_to_oversight: bool, sla_class: str = "") -> bool:
    return is_confidential or routed_to_oversight or sla_class in OVERSIGHT_CLASSES


@dataclass(frozen=True)
class CaseFilters:
    """Open311's filters. `ids`: (body DLA code, complaint id) pairs; `open`: True, False or None
    for both; dates bound `received_at` (start inclusive, end exclusive)."""

    ids: Sequence[tuple[str, int]] | None = None
    national_categories: Sequence[str] | None = None
    received_from: dt.datetime | None = None
    received_to: dt.datetime | None = None
    open: bool | None = None
    updated_after: dt.datetime | None = None
    # A body's cases by the stored idempotency keys of an integration (apps.complaints.idempotency).
    tickets: Sequence[str] | None = None
    # Cases by the id they have in the system they came from (`external_source` is required with them).
    external_source: str = ""
    external_ids: Sequence[str] | None = None
    offset: int = 0
    limit: int = 1000


def status_filter(open_: bool | None) -> Q:
    if open_ is None:
        return Q()
    q = Q(status__in=OPEN_STATUSES)
    return q if open_ else ~q


Rows = TypeVar("Rows", bound=Model)

# The public report pages: open cases, and those resolved or closed in the last REPORT_RESOLVED_DAYS.
REPORT_RESOLVED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
REPORT_RESOLVED_DAYS = 30


def never_public_excluded(rows: QuerySet[Rows]) -> QuerySet[Rows]:
    """Never a conduct or corruption case (not even its existence is public), nor a transfer not
    yet accepted."""
    return rows.exclude(status__in=UNLISTED_STATUSES).exclude(routed_to_oversight=True) \
        .exclude(sla_class__in=OVERSIGHT_CLASSES)


def shown_on_portal(rows: QuerySet[Rows]) -> QuerySet[Rows]:
    """A body's cases that its portal may show at all (the report pages, the home page's map):
    what Open311 lists, less the confidential cases (the citizen asked that the case be kept
    confidential: it is not shown, not even as a point)."""
    return never_public_excluded(rows).exclude(is_confidential=True)


def report_listed(rows: QuerySet[Rows], *, now: dt.datetime) -> QuerySet[Rows]:
    """A body's cases on its public report pages (list, map, report page, nearby reports while
    filing, following): shown on the portal, and only open cases or those resolved in the last
    REPORT_RESOLVED_DAYS (rejected, transferred and merged cases are not reports)."""
    recent = now - dt.timedelta(days=REPORT_RESOLVED_DAYS)
    return shown_on_portal(rows).filter(
        Q(status__in=OPEN_STATUSES) | Q(status__in=REPORT_RESOLVED_STATUSES, resolved_at__gte=recent))


def open311_filter(rows: QuerySet[Rows], filters: CaseFilters) -> QuerySet[Rows]:
    """The Open311 list's rule and filters, for a body's cases and for the facts alike (both carry
    these columns): never a conduct or corruption case (not even its existence is public), nor a
    transfer not yet accepted; the national categories, the received window, `updated_after`,
    open/closed and external references; newest first."""
    rows = never_public_excluded(rows)
    if filters.national_categories is not None:
        rows = rows.filter(national_category__in=filters.national_categories)
    if filters.received_from is not None:
        rows = rows.filter(received_at__gte=filters.received_from)
    if filters.received_to is not None:
        rows = rows.filter(received_at__lt=filters.received_to)
    if filters.updated_after is not None:
        rows = rows.filter(updated_at__gt=filters.updated_after)
    if filters.external_ids is not None:
        rows = rows.filter(external_source=filters.external_source, external_id__in=list(filters.external_ids))
    return rows.filter(status_filter(filters.open)).order_by("-received_at", "-id")


def fact_public_cases(*, filters: CaseFilters, body_id: int | None = None) -> list[PublicCase]:
    """One page of cases across every body (or one), newest first, from the facts only; conduct
    and corruption cases are the oversight office's and are not listed."""
    facts = open311_filter(ComplaintFact.objects.select_related("body"), filters)
    if body_id is not None:
        facts = facts.filter(body_id=body_id)
    if filters.ids is not None:
        wanted = Q(pk__in=[])
        for code, complaint_id in filters.ids:
            wanted |= Q(body__dla_code=code, complaint_id=complaint_id)
        facts = facts.filter(wanted)
    page = facts[filters.offset:filters.offset + filters.limit]
    return [
        PublicCase(
            body_code=fact.body.dla_code, body_name=fact.body.display_name, complaint_id=fact.complaint_id,
            national_category=fact.national_category, category_id=None, status=fact.status,
            received_at=fact.received_at, updated_at=fact.updated_at, expected_at=fact.resolve_due_at,
            subdistrict_code="" if content_withheld(is_confidential=False, routed_to_oversight=fact.routed_to_oversight,
                                                    sla_class=fact.sla_class) else fact.subdistrict_code,
            external_source=fact.external_source, external_id=fact.external_id,
        )
        for fact in page
    ]


def ids_merged(ids: Sequence[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, int, int]]:
    """Open311 ids a case had in a body merged into another → (its code, its id and its body's id
    today), from the ids kept on the facts (`former_ids`, GIN-indexed): one query."""
    if not ids:
        return {}
    wanted = {f"{code}-{number}": (code, number) for code, number in ids}
    found: dict[tuple[str, int], tuple[str, int, int]] = {}
    for fact in ComplaintFact.objects.filter(former_ids__overlap=list(wanted)).select_related("body"):
        for former in fact.former_ids:
            if former in wanted:
                found[wanted[former]] = (fact.body.dla_code, fact.complaint_id, fact.body_id)
    return found


def fact_deadlines(*, body_id: int, complaint_ids: Sequence[int]) -> dict[int, tuple[dt.datetime | None, dt.datetime]]:
    """Resolution deadline and last change of each of a body's cases, by complaint id."""
    rows = ComplaintFact.objects.filter(body_id=body_id, complaint_id__in=list(complaint_ids)) \
        .values_list("complaint_id", "resolve_due_at", "updated_at")
    return {complaint_id: (due, updated) for complaint_id, due, updated in rows}
