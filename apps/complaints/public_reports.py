"""Reads for the body's public report pages (the list, its map, a report's page, the reports shown
to a citizen about to file): which cases are listed is apps.complaints.public_cases.report_listed;
what is shown of them is decided here, and it is never personal. Only these columns are read:
category, หมู่ที่ and ตำบล, status and its dates, and the pin rounded to about 100 m (a pin is where
the problem is, but it may be the complainant's own gate). Never a name, contact, description,
place text, photo or the tracking code (the citizen's key): a report is known by its public id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.complaints.context import current_body
from apps.complaints.models import Complaint, ComplaintEvent
from apps.complaints.public_cases import REPORT_RESOLVED_STATUSES, fact_deadlines, report_listed
from apps.complaints.selectors import cases_within
from apps.complaints.status import OPEN_STATUSES, Status
from apps.ui import thai
from tenants.models import Subdistrict

PUBLIC_COLUMNS = ("id", "public_id", "category__id", "category__name_th", "category__name_en",
                  "category__national_category_id", "status", "moo", "subdistrict_code", "latitude", "longitude",
                  "received_at", "resolved_at", "updated_at")
PIN_DECIMALS = 3  # ≈ 110 m
NEARBY_METRES = 300


@dataclass(frozen=True)
class PublicReport:
    public_id: str
    category: str
    category_id: int
    icon_category: str  # the national category's code (its icon)
    status: str
    status_label: str
    area: str
    received_at: dt.datetime
    resolved_at: dt.datetime | None
    days_open: int
    overdue: bool
    latitude: float | None
    longitude: float | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class ReportPage:
    reports: list[PublicReport]
    total: int
    page: int
    pages: int


def report_area(*, moo: str, subdistrict: Subdistrict | None) -> str:
    parts = [_("หมู่ที่ %(moo)s") % {"moo": moo}] if moo else []
    if subdistrict is not None:
        parts.append(_("ตำบล%(name)s") % {"name": thai.localised_name(subdistrict)})
    return " ".join(parts)


def _pin(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), PIN_DECIMALS)


def _reports(cases: list[Complaint], *, now: dt.datetime) -> list[PublicReport]:
    """Two statements for any number of cases: their resolution deadlines (facts), their ตำบล."""
    deadlines = fact_deadlines(body_id=current_body().pk, complaint_ids=[c.pk for c in cases]) if cases else {}
    codes = {c.subdistrict_code for c in cases if c.subdistrict_code}
    places = {s.code: s for s in Subdistrict.objects.filter(code__in=codes)} if codes else {}
    today = timezone.localtime(now).date()
    result = []
    for case in cases:
        is_open = case.status in OPEN_STATUSES
        end = today if is_open or case.resolved_at is None else timezone.localtime(case.resolved_at).date()
        due = deadlines.get(case.pk, (None, None))[0]
        result.append(PublicReport(
            public_id=case.public_id, category=thai.localised_name(case.category), category_id=case.category_id,
            icon_category=case.category.national_category_id, status=case.status,
            status_label=str(Status(case.status).label),
            area=report_area(moo=case.moo, subdistrict=places.get(case.subdistrict_code)),
            received_at=case.received_at, resolved_at=case.resolved_at,
            days_open=max((end - timezone.localtime(case.received_at).date()).days, 0),
            overdue=is_open and due is not None and due < now,
            latitude=_pin(case.latitude), longitude=_pin(case.longitude),
        ))
    return result


def _listed(now: dt.datetime) -> QuerySet[Complaint]:
    return report_listed(Complaint.objects.select_related("category"), now=now).only(*PUBLIC_COLUMNS)


def public_reports_page(*, status: str = "", category_id: int | None = None, page: int = 1, per_page: int = 20,
                        now: dt.datetime | None = None) -> ReportPage:
    """One page of the body's public reports, newest first; `status` "open" or "resolved" (else
    both). Four statements whatever the page size: the count, the page, its deadlines, its ตำบล."""
    now = now or timezone.now()
    cases = _listed(now)
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status == "resolved":
        cases = cases.filter(status__in=REPORT_RESOLVED_STATUSES)
    if category_id is not None:
        cases = cases.filter(category_id=category_id)
    total = cases.count()
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    rows = list(cases.order_by("-received_at", "-id")[(page - 1) * per_page:page * per_page])
    return ReportPage(reports=_reports(rows, now=now), total=total, page=page, pages=pages)


def public_report_case(*, public_id: str, now: dt.datetime | None = None) -> Complaint | None:
    """The case behind a public id, if it is listed (for following it)."""
    if not public_id.isalnum() or len(public_id) > 16:
        return None
    return _listed(now or timezone.now()).filter(public_id=public_id).first()


def public_report_get(*, public_id: str,
                      now: dt.datetime | None = None) -> tuple[PublicReport, list[tuple[dt.datetime, str]]] | None:
    """A report and its status history from its timeline (the filing is the first change, to
    "received"): dates and statuses only, never the text of an event."""
    now = now or timezone.now()
    case = public_report_case(public_id=public_id, now=now)
    if case is None:
        return None
    history: list[tuple[dt.datetime, str]] = []
    for at, status in ComplaintEvent.objects.filter(complaint_id=case.pk).exclude(to_status="") \
            .exclude(to_status=Status.TRANSFER_OFFERED).order_by("created_at", "id").values_list("created_at",
                                                                                                  "to_status"):
        if status in Status.values:
            history.append((at, str(Status(status).label)))
    return _reports([case], now=now)[0], history


def public_reports_nearby(*, category_id: int, latitude: Decimal | None = None, longitude: Decimal | None = None,
                          moo: str = "", subdistrict_code: str = "", limit: int = 5,
                          now: dt.datetime | None = None) -> list[PublicReport]:
    """Open reports of the same category where a citizen is about to file: within NEARBY_METRES
    of the pin, or with no pin in the same หมู่ที่ (and ตำบล when given); none without either."""
    now = now or timezone.now()
    cases = _listed(now).filter(category_id=category_id, status__in=OPEN_STATUSES)
    if latitude is not None and longitude is not None:
        found = cases_within(cases, latitude=latitude, longitude=longitude, within_m=NEARBY_METRES)[:limit]
    elif moo:
        cases = cases.filter(moo=moo)
        if subdistrict_code:
            cases = cases.filter(subdistrict_code=subdistrict_code)
        found = list(cases.order_by("-received_at", "-id")[:limit])
    else:
        return []
    return _reports(found, now=now)
