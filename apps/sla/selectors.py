"""Reads of SLA data: what is in force, a body's calendar, pending deadlines, agreement status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypedDict

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.categories.models import SlaClass
from apps.sla import clock
from apps.sla.calendar import BANGKOK, Calendar
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
    NationalDayOff,
    Stage,
)
from tenants.db import current_schema
from tenants.models import LocalBody

STAGE_ORDER = [s.value for s in Stage]


def local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(BANGKOK).date()


def framework_in_force(*, on: dt.date) -> Framework | None:
    return Framework.objects.filter(effective_from__lte=on).order_by("-effective_from", "-id").first()


def agreement_in_force(*, body_id: int, on: dt.date) -> Agreement | None:
    return (Agreement.objects
            .filter(body_id=body_id, status__in=[AgreementStatus.PUBLISHED, AgreementStatus.SUPERSEDED],
                    effective_from__lte=on)
            .order_by("-effective_from", "-published_at", "-id").first())


def agreement_current_published(*, body_id: int) -> Agreement | None:
    """The agreement to show on the body's page: in force today, else the next one to come."""
    today = local_date(timezone.now())
    found = agreement_in_force(body_id=body_id, on=today)
    if found is not None:
        return found
    return (Agreement.objects.filter(body_id=body_id, status=AgreementStatus.PUBLISHED)
            .order_by("effective_from", "id").first())


def rows_of(obj: Framework | Agreement) -> dict[tuple[str, str], tuple[int, str]]:
    model = FrameworkRow if isinstance(obj, Framework) else AgreementRow
    field = "framework" if isinstance(obj, Framework) else "agreement"
    return {(r.sla_class, r.stage): (r.days, r.day_type) for r in model.objects.filter(**{field: obj})}


def calendar_days_off(*, body_id: int | None, start: dt.date, end: dt.date) -> set[dt.date]:
    """National extra days off and the body's own closures, in one round trip."""
    days = NationalDayOff.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    if body_id is not None:
        days = days.union(BodyClosure.objects.filter(body_id=body_id, date__gte=start, date__lte=end)
                          .values_list("date", flat=True))
    return set(days)


def body_calendar(*, body_id: int | None, around: dt.datetime | None = None) -> Calendar:
    """The body's calendar for working-day counting around a time (two years either side covers
    any clock: the longest limit is weeks, the validation horizon 12 months)."""
    centre = local_date(around or timezone.now())
    start, end = centre - dt.timedelta(days=730), centre + dt.timedelta(days=730)
    hours = BodyOfficeHours.objects.filter(body_id=body_id).first() if body_id is not None else None
    return _calendar(calendar_days_off(body_id=body_id, start=start, end=end), hours)


def _calendar(days_off: Iterable[dt.date], hours: BodyOfficeHours | None) -> Calendar:
    if hours is None:
        opens, closes = office_hours_default()
        return Calendar.build(days_off, office_start=opens, office_end=closes)
    return Calendar.build(days_off, office_start=hours.opens_at, office_end=hours.closes_at,
                          weekdays=weekdays_of(hours.weekdays))


def office_hours_default() -> tuple[dt.time, dt.time]:
    office = getattr(settings, "SLA_OFFICE_HOURS", ("08:30", "16:30"))
    return dt.time.fromisoformat(office[0]), dt.time.fromisoformat(office[1])


@dataclass(frozen=True)
class OfficeHours:
    opens_at: dt.time
    closes_at: dt.time
    weekdays: str  # ISO weekday digits
    is_default: bool


# ISO weekday number and its Thai name, for the body admin's calendar page.
WEEKDAY_CHOICES = (("1", gettext_lazy("วันจันทร์")), ("2", gettext_lazy("วันอังคาร")), ("3", gettext_lazy("วันพุธ")),
                   ("4", gettext_lazy("วันพฤหัสบดี")), ("5", gettext_lazy("วันศุกร์")), ("6", gettext_lazy("วันเสาร์")),
                   ("7", gettext_lazy("วันอาทิตย์")))


def office_hours_of(*, body_id: int) -> OfficeHours:
    hours = BodyOfficeHours.objects.filter(body_id=body_id).first()
    if hours is None:
        opens, closes = office_hours_default()
        return OfficeHours(opens, closes, WEEKDAYS_DEFAULT, True)
    return OfficeHours(hours.opens_at, hours.closes_at, hours.weekdays, False)


def weekdays_of(iso_digits: str) -> frozenset[int]:
    """"12345" (ISO weekdays, 1 is Monday) → Python weekday numbers."""
    return frozenset(int(d) - 1 for d in iso_digits if d in "1234567")


