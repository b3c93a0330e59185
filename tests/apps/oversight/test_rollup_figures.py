"""The province roll-ups, SQL medians and the one-pass groupings give exactly what the facts say."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from django.db import connection

from apps.oversight import selectors
from apps.oversight.models import ProvinceResolveDays, ProvinceRollup
from apps.oversight.scoping import NATION, Scope
from apps.oversight.selectors import rollups
from apps.oversight.services import rollup_rebuild
from apps.reporting.models import ComplaintFact
from tests.apps.oversight.factories import BKK, fact

JAN = dt.datetime(2025, 1, 10, 9, 0, tzinfo=BKK)
PERIOD = selectors.Period(dt.date(2025, 1, 1), dt.date(2025, 3, 1))
DISTRICT = Scope("district", "7606")
PROVINCE = Scope("province", "76")
# Whole days to resolve per body: odd and even counts, repeats, a zero, a value past the 400 cap.
BANLAT_DAYS = [0, 2, 2, 5, 9, 30, 31]
THASEN_DAYS = [1, 4, 4, 8]
OUTSIDE_DAYS = [3, 3, 6, 12, 450, 7]


@pytest.fixture
def resolved(banlat, thasen, outside_body):  # type: ignore[no-untyped-def]
    for body, days_list in ((banlat, BANLAT_DAYS), (thasen, THASEN_DAYS), (outside_body, OUTSIDE_DAYS)):
        for i, days in enumerate(days_list):
            received = JAN + dt.timedelta(days=30 * (i % 3))
            fact(body, received=received, status="resolved", national_category=("road", "water")[i % 2],
                 channel=("web", "line", "phone")[i % 3], resolved_at=received + dt.timedelta(days=days, hours=5),
                 resolve_met=days < 15, ack_met=i % 2 == 0, ever_breached=days >= 15)
    fact(banlat, received=JAN, status="in_progress")


def _median(days: list[int]) -> float:
    return float(statistics.median([min(400, d) for d in days]))


def test_sql_medians_match_the_facts(resolved, banlat) -> None:  # type: ignore[no-untyped-def]
    everyone = BANLAT_DAYS + THASEN_DAYS + OUTSIDE_DAYS
    by_district = selectors.figures(PROVINCE, PERIOD, group_by="district")
    assert by_district["totals"]["median_days_to_resolve"] == _median(everyone)
    assert {r["key"]: r["median_days_to_resolve"] for r in by_district["rows"]} == {
        "7601": _median(OUTSIDE_DAYS), "7606": _median(BANLAT_DAYS + THASEN_DAYS)}
    nation = selectors.figures(NATION, PERIOD, group_by="province")
    assert nation["totals"]["median_days_to_resolve"] == _median(everyone)
    assert [(r["key"], r["median_days_to_resolve"]) for r in nation["rows"]] == [("76", _median(everyone))]
    assert selectors.figures(DISTRICT, PERIOD)["totals"]["median_days_to_resolve"] == \
        _median(BANLAT_DAYS + THASEN_DAYS)
    # A month on its own (the histogram rows of other months are not counted).
    january = selectors.Period(dt.date(2025, 1, 1), dt.date(2025, 1, 1))
    jan_days = [d for days in (BANLAT_DAYS, THASEN_DAYS, OUTSIDE_DAYS) for i, d in enumerate(days) if i % 3 == 0]
    assert selectors.figures(NATION, january)["totals"]["median_days_to_resolve"] == _median(jan_days)
    # After moving a fact to another day count the medians follow (the trigger moves the histogram).
    moved = ComplaintFact.objects.filter(body=banlat, status="resolved").order_by("resolved_at").first()
    moved.resolved_at = moved.received_at + dt.timedelta(days=100)
    moved.save()
    banlat_after = sorted(BANLAT_DAYS)[1:] + [100]
    assert selectors.figures(DISTRICT, PERIOD)["totals"]["median_days_to_resolve"] == \
        _median(banlat_after + THASEN_DAYS)


def test_no_resolved_complaints_no_median(banlat) -> None:  # type: ignore[no-untyped-def]
    fact(banlat, received=JAN, status="received")
    assert selectors.figures(NATION, PERIOD, group_by="province")["totals"]["median_days_to_resolve"] is None
    assert selectors.figures(DISTRICT, PERIOD)["totals"]["median_days_to_resolve"] is None


def test_province_rollups_equal_the_district_ones_and_the_rebuild(resolved) -> None:  # type: ignore[no-untyped-def]
    def snapshot() -> tuple[list[tuple], list[tuple]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT province_code, month, national_category, received, resolved, open, breached, "
                           "ack_met, ack_late, resolve_met, resolve_late, ch_web, ch_line, ch_phone, st_resolved, "
                           "round(resolve_days_sum::numeric, 6) FROM oversight_provincerollup WHERE received <> 0 "
                           "ORDER BY 1, 2, 3")
            metrics = cursor.fetchall()
        days = list(ProvinceResolveDays.objects.filter(count__gt=0).order_by("province_code", "month", "days")
                    .values_list("province_code", "month", "days", "count"))
        return metrics, days

    by_trigger = snapshot()
    assert sum(r[3] for r in by_trigger[0]) == ComplaintFact.objects.count()
    assert sum(r[3] for r in by_trigger[1]) == ComplaintFact.objects.filter(resolved_at__isnull=False).count()
    rollup_rebuild()
    assert snapshot() == by_trigger
    assert ProvinceRollup.objects.count() > 0


def test_national_figures_from_province_table_equal_district_table(resolved) -> None:  # type: ignore[no-untyped-def]
    nation = selectors.figures(NATION, PERIOD, group_by="category")
    province = selectors.figures(PROVINCE, PERIOD, group_by="district")
    assert nation["totals"] == province["totals"]
    assert {r["key"]: r["received"] for r in nation["rows"]} == {"road": 10, "water": 8}
    months = selectors.figures(NATION, PERIOD, group_by="month")["rows"]
    assert [(r["key"], r["received"]) for r in months] == [("2025-01", 8), ("2025-02", 5), ("2025-03", 5)]


def test_grouped_in_one_pass_equals_one_at_a_time(resolved) -> None:  # type: ignore[no-untyped-def]
    for scope in (NATION, PROVINCE, DISTRICT):
        for category in ("", "water"):
            groups = ["area", "month", "channel", "category"]
            together = selectors.figures_grouped(scope, PERIOD, category=category, groups=groups)
            for group in groups:
                alone = selectors.figures(scope, PERIOD, category=category, group_by=group)
                assert together["totals"] == alone["totals"], (scope, category, group)
                resolved_group = rollups._resolve_group(scope, None, group)  # noqa: SLF001
                assert together["rows"][resolved_group] == alone["rows"], (scope, category, group)


def test_body_with_category_reads_the_facts(resolved, banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    water = selectors.figures(DISTRICT, PERIOD, body=banlat, category="water", group_by="month")
    assert water["totals"]["received"] == 3  # BANLAT_DAYS at odd positions
    assert [(r["key"], r["received"]) for r in water["rows"]] == [("2025-01", 1), ("2025-02", 1), ("2025-03", 1)]
    by_body = selectors.figures(DISTRICT, PERIOD, category="water", group_by="body")
    assert {r["key"]: r["received"] for r in by_body["rows"]} == {banlat.dla_code: 3, thasen.dla_code: 2}
    assert by_body["totals"]["received"] == 5
    with pytest.raises(ValueError, match="not available for one body"):
        selectors.figures(DISTRICT, PERIOD, body=banlat, group_by="category")
