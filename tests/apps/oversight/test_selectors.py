from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import translation

from apps.oversight import cases, selectors
from apps.oversight.models import AreaRollup, BodyRollup
from apps.oversight.scoping import NATION, Scope, bodies_in_scope, get_body_for_officer
from apps.oversight.services import rollup_rebuild
from tests.apps.oversight.factories import BKK, fact, officer

JAN = dt.datetime(2025, 1, 10, 9, 0, tzinfo=BKK)
PERIOD = selectors.Period(dt.date(2025, 1, 1), dt.date(2025, 3, 1))
DISTRICT = Scope("district", "7606")
PROVINCE = Scope("province", "76")


@pytest.fixture
def facts(banlat, thasen, outside_body):  # type: ignore[no-untyped-def]
    # banlat: 3 complaints (2 resolved in 2 and 6 days, one on time), thasen: 1 open, outside: 1.
    fact(banlat, received=JAN, status="resolved", resolved_at=JAN + dt.timedelta(days=2), resolve_met=True,
         ack_met=True, channel="line")
    fact(banlat, received=JAN, status="resolved", resolved_at=JAN + dt.timedelta(days=6), resolve_met=False,
         ack_met=True, ever_breached=True, national_category="water")
    fact(banlat, received=JAN + dt.timedelta(days=40), status="in_progress", ack_met=False)
    fact(thasen, received=JAN, status="received", national_category="water")
    fact(outside_body, received=JAN, status="received")


def test_bodies_in_scope_by_level(banlat, outside_body):  # type: ignore[no-untyped-def]
    district = officer("d1", "district", "7606")
    province = officer("p1", "province", "76")
    assert bodies_in_scope(district).count() == 15
    assert bodies_in_scope(province).count() == 85
    assert not bodies_in_scope(district).filter(pk=outside_body.pk).exists()


def test_get_body_for_officer_hides_out_of_scope_and_missing(banlat, outside_body):  # type: ignore[no-untyped-def]
    district = officer("d2", "district", "7606")
    assert get_body_for_officer(district, banlat.dla_code) == banlat
    with pytest.raises(Http404):
        get_body_for_officer(district, outside_body.dla_code)
    with pytest.raises(Http404):
        get_body_for_officer(district, "9999999")


def test_trigger_keeps_rollups_in_step_with_facts(facts, banlat):  # type: ignore[no-untyped-def]
    totals = selectors.figures(DISTRICT, PERIOD)["totals"]
    assert totals["received"] == 4
    assert totals["resolved"] == 2
    assert totals["open"] == 2
    assert totals["breached"] == 1
    assert totals["on_time_pct"] == {"ack": 66.7, "route": None, "reply": None, "resolve": 50.0}
    assert totals["mean_days_to_resolve"] == 4.0
    assert totals["median_days_to_resolve"] == 4.0
    assert totals["by_channel"]["line"] == 1
    assert totals["by_status"]["resolved"] == 2
    # An update moves the counts; a delete removes them.
    from apps.reporting.models import ComplaintFact

    open_fact = ComplaintFact.objects.get(body=banlat, status="in_progress")
    open_fact.status = "resolved"
    open_fact.resolved_at = open_fact.received_at + dt.timedelta(days=10)
    open_fact.save()
    assert selectors.figures(DISTRICT, PERIOD)["totals"]["resolved"] == 3
    open_fact.delete()
    assert selectors.figures(DISTRICT, PERIOD)["totals"]["received"] == 3


def test_rebuild_matches_trigger(facts):  # type: ignore[no-untyped-def]
    before = selectors.figures(PROVINCE, PERIOD, group_by="district")
    area_rows, body_rows = AreaRollup.objects.count(), BodyRollup.objects.count()
    rollup_rebuild()
    assert selectors.figures(PROVINCE, PERIOD, group_by="district") == before
    assert (AreaRollup.objects.count(), BodyRollup.objects.count()) == (area_rows, body_rows)