def bodies_calendars(*, body_ids: Iterable[int], around: dt.datetime) -> dict[int, Calendar]:
    """Calendars of many bodies in two queries (the sweep)."""
    ids = set(body_ids)
    centre = local_date(around)
    start, end = centre - dt.timedelta(days=60), centre + dt.timedelta(days=400)
    national = set(NationalDayOff.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))
    closures: dict[int, set[dt.date]] = {i: set() for i in ids}
    for body_id, day in BodyClosure.objects.filter(body_id__in=ids, date__gte=start, date__lte=end) \
            .values_list("body_id", "date"):
        closures[body_id].add(day)
    hours = {h.body_id: h for h in BodyOfficeHours.objects.filter(body_id__in=ids)}
    return {i: _calendar(national | closures[i], hours.get(i)) for i in ids}


@dataclass(frozen=True)
class PendingDeadline:
    stage: str
    stage_label: str
    cycle: int
    due_at: dt.datetime
    seconds_left: int
    overdue: bool
    paused: bool
    days: int
    day_type: str


def current_body_id() -> int | None:
    """The body whose schema the connection is in (a complaint carries no body: it lives in it)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, LocalBody) and tenant.pk:
        return int(tenant.pk)
    return LocalBody.objects.filter(schema_name=current_schema()).values_list("pk", flat=True).first()


class _OrderedEvents(Protocol):
    def order_by(self, *fields: str) -> Iterable[object]: ...


class _Events(Protocol):
    def all(self) -> _OrderedEvents: ...


class ClockedCase(Protocol):
    """What the clock reads of a complaint (apps.complaints.models.Complaint, a layer above): its
    snapshot of the SLA in force and its timeline (events with kind, statuses and time)."""

    pk: int
    sla_class: str
    received_at: dt.datetime

    @property
    def sla_snapshot(self) -> Mapping[str, object]: ...

    @property
    def events(self) -> _Events: ...


def complaint_clock(*, complaint: ClockedCase, now: dt.datetime | None = None) -> clock.ClockResult:
    now = now or timezone.now()
    body_id = current_body_id()
    events = list(complaint.events.all().order_by("created_at", "id"))
    return clock.compute(complaint.sla_snapshot or {}, events, body_calendar(body_id=body_id, around=now),
                         received_at=complaint.received_at, now=now)


def pending_deadlines(*, complaint: ClockedCase, now: dt.datetime | None = None) -> list[PendingDeadline]:
    """Every pending stage of the complaint's current cycle, nearest first (the case page and the
    citizen's tracking page show them all, not only the nearest)."""
    now = now or timezone.now()
    result = complaint_clock(complaint=complaint, now=now)
    labels = dict(Stage.choices)
    out = []
    for s in result.pending():
        if s.cycle != result.cycles - 1:
            continue
        left = int((s.due_at - now).total_seconds())
        out.append(PendingDeadline(stage=s.stage, stage_label=str(labels.get(s.stage, s.stage)), cycle=s.cycle,
                                   due_at=s.due_at, seconds_left=left, overdue=left < 0 and not s.paused,
                                   paused=s.paused, days=s.days, day_type=s.day_type))
    return out


def _row_sort(item: tuple[str, str]) -> tuple[str, int]:
    return item[0], STAGE_ORDER.index(item[1]) if item[1] in STAGE_ORDER else 99


class RowLimit(TypedDict):
    """An agreement's row beside the national limit for the same class and stage."""

    sla_class: str
    stage: str
    days: int
    day_type: str
    national_days: int
    national_day_type: str


class RowProblem(RowLimit):
    message: str  # why the row may not be published (looser than the national limit)


class AgreementState(TypedDict):
    published: bool
    since: dt.date | None
    agreement_id: int | None
    number: str
    meets_framework: bool | None
    tighter_rows: list[RowLimit]
    looser_rows: list[RowProblem]
    framework_id: int | None


