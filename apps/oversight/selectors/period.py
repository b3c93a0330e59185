"""The period a page or the national API reads figures for: whole months, or a fiscal year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from apps.ui.thai import fiscal_year_of


class QueryParams(Protocol):
    """A page's GET or the API's query_params (a QueryDict), or any mapping of names to strings."""

    def get(self, key: str, /) -> object: ...


@dataclass(frozen=True)
class Period:
    since: dt.date  # first day of the first month
    until: dt.date  # first day of the last month (inclusive)

    @classmethod
    def last_months(cls, months: int = 12, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        until = today.replace(day=1)
        year, month = until.year, until.month - (months - 1)
        while month <= 0:
            month += 12
            year -= 1
        return cls(dt.date(year, month, 1), until)

    @classmethod
    def parse(cls, since: str | None, until: str | None, default_months: int = 12) -> Period:
        """`YYYY-MM` strings; raises ValueError on anything else."""
        default = cls.last_months(default_months)
        start = dt.datetime.strptime(since, "%Y-%m").date() if since else default.since  # noqa: DTZ007
        end = dt.datetime.strptime(until, "%Y-%m").date() if until else default.until  # noqa: DTZ007
        if end < start:
            raise ValueError("until is before since")
        return cls(start, end)

    @classmethod
    def fiscal_year(cls, year: int) -> Period:
        """ปีงบประมาณ `year` (Common Era number): 1 October of the year before to 30 September."""
        if not 2000 <= year <= 2200:
            raise ValueError("fiscal year out of range")
        return cls(dt.date(year - 1, 10, 1), dt.date(year, 9, 1))

    @classmethod
    def from_query(cls, params: QueryParams, *, default_fiscal: bool = False) -> Period:
        """The one reading of a period from a page's or the API's query: `fy` (the fiscal year's
        Common Era number: fy=2026 is ปีงบประมาณ 2569), else `since`/`until` (YYYY-MM), else the
        current fiscal year (default_fiscal) or the last 12 months. fy may be given in the Buddhist
        era too (fy=2569). ValueError on anything else."""
        fiscal = str(params.get("fy") or "")
        if fiscal:
            if not fiscal.isdigit():
                raise ValueError("fy is a year")
            year = int(fiscal)
            return cls.fiscal_year(year - 543 if year > 2400 else year)  # พ.ศ. 2569 is 2026
        since, until = str(params.get("since") or "") or None, str(params.get("until") or "") or None
        if default_fiscal and not since and not until:
            return cls.fiscal_year(fiscal_year_of(timezone.localdate()))
        return cls.parse(since, until)

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}month__gte": self.since, f"{prefix}month__lte": self.until})

    def datetimes(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_default_timezone()
        end_year, end_month = (self.until.year + 1, 1) if self.until.month == 12 else \
            (self.until.year, self.until.month + 1)
        return (dt.datetime(self.since.year, self.since.month, 1, tzinfo=tz),
                dt.datetime(end_year, end_month, 1, tzinfo=tz))