def test_drill_down_rows(facts, banlat, thasen):  # type: ignore[no-untyped-def]
    by_district = selectors.figures(PROVINCE, PERIOD, group_by="area")["rows"]
    assert [(r["key"], r["received"]) for r in by_district] == [("7601", 1), ("7606", 4)]
    by_body = selectors.figures(DISTRICT, PERIOD, group_by="area")["rows"]
    assert {r["key"]: r["received"] for r in by_body} == {banlat.dla_code: 3, thasen.dla_code: 1}
    banlat_row = next(r for r in by_body if r["key"] == banlat.dla_code)
    assert banlat_row["median_days_to_resolve"] == 4.0
    months = selectors.figures(DISTRICT, PERIOD, body=banlat, group_by="month")["rows"]
    assert [(r["key"], r["received"]) for r in months] == [("2025-01", 2), ("2025-02", 1)]
    by_category = selectors.figures(DISTRICT, PERIOD, group_by="category")["rows"]
    assert {r["key"]: (r["received"], r["breached"]) for r in by_category} == {"road": (2, 0), "water": (2, 1)}
    nation = selectors.figures(NATION, PERIOD, group_by="province")["rows"]
    assert [(r["key"], r["received"]) for r in nation] == [("76", 5)]


def test_ranking_needs_minimum_volume(settings):  # type: ignore[no-untyped-def]
    settings.OVERSIGHT_RANKING_MIN_VOLUME = 2
    rows = [{"key": "a", "received": 1, "on_time_pct": {"resolve": 100.0, "reply": 100.0}},
            {"key": "b", "received": 5, "on_time_pct": {"resolve": 60.0, "reply": 50.0}},
            {"key": "c", "received": 9, "on_time_pct": {"resolve": 80.0, "reply": None}}]
    ranked, too_few = selectors.ranking(rows)
    assert [(r["key"], r["rank"]) for r in ranked] == [("c", 1), ("b", 2)]
    assert [r["key"] for r in too_few] == ["a"]


def test_overdue_list_has_no_personal_data(banlat, outside_body):  # type: ignore[no-untyped-def]
    now = dt.datetime(2025, 2, 1, 12, 0, tzinfo=BKK)
    fact(banlat, received=JAN, status="in_progress", tracking_code="OVD1", acknowledged_at=JAN,
         reply_due_at=JAN + dt.timedelta(days=15), resolve_due_at=JAN + dt.timedelta(days=30))
    fact(banlat, received=JAN, status="in_progress", tracking_code="FINE1", reply_due_at=now + dt.timedelta(days=1))
    fact(outside_body, received=JAN, status="received", tracking_code="OUT1", ack_due_at=JAN)
    rows = cases.overdue_facts(DISTRICT, now=now)
    assert [(r["tracking_code"], r["stage"], r["days_over"], r["escalation"]) for r in rows] == [
        ("OVD1", "แจ้งผลเบื้องต้น", 7, "ถึงท้องถิ่นอำเภอ")]  # due Sat 25 Jan: 3 working days on is before 1 Feb
    assert set(rows[0]) == {"tracking_code", "national_category", "category_label", "sla_class", "status", "stage",
                            "due_at", "days_over", "escalation", "body_id", "received_at", "body_code", "body_name"}
    assert rows[0]["category_label"] == "ถนน ทางเท้า สะพาน ชำรุด"  # the category's name, never its code "road"
    with translation.override("en"):
        assert cases.overdue_facts(DISTRICT, now=now)[0]["category_label"] == "Roads, footpaths and bridges"


def test_conduct_queue_is_the_cases_the_office_handles(banlat, outside_body):  # type: ignore[no-untyped-def]
    fact(banlat, received=JAN, routed_to_oversight=True, tracking_code="COND1", national_category="conduct")
    fact(banlat, received=JAN, tracking_code="PLAIN1")
    fact(outside_body, received=JAN, routed_to_oversight=True, tracking_code="COND2")
    fact(banlat, received=JAN + dt.timedelta(days=1), routed_to_oversight=True, about_district_office=True,
         tracking_code="COND3")
    # The district office: its district's cases, never one about itself; the province: those.
    assert [r["tracking_code"] for r in cases.conduct_queue(DISTRICT)] == ["COND1"]
    assert [r["tracking_code"] for r in cases.conduct_queue(PROVINCE)] == ["COND3"]
    nation = [r["tracking_code"] for r in cases.conduct_queue(NATION)]
    assert [c for c in nation if c.startswith("COND")] == ["COND3", "COND2", "COND1"]