def agreement_status(*, body_ids: Iterable[int], on: dt.date | None = None) -> dict[int, AgreementState]:
    """Per body: is an agreement published and in force, since when, does it meet the framework in
    force, and which rows are tighter than the national limit (read by oversight)."""
    on = on or local_date(timezone.now())
    ids = list(body_ids)
    framework = framework_in_force(on=on)
    national = rows_of(framework) if framework else {}
    in_force: dict[int, Agreement] = {}
    for newest in (Agreement.objects
                   .filter(body_id__in=ids, effective_from__lte=on,
                           status__in=[AgreementStatus.PUBLISHED, AgreementStatus.SUPERSEDED])
                   .order_by("body_id", "-effective_from", "-published_at", "-id")):
        in_force.setdefault(newest.body_id, newest)
    rows: dict[int, dict[tuple[str, str], tuple[int, str]]] = {}
    for r in AgreementRow.objects.filter(agreement__in=list(in_force.values())).select_related("agreement"):
        rows.setdefault(r.agreement.body_id, {})[(r.sla_class, r.stage)] = (r.days, r.day_type)
    out: dict[int, AgreementState] = {}
    for body_id in ids:
        agreement = in_force.get(body_id)
        if agreement is None:
            out[body_id] = {"published": False, "since": None, "agreement_id": None, "number": "",
                            "meets_framework": None, "tighter_rows": [], "looser_rows": [],
                            "framework_id": framework.pk if framework else None}
            continue
        own = rows.get(body_id, {})
        problems = agreement_violations(rows=own, framework_rows=national, body_id=body_id, on=on,
                                        calendar=None) if national else []
        tighter: list[RowLimit] = []
        for key in sorted(own, key=_row_sort):
            limit = national.get(key)
            if limit and (own[key][1] == limit[1] and own[key][0] < limit[0]):
                tighter.append({"sla_class": key[0], "stage": key[1], "days": own[key][0], "day_type": own[key][1],
                                "national_days": limit[0], "national_day_type": limit[1]})
            elif limit and own[key][1] != limit[1] and not any(p.key == key for p in problems):
                tighter.append({"sla_class": key[0], "stage": key[1], "days": own[key][0], "day_type": own[key][1],
                                "national_days": limit[0], "national_day_type": limit[1]})
        out[body_id] = {"published": True, "since": agreement.effective_from, "agreement_id": agreement.pk,
                        "number": agreement.number, "meets_framework": not problems, "tighter_rows": tighter,
                        "looser_rows": [p.as_dict() for p in problems],
                        "framework_id": framework.pk if framework else None}
    return out


def agreements_history(*, body_id: int) -> list[Agreement]:
    return list(Agreement.objects.filter(body_id=body_id).filter(~Q(status=AgreementStatus.DRAFT))
                .order_by("-effective_from", "-id"))


# --- agreement validation (the publish service and oversight's status read it) --------------------

@dataclass(frozen=True)
class Violation:
    key: tuple[str, str]
    days: int
    day_type: str
    national_days: int
    national_day_type: str
    message: str

    def as_dict(self) -> RowProblem:
        return {"sla_class": self.key[0], "stage": self.key[1], "days": self.days, "day_type": self.day_type,
                "national_days": self.national_days, "national_day_type": self.national_day_type,
                "message": self.message}


def _label(choices: Iterable[tuple[str, object]], value: str) -> str:
    return str(dict(choices).get(value, value))


def _limit_text(days: int, day_type: str) -> str:
    return f"{days} {_label(DayType.choices, day_type)}"


def agreement_violations(*, rows: Mapping[tuple[str, str], tuple[int, str]],
                         framework_rows: Mapping[tuple[str, str], tuple[int, str]], body_id: int | None,
                         on: dt.date, calendar: Calendar | None) -> list[Violation]:
    """Rows looser than the national limit. Mixed day types are judged conservatively on the
    body's calendar over the 12 months from `on`: a working-day limit passes a calendar-day
    maximum only if its longest calendar span stays within it; a calendar-day limit passes a
    working-day maximum only if it is no longer than the shortest time those working days take."""
    found: list[Violation] = []
    for key, (days, day_type) in rows.items():
        national = framework_rows.get(key)
        if national is None:
            continue
        max_days, max_type = national
        detail = ""
        if day_type == max_type:
            looser = days > max_days
        else:
            if calendar is None:
                calendar = body_calendar(body_id=body_id,
                                         around=dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC))
            if day_type == DayType.WORKING:
                span = calendar.longest_span_days(days, start=on)
                looser = span > max_days
                detail = " " + _("(นับเป็นวันทำการแล้ว ในรอบ 12 เดือนข้างหน้าอาจกินเวลาถึง %(span)s วันตามปฏิทิน)") \
                    % {"span": span}
            else:
                shortest = calendar.shortest_span_seconds(max_days, start=on)
                looser = days * 86400 > shortest
                detail = " " + _("(%(days)s วันทำการ อาจสั้นเพียง %(hours)s ชั่วโมง"
                                 " จึงกำหนดเป็นวันตามปฏิทินได้ไม่เกินนั้น)") % {"days": max_days,
                                                                                 "hours": f"{shortest / 3600:g}"}
        if looser:
            message = _("ประเภทเรื่อง “%(sla_class)s” ขั้นตอน “%(stage)s”: กำหนด %(limit)s "
                        "ไม่เป็นไปตามกรอบขั้นต่ำระดับประเทศ ซึ่งกำหนดไว้ไม่เกิน %(national)s") % {
                "sla_class": _label(SlaClass.choices, key[0]), "stage": _label(Stage.choices, key[1]),
                "limit": _limit_text(days, day_type), "national": _limit_text(max_days, max_type)} + detail
            found.append(Violation(key, days, day_type, max_days, max_type, message))
    return found
