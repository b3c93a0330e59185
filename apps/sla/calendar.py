"""Working-day arithmetic on a body's calendar (pure: no database).

A working day is one of the body's weekdays (Monday–Friday, unless it opens a Saturday service
point) that is neither a Thai public holiday (from `holidays`, with an explicit language so the
names never depend on the process locale), nor a national extra day off announced by the cabinet,
nor one of the body's own closures. Working time is counted in the body's office hours (by default
08:30–16:30 Asia/Bangkok): "N working days" is N × the office day's length of office time, so a
complaint received on Friday at 15:00 with a one-working-day limit is due on Monday at 15:00, and
one received on Saturday is due on Monday at 16:30.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BANGKOK = ZoneInfo("Asia/Bangkok")
DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def thai_public_holidays(year: int) -> frozenset[dt.date]:
    # language= is explicit: holidays' default depends on the environment, and the names are
    # only used for display elsewhere; the dates are what the clock needs.
    return frozenset(holidays.TH(years=year, language="en_US").keys())


@lru_cache(maxsize=64)
def thai_public_holiday_names(year: int, language: str = "th") -> dict[dt.date, str]:
    return dict(holidays.TH(years=year, language=language).items())


@dataclass(frozen=True)
class Calendar:
    extra_days_off: frozenset[dt.date] = field(default_factory=frozenset)
    office_start: dt.time = dt.time(8, 30)
    office_end: dt.time = dt.time(16, 30)
    tz: ZoneInfo = BANGKOK
    # Python weekday numbers (0 is Monday) the office opens on.
    weekdays: frozenset[int] = frozenset(range(5))

    @classmethod
    def build(cls, days_off: Iterable[dt.date] = (), *, office_start: dt.time = dt.time(8, 30),
              office_end: dt.time = dt.time(16, 30), weekdays: Iterable[int] = range(5)) -> Calendar:
        return cls(frozenset(days_off), office_start, office_end, BANGKOK, frozenset(weekdays))

    @property
    def office_seconds(self) -> float:
        start = dt.datetime.combine(dt.date(2000, 1, 1), self.office_start)
        end = dt.datetime.combine(dt.date(2000, 1, 1), self.office_end)
        return (end - start).total_seconds()

    def is_working_day(self, day: dt.date) -> bool:
        return (day.weekday() in self.weekdays and day not in self.extra_days_off
                and day not in thai_public_holidays(day.year))

    def office_window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (dt.datetime.combine(day, self.office_start, tzinfo=self.tz),
                dt.datetime.combine(day, self.office_end, tzinfo=self.tz))

    def is_office_time(self, at: dt.datetime) -> bool:
        local = at.astimezone(self.tz)
        if not self.is_working_day(local.date()):
            return False
        start, end = self.office_window(local.date())
        return start <= local < end

    def next_office_opening(self, at: dt.datetime) -> dt.datetime:
        """`at` itself when in office hours, else the next opening."""
        if self.is_office_time(at):
            return at
        day = at.astimezone(self.tz).date()
        for _ in range(400):
            if self.is_working_day(day):
                start, _end = self.office_window(day)
                if start >= at:
                    return start
            day += DAY
        raise ValueError("no working day within 400 days")

    def office_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        if end <= start:
            return 0.0
        total = 0.0
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            if self.is_working_day(day):
                open_, close = self.office_window(day)
                lo, hi = max(open_, start), min(close, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += DAY
        return total

    def add_office_seconds(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The instant when `seconds` of office time have passed after `start`."""
        day = start.astimezone(self.tz).date()
        remaining = seconds
        for _ in range(4000):
            if self.is_working_day(day):
                open_, close = self.office_window(day)
                lo = max(open_, start)
                if close > lo:
                    available = (close - lo).total_seconds()
                    if remaining <= available:
                        return lo + dt.timedelta(seconds=remaining)
                    remaining -= available
            day += DAY
        raise ValueError("working-day limit beyond the calendar's horizon")

    def add_working_days(self, start: dt.datetime, days: float) -> dt.datetime:
        return self.add_office_seconds(start, days * self.office_seconds)

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `day`."""
        count = 0
        while True:
            day += DAY
            if self.is_working_day(day):
                count += 1
                if count >= n:
                    return day

    def longest_span_days(self, working_days: int, *, start: dt.date, horizon_days: int = 366) -> int:
        """Longest calendar span, in days, that `working_days` working days can take for a
        complaint received on any day in [start, start + horizon): worst case is receipt just
        after closing time on the eve of a long run of holidays (Songkran)."""
        if working_days <= 0:
            return 0
        worst = 0
        for offset in range(horizon_days):
            day = start + dt.timedelta(days=offset)
            end = self.nth_working_day_after(day, working_days)
            worst = max(worst, (end - day).days)
        return worst

    def shortest_span_seconds(self, working_days: int, *, start: dt.date, horizon_days: int = 366) -> float:
        """Shortest wall-clock time `working_days` working days can take (receipt at opening time
        of a working day followed by a run of working days)."""
        if working_days <= 0:
            return 0.0
        best: float | None = None
        for offset in range(horizon_days):
            day = start + dt.timedelta(days=offset)
            if not self.is_working_day(day):
                continue
            begin, _ = self.office_window(day)
            end = self.add_working_days(begin, working_days)
            span = (end - begin).total_seconds()
            best = span if best is None else min(best, span)
        return best or 0.0
