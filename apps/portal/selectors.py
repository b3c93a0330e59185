"""Reads for the citizen portal and the platform home.

Public statistics come only from the reporting facts (public schema, no personal data). The map
of resolved cases reads the body's own complaints, in the body's schema, and returns coordinates,
category and date only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Extract, TruncMonth
from django.utils import timezone

from apps.categories.models import OVERSIGHT_CLASSES, SlaClass
from apps.complaints.models import Complaint
from apps.complaints.public_cases import shown_on_portal
from apps.complaints.status import Status
from apps.reporting.models import ComplaintFact
from apps.sla import selectors as sla
from apps.sla.models import Agreement, DayType, Framework, Stage
from apps.ui.thai import fiscal_year_of
from tenants.db import current_schema
from tenants.models import District, Domain, LocalBody, Province

from .models import BodyProfile

FINDER_LIMIT = 20
# Abbreviations people type before a body's name; the registry stores the bare name.
_KIND_PREFIXES = re.compile(
    r"^(องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลนคร|เทศบาลเมือง|เทศบาลตำบล|"
    r"อบต\.?|อบจ\.?|ทต\.?|ทม\.?|ทน\.?|sao|tambon administrative organi[sz]ation|"
    r"subdistrict municipality|town municipality|city municipality)\s*",
    re.IGNORECASE,
)


def body_profile_get(*, body: LocalBody) -> BodyProfile | None:
    return BodyProfile.objects.filter(body=body).first()


def reopen_window_days(*, body: LocalBody) -> int:
    profile = body_profile_get(body=body)
    return profile.reopen_window_days if profile else 30


def tile_url_for(*, body: LocalBody | None) -> str:
    profile = body_profile_get(body=body) if body else None
    if profile and profile.tile_url:
        return profile.tile_url
    return str(getattr(settings, "PORTAL_TILE_URL", ""))


# --- body finder -------------------------------------------------------------------------------

def provinces_list() -> QuerySet[Province]:
    return Province.objects.order_by("name_th")


def districts_list(*, province_code: str) -> QuerySet[District]:
    return District.objects.filter(province_id=province_code).order_by("name_th")


def _finder_queryset() -> QuerySet[LocalBody]:
    primary = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")[:1]
    bodies: QuerySet[LocalBody] = (
        LocalBody.objects.live()
        .select_related("province", "district")
        .annotate(primary_domain=Subquery(primary))
        .only("id", "slug", "dla_code", "kind", "name_th", "name_en",
              "province__name_th", "province__name_en", "district__name_th", "district__name_en")
    )
    return bodies


def bodies_in_district(*, district_code: str) -> list[LocalBody]:
    # Uses the (district, status) index of the registry.
    return list(_finder_queryset().filter(district_id=district_code).order_by("kind", "name_th"))


def normalise_query(text: str) -> str:
    text = " ".join(text.split())[:60]
    return _KIND_PREFIXES.sub("", text).strip()


def bodies_search(*, query: str, limit: int = FINDER_LIMIT) -> list[LocalBody]:
    """Live bodies by Thai or English name: names starting with the query first, then names
    containing it (or the subdomain), then bodies of a district whose Thai or English name matches
    (the registry has few English body names; "Ban Lat" finds the bodies of อำเภอบ้านลาด).

    At most three queries over the registry (≈7,850 rows), each a few ms."""
    term = normalise_query(query)
    if not term:
        return []
    tiers = [
        Q(name_th__istartswith=term) | Q(name_en__istartswith=term),
        Q(name_th__icontains=term) | Q(name_en__icontains=term) | Q(slug__istartswith=term.replace(" ", "")),
        Q(district__name_th__icontains=term) | Q(district__name_en__icontains=term),
    ]
    found: list[LocalBody] = []
    seen: set[int] = set()
    for condition in tiers:
        if len(found) >= limit:
            break
        rows = _finder_queryset().filter(condition).exclude(pk__in=seen).order_by("name_th", "dla_code")
        for body in rows[: limit - len(found)]:
            found.append(body)
            seen.add(body.pk)
    return found


def body_portal_url(*, body: LocalBody, domain: str | None, scheme: str = "http", port: str = "") -> str:
    host = domain or f"{body.slug}.{settings.PLATFORM_DOMAIN}"
    return f"{scheme}://{host}{':' + port if port else ''}/"


# --- public figures (facts only) ----------------------------------------------------------------

class _Median(Aggregate):
    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Round:
    fiscal_year: int  # Common Era number; shown as พ.ศ.
    half: bool  # True: the first six months (Oct–Mar), the ITA's half-year round
    start: dt.datetime
    end: dt.datetime

    @property
    def key(self) -> str:
        return f"{self.fiscal_year}-{'h1' if self.half else 'full'}"


def fiscal_round(*, fiscal_year: int, half: bool) -> Round:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(fiscal_year - 1, 10, 1, tzinfo=zone)
    end = dt.datetime(fiscal_year, 4 if half else 10, 1, tzinfo=zone)
    return Round(fiscal_year=fiscal_year, half=half, start=start, end=end)


def current_fiscal_year(now: dt.datetime | None = None) -> int:
    return fiscal_year_of(timezone.localtime(now or timezone.now()).date())


class MonthRow(TypedDict):
    month: dt.datetime
    received: int
    resolved: int


@dataclass
class Figures:
    received: int = 0
    resolved: int = 0
    in_progress: int = 0
    rejected: int = 0
    transferred: int = 0
    on_time: int = 0
    late: int = 0
    median_days: float | None = None
    average_rating: float | None = None
    by_category: list[dict[str, object]] = field(default_factory=list)
    by_month: list[MonthRow] = field(default_factory=list)

    @property
    def on_time_percent(self) -> float | None:
        measured = self.on_time + self.late
        return round(100.0 * self.on_time / measured, 1) if measured else None


_COUNTED = ~Q(status__in=[Status.TRANSFER_OFFERED, Status.MERGED])
_OVERSIGHT = Q(sla_class__in=list(OVERSIGHT_CLASSES))


def body_figures(*, body: LocalBody, start: dt.datetime, end: dt.datetime, oversight: bool = False,
                 detail: bool = False) -> Figures:
    """Counts of complaints received in [start, end): general ones, or (oversight=True) the
    conduct and corruption complaints, which are published apart."""
    facts = ComplaintFact.objects.filter(body=body, received_at__gte=start, received_at__lt=end)
    facts = facts.filter(_COUNTED)
    facts = facts.filter(_OVERSIGHT) if oversight else facts.exclude(_OVERSIGHT)
    done = Q(status__in=[Status.RESOLVED, Status.CLOSED])
    totals = facts.aggregate(
        received=Count("id"),
        resolved=Count("id", filter=done),
        in_progress=Count("id", filter=Q(status__in=[Status.RECEIVED, Status.ACKNOWLEDGED,
                                                       Status.IN_PROGRESS, Status.WAITING])),
        rejected=Count("id", filter=Q(status=Status.REJECTED)),
        transferred=Count("id", filter=Q(status=Status.TRANSFERRED)),
        on_time=Count("id", filter=Q(resolve_met=True)),
        late=Count("id", filter=Q(resolve_met=False)),
        median_seconds=_Median(Extract(F("resolved_at") - F("received_at"), "epoch"),
                               filter=Q(resolved_at__isnull=False)),
        average_rating=Avg("rating"),
    )
    figures = Figures(
        received=totals["received"], resolved=totals["resolved"], in_progress=totals["in_progress"],
        rejected=totals["rejected"], transferred=totals["transferred"], on_time=totals["on_time"],
        late=totals["late"],
    )
    if totals["median_seconds"] is not None:
        figures.median_days = round(totals["median_seconds"] / 86400, 1)
    if totals["average_rating"] is not None:
        figures.average_rating = round(float(totals["average_rating"]), 2)
    if detail:
        figures.by_category = [dict(row) for row in (
            facts.values("national_category")
            .annotate(received=Count("id"), resolved=Count("id", filter=done),
                      on_time=Count("id", filter=Q(resolve_met=True)),
                      late=Count("id", filter=Q(resolve_met=False)))
            .order_by("-received", "national_category")
        )]
        figures.by_month = list(
            facts.annotate(month=TruncMonth("received_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
            .values("month").annotate(received=Count("id"), resolved=Count("id", filter=done))
            .order_by("month")
        )
    return figures


# --- the map of resolved cases (the body's own schema) -------------------------------------------

MAP_DAYS = 180
MAP_LIMIT = 300


def resolved_case_points(*, body: LocalBody, now: dt.datetime | None = None) -> list[dict[str, object]]:
    """Recent resolved cases as [lat, lng, national category, resolved date]: no description, no
    address, no complainant, and never the conduct/corruption complaints."""

    assert current_schema() == body.schema_name, "read the map inside the body's schema"
    until = now or timezone.now()
    since = until - dt.timedelta(days=MAP_DAYS)
    rows = (
        shown_on_portal(Complaint.objects.filter(status__in=[Status.RESOLVED, Status.CLOSED], resolved_at__gte=since,
                                                 resolved_at__lte=until,
                                                 latitude__isnull=False, longitude__isnull=False))
        .order_by("-resolved_at")
        .values_list("latitude", "longitude", "national_category", "resolved_at")[:MAP_LIMIT]
    )
    return [
        {"lat": round(float(lat), 4), "lng": round(float(lng), 4), "category": category,
         "resolved": timezone.localtime(resolved).date().isoformat()}
        for lat, lng, category, resolved in rows
        if lat is not None and lng is not None and resolved is not None  # filtered above; tells mypy
    ]


# --- the SLA in force, for the body's home page ---------------------------------------------------

@dataclass
class SlaSummary:
    source: str  # "agreement" (the body's published one) or "framework" (the national minimum)
    title: str
    effective_from: dt.date | None
    is_default: bool
    rows: list[dict[str, object]]


def sla_summary(*, body: LocalBody) -> SlaSummary | None:
    """The body's published agreement (in force, else the next to come), else the national
    framework in force that it is held to."""

    agreement = sla.agreement_current_published(body_id=body.pk)
    if agreement is not None:
        summary = SlaSummary(source="agreement", title=agreement.title, effective_from=agreement.effective_from,
                             is_default=False, rows=[])
        source: Agreement | Framework = agreement
    else:
        framework = sla.framework_in_force(on=timezone.localdate())
        if framework is None:
            return None
        summary = SlaSummary(source="framework", title=framework.name, effective_from=framework.effective_from,
                             is_default=framework.is_default, rows=[])
        source = framework
    table: dict[str, dict[str, str]] = {}
    for (sla_class, stage), (days, day_type) in sla.rows_of(source).items():
        label = DayType(day_type).label if day_type in DayType.values else day_type
        table.setdefault(sla_class, {})[stage] = f"{days} {label}"
    summary.rows = [
        {"class": SlaClass(code).label, "code": code,
         **{stage: table[code].get(stage, "") for stage in (Stage.ACK, Stage.REPLY, Stage.RESOLVE)}}
        for code in SlaClass.values if code in table
    ]
    return summary


def retention_periods(body_ids: Sequence[int] | None) -> dict[int, int]:
    """The retention periods bodies chose on their profile page, by body id (only those that chose
    one): lent to the PDPA job and the data-requests page (apps.complaints.retention)."""
    rows = BodyProfile.objects.filter(retention_years__isnull=False)
    if body_ids is not None:
        rows = rows.filter(body_id__in=list(body_ids))
    return {body_id: years for body_id, years in rows.values_list("body_id", "retention_years") if years}


def retention_years_for(*, body: LocalBody) -> int:
    """Years a closed case keeps the complainant's identity: the body's own period, else the
    national default (settings.PDPA_RETENTION_YEARS)."""
    own = BodyProfile.objects.filter(body=body).values_list("retention_years", flat=True).first()
    return int(own or settings.PDPA_RETENTION_YEARS)
